//! `cargo xtask <task>`: the project's tasks, in one place.
//!
//! - `setup`: installs what builds and tests need (wasm target, wasm-bindgen-cli at
//!   the pinned version, Debian's chromium and firefox-esr, the npm packages of
//!   `tests/`)
//! - `dist`: builds the wasm engine and writes `dist/chrome`, `dist/firefox`,
//!   `dist/www` and a `.zip` of each extension (it installs nothing: run `setup`
//!   first on a new machine)
//! - `test`: formatting, clippy, unit and property tests, then the extension in a
//!   real Chromium (end to end), `web-ext lint`, and the x.com-page scenarios in
//!   Firefox ESR
//! - `demo`: the extension in Chromium on the local x.com replay; screenshots in
//!   `target/demo/`
//! - `bench`: criterion benchmarks and the browser harness
//! - `real-archive <out.zip> [--media-gib G] [--media-files N] [--followers N]
//!   [--following N] [--drop-every K] [--date ISO]`: a sparse X archive of real size
//!   for the tests (see `real_archive.rs`)

mod real_archive;

use std::path::{Path, PathBuf};
use std::process::Command;

type Result<T = ()> = std::result::Result<T, String>;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let task = args.first().map(String::as_str).unwrap_or("help");
    let rest = &args[args.len().min(1)..];
    let outcome = match task {
        "setup" => setup(),
        "dist" => dist(),
        "test" => test(rest),
        "demo" => demo(),
        "bench" => bench(rest),
        "real-archive" => real_archive_task(rest),
        _ => {
            eprintln!("usage: cargo xtask <setup|dist|test|demo|bench|real-archive>");
            eprintln!("  test --no-browser   skip the wasm build and the browser tests");
            eprintln!(
                "  bench --rust        criterion only; bench --browser: the browser harness only"
            );
            std::process::exit(if task == "help" || task == "--help" {
                0
            } else {
                2
            });
        }
    };
    if let Err(e) = outcome {
        eprintln!("xtask {task}: {e}");
        std::process::exit(1);
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

fn step(what: &str) {
    eprintln!("\n==> {what}");
}

fn run(cmd: &mut Command) -> Result {
    eprintln!("$ {:?}", cmd);
    let status = cmd
        .current_dir_if_unset(root())
        .status()
        .map_err(|e| format!("{:?}: {e}", cmd.get_program()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{:?} failed ({status})", cmd.get_program()))
    }
}

trait CurrentDir {
    fn current_dir_if_unset(&mut self, dir: PathBuf) -> &mut Self;
}
impl CurrentDir for Command {
    fn current_dir_if_unset(&mut self, dir: PathBuf) -> &mut Self {
        if self.get_current_dir().is_none() {
            self.current_dir(dir);
        }
        self
    }
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// The wasm-bindgen version the workspace pins with `=`.
fn pinned_wasm_bindgen() -> Result<String> {
    let toml = std::fs::read_to_string(root().join("Cargo.toml")).map_err(|e| e.to_string())?;
    toml.lines()
        .find(|l| l.trim_start().starts_with("wasm-bindgen ="))
        .and_then(|l| l.split("\"=").nth(1))
        .and_then(|v| v.split('"').next())
        .map(str::to_owned)
        .ok_or_else(|| "Cargo.toml does not pin wasm-bindgen with \"=X.Y.Z\"".into())
}

fn setup() -> Result {
    step("rust: wasm target");
    run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    let version = pinned_wasm_bindgen()?;
    let installed = Command::new("wasm-bindgen")
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned());
    if installed.as_deref() != Some(&format!("wasm-bindgen {version}")) {
        step(&format!(
            "wasm-bindgen-cli {version} (matches the crate; takes a while)"
        ));
        run(cargo().args([
            "install",
            "wasm-bindgen-cli",
            "--version",
            &format!("={version}"),
        ]))?;
    }
    // Debian's browsers: Chromium for every end-to-end test, Firefox ESR for the
    // scenarios that run in both.
    let missing: Vec<&str> = [
        ("chromium", "/usr/bin/chromium"),
        ("firefox-esr", "/usr/bin/firefox-esr"),
    ]
    .into_iter()
    .filter(|(_, bin)| !Path::new(bin).exists())
    .map(|(package, _)| package)
    .collect();
    if !missing.is_empty() {
        step(&format!("Debian's {}", missing.join(" and ")));
        run(Command::new("apt-get").args(["update", "-qq"]))?;
        run(Command::new("apt-get")
            .args(["install", "-y", "-qq"])
            .args(&missing)
            .env("DEBIAN_FRONTEND", "noninteractive"))?;
    }
    let modules = root().join("tests/node_modules");
    let installed = [
        "uplot",
        ".bin/tsc",
        ".bin/wasm-opt",
        "@types/chrome",
        "puppeteer-core",
    ]
    .iter()
    .all(|p| modules.join(p).exists());
    if !installed {
        step("npm packages of tests/");
        run(Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(root().join("tests")))?;
    }
    Ok(())
}

fn copy_dir(from: &Path, to: &Path) -> Result {
    std::fs::create_dir_all(to).map_err(|e| e.to_string())?;
    for entry in std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let entry = entry.map_err(|e| e.to_string())?;
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        if src.is_dir() {
            copy_dir(&src, &dst)?;
        } else {
            std::fs::copy(&src, &dst).map_err(|e| format!("{}: {e}", src.display()))?;
        }
    }
    Ok(())
}

fn zip_dir(dir: &Path, out: &Path) -> Result {
    use std::io::Write;
    let file = std::fs::File::create(out).map_err(|e| e.to_string())?;
    let mut zip = zip::ZipWriter::new(file);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut stack = vec![dir.to_path_buf()];
    let mut files = Vec::new();
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).map_err(|e| e.to_string())? {
            let p = e.map_err(|e| e.to_string())?.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push(p);
            }
        }
    }
    files.sort();
    for p in files {
        let name = p
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        zip.start_file(name, opts).map_err(|e| e.to_string())?;
        zip.write_all(&std::fs::read(&p).map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?;
    }
    zip.finish().map_err(|e| e.to_string())?;
    Ok(())
}

