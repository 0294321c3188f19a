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

use crate::user::XUser;
use crate::{CaptureError, Envelope, Reading};
use reciprocity_core::model::{
    AccountSighting, ListKey, ListKind, ListPage, Observation, PagePosition,
};
use reciprocity_core::time::{parse_rfc3339, to_rfc3339};
use reciprocity_core::{AccountId, Time};
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::io::{BufRead, BufReader, Read};

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

// ----- where the files come from -----

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

fn loose_file<'a>(files: &'a BTreeMap<String, String>, path: &str) -> Option<&'a String> {
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

// ----- reading with caps and progress -----

/// Bytes decompressed so far of the files a reading needs, and how many there are.
pub type Progress<'a> = &'a mut dyn FnMut(u64, u64);

/// A file's reader that refuses more than `limit` bytes and reports progress.
struct Capped<'p, 'r> {
    inner: Box<dyn Read + 'r>,
    limit: u64,
    read: u64,
    done: &'p mut u64,
    total: u64,
    progress: Progress<'p>,
    reported: u64,
}

const REPORT_EVERY: u64 = 1 << 20;

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
fn skip_assignment<R: BufRead>(name: &str, mut reader: R) -> Result<R, CaptureError> {
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
fn json_error(name: &str, e: serde_json::Error) -> CaptureError {
    err(format!("{name}: {e}"))
}

// ----- the manifest -----

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Manifest {
    user_info: UserInfo,
    archive_info: ArchiveInfo,
    #[serde(default)]
    data_types: BTreeMap<String, DataType>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct UserInfo {
    account_id: String,
    user_name: Option<String>,
    display_name: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ArchiveInfo {
    generation_date: String,
    /// X marks an archive it could not finish; its lists prove presence only.
    #[serde(default)]
    is_partial_archive: bool,
}

#[derive(Deserialize, Default)]
struct DataType {
    #[serde(default)]
    files: Vec<DataFile>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DataFile {
    file_name: String,
    /// How many items the file holds, as a decimal string.
    #[serde(default)]
    count: Option<String>,
}

/// One item of `account.js`: the handle and the display name.
#[derive(Deserialize)]
struct AccountItem {
    account: Option<AccountFields>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AccountFields {
    username: Option<String>,
    account_display_name: Option<String>,
}

/// A small file (manifest, account) read whole, capped.
fn small_file<T: serde::de::DeserializeOwned>(
    src: &mut dyn ArchiveSource,
    path: &str,
) -> Result<Option<T>, CaptureError> {
    let Some(file) = src.open(path)? else {
        return Ok(None);
    };
    if file.size > MAX_SMALL_FILE_BYTES {
        return Err(err(format!(
            "{path}: {} bytes; far more than an X archive's {path}",
            file.size
        )));
    }
    let reader = BufReader::new(file.reader.take(MAX_SMALL_FILE_BYTES));
    let reader = skip_assignment(path, reader)?;
    let mut de = serde_json::Deserializer::from_reader(reader);
    T::deserialize(&mut de)
        .map(Some)
        .map_err(|e| json_error(path, e))
}

// ----- the lists, streamed -----

/// An account id written as a decimal string, read without allocating.
struct IdText(AccountId);

impl<'de> Deserialize<'de> for IdText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = IdText;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an account id as a decimal string")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<IdText, E> {
                s.parse()
                    .map(|n| IdText(AccountId(n)))
                    .map_err(|_| E::custom(format!("not an account id: {s:?}")))
            }
        }
        d.deserialize_str(V)
    }
}

/// One item of `follower.js` or `following.js`: only the id is read.
#[derive(Deserialize)]
struct ListItem {
    #[serde(alias = "following")]
    follower: Option<ListEntry>,
}

#[derive(Deserialize)]
struct ListEntry {
    #[serde(rename = "accountId", default)]
    account_id: Option<IdText>,
}

/// Splits a JSON array, read as a stream, into its elements' bytes, one at a time:
/// a scanner that knows only strings, escapes and nesting, so each element is then
/// parsed from a slice (far faster than a byte-at-a-time reader) while memory
/// holds one element, never the file.
struct Elements<R> {
    reader: R,
    item: Vec<u8>,
    started: bool,
    ended: bool,
}

impl<R: BufRead> Elements<R> {
    fn new(reader: R) -> Self {
        Elements {
            reader,
            item: Vec::with_capacity(256),
            started: false,
            ended: false,
        }
    }

    /// The next element's bytes, `None` after the closing `]`.
    fn next_element(&mut self) -> Result<Option<&[u8]>, String> {
        if self.ended {
            return Ok(None);
        }
        self.item.clear();
        let (mut depth, mut in_string, mut escaped) = (0u32, false, false);
        loop {
            let buf = self.reader.fill_buf().map_err(|e| e.to_string())?;
            if buf.is_empty() {
                return Err(if self.started {
                    "the list ends before its closing `]`".into()
                } else {
                    "no list after the `=`".into()
                });
            }
            let mut used = 0;
            let mut done = false;
            for (i, &b) in buf.iter().enumerate() {
                if !self.started {
                    match b {
                        b'[' => self.started = true,
                        b' ' | b'\n' | b'\r' | b'\t' => {}
                        _ => return Err("not a list".into()),
                    }
                    used = i + 1;
                    continue;
                }
                if in_string {
                    if escaped {
                        escaped = false;
                    } else if b == b'\\' {
                        escaped = true;
                    } else if b == b'"' {
                        in_string = false;
                    }
                    continue;
                }
                match b {
                    b'"' => in_string = true,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' if depth > 0 => depth -= 1,
                    b',' | b']' if depth == 0 => {
                        // The element ends here (an empty one only before `]`).
                        self.item.extend_from_slice(&buf[used..i]);
                        used = i + 1;
                        self.ended = b == b']';
                        done = true;
                        break;
                    }
                    _ => {}
                }
            }
            if !done {
                if self.started {
                    self.item.extend_from_slice(&buf[used..]);
                }
                let n = buf.len();
                self.reader.consume(n);
                continue;
            }
            self.reader.consume(used);
            let trimmed = self.item.trim_ascii();
            if trimmed.is_empty() {
                if self.ended {
                    return Ok(None);
                }
                return Err("an empty item".into());
            }
            let (start, len) = (
                self.item.len() - self.item.trim_ascii_start().len(),
                trimmed.len(),
            );
            return Ok(Some(&self.item[start..start + len]));
        }
    }
}

/// Appends a list file's ids to `ids`, one typed item at a time.
fn read_list(
    path: &str,
    kind: &str,
    max: usize,
    reader: impl BufRead,
    ids: &mut Vec<AccountId>,
) -> Result<(), CaptureError> {
    let mut items = Elements::new(reader);
    let mut i = 0usize;
    while let Some(bytes) = items
        .next_element()
        .map_err(|e| err(format!("{path}: {e}")))?
    {
        let item: ListItem =
            serde_json::from_slice(bytes).map_err(|e| err(format!("{path}: item {i}: {e}")))?;
        let id = item
            .follower
            .and_then(|e| e.account_id)
            .ok_or_else(|| err(format!("{path}: item {i} has no `{kind}.accountId`")))?;
        if ids.len() >= max {
            return Err(err(format!("{path}: more than {max} accounts in one list")));
        }
        ids.push(id.0);
        i += 1;
    }
    Ok(())
}

/// One list of the archive as read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ArchiveList {
    pub ids: Vec<AccountId>,
    /// The list is whole: the archive is not marked partial and every part file
    /// holds the count the manifest gives. Only then can it show who is absent.
    pub complete: bool,
}

