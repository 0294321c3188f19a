//! Where an archive's files come from: its `.zip`, read by its central
//! directory, or its loose files.

use crate::CaptureError;
use std::collections::BTreeMap;
use std::io::{BufRead, Read};

use super::{err, mib};

/// One file of an archive, opened for reading.
pub struct ArchiveFile<'a> {
    pub reader: Box<dyn Read + 'a>,
    /// Its size once decompressed, as the archive declares it.
    pub size: u64,
}

/// The files of an archive, by their path inside it (`data/follower.js`, …).
pub trait ArchiveSource {
    /// Opens a file, `None` if the archive lacks it.
    fn open(&mut self, path: &str) -> Result<Option<ArchiveFile<'_>>, CaptureError>;
    /// A file's declared size once decompressed, `None` if the archive lacks it.
    fn size(&mut self, path: &str) -> Option<u64>;
}

/// Loose files, keyed by path (`data/manifest.js`); a bare file name also matches.
impl ArchiveSource for BTreeMap<String, String> {
    fn open(&mut self, path: &str) -> Result<Option<ArchiveFile<'_>>, CaptureError> {
        Ok(loose_file(self, path).map(|text| ArchiveFile {
            size: text.len() as u64,
            reader: Box::new(text.as_bytes()),
        }))
    }
    fn size(&mut self, path: &str) -> Option<u64> {
        loose_file(self, path).map(|t| t.len() as u64)
    }
}

pub(super) fn loose_file<'a>(
    files: &'a BTreeMap<String, String>,
    path: &str,
) -> Option<&'a String> {
    let base = path.rsplit('/').next().unwrap_or(path);
    files.get(path).or_else(|| {
        files
            .iter()
            .find(|(k, _)| k.rsplit('/').next() == Some(base))
            .map(|(_, v)| v)
    })
}

/// A `.zip` archive read by seeking: its central directory, then only the entries
/// asked for. Archives sometimes sit under a top folder: paths match by their ending.
pub struct ZipSource<R: Read + std::io::Seek> {
    zip: zip::ZipArchive<R>,
}

impl<R: Read + std::io::Seek> ZipSource<R> {
    pub fn new(reader: R) -> Result<Self, CaptureError> {
        let zip = zip::ZipArchive::new(reader).map_err(|e| {
            err(format!(
                "not a readable .zip ({e}): is this the archive X sent?"
            ))
        })?;
        Ok(ZipSource { zip })
    }

    fn entry_name(&self, path: &str) -> Option<String> {
        let suffix = format!("/{path}");
        self.zip
            .file_names()
            .filter(|n| *n == path || n.ends_with(&suffix))
            .min_by_key(|n| n.len())
            .map(str::to_owned)
    }
}

impl<R: Read + std::io::Seek> ArchiveSource for ZipSource<R> {
    fn open(&mut self, path: &str) -> Result<Option<ArchiveFile<'_>>, CaptureError> {
        let Some(name) = self.entry_name(path) else {
            return Ok(None);
        };
        let f = self
            .zip
            .by_name(&name)
            .map_err(|e| err(format!("{name}: cannot be read from the zip ({e})")))?;
        Ok(Some(ArchiveFile {
            size: f.size(),
            reader: Box::new(f),
        }))
    }
    fn size(&mut self, path: &str) -> Option<u64> {
        let name = self.entry_name(path)?;
        self.zip.by_name(&name).ok().map(|f| f.size())
    }
}

// Reading with caps and progress.

/// Bytes decompressed so far of the files a reading needs, and how many there are.
pub type Progress<'a> = &'a mut dyn FnMut(u64, u64);

/// A file's reader that refuses more than `limit` bytes and reports progress.
pub(super) struct Capped<'p, 'r> {
    pub(super) inner: Box<dyn Read + 'r>,
    pub(super) limit: u64,
    pub(super) read: u64,
    pub(super) done: &'p mut u64,
    pub(super) total: u64,
    pub(super) progress: Progress<'p>,
    pub(super) reported: u64,
}

pub(super) const REPORT_EVERY: u64 = 1 << 20;

impl Read for Capped<'_, '_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        *self.done += n as u64;
        if self.read > self.limit {
            return Err(std::io::Error::other(format!(
                "more than {} once decompressed; not an X archive's file",
                mib(self.limit)
            )));
        }
        if *self.done - self.reported >= REPORT_EVERY || n == 0 {
            self.reported = *self.done;
            (self.progress)(*self.done, self.total);
        }
        Ok(n)
    }
}

/// The JSON after `window.… =` in an archive's `.js` file, as a reader.
pub(super) fn skip_assignment<R: BufRead>(name: &str, mut reader: R) -> Result<R, CaptureError> {
    let mut head = Vec::new();
    (&mut reader)
        .take(4096)
        .read_until(b'=', &mut head)
        .map_err(|e| err(format!("{name}: {e}")))?;
    if head.last() != Some(&b'=') {
        return Err(err(format!("{name}: no `window.… =` assignment")));
    }
    Ok(reader)
}

/// A parse failure, or the cap or the file itself failing (an io error says which).
pub(super) fn json_error(name: &str, e: serde_json::Error) -> CaptureError {
    err(format!("{name}: {e}"))
}