/// Builds the engine: cargo (release, wasm32), wasm-bindgen (keeping the
/// TypeScript declarations the JS is checked against), then wasm-opt from npm's
/// binaryen (Debian's writes broken wasm). `features` selects extra exports (the
/// bench build); `out` is a folder under `target/`.
fn build_wasm(features: &[&str], out: &str) -> Result<PathBuf> {
    step(&format!("wasm engine → target/{out}"));
    let mut build = cargo();
    build.args([
        "build",
        "--release",
        "--target",
        "wasm32-unknown-unknown",
        "-p",
        "reciprocity-wasm",
    ]);
    if !features.is_empty() {
        build.args(["--features", &features.join(",")]);
    }
    run(&mut build)?;
    let wasm_bindgen = Command::new("wasm-bindgen").arg("--version").output();
    if wasm_bindgen.is_err() {
        return Err("wasm-bindgen is not installed: run `cargo xtask setup` first".into());
    }
    let out = root().join("target").join(out);
    let _ = std::fs::remove_dir_all(&out);
    let wasm = root().join("target/wasm32-unknown-unknown/release/reciprocity_wasm.wasm");
    run(Command::new("wasm-bindgen")
        .args(["--target", "no-modules", "--out-dir"])
        .arg(&out)
        .arg(&wasm))?;
    wrap_glue_in_factory(&out.join("reciprocity_wasm.js"))?;
    let opt = root().join("tests/node_modules/.bin/wasm-opt");
    if !opt.exists() {
        return Err(
            "wasm-opt is not installed (tests/node_modules): run `cargo xtask setup` first".into(),
        );
    }
    let bg = out.join("reciprocity_wasm_bg.wasm");
    run(Command::new(&opt)
        .args([
            "-Oz",
            "--enable-bulk-memory",
            "--enable-nontrapping-float-to-int",
            "--enable-sign-ext",
            "--enable-reference-types",
            "--enable-mutable-globals",
            "--enable-multivalue",
            "-o",
        ])
        .arg(&bg)
        .arg(&bg))?;
    Ok(out)
}

