//! Every sentence a person reads is phrased in `words.rs` (docs/design.md,
//! "Words in one place"): no other source file of the crates holds French.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_rust_file_but_words_rs_holds_a_french_sentence() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for krate in ["core", "capture", "wasm", "cli"] {
        rust_files(&crates.join(krate).join("src"), &mut files);
    }
    assert!(files.len() > 20, "{} files", files.len());
    // French in code: its accented letters, and its commonest words in a string.
    let accented = |l: &str| l.chars().any(|c| "éèêàâçôûùîœÉÈÀÇ".contains(c));
    let french = |l: &str| {
        ["\"Vous ", " vous ", "abonn", "Compte ", " des comptes"]
            .iter()
            .any(|w| l.contains(w))
    };
    let mut found = Vec::new();
    for file in files.iter().filter(|f| !f.ends_with("core/src/words.rs")) {
        let text = std::fs::read_to_string(file).unwrap();
        for (i, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") || !code.contains('"') {
                continue;
            }
            if accented(code) || french(code) {
                found.push(format!("{}:{}: {}", file.display(), i + 1, code));
            }
        }
    }
    assert!(
        found.is_empty(),
        "French outside words.rs:\n{}",
        found.join("\n")
    );
}