/// What an archive says: whose it is, when, and its two lists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArchiveContents {
    pub viewer: AccountId,
    pub at: Time,
    pub handle: Option<String>,
    pub name: Option<String>,
    pub followers: ArchiveList,
    pub following: ArchiveList,
}

fn part_files<'m>(manifest: &'m Manifest, kind: &str) -> Vec<(String, Option<&'m str>)> {
    let listed = manifest
        .data_types
        .get(kind)
        .map(|t| &t.files[..])
        .unwrap_or_default();
    if listed.is_empty() {
        return vec![(format!("data/{kind}.js"), None)];
    }
    // Each part file once, whatever the manifest repeats.
    let mut seen = BTreeSet::new();
    listed
        .iter()
        .filter(|f| seen.insert(f.file_name.as_str()))
        .map(|f| (f.file_name.clone(), f.count.as_deref()))
        .collect()
}

/// Reads an archive's manifest, account and lists; nothing else of it is read.
/// `progress` hears the bytes decompressed of the list files, and their total.
pub fn scan(
    src: &mut dyn ArchiveSource,
    caps: &Caps,
    progress: Progress<'_>,
) -> Result<ArchiveContents, CaptureError> {
    let manifest: Manifest = small_file(src, "data/manifest.js")?.ok_or_else(|| {
        err("data/manifest.js is missing: it names the viewer and dates the archive (is this an X data archive?)")
    })?;
    let viewer: AccountId = manifest
        .user_info
        .account_id
        .parse()
        .map_err(|_| err("data/manifest.js: userInfo.accountId is not an account id"))?;
    let at = parse_rfc3339(&manifest.archive_info.generation_date).ok_or_else(|| {
        err(format!(
            "data/manifest.js: archiveInfo.generationDate is not a date: {:?}",
            manifest.archive_info.generation_date
        ))
    })?;
    let mut handle = manifest.user_info.user_name.clone();
    let mut name = manifest.user_info.display_name.clone();
    if let Some(items) = small_file::<Vec<AccountItem>>(src, "data/account.js")? {
        if let Some(acc) = items.into_iter().next().and_then(|a| a.account) {
            handle = acc.username.or(handle);
            name = acc.account_display_name.or(name);
        }
    }

    let kinds = [
        ("follower", part_files(&manifest, "follower")),
        ("following", part_files(&manifest, "following")),
    ];
    // Each part file's declared size, asked once: the progress total, and whether
    // there are lists at all.
    let sizes: Vec<u64> = kinds
        .iter()
        .flat_map(|(_, files)| files.iter())
        .filter_map(|(f, _)| src.size(f))
        .collect();
    if sizes.is_empty() {
        return Err(err(
            "this archive holds no follower or following data (data/follower.js, data/following.js)",
        ));
    }
    let total: u64 = sizes.iter().map(|s| (*s).min(caps.file_bytes)).sum();
    let mut done = 0u64;
    let mut lists = Vec::with_capacity(2);
    for (kind, files) in &kinds {
        let mut list = ArchiveList {
            ids: Vec::new(),
            complete: !manifest.archive_info.is_partial_archive,
        };
        for (path, count) in files {
            let file = src.open(path)?.ok_or_else(|| {
                let why = if count.is_some() {
                    " (the manifest lists it)"
                } else {
                    ""
                };
                err(format!("{path} is missing{why}"))
            })?;
            if file.size > caps.file_bytes {
                return Err(err(format!(
                    "{path}: {} once decompressed, more than the {} an X archive's list can be",
                    mib(file.size),
                    mib(caps.file_bytes)
                )));
            }
            let before = list.ids.len();
            let reader = Capped {
                inner: file.reader,
                limit: caps.file_bytes,
                read: 0,
                done: &mut done,
                total,
                progress: &mut *progress,
                reported: 0,
            };
            let reader = skip_assignment(path, BufReader::with_capacity(64 * 1024, reader))?;
            read_list(path, kind, caps.list_items, reader, &mut list.ids)?;
            let read = (list.ids.len() - before) as u64;
            if count.and_then(|c| c.trim().parse::<u64>().ok()) != Some(read) && count.is_some() {
                list.complete = false;
            }
        }
        lists.push(list);
    }
    progress(total, total);
    let following = lists.pop().unwrap_or_default();
    let followers = lists.pop().unwrap_or_default();
    Ok(ArchiveContents {
        viewer,
        at,
        handle,
        name,
        followers,
        following,
    })
}