/// wasm-bindgen's no-modules glue makes one instance, once: after a trap its
/// borrow flags stay set and it cannot be initialised again. Wrapped in a
/// factory, `reciprocityEngineModule()` gives a fresh instance (the worker's way
/// back from a trap); `wasm_bindgen` stays the first one.
fn wrap_glue_in_factory(glue: &Path) -> Result {
    const HEAD: &str = "let wasm_bindgen = (function(exports) {";
    const TAIL: &str = "})({ __proto__: null });";
    let text = std::fs::read_to_string(glue).map_err(|e| format!("{}: {e}", glue.display()))?;
    let body = text
        .trim_end()
        .strip_prefix(HEAD)
        .and_then(|t| t.strip_suffix(TAIL))
        .ok_or("wasm-bindgen's no-modules glue changed shape: update wrap_glue_in_factory")?;
    let wrapped = format!(
        "/** A fresh instance of the engine's glue (uninitialised). */
         function reciprocityEngineModule() {{
  return (function(exports) {{{body}}})({{ __proto__: null }});
}}
         let wasm_bindgen = reciprocityEngineModule();
"
    );
    std::fs::write(glue, wrapped).map_err(|e| e.to_string())
}

/// The dashboard with its engine and chart library: the static site, and the
/// extension's options page (where the worker loads the same engine).
fn write_www(pkg: &Path, to: &Path) -> Result {
    let root = root();
    copy_dir(&root.join("www"), to)?;
    // The names and the platform layer the dashboard shares with the extension.
    for shared in ["messages.js", "platform.js"] {
        std::fs::copy(root.join("extension").join(shared), to.join(shared))
            .map_err(|e| format!("extension/{shared}: {e}"))?;
    }
    copy_dir(pkg, &to.join("wasm"))?;
    // Declarations are for checking, not for shipping.
    for dts in ["reciprocity_wasm.d.ts", "reciprocity_wasm_bg.wasm.d.ts"] {
        let _ = std::fs::remove_file(to.join("wasm").join(dts));
    }
    let uplot = root.join("tests/node_modules/uplot/dist");
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

fn dist() -> Result {
    let pkg = build_wasm(&[], "wasm-pkg")?;
    let root = root();
    let dist = root.join("dist");
    let _ = std::fs::remove_dir_all(&dist);
    for browser in ["chrome", "firefox"] {
        step(&format!("dist/{browser}"));
        let dir = dist.join(browser);
        copy_dir(&root.join("extension"), &dir)?;
        // Declarations are for checking, not for shipping.
        let _ = std::fs::remove_file(dir.join("types.d.ts"));
        write_www(&pkg, &dir.join("www"))?;
        let path = dir.join("manifest.json");
        let text = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
        let manifest = manifest_for(browser, &text)?;
        std::fs::write(&path, manifest).map_err(|e| e.to_string())?;
        zip_dir(&dir, &dist.join(format!("reciprocity-{browser}.zip")))?;
    }
    step("dist/www");
    write_www(&pkg, &dist.join("www"))?;
    let wasm = std::fs::metadata(pkg.join("reciprocity_wasm_bg.wasm"))
        .map_err(|e| e.to_string())?
        .len();
    eprintln!("dist written: wasm {wasm} bytes");
    Ok(())
}

/// One manifest serves both browsers; each gets it without the keys it warns
/// on: Chrome without Firefox's `browser_specific_settings`, Firefox without
/// `background.service_worker` (it runs `background.scripts`).
fn manifest_for(browser: &str, text: &str) -> Result<String> {
    let mut manifest: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("extension/manifest.json: {e}"))?;
    let object = manifest
        .as_object_mut()
        .ok_or("extension/manifest.json is not an object")?;
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

/// The repository stands alone: no file reaches for a sibling folder of the
/// checkout (the fixtures and the design notes live in the repository).
fn check_stands_alone() -> Result {
    let outside = ["..", "shared"].join("/");
    let mut offenders = Vec::new();
    let mut stack = vec![root()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))? {
            let path = entry.map_err(|e| e.to_string())?.path();
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            if path.is_dir() {
                if !matches!(name.as_ref(), ".git" | "target" | "dist" | "node_modules") {
                    stack.push(path);
                }
            } else if !name.ends_with(".lock") && !name.ends_with("package-lock.json") {
                // Binary files are skipped: only text can name a path.
                if let Ok(text) = std::fs::read_to_string(&path) {
                    if text.contains(&outside) {
                        offenders.push(
                            path.strip_prefix(root())
                                .unwrap_or(&path)
                                .display()
                                .to_string(),
                        );
                    }
                }
            }
        }
    }
    if offenders.is_empty() {
        Ok(())
    } else {
        offenders.sort();
        Err(format!(
            "these files reach outside the repository ({outside}): {}",
            offenders.join(", ")
        ))
    }
}

