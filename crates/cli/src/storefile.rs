//! The store on disk: read whole, written aside and renamed into place, so that a
//! crash or a full disk never leaves a half-written store; a store that cannot be
//! read is reported and never overwritten.

use reciprocity_core::Store;
use std::io::Write;
use std::path::Path;

pub fn load(path: &Path) -> Result<Store, String> {
    match std::fs::read(path) {
        Ok(bytes) => Store::from_bytes(&bytes).map_err(|e| {
            format!(
                "{}: {e}. The store was left untouched; keep a copy before trying anything else.",
                path.display()
            )
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Store::new()),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

pub fn save(path: &Path, store: &Store) -> Result<(), String> {
    let bytes = store.to_bytes();
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .ok_or_else(|| format!("{}: not a file name", path.display()))?;
    let aside = dir.join(format!(".{}.tmp", name.to_string_lossy()));
    let write = || -> std::io::Result<()> {
        let mut f = std::fs::File::create(&aside)?;
        f.write_all(&bytes)?;
        f.sync_all()?;
        std::fs::rename(&aside, path)?;
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&aside);
        format!(
            "{}: could not save the store ({e}); the previous store is unchanged",
            path.display()
        )
    })
}
