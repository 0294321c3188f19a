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
//! - `release`: the store packages, the source package and `SHA256SUMS` of the
//!   commit checked out, reproducible byte for byte (see `package.rs`)
//! - `real-archive <out.zip> [--media-gib G] [--media-files N] [--followers N]
//!   [--following N] [--drop-every K] [--date ISO]`: a sparse X archive of real size
//!   for the tests (see `real_archive.rs`)

mod package;
mod privacy;
mod real_archive;

use std::path::{Path, PathBuf};
use std::process::Command;

type Result<T = ()> = std::result::Result<T, String>;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let task = args.first().map_or("help", String::as_str);
    let rest = &args[args.len().min(1)..];
    let outcome = match task {
        "setup" => setup(),
        "dist" => dist(),
        "test" => test(rest),
        "demo" => demo(),
        "bench" => bench(rest),
        "release" if rest.iter().any(|a| a == "--check") => check_release(),
        "release" => package::release(),
        "real-archive" => real_archive_task(rest),
        _ => {
            eprintln!("usage: cargo xtask <setup|dist|test|demo|bench|release|real-archive>");
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
    eprintln!("$ {cmd:?}");
    let status = cmd
        .current_dir_if_unset(root())
        .status()
        .map_err(|e| format!("{}: {e}", cmd.get_program().display()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{} failed ({status})", cmd.get_program().display()))
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

/// Builds the engine of the source tree `src`: cargo (release, wasm32), wasm-bindgen
/// (keeping the TypeScript declarations the JS is checked against), then wasm-opt
/// from npm's binaryen (Debian's writes broken wasm), into `out`. `features`
/// selects extra exports (the bench build). One target directory serves every
/// tree, and the paths of the crates' sources are mapped to fixed names, so the
/// wasm holds no path of this machine and is the same from any clone.
fn build_wasm(src: &Path, features: &[&str], out: &Path) -> Result<PathBuf> {
    step(&format!(
        "wasm engine of {} → {}",
        src.display(),
        out.display()
    ));
    // A tree other than this one builds in a target directory of its own: cargo
    // names the workspace's crates by their path inside the workspace, so two
    // trees sharing one would take each other's builds for their own.
    let target = if src == root() {
        root().join("target")
    } else {
        src.parent().unwrap_or(src).join("target")
    };
    let mut build = cargo();
    build
        .current_dir(src)
        .env("CARGO_TARGET_DIR", &target)
        .env("CARGO_ENCODED_RUSTFLAGS", remap_flags())
        .args([
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
    let _ = std::fs::remove_dir_all(out);
    let wasm = target.join("wasm32-unknown-unknown/release/reciprocity_wasm.wasm");
    run(Command::new("wasm-bindgen")
        .args(["--target", "no-modules", "--out-dir"])
        .arg(out)
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
    Ok(out.to_path_buf())
}

/// Dependencies' sources live under Cargo's home, named in panic locations:
/// mapped to `/cargo` (the workspace's own crates are named relative to it).
fn remap_flags() -> String {
    let home = std::env::var("CARGO_HOME")
        .ok()
        .or_else(|| std::env::var("HOME").ok().map(|h| format!("{h}/.cargo")))
        .unwrap_or_else(|| "/root/.cargo".into());
    format!("--remap-path-prefix={home}=/cargo")
}

/// The output of `git` run at the root.
fn git(args: &[&str]) -> Result<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(root())
        .output()
        .map_err(|e| format!("git: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "git {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
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

fn dist() -> Result {
    let root = root();
    let pkg = build_wasm(&root, &[], &root.join("target/wasm-pkg"))?;
    let dist = root.join("dist");
    let _ = std::fs::remove_dir_all(&dist);
    package::assemble(&root, &pkg, &dist, |b| format!("reciprocity-{b}.zip"))?;
    step("dist/www");
    package::write_www(&root, &pkg, &dist.join("www"))?;
    let wasm = std::fs::metadata(pkg.join("reciprocity_wasm_bg.wasm"))
        .map_err(|e| e.to_string())?
        .len();
    eprintln!("dist written: wasm {wasm} bytes");
    Ok(())
}

/// The packages as the stores will see them, and the release made twice from
/// the same commit in two trees at different paths: byte for byte the same.
fn check_release() -> Result {
    step("the packages pass the stores' checks");
    if !root().join("dist/chrome/manifest.json").exists() {
        dist()?;
    }
    let dist = root().join("dist");
    for browser in package::BROWSERS {
        package::check_package(
            &dist.join(browser),
            &dist.join(format!("reciprocity-{browser}.zip")),
        )?;
    }
    step("the release is reproducible: HEAD built in two trees gives the same bytes");
    let base = root().join("target/release-check");
    let a = package::release_of_head(&base.join("a/src"), &base.join("a/out"))?;
    let b = package::release_of_head(&base.join("b/elsewhere/src"), &base.join("b/out"))?;
    for (x, y) in a.files.iter().zip(&b.files) {
        if std::fs::read(x).map_err(|e| e.to_string())?
            != std::fs::read(y).map_err(|e| e.to_string())?
        {
            return Err(format!(
                "two builds of the same commit differ: {} and {}",
                x.display(),
                y.display()
            ));
        }
    }
    eprintln!(
        "{} files, identical; sums in {}",
        a.files.len(),
        a.dir.join("SHA256SUMS").display()
    );
    Ok(())
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
    step("the JavaScript is formatted and linted (biome.jsonc)");
    run(Command::new(root().join("tests/node_modules/.bin/biome")).args(["ci", "--colors=off"]))?;
    step("the pure JavaScript helpers, in Node (the hook's request normalisation, the worker's checks)");
    run(Command::new("node")
        .args(["--test", "unit/"])
        .current_dir(root().join("tests")))?;
    check_release()?;
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
    build_wasm(&root(), &["bench"], &root().join("target/wasm-bench"))?;
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
        media_bytes: gib_to_bytes(gib),
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

/// GiB as bytes (a flag's value): truncated, saturating; not a size is 0.
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // `as` saturates, NaN is 0
fn gib_to_bytes(gib: f64) -> u64 {
    (gib * 1_073_741_824.0) as u64
}
