//! The X data archive: the `.zip` a user downloads from X, or its loose files.
//!
//! `data/manifest.js` (`window.__THAR_CONFIG = {…}`) names the viewer
//! (`userInfo.accountId`), dates the archive (`archiveInfo.generationDate`) and lists
//! each data type's part files; `data/follower.js` and `data/following.js`
//! (`window.YTD.follower.part0 = [{"follower":{"accountId":…}}, …]`) are complete
//! lists of the viewer's followers and following at that date.

use crate::user::XUser;
use crate::{CaptureError, Reading};
use reciprocity_core::model::{
    AccountSighting, ListKey, ListKind, ListPage, Observation, PagePosition,
};
use reciprocity_core::time::parse_rfc3339;
use reciprocity_core::AccountId;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;

/// The most text one data file may hold once decompressed. The files read are
/// small (a follower list of a million is about 100 MB); a zip that inflates
/// beyond this is refused rather than read into memory.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// The most accounts one list may hold (X caps following at a few thousand and
/// the largest accounts have a few hundred million followers; an archive holds
/// the whole list, so this is a bound on what is read, not on X).
pub const MAX_LIST_ITEMS: usize = 20_000_000;

/// One item of `follower.js` or `following.js`: only the id is read.
#[derive(Deserialize)]
struct ListItem {
    #[serde(alias = "following")]
    follower: Option<ListEntry>,
}

#[derive(Deserialize)]
struct ListEntry {
    #[serde(rename = "accountId", default)]
    account_id: Option<String>,
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

fn err(msg: impl Into<String>) -> CaptureError {
    CaptureError::Archive(msg.into())
}

/// The JSON after `window.… =` in an archive's `.js` file.
fn js_payload<'a>(name: &str, text: &'a str) -> Result<&'a str, CaptureError> {
    let text = text.trim_start_matches('\u{feff}');
    let eq = text
        .find('=')
        .ok_or_else(|| err(format!("{name}: no `window.… =` assignment")))?;
    Ok(text[eq + 1..].trim().trim_end_matches(';'))
}

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
}

/// The files of an archive, by their path inside it (`data/follower.js`, …).
pub trait ArchiveSource {
    /// The text of a file, `None` if the archive lacks it.
    fn file(&mut self, path: &str) -> Result<Option<String>, CaptureError>;
}

/// Loose files, keyed by path (`data/manifest.js`); a bare file name also matches.
impl ArchiveSource for BTreeMap<String, String> {
    fn file(&mut self, path: &str) -> Result<Option<String>, CaptureError> {
        let base = path.rsplit('/').next().unwrap_or(path);
        Ok(self
            .get(path)
            .or_else(|| {
                self.iter()
                    .find(|(k, _)| k.rsplit('/').next() == Some(base))
                    .map(|(_, v)| v)
            })
            .cloned())
    }
}

/// A `.zip` archive in memory. Archives sometimes sit under a top folder: paths are
/// matched by their ending.
pub struct ZipSource<R: std::io::Read + std::io::Seek> {
    zip: zip::ZipArchive<R>,
}

impl<R: std::io::Read + std::io::Seek> ZipSource<R> {
    pub fn new(reader: R) -> Result<Self, CaptureError> {
        let zip =
            zip::ZipArchive::new(reader).map_err(|e| err(format!("not a readable .zip: {e}")))?;
        Ok(ZipSource { zip })
    }
}

impl<R: std::io::Read + std::io::Seek> ArchiveSource for ZipSource<R> {
    fn file(&mut self, path: &str) -> Result<Option<String>, CaptureError> {
        let name = self
            .zip
            .file_names()
            .filter(|n| *n == path || n.ends_with(&format!("/{path}")))
            .min_by_key(|n| n.len())
            .map(str::to_owned);
        let Some(name) = name else { return Ok(None) };
        let mut f = self
            .zip
            .by_name(&name)
            .map_err(|e| err(format!("{name}: {e}")))?;
        let mut text = String::new();
        f.by_ref()
            .take(MAX_FILE_BYTES + 1)
            .read_to_string(&mut text)
            .map_err(|e| err(format!("{name}: cannot be read as text ({e})")))?;
        if text.len() as u64 > MAX_FILE_BYTES {
            return Err(err(format!(
                "{name}: more than {} MiB once decompressed; not an X archive's file",
                MAX_FILE_BYTES >> 20
            )));
        }
        Ok(Some(text))
    }
}

