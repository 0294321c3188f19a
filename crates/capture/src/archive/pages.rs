//! How read lists reach the ledger: pages of a list, their envelopes and their
//! readings.

use crate::user::XUser;
use crate::{CaptureError, Envelope, Reading};
use reciprocity_core::model::{
    AccountSighting, ListKey, ListKind, ListPage, Observation, PagePosition,
};
use reciprocity_core::time::to_rfc3339;
use reciprocity_core::{AccountId, Time};
use serde::{Deserialize, Serialize};

use super::scan::{scan, ArchiveContents};
use super::source::{ArchiveSource, ZipSource};
use super::{err, Caps, MAX_LIST_ITEMS};

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
        dids: Vec::new(),
        platform: reciprocity_core::model::Platform::X,
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
    page_envelope_text(viewer, at, page.list, &page.to_json())
}

impl ArchivePage {
    /// The page as the JSON an `x-archive` envelope carries.
    pub fn to_json(&self) -> String {
        // A page of ids, counts and names always serializes.
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// The same from the page's JSON as the reader wrote it: the worker wraps it
/// without parsing it (the engine reads it when it ingests the envelope, and
/// refuses it then if it is not a page).
pub fn page_envelope_text(viewer: &str, at: &str, list: ListKind, page_json: &str) -> String {
    let head = crate::envelope::Head {
        platform: ENVELOPE_PLATFORM,
        viewer,
        at,
        method: "GET",
        url: match list {
            ListKind::Followers => "archive:followers",
            ListKind::Following => "archive:following",
        },
        request_body: None,
        status: 200,
    };
    head.with_body(page_json)
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