fn test(args: &[String]) -> Result {
    let browser = !args.iter().any(|a| a == "--no-browser");
    step("the repository stands alone");
    check_stands_alone()?;
    step("formatting");
    run(cargo().args(["fmt", "--all", "--", "--check"]))?;
    step("clippy");
    run(cargo().args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    step("unit, property and CLI tests");
    run(cargo().args(["test", "--workspace"]))?;
    if !browser {
        return Ok(());
    }
    setup()?;
    dist()?;
    step("the extension and the dashboard type-check against the engine's declarations");
    run(
        Command::new(root().join("tests/node_modules/.bin/tsc")).args([
            "--noEmit",
            "-p",
            "tsconfig.json",
        ]),
    )?;
    step("the page hook's pure parts, in Node (request normalisation as properties)");
    run(Command::new("node")
        .args(["--test", "unit/"])
        .current_dir(root().join("tests")))?;
    step("web-ext lint (Firefox build)");
    run(Command::new(root().join("tests/node_modules/.bin/web-ext"))
        .args(["lint", "--self-hosted", "--source-dir"])
        .arg(root().join("dist/firefox")))?;
    step("the extension end to end, in Chromium, on the x.com replay");
    run(Command::new("node")
        .args(["--test", "--test-concurrency=1", "e2e/"])
        .current_dir(root().join("tests")))?;
    step("the extension in Firefox ESR, on the x.com replay (through a local proxy)");
    let started = std::time::Instant::now();
    run(Command::new("node")
        .args(["--test", "--test-concurrency=1", "firefox/"])
        .current_dir(root().join("tests")))?;
    eprintln!("Firefox ESR: {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

fn demo() -> Result {
    setup()?;
    dist()?;
    step("demo: the extension on the local x.com replay");
    run(Command::new("node")
        .arg("demo.mjs")
        .current_dir(root().join("tests")))
}

fn bench(args: &[String]) -> Result {
    let only_rust = args.iter().any(|a| a == "--rust");
    let only_browser = args.iter().any(|a| a == "--browser");
    if !only_browser {
        step("criterion: ledger and readers");
        run(cargo().args([
            "bench",
            "-p",
            "reciprocity-core",
            "-p",
            "reciprocity-capture",
        ]))?;
    }
    if only_rust {
        return Ok(());
    }
    setup()?;
    dist()?;
    // The harness's parse baselines are exports no user gets: their own build.
    build_wasm(&["bench"], "wasm-bench")?;
    step("browser harness");
    run(Command::new("node")
        .arg("bench/harness.mjs")
        .current_dir(root().join("tests")))
}

fn real_archive_task(args: &[String]) -> Result {
    let out = args
        .first()
        .filter(|a| !a.starts_with("--"))
        .ok_or("real-archive: give the output path")?;
    let flag = |name: &str| -> Option<&str> {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .map(String::as_str)
    };
    let number = |name: &str, default: u64| -> Result<u64> {
        flag(name).map_or(Ok(default), |v| {
            v.parse().map_err(|_| format!("{name}: not a number: {v}"))
        })
    };
    let gib: f64 = flag("--media-gib")
        .map_or(Ok(5.0), str::parse)
        .map_err(|_| "--media-gib: not a number")?;
    let spec = real_archive::Spec {
        media_bytes: (gib * (1u64 << 30) as f64) as u64,
        media_files: number("--media-files", 2000)?,
        followers: number("--followers", 100_000)?,
        following: number("--following", 100_000)?,
        drop_every: number("--drop-every", 0)?,
        date: flag("--date")
            .unwrap_or("2026-11-01T09:00:00.000Z")
            .to_owned(),
    };
    real_archive::make(&root(), Path::new(out), &spec)
}