/// Ids in one kind's part files (`follower` or `following`).
fn list_ids(
    src: &mut dyn ArchiveSource,
    manifest: &Manifest,
    kind: &str,
) -> Result<Vec<AccountId>, CaptureError> {
    let default = [DataFile {
        file_name: format!("data/{kind}.js"),
    }];
    let files = match manifest.data_types.get(kind) {
        Some(t) if !t.files.is_empty() => &t.files[..],
        _ => &default[..],
    };
    let mut ids = Vec::new();
    // Each part file once, whatever the manifest repeats.
    let mut seen = BTreeSet::new();
    for f in files.iter().filter(|f| seen.insert(f.file_name.as_str())) {
        let text = src.file(&f.file_name)?.ok_or_else(|| {
            err(format!(
                "{} is missing (the manifest lists it)",
                f.file_name
            ))
        })?;
        let items: Vec<ListItem> = serde_json::from_str(js_payload(&f.file_name, &text)?)
            .map_err(|e| err(format!("{}: not the expected list ({e})", f.file_name)))?;
        for (i, item) in items.iter().enumerate() {
            let id = item
                .follower
                .as_ref()
                .and_then(|e| e.account_id.as_deref()?.parse::<u64>().ok())
                .ok_or_else(|| {
                    err(format!(
                        "{}: item {i} has no `{kind}.accountId`",
                        f.file_name
                    ))
                })?;
            ids.push(AccountId(id));
        }
        if ids.len() > MAX_LIST_ITEMS {
            return Err(err(format!(
                "{}: more than {MAX_LIST_ITEMS} accounts in one list",
                f.file_name
            )));
        }
    }
    Ok(ids)
}

/// Reads an archive into a reading: the viewer, dated by the archive, and complete
/// snapshots of its followers and following.
pub fn read(src: &mut dyn ArchiveSource) -> Result<Reading, CaptureError> {
    let text = src.file("data/manifest.js")?.ok_or_else(|| {
        err("data/manifest.js is missing: it names the viewer and dates the archive")
    })?;
    let manifest: Manifest = serde_json::from_str(js_payload("data/manifest.js", &text)?)
        .map_err(|e| err(format!("data/manifest.js: {e}")))?;
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
    if let Some(account) = src.file("data/account.js")? {
        let items: Vec<AccountItem> =
            serde_json::from_str(js_payload("data/account.js", &account)?)
                .map_err(|e| err(format!("data/account.js: {e}")))?;
        if let Some(acc) = items.into_iter().next().and_then(|a| a.account) {
            handle = acc.username.or(handle);
            name = acc.account_display_name.or(name);
        }
    }
    let followers = list_ids(src, &manifest, "follower")?;
    let following = list_ids(src, &manifest, "following")?;

    let me = XUser {
        id: viewer.to_string(),
        handle,
        name,
        ..XUser::default()
    };
    let whole = |kind, entries: Vec<AccountId>| {
        Observation::ListPage(ListPage {
            list: ListKey {
                owner: viewer,
                kind,
            },
            at,
            position: PagePosition::Walk {
                cursor: None,
                next_cursor: None,
                is_last: true,
            },
            entries: entries.into_iter().filter(|e| *e != viewer).collect(),
        })
    };
    let observations = vec![
        Observation::Account(AccountSighting {
            id: viewer,
            at,
            handle: me.handle.clone(),
            name: me.name.clone(),
            followers: Some(followers.len() as u64),
            following: Some(following.len() as u64),
            ..AccountSighting::default()
        }),
        whole(ListKind::Followers, followers),
        whole(ListKind::Following, following),
    ];
    Ok(Reading {
        operation: "archive".into(),
        at,
        viewer: Some(viewer),
        users: vec![me],
        observations,
    })
}

/// Reads a `.zip` archive from its bytes.
pub fn read_zip(bytes: &[u8]) -> Result<Reading, CaptureError> {
    read(&mut ZipSource::new(std::io::Cursor::new(bytes))?)
}
