//! The store on disk: read whole, written aside and renamed into place, so that a
//! crash or a full disk never leaves a half-written store; a store that cannot be
//! read is reported and never overwritten.
//!
//! Two runs on one store take turns: a lock file beside it is held from load to
//! save (exclusive for commands that write, shared for those that only read), so
//! no update is lost. The file written aside has a fresh random name, is created
//! exclusively (never through a planted link) with mode 0600, and takes the
//! store's own permissions before it replaces it.

use reciprocity_core::Store;
use std::fs::{File, OpenOptions};
use std::hash::{BuildHasher, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};

/// A store held for the length of one command.
pub struct Held {
    pub store: Store,
    // Released when dropped, after the save.
    _lock: File,
}

/// How a command uses the store.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Read,
    Write,
}

fn lock_path(path: &Path) -> Result<PathBuf, String> {
    let name = path
        .file_name()
        .ok_or_else(|| format!("{}: not a file name", path.display()))?;
    Ok(dir_of(path).join(format!(".{}.lock", name.to_string_lossy())))
}

fn dir_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Takes the store's lock, then reads it (an absent store is an empty one).
pub fn open(path: &Path, access: Access) -> Result<Held, String> {
    let lock_file = lock_path(path)?;
    let lock = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&lock_file)
        .map_err(|e| format!("{}: {e}", lock_file.display()))?;
    match access {
        Access::Write => lock.lock(),
        Access::Read => lock.lock_shared(),
    }
    .map_err(|e| format!("{}: could not lock the store ({e})", lock_file.display()))?;
    Ok(Held {
        store: load(path)?,
        _lock: lock,
    })
}

fn load(path: &Path) -> Result<Store, String> {
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

/// A name no one can guess: the process, the time, and the randomness std keeps
/// for its hash maps.
fn random_suffix() -> String {
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    if let Ok(t) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        h.write_u128(t.as_nanos());
    }
    format!("{:016x}", h.finish())
}

fn create_aside(path: &Path) -> std::io::Result<(PathBuf, File)> {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    loop {
        let aside = dir_of(path).join(format!(".{name}.{}.tmp", random_suffix()));
        match options.open(&aside) {
            Ok(f) => return Ok((aside, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
    }
}

/// Writes the store aside, then renames it into place (while the lock is held).
pub fn save(path: &Path, held: &Held) -> Result<(), String> {
    path.file_name()
        .ok_or_else(|| format!("{}: not a file name", path.display()))?;
    // In parts, as the extension keeps it: a damaged part is named, and costs
    // only itself once set aside.
    let bytes = held.store.to_parts_file();
    let mut aside_path = None;
    let mut write = || -> std::io::Result<()> {
        let (aside, mut f) = create_aside(path)?;
        aside_path = Some(aside.clone());
        f.write_all(&bytes)?;
        // The store keeps its own permissions; a new one stays 0600.
        if let Ok(meta) = std::fs::metadata(path) {
            f.set_permissions(meta.permissions())?;
        }
        f.sync_all()?;
        std::fs::rename(&aside, path)?;
        if let Ok(d) = File::open(dir_of(path)) {
            let _ = d.sync_all();
        }
        Ok(())
    };
    write().map_err(|e| {
        if let Some(aside) = &aside_path {
            let _ = std::fs::remove_file(aside);
        }
        format!(
            "{}: could not save the store ({e}); the previous store is unchanged",
            path.display()
        )
    })
}