// ----- pages: how read lists reach the ledger -----

/// A chunk of one archive list, as the ledger ingests it: the pages of one list
/// chain like the pages of one walk, all dated by the archive. Sent between the
/// dashboard's reader and the engine's worker as the body of an `x-archive`
/// envelope (docs/design.md).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct ArchivePage {
    pub list: ListKind,
    /// Its place in the list, from 0.
    pub part: u32,
    /// The list ends with this page.
    pub last: bool,
    /// The list is whole (see [`ArchiveList::complete`]); if not, its pages prove
    /// presence only.
    pub complete: bool,
    pub handle: Option<String>,
    pub name: Option<String>,
    /// The viewer's counts at the archive's date: the lists' lengths.
    pub followers: u64,
    pub following: u64,
    #[cfg_attr(feature = "ts", tsify(type = "string[]"))]
    pub ids: Vec<AccountId>,
}

impl ArchiveContents {
    /// The lists in pages of at most `ids_per_page` accounts; an empty list is one
    /// empty last page.
    pub fn pages(&self, ids_per_page: usize) -> Vec<ArchivePage> {
        let per = ids_per_page.max(1);
        let mut pages = Vec::new();
        for (kind, list) in [
            (ListKind::Followers, &self.followers),
            (ListKind::Following, &self.following),
        ] {
            let chunks: Vec<&[AccountId]> = if list.ids.is_empty() {
                vec![&[]]
            } else {
                list.ids.chunks(per).collect()
            };
            let n = chunks.len();
            for (part, ids) in chunks.into_iter().enumerate() {
                pages.push(ArchivePage {
                    list: kind,
                    part: u32::try_from(part).unwrap_or(u32::MAX),
                    last: part + 1 == n,
                    complete: list.complete,
                    handle: self.handle.clone(),
                    name: self.name.clone(),
                    followers: self.followers.ids.len() as u64,
                    following: self.following.ids.len() as u64,
                    ids: ids.to_vec(),
                });
            }
        }
        pages
    }
}

