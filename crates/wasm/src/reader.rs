//! Reading an X data archive from the user's `File`, in a dedicated Worker.

use crate::error::{capture_error, fail, typed, ErrorCode};
use crate::number::js_count;
use reciprocity_capture::archive;
use reciprocity_core::AccountId;
use serde::Serialize;
use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;

/// What reading an archive found: whose and when, its counts, and its lists in
/// pages for the engine (each the body of an `x-archive` envelope).
#[derive(Serialize, Tsify)]
pub struct ArchiveRead {
    pub viewer: AccountId,
    pub at: String,
    /// The archive's day, for people ("2026-11-01").
    pub on: String,
    pub handle: Option<String>,
    pub name: Option<String>,
    pub followers: usize,
    pub following: usize,
    /// Both lists are whole: an archive marked partial, or whose counts disagree
    /// with its manifest, shows who is there, never who is missing.
    pub complete: bool,
    /// The lists in pages, each as the JSON text the engine ingests: one string
    /// a page crosses to JavaScript and on to the worker, not 50,000.
    pub pages: Vec<PageText>,
}

/// One page of an archive's list: where it sits, and its JSON.
#[derive(Serialize, Tsify)]
pub struct PageText {
    pub list: reciprocity_core::model::ListKind,
    pub part: u32,
    pub last: bool,
    pub json: String,
}

/// A `Blob` (the user's `File`) as a seekable reader: each read of the file is one
/// `FileReaderSync` call over `Blob.slice`, so only what the zip reader asks for is
/// ever read. It keeps the last block read: the zip reader seeks for every entry
/// of the central directory (thousands in a real archive), and a seek inside the
/// block costs nothing. Dedicated workers only (FileReaderSync is not in pages).
struct BlobReader {
    blob: web_sys::Blob,
    reader: web_sys::FileReaderSync,
    size: u64,
    pos: u64,
    block: Vec<u8>,
    block_start: u64,
}

const BLOB_BLOCK: u64 = 1 << 20;

impl BlobReader {
    fn new(blob: web_sys::Blob, reader: web_sys::FileReaderSync) -> Self {
        BlobReader {
            size: crate::number::bytes_of(blob.size()),
            blob,
            reader,
            pos: 0,
            block: Vec::new(),
            block_start: 0,
        }
    }

    fn fetch(&mut self, start: u64, end: u64) -> std::io::Result<js_sys::Uint8Array> {
        self.blob
            .slice_with_f64_and_f64(js_count(start), js_count(end))
            .and_then(|part| self.reader.read_as_array_buffer(&part))
            .map(|buffer| js_sys::Uint8Array::new(&buffer))
            .map_err(|e| {
                std::io::Error::other(format!("the file could not be read ({})", js_message(&e)))
            })
    }
}

impl std::io::Read for BlobReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.pos >= self.size || buf.is_empty() {
            return Ok(0);
        }
        let in_block =
            self.pos >= self.block_start && self.pos < self.block_start + self.block.len() as u64;
        if !in_block {
            let end = self.size.min(self.pos + BLOB_BLOCK);
            let bytes = self.fetch(self.pos, end)?;
            self.block.resize(bytes.length() as usize, 0);
            bytes.copy_to(&mut self.block);
            self.block_start = self.pos;
            if self.block.is_empty() {
                return Ok(0);
            }
        }
        // Inside the block just read: below its length.
        let from = usize::try_from(self.pos - self.block_start).unwrap_or(usize::MAX);
        let n = buf.len().min(self.block.len() - from);
        buf[..n].copy_from_slice(&self.block[from..from + n]);
        self.pos += n as u64;
        Ok(n)
    }
}

