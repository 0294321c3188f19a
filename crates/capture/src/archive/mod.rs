//! The X data archive: the `.zip` a user downloads from X, or its loose files.
//!
//! `data/manifest.js` (`window.__THAR_CONFIG = {…}`) names the viewer
//! (`userInfo.accountId`), dates the archive (`archiveInfo.generationDate`) and lists
//! each data type's part files with their item counts; `data/follower.js` and
//! `data/following.js` (`window.YTD.follower.part0 = [{"follower":{"accountId":…}}, …]`)
//! are complete lists of the viewer's followers and following at that date.
//!
//! A real archive is gigabytes (every photo and video the account posted) around a
//! few small files: a zip is read by its central directory and only the entries
//! named here are decompressed, each streamed through a typed parser that keeps
//! 8 bytes per account ([`AccountId`]), never the file's text.
//!
//! Read lists travel as [`ArchivePage`]s: chunks of one list that chain like the
//! pages of one walk (same date, chained cursors, the last one marked), so an
//! import cut short proves nothing about who is absent.

use crate::CaptureError;

mod manifest;
mod pages;
mod scan;
mod source;

pub use pages::*;
pub use scan::*;
pub use source::*;

/// The most one data file may hold once decompressed. The files read are small
/// (a list of a million accounts is about 110 MB); an entry that declares or
/// inflates to more is refused as it is read, never held.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// The most accounts one list may hold (X caps following at a few thousand and
/// the largest accounts have a few hundred million followers; an archive holds
/// the whole list, so this is a bound on what is read, not on X).
pub const MAX_LIST_ITEMS: usize = 20_000_000;

/// What one reading may take at most. [`Caps::ARCHIVE`] are the documented caps;
/// tests pass smaller ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Caps {
    /// Bytes of one list file once decompressed.
    pub file_bytes: u64,
    /// Accounts in one list.
    pub list_items: usize,
}

impl Caps {
    pub const ARCHIVE: Caps = Caps {
        file_bytes: MAX_FILE_BYTES,
        list_items: MAX_LIST_ITEMS,
    };
}

/// The most `manifest.js` or `account.js` may hold: both are a few kilobytes.
const MAX_SMALL_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// A size in MiB, or in bytes below one MiB.
fn mib(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{bytes} bytes")
    }
}

fn err(msg: impl Into<String>) -> CaptureError {
    CaptureError::Archive(msg.into())
}