/// What the ledger learns from one page of an archive of `viewer` dated `at`.
pub fn page_reading(viewer: AccountId, at: Time, page: &ArchivePage) -> Reading {
    let kind = match page.list {
        ListKind::Followers => "follower",
        ListKind::Following => "following",
    };
    // Cursors unique to this archive and list, so two archives never chain.
    let cursor = |part: u32| format!("archive:{}:{kind}:{part}", to_rfc3339(at));
    let position = if page.complete {
        PagePosition::Walk {
            cursor: (page.part > 0).then(|| cursor(page.part)),
            next_cursor: (!page.last).then(|| cursor(page.part.saturating_add(1))),
            is_last: page.last,
        }
    } else {
        PagePosition::Partial
    };
    let me = XUser {
        id: viewer.to_string(),
        handle: page.handle.clone(),
        name: page.name.clone(),
        ..XUser::default()
    };
    let observations = vec![
        Observation::Account(AccountSighting {
            id: viewer,
            at,
            handle: page.handle.clone(),
            name: page.name.clone(),
            followers: Some(page.followers),
            following: Some(page.following),
            ..AccountSighting::default()
        }),
        Observation::ListPage(ListPage {
            list: ListKey {
                owner: viewer,
                kind: page.list,
            },
            at,
            position,
            entries: page.ids.iter().copied().filter(|e| *e != viewer).collect(),
            dating: None,
        }),
    ];
    Reading {
        operation: "archive".into(),
        at,
        viewer: Some(viewer),
        users: vec![me],
        observations,
    }
}

/// The platform name of an envelope that carries an [`ArchivePage`].
pub const ENVELOPE_PLATFORM: &str = "x-archive";