impl std::io::Seek for BlobReader {
    fn seek(&mut self, to: std::io::SeekFrom) -> std::io::Result<u64> {
        let pos = match to {
            std::io::SeekFrom::Start(p) => Some(p),
            std::io::SeekFrom::End(d) => self.size.checked_add_signed(d),
            std::io::SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        self.pos = pos.ok_or_else(|| std::io::Error::other("seek before the start"))?;
        Ok(self.pos)
    }
}

pub(crate) fn js_message(e: &JsValue) -> String {
    js_sys::Reflect::get(e, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown error".into())
}

/// Reads an X data archive from the user's `File` by its zip directory: the
/// manifest, the account and the follower/following files, nothing else (a
/// dedicated Worker only). `on_progress(done, total)` hears the bytes decompressed
/// of the lists. Throws `bad_archive` saying what is wrong.
#[wasm_bindgen]
pub fn read_archive(
    file: web_sys::Blob,
    ids_per_page: u32,
    on_progress: Option<js_sys::Function>,
) -> Result<Ts<ArchiveRead>, JsValue> {
    let reader = web_sys::FileReaderSync::new()
        .map_err(|_| fail(ErrorCode::BadArchive, "archives are read in a Worker"))?;
    let blob = BlobReader::new(file, reader);
    let mut progress = |done: u64, total: u64| {
        if let Some(f) = &on_progress {
            let _ = f.call2(
                &JsValue::NULL,
                &js_count(done).into(),
                &js_count(total).into(),
            );
        }
    };
    let contents = archive::ZipSource::new(blob)
        .and_then(|mut zip| archive::scan(&mut zip, &archive::Caps::ARCHIVE, &mut progress))
        .map_err(|e| capture_error(&e))?;
    typed(&ArchiveRead {
        viewer: contents.viewer,
        at: reciprocity_core::time::to_rfc3339(contents.at),
        on: reciprocity_core::words::day(contents.at),
        handle: contents.handle.clone(),
        name: contents.name.clone(),
        followers: contents.followers.ids.len(),
        following: contents.following.ids.len(),
        complete: contents.followers.complete && contents.following.complete,
        pages: contents
            .pages(ids_per_page as usize)
            .iter()
            .map(|p| PageText {
                list: p.list,
                part: p.part,
                last: p.last,
                json: p.to_json(),
            })
            .collect(),
    })
}

/// What reading a Bluesky repository export found: whose, when it was true, how
/// many follows, and the export as the JSON a `bsky-repo` envelope carries.
#[derive(Serialize, Tsify)]
pub struct RepoRead {
    /// The owner's DID.
    pub viewer: String,
    pub at: String,
    /// The export's day, for people ("2026-11-01").
    pub on: String,
    pub following: usize,
    pub json: String,
}

/// Reads a Bluesky repository export (`.car`) from the user's `File` (a dedicated
/// Worker only): its owner's follows, each with its record key and `createdAt`.
/// Throws `bad_archive` saying what is wrong (too large, damaged, undated).
#[wasm_bindgen]
pub fn read_repo_export(file: web_sys::Blob) -> Result<Ts<RepoRead>, JsValue> {
    use reciprocity_capture::bsky::car;
    let size = crate::number::bytes_of(file.size());
    if size > car::MAX_CAR_BYTES as u64 {
        return Err(fail(
            ErrorCode::BadArchive,
            format!(
                "repository export: {} MiB, more than the {} MiB a repository holds",
                size >> 20,
                car::MAX_CAR_BYTES >> 20
            ),
        ));
    }
    let reader = web_sys::FileReaderSync::new()
        .map_err(|_| fail(ErrorCode::BadArchive, "exports are read in a Worker"))?;
    let bytes = reader
        .read_as_array_buffer(&file)
        .map(|b| js_sys::Uint8Array::new(&b).to_vec())
        .map_err(|e| {
            fail(
                ErrorCode::BadArchive,
                format!("the file could not be read ({})", js_message(&e)),
            )
        })?;
    let export = car::read_repo(&bytes).map_err(|e| capture_error(&e))?;
    let at = export.at().ok_or_else(|| {
        fail(
            ErrorCode::BadArchive,
            format!(
                "repository export: its revision {:?} is no record key: nothing says when it was made",
                export.rev
            ),
        )
    })?;
    typed(&RepoRead {
        viewer: export.did.clone(),
        at: reciprocity_core::time::to_rfc3339(at),
        on: reciprocity_core::words::day(at),
        following: export.follows.len(),
        json: export.to_json(),
    })
}
