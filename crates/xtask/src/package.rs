//! The packages: the two browsers' extensions assembled from a source tree and a
//! built engine (`dist`), and the store release (`release`): both packages, the
//! source package addons.mozilla.org asks for, and `SHA256SUMS`, reproducible
//! byte for byte from a commit.

use crate::{build_wasm, copy_dir, git, root, run, step, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The version, from the workspace's `Cargo.toml` (xtask inherits it).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The browsers, each with its package's name in a release.
pub const BROWSERS: [&str; 2] = ["chrome", "firefox"];

/// Writes `out/<browser>/` and a zip of each, named by `zip_name`, from the
/// extension, dashboard and policy of `src` and the engine in `pkg`.
pub fn assemble(src: &Path, pkg: &Path, out: &Path, zip_name: impl Fn(&str) -> String) -> Result {
    for browser in BROWSERS {
        step(&format!("{}/{browser}", out.display()));
        let dir = out.join(browser);
        let _ = std::fs::remove_dir_all(&dir);
        copy_dir(&src.join("extension"), &dir)?;
        // Declarations are for checking, not for shipping.
        let _ = std::fs::remove_file(dir.join("types.d.ts"));
        write_www(src, pkg, &dir.join("www"))?;
        write_privacy(src, &dir.join("privacy"))?;
        let path = dir.join("manifest.json");
        let text = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
        std::fs::write(&path, manifest_for(browser, &text)?).map_err(|e| e.to_string())?;
        zip_dir(&dir, &out.join(zip_name(browser)))?;
    }
    Ok(())
}

/// The dashboard with its engine and chart library: the static site, and the
/// extension's options page (where the worker loads the same engine).
pub fn write_www(src: &Path, pkg: &Path, to: &Path) -> Result {
    copy_dir(&src.join("www"), to)?;
    // The names and the platform layer the dashboard shares with the extension.
    for shared in ["messages.js", "platform.js"] {
        std::fs::copy(src.join("extension").join(shared), to.join(shared))
            .map_err(|e| format!("extension/{shared}: {e}"))?;
    }
    copy_dir(pkg, &to.join("wasm"))?;
    // Declarations are for checking, not for shipping.
    for dts in ["reciprocity_wasm.d.ts", "reciprocity_wasm_bg.wasm.d.ts"] {
        let _ = std::fs::remove_file(to.join("wasm").join(dts));
    }
    let uplot = root().join("tests/node_modules/uplot/dist");
    std::fs::create_dir_all(to.join("vendor")).map_err(|e| e.to_string())?;
    for file in ["uPlot.iife.min.js", "uPlot.min.css"] {
        std::fs::copy(uplot.join(file), to.join("vendor").join(file)).map_err(|e| {
            format!(
                "{}: {e} (run cargo xtask setup)",
                uplot.join(file).display()
            )
        })?;
    }
    Ok(())
}

/// The privacy policy, en and fr, as pages of the extension.
fn write_privacy(src: &Path, to: &Path) -> Result {
    std::fs::create_dir_all(to).map_err(|e| e.to_string())?;
    for (file, lang, doc) in crate::privacy::PAGES {
        let md = std::fs::read_to_string(src.join("docs").join(doc))
            .map_err(|e| format!("docs/{doc}: {e}"))?;
        std::fs::write(to.join(file), crate::privacy::page(&md, lang))
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// One manifest serves both browsers; each gets it with the workspace's version
/// and without the keys it warns on: Chrome without Firefox's
/// `browser_specific_settings`, Firefox without `background.service_worker` (it
/// runs `background.scripts`).
pub fn manifest_for(browser: &str, text: &str) -> Result<String> {
    let mut manifest: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("extension/manifest.json: {e}"))?;
    let object = manifest
        .as_object_mut()
        .ok_or("extension/manifest.json is not an object")?;
    object.insert("version".into(), VERSION.into());
    match browser {
        "chrome" => {
            object.remove("browser_specific_settings");
        }
        _ => {
            object
                .get_mut("background")
                .and_then(|b| b.as_object_mut())
                .ok_or("extension/manifest.json has no background")?
                .remove("service_worker");
        }
    }
    serde_json::to_string_pretty(&manifest).map_err(|e| e.to_string())
}

/// A zip of `dir`, the same bytes every time: files in name order, one fixed
/// time (1980-01-01, zip's epoch) and mode, deflated.
pub fn zip_dir(dir: &Path, out: &Path) -> Result {
    use std::io::Write;
    let file = std::fs::File::create(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let mut zip = zip::ZipWriter::new(file);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    let mut named: Vec<(String, PathBuf)> = files_under(dir)?
        .into_iter()
        .map(|p| {
            let name = p
                .strip_prefix(dir)
                .unwrap_or(&p)
                .to_string_lossy()
                .replace('\\', "/");
            (name, p)
        })
        .collect();
    named.sort();
    for (name, p) in named {
        zip.start_file(name, opts).map_err(|e| e.to_string())?;
        zip.write_all(&std::fs::read(&p).map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?;
    }
    zip.finish().map_err(|e| e.to_string())?;
    Ok(())
}

/// Every file below `dir`, in no order.
fn files_under(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).map_err(|e| format!("{}: {e}", d.display()))? {
            let p = e.map_err(|e| e.to_string())?.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push(p);
            }
        }
    }
    Ok(files)
}

/// What one release wrote.
pub struct Release {
    pub dir: PathBuf,
    pub files: Vec<PathBuf>,
}

/// `cargo xtask release`: the commit checked out (`HEAD`), exported to a clean
/// tree, built, packaged into `target/packages/reciprocity-<version>/`.
pub fn release() -> Result {
    if !git(&["status", "--porcelain"])?.trim().is_empty() {
        eprintln!("note: the tree has uncommitted changes; the release is HEAD's, without them");
    }
    let out = root()
        .join("target/packages")
        .join(format!("reciprocity-{VERSION}"));
    let made = release_of_head(&root().join("target/packages/src"), &out)?;
    eprintln!(
        "\nrelease {VERSION} of {}:",
        git(&["rev-parse", "HEAD"])?.trim()
    );
    for f in &made.files {
        eprintln!("  {}", f.display());
    }
    Ok(())
}

/// Exports `HEAD` to `src` (a clean tree: only what the commit holds), builds
/// it, and writes the release into `out`.
pub fn release_of_head(src: &Path, out: &Path) -> Result<Release> {
    step(&format!("export HEAD → {}", src.display()));
    let _ = std::fs::remove_dir_all(src);
    std::fs::create_dir_all(src).map_err(|e| e.to_string())?;
    run(Command::new("sh").arg("-c").arg(format!(
        "git archive --format=tar HEAD | tar -x -C '{}'",
        src.display()
    )))?;
    let _ = std::fs::remove_dir_all(out);
    std::fs::create_dir_all(out).map_err(|e| e.to_string())?;
    let pkg = build_wasm(src, &[], &out.join("engine"))?;
    let staging = out.join("packages");
    assemble(src, &pkg, &staging, |b| {
        format!("reciprocity-{VERSION}-{b}.zip")
    })?;
    let mut files = Vec::new();
    for browser in BROWSERS {
        let name = format!("reciprocity-{VERSION}-{browser}.zip");
        std::fs::rename(staging.join(&name), out.join(&name)).map_err(|e| e.to_string())?;
        files.push(out.join(name));
    }
    // The source package: the exported tree and a BUILD note of how to remake it.
    std::fs::write(src.join("BUILD.md"), build_note(&pkg)?).map_err(|e| e.to_string())?;
    let source = out.join(format!("reciprocity-{VERSION}-source.zip"));
    zip_dir(src, &source)?;
    files.push(source);
    let sums = files
        .iter()
        .map(|f| Ok(format!("{}  {}\n", sha256(f)?, file_name(f))))
        .collect::<Result<String>>()?;
    std::fs::write(out.join("SHA256SUMS"), sums).map_err(|e| e.to_string())?;
    files.push(out.join("SHA256SUMS"));
    let _ = std::fs::remove_dir_all(&staging);
    Ok(Release {
        dir: out.to_path_buf(),
        files,
    })
}

fn file_name(p: &Path) -> String {
    p.file_name().unwrap_or_default().to_string_lossy().into()
}

/// SHA-256 of a file, by coreutils' `sha256sum`.
pub fn sha256(path: &Path) -> Result<String> {
    let out = Command::new("sha256sum")
        .arg(path)
        .output()
        .map_err(|e| format!("sha256sum: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.split_whitespace()
        .next()
        .map(str::to_owned)
        .ok_or_else(|| format!("sha256sum gave nothing for {}", path.display()))
}

/// The BUILD note of the source package: the exact tools, the one command, and
/// the SHA-256 the generated files must have.
fn build_note(pkg: &Path) -> Result<String> {
    let tool = |cmd: &str, arg: &str| -> String {
        Command::new(cmd).arg(arg).output().map_or_else(
            |_| format!("{cmd}: not found"),
            |o| String::from_utf8_lossy(&o.stdout).trim().to_string(),
        )
    };
    let binaryen = root().join("tests/node_modules/binaryen/package.json");
    let binaryen = std::fs::read_to_string(&binaryen)
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .and_then(|v| v["version"].as_str().map(str::to_owned))
        .unwrap_or_else(|| "unknown".into());
    let mut generated = String::new();
    for file in ["reciprocity_wasm_bg.wasm", "reciprocity_wasm.js"] {
        generated += &format!("{}  www/wasm/{file}\n", sha256(&pkg.join(file))?);
    }
    Ok(format!(
        "# Building Reciprocity {VERSION} from this source

The wasm engine and its JavaScript glue in the packages are generated from the Rust
code here; everything else is copied as it is.

## Tools (exact versions this release was built with)

- {rustc}
- {cargo}
- wasm-bindgen-cli {wb} (pinned with `=` in `Cargo.toml`)
- wasm-opt from npm's binaryen {binaryen} (`tests/package-lock.json`)
- Node.js {node}, on Debian (x86_64)

## The one command

```sh
cargo xtask setup     # once: the wasm target, wasm-bindgen-cli, the npm packages
cargo xtask release   # → target/packages/reciprocity-{VERSION}/
```

(In an unpacked source package rather than a git clone, `git init && git add -A &&
git commit -m source` first: the release is built from a commit.)

## Expected SHA-256 of the generated files

```
{generated}```

The packages' own sums are in `SHA256SUMS` beside them.
",
        rustc = tool("rustc", "--version"),
        cargo = tool("cargo", "--version"),
        wb = crate::pinned_wasm_bindgen()?,
        node = tool("node", "--version"),
    ))
}

/// What the stores check, checked here on a built package directory: the
/// manifest's permissions and hosts are the ones the listings justify, its CSP
/// allows no remote code, no file names an http(s) script or wasm, and the zip
/// is far under the stores' limits.
pub fn check_package(dir: &Path, zip: &Path) -> Result {
    let text = std::fs::read_to_string(dir.join("manifest.json")).map_err(|e| e.to_string())?;
    let manifest: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let strings = |key: &str| -> Vec<String> {
        manifest[key]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect()
    };
    let allowed = ["storage", "unlimitedStorage"];
    let hosts = [
        "https://x.com/*",
        "https://twitter.com/*",
        "https://bsky.app/*",
    ];
    if let Some(p) = strings("permissions")
        .iter()
        .find(|p| !allowed.contains(&p.as_str()))
    {
        return Err(format!(
            "{}: permission {p:?} is not justified in store/",
            dir.display()
        ));
    }
    if strings("host_permissions") != hosts {
        return Err(format!("{}: host permissions changed", dir.display()));
    }
    if manifest["version"] != VERSION {
        return Err(format!("{}: version is not the workspace's", dir.display()));
    }
    let csp = manifest["content_security_policy"]["extension_pages"]
        .as_str()
        .unwrap_or_default();
    if csp.contains("http:") || csp.contains("https:") || csp.contains("'unsafe-eval'") {
        return Err(format!(
            "{}: the CSP allows remote or eval'd code: {csp}",
            dir.display()
        ));
    }
    let remote = remote_code_in(dir)?;
    if !remote.is_empty() {
        return Err(format!(
            "remote code named in the package: {}",
            remote.join(", ")
        ));
    }
    // The Chrome Web Store takes up to 2 GB, addons.mozilla.org 200 MB.
    let size = std::fs::metadata(zip).map_err(|e| e.to_string())?.len();
    if size > 20 * 1024 * 1024 {
        return Err(format!(
            "{}: {size} bytes, far more than it should",
            zip.display()
        ));
    }
    eprintln!("{}: {size} bytes, manifest and code checked", zip.display());
    Ok(())
}

/// Files of the package that name an http(s) URL ending in `.js`, `.mjs` or
/// `.wasm`, or load a script from http(s).
fn remote_code_in(dir: &Path) -> Result<Vec<String>> {
    let mut found = Vec::new();
    for p in files_under(dir)? {
        let Ok(text) = std::fs::read_to_string(&p) else {
            continue;
        };
        let names_remote = text.match_indices("http").any(|(i, _)| {
            let rest = &text[i..];
            let url_end = rest
                .find(|c: char| c.is_whitespace() || "\"'`)<>".contains(c))
                .unwrap_or(rest.len());
            let url = &rest[..url_end];
            (url.starts_with("http://") || url.starts_with("https://"))
                && [".js", ".mjs", ".wasm"]
                    .iter()
                    .any(|ext| url.ends_with(ext))
        });
        if names_remote || text.contains("importScripts('http") {
            found.push(p.strip_prefix(dir).unwrap_or(&p).display().to_string());
        }
    }
    found.sort();
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_code_is_found_and_x_urls_are_not() {
        let dir = std::env::temp_dir().join(format!("reciprocity-remote-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("content")).unwrap();
        std::fs::write(
            dir.join("ok.js"),
            "const X = 'https://x.com/i/api/graphql/q/Followers';",
        )
        .unwrap();
        std::fs::write(
            dir.join("content/bad.html"),
            "<script src=\"https://cdn.example.org/lib.js\"></script>",
        )
        .unwrap();
        std::fs::write(
            dir.join("worse.js"),
            "fetch(`https://cdn.example.org/engine.wasm`)",
        )
        .unwrap();
        assert_eq!(
            remote_code_in(&dir).unwrap(),
            ["content/bad.html", "worse.js"]
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_manifest_gets_the_workspace_version_and_each_browser_its_keys() {
        let source = r#"{"manifest_version":3,"background":{"service_worker":"b.js","scripts":["b.js"]},"browser_specific_settings":{}}"#;
        let chrome: serde_json::Value =
            serde_json::from_str(&manifest_for("chrome", source).unwrap()).unwrap();
        let firefox: serde_json::Value =
            serde_json::from_str(&manifest_for("firefox", source).unwrap()).unwrap();
        assert_eq!(chrome["version"], VERSION);
        assert_eq!(firefox["version"], VERSION);
        assert!(chrome.get("browser_specific_settings").is_none());
        assert!(firefox["background"].get("service_worker").is_none());
    }
}