/// The `x-archive` envelope of one page of `viewer`'s archive dated `at` (RFC
/// 3339): how the dashboard's pages are journaled and replayed.
pub fn page_envelope(viewer: &str, at: &str, page: &ArchivePage) -> String {
    let head = crate::envelope::Head {
        platform: ENVELOPE_PLATFORM,
        viewer,
        at,
        method: "GET",
        url: match page.list {
            ListKind::Followers => "archive:followers",
            ListKind::Following => "archive:following",
        },
        request_body: None,
        status: 200,
    };
    // A page of ids, counts and names always serializes.
    head.with_body(&serde_json::to_string(page).unwrap_or_default())
}

/// Reads an `x-archive` envelope: its body is one [`ArchivePage`] of the archive
/// of `viewer` dated `at`.
pub fn read_page_envelope(env: &Envelope) -> Result<Reading, CaptureError> {
    let viewer = env
        .viewer
        .ok_or_else(|| err("an archive page must name its viewer"))?;
    let page: ArchivePage =
        serde_json::from_slice(&env.body).map_err(|e| err(format!("not an archive page: {e}")))?;
    if page.ids.len() > MAX_LIST_ITEMS {
        return Err(err(format!(
            "more than {MAX_LIST_ITEMS} accounts in one page"
        )));
    }
    Ok(page_reading(viewer, env.at, &page))
}

/// Reads an archive into one reading: the viewer, dated by the archive, and its
/// two lists, each whole in one page.
pub fn read(src: &mut dyn ArchiveSource) -> Result<Reading, CaptureError> {
    let contents = scan(src, &Caps::ARCHIVE, &mut |_, _| {})?;
    let mut pages = contents.pages(usize::MAX).into_iter();
    let mut reading = match pages.next() {
        Some(first) => page_reading(contents.viewer, contents.at, &first),
        None => return Err(err("no lists")),
    };
    for page in pages {
        let more = page_reading(contents.viewer, contents.at, &page);
        reading.observations.extend(
            more.observations
                .into_iter()
                .filter(|o| matches!(o, Observation::ListPage(_))),
        );
    }
    Ok(reading)
}

/// Reads a `.zip` archive from its bytes.
pub fn read_zip(bytes: &[u8]) -> Result<Reading, CaptureError> {
    read(&mut ZipSource::new(std::io::Cursor::new(bytes))?)
}

#[cfg(test)]
mod tests {
    use super::Elements;
    use proptest::prelude::*;
    use serde_json::Value;
    use std::io::BufReader;

    /// JSON values with the characters that could fool a scanner: quotes, escapes,
    /// brackets and commas inside strings, nesting.
    fn value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            any::<i64>().prop_map(Value::from),
            "[\\[\\]{},\"\\\\a-z :]{0,12}".prop_map(Value::from),
            Just(Value::Null),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
                prop::collection::btree_map("[a-z\",{]{1,6}", inner, 0..4)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn elements_are_the_arrays_items_at_any_buffer_size(
            items in prop::collection::vec(value(), 0..8),
            pretty in any::<bool>(),
            capacity in 1usize..64,
        ) {
            let text = if pretty {
                serde_json::to_string_pretty(&items).unwrap()
            } else {
                serde_json::to_string(&items).unwrap()
            };
            let mut elements = Elements::new(BufReader::with_capacity(capacity, text.as_bytes()));
            let mut got = Vec::new();
            while let Some(bytes) = elements.next_element().unwrap() {
                got.push(serde_json::from_slice::<Value>(bytes).unwrap());
            }
            prop_assert_eq!(got, items);
        }
    }

    #[test]
    fn a_list_cut_short_or_not_a_list_is_an_error() {
        let mut cut = Elements::new(br#"[{"a":1},{"b":"#.as_slice());
        assert_eq!(cut.next_element().unwrap(), Some(br#"{"a":1}"#.as_slice()));
        assert!(cut.next_element().is_err());
        assert!(Elements::new(b"{}".as_slice()).next_element().is_err());
        let mut empty = Elements::new(b" [ ] ;".as_slice());
        assert_eq!(empty.next_element().unwrap(), None);
    }
}
