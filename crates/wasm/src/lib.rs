//! The engine the extension's worker and the dashboard call: a thin façade over
//! `reciprocity-core` and `reciprocity-capture`.
//!
//! One typed seam: bytes in as `Uint8Array`, typed values out, built by
//! serde-wasm-bindgen's JSON-compatible serializer (so shapes are the documented
//! JSON ones) and declared to TypeScript by tsify where each type is defined.
//! Every failure is thrown as an [`EngineError`] with a [`ErrorCode`]; nothing
//! panics across the boundary, and callers act on codes, never on message text.

use reciprocity_capture::archive::ArchivePage;
use reciprocity_capture::{archive, read_envelope, CaptureError, Envelope, Reading};
use reciprocity_core::model::{ListKind, Platform};
use reciprocity_core::{
    AccountId, Badge, Lang, Learned, Ledger, LedgerError, Observation, SeriesPoint, Store, Summary,
    Timeline, Viewer, Who,
};
use serde::Serialize;
use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;

/// What went wrong, as a name callers can act on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Tsify)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The capture has no signed-in viewer: nothing is recorded, nothing is wrong.
    NoViewer,
    /// Not a capture envelope (bad JSON, missing fields, not UTF-8).
    NotACapture,
    /// A URL the readers do not read.
    UnsupportedEndpoint,
    /// An operation that is not on the list of those collected: nothing is kept.
    NotCollected,
    /// The response body is not JSON.
    BadJson,
    /// The request failed (HTTP status) or X answered with errors only.
    RequestFailed,
    /// X's format changed: the capture is kept for a bug report.
    UnknownLayout,
    /// The request does not say whose list it is.
    MissingVariable,
    /// The archive cannot be read.
    BadArchive,
    /// The ledger refused an observation (a zero id, a date out of range…).
    Refused,
    /// A viewer or account id that is not a number.
    BadId,
    /// The ledger knows nothing of this account.
    UnknownAccount,
    /// A saved store that cannot be read.
    CorruptStore,
    /// A JSON export that cannot be read.
    BadExport,
    /// A value could not cross to JavaScript.
    Internal,
}

/// The one shape every failure has.
#[derive(Clone, Debug, Serialize, Tsify)]
pub struct EngineError {
    pub code: ErrorCode,
    pub message: String,
}

fn fail(code: ErrorCode, message: impl Into<String>) -> JsValue {
    let e = EngineError {
        code,
        message: message.into(),
    };
    // An object of two strings always serializes; the fallback is never reached.
    e.serialize(&json_compatible())
        .unwrap_or_else(|_| JsValue::from_str(&e.message))
}

fn json_compatible() -> serde_wasm_bindgen::Serializer {
    serde_wasm_bindgen::Serializer::json_compatible()
}

fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&json_compatible())
        .map_err(|e| fail(ErrorCode::Internal, e.to_string()))
}

fn typed<T: Tsify + Serialize>(value: &T) -> Result<Ts<T>, JsValue> {
    to_js(value).map(Ts::new_unchecked)
}

fn capture_error(e: &CaptureError) -> JsValue {
    let code = match e {
        CaptureError::Envelope(_) => ErrorCode::NotACapture,
        CaptureError::UnsupportedEndpoint { .. } => ErrorCode::UnsupportedEndpoint,
        CaptureError::Json { .. } => ErrorCode::BadJson,
        CaptureError::Status { .. } | CaptureError::XErrors { .. } => ErrorCode::RequestFailed,
        CaptureError::UnknownLayout { .. } => ErrorCode::UnknownLayout,
        CaptureError::MissingVariable { .. } => ErrorCode::MissingVariable,
        CaptureError::Archive(_) => ErrorCode::BadArchive,
        CaptureError::NotCollected { .. } => ErrorCode::NotCollected,
        CaptureError::PageTooLarge { .. } => ErrorCode::Refused,
    };
    fail(code, e.to_string())
}

fn ledger_error(e: &LedgerError) -> JsValue {
    fail(ErrorCode::Refused, e.to_string())
}

fn parse_id(s: &str, what: &str) -> Result<AccountId, JsValue> {
    s.parse()
        .ok()
        .filter(|id: &AccountId| id.0 != 0)
        .ok_or_else(|| fail(ErrorCode::BadId, format!("not an {what} id: {s:?}")))
}

/// Each asked handle or id, as an account the ledger knows, or `None`.
fn known<'a>(l: &'a Ledger, asked: &'a [String]) -> impl Iterator<Item = Option<AccountId>> + 'a {
    asked
        .iter()
        .map(move |a| l.resolve(a).filter(|id| l.knows(*id)))
}

fn viewer_key(id: AccountId) -> Viewer {
    Viewer {
        platform: Platform::X,
        id,
    }
}

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = r#"
/** Languages the engine speaks: a BCP 47 tag such as "en", "fr" or "fr-CA". */
export type LangTag = string;
"#;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(typescript_type = "(Badge | null)[]")]
    pub type Badges;
}

/// A list page a capture held.
#[derive(Clone, Debug, Serialize, Tsify)]
pub struct ListSeen {
    pub owner: AccountId,
    pub kind: ListKind,
    pub entries: usize,
}

/// What one capture or archive taught the ledger, and whose badges to redraw.
#[derive(Clone, Debug, Serialize, Tsify)]
pub struct Ingested {
    pub operation: String,
    pub viewer: AccountId,
    pub at: String,
    /// The capture's day, for people ("2026-11-01").
    pub on: String,
    pub learned: Learned,
    /// Accounts whose annotation may have changed: those the capture described,
    /// and each list's owner and entries (an archive page's entries are not named:
    /// it sets `refresh_all`).
    pub changed: Vec<AccountId>,
    /// The handles of the accounts it described (badges are found by handle).
    pub handles: Vec<String>,
    /// A complete walk was finished (absences may have changed any annotation), or
    /// an archive page arrived: every badge is redrawn.
    pub refresh_all: bool,
    pub lists: Vec<ListSeen>,
}

fn ingested(reading: &Reading, viewer: AccountId, learned: Learned) -> Ingested {
    // An archive page names up to 50,000 accounts: it asks for everything to be
    // redrawn rather than naming them all.
    let whole = reading.operation == "archive";
    let mut changed: Vec<AccountId> = reading.users.iter().map(|u| u.account_id()).collect();
    let mut lists = Vec::new();
    for o in &reading.observations {
        if let Observation::ListPage(p) = o {
            changed.push(p.list.owner);
            if !whole {
                changed.extend(&p.entries);
            }
            lists.push(ListSeen {
                owner: p.list.owner,
                kind: p.list.kind,
                entries: p.entries.len(),
            });
        }
    }
    changed.sort_unstable();
    changed.dedup();
    Ingested {
        operation: reading.operation.clone(),
        viewer,
        at: reciprocity_core::time::to_rfc3339(reading.at),
        on: reciprocity_core::words::day(reading.at),
        learned,
        changed,
        handles: reading
            .users
            .iter()
            .filter_map(|u| u.handle.clone())
            .collect(),
        refresh_all: whole || learned.walks > 0,
        lists,
    }
}

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
    pub pages: Vec<ArchivePage>,
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
            size: blob.size() as u64,
            blob,
            reader,
            pos: 0,
            block: Vec::new(),
            block_start: 0,
        }
    }

    fn fetch(&mut self, start: u64, end: u64) -> std::io::Result<js_sys::Uint8Array> {
        self.blob
            .slice_with_f64_and_f64(start as f64, end as f64)
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
        let from = (self.pos - self.block_start) as usize;
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

fn js_message(e: &JsValue) -> String {
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
                &(done as f64).into(),
                &(total as f64).into(),
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
        pages: contents.pages(ids_per_page as usize),
    })
}

#[wasm_bindgen]
pub struct Engine {
    store: Store,
    /// How the store is kept in parts, and what changed since the last save.
    layout: reciprocity_core::store::parts::Layout,
    /// The caller's clock (seconds): "now" is never later, whatever a capture or
    /// an archive claims.
    clock: Option<reciprocity_core::Time>,
}

impl Default for Engine {
    fn default() -> Self {
        Self::new()
    }
}

impl Engine {
    fn apply(&mut self, reading: Result<Reading, CaptureError>) -> Result<Ts<Ingested>, JsValue> {
        let reading = reading.map_err(|e| capture_error(&e))?;
        let viewer = reading.viewer.ok_or_else(|| {
            fail(
                ErrorCode::NoViewer,
                "no viewer: signed out, nothing recorded",
            )
        })?;
        // Nothing dated after this machine's clock (an archive from the future),
        // checked before the viewer's ledger is even made.
        if let Some(now) = self.clock {
            reciprocity_core::ledger::not_after(
                reading.observations.iter().map(|o| o.at()),
                now,
                "capture",
            )
            .map_err(|e| ledger_error(&e))?;
        }
        let ledger = self.store.ledger_mut(viewer_key(viewer));
        let learned = ledger
            .ingest(viewer, &reading.observations)
            .map_err(|e| ledger_error(&e))?;
        self.layout
            .touch_observations(viewer_key(viewer), &reading.observations);
        // Others' lists may not grow the store without end (the viewer's own never go).
        if ledger.trim_others(viewer, reciprocity_core::ledger::MAX_OTHERS_EDGES) > 0 {
            self.layout.touch_everything();
        }
        typed(&ingested(&reading, viewer, learned))
    }

    /// The viewer's ledger (an empty one when the store has none) and its "now":
    /// the latest capture, so that a verdict never depends on a clock.
    fn ledger_of<T>(
        &self,
        viewer: &str,
        f: impl FnOnce(AccountId, &Ledger, reciprocity_core::Time) -> Result<T, JsValue>,
    ) -> Result<T, JsValue> {
        let v = parse_id(viewer, "viewer")?;
        let empty = Ledger::new();
        let ledger = self.store.ledger(viewer_key(v)).unwrap_or(&empty);
        let latest = ledger.latest_instant().unwrap_or(0);
        f(v, ledger, self.clock.map_or(latest, |c| latest.min(c)))
    }

    /// A viewer's own mark on an account, dated by the caller's clock (ms).
    fn curate(
        &mut self,
        viewer: &str,
        account: &str,
        at_ms: f64,
        mark: impl FnOnce(&mut Ledger, AccountId, reciprocity_core::Time) -> Result<(), LedgerError>,
    ) -> Result<(), JsValue> {
        let v = parse_id(viewer, "viewer")?;
        let a = parse_id(account, "account")?;
        mark(
            self.store.ledger_mut(viewer_key(v)),
            a,
            (at_ms / 1000.0) as i64,
        )
        .map_err(|e| ledger_error(&e))?;
        self.layout.touch_account(viewer_key(v), a);
        Ok(())
    }
}

#[wasm_bindgen]
impl Engine {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Engine {
        Engine {
            store: Store::new(),
            clock: None,
            layout: reciprocity_core::store::parts::Layout::fresh(),
        }
    }

    /// Restores a store saved whole (formats 1 to 4): its first save in parts
    /// writes all of it. Throws `corrupt_store` naming what is wrong.
    pub fn load(bytes: &[u8]) -> Result<Engine, JsValue> {
        Store::from_bytes(bytes)
            .map(|store| Engine {
                store,
                clock: None,
                layout: reciprocity_core::store::parts::Layout::fresh(),
            })
            .map_err(|e| fail(ErrorCode::CorruptStore, e.to_string()))
    }

    /// Sets the caller's clock (ms since 1970): verdicts are judged as of the
    /// latest capture, never later than this.
    pub fn set_clock(&mut self, now_ms: f64) {
        self.clock = Some((now_ms / 1000.0) as reciprocity_core::Time);
    }

    /// Ingests one capture envelope (its JSON bytes).
    pub fn ingest(&mut self, envelope: &[u8]) -> Result<Ts<Ingested>, JsValue> {
        let reading = std::str::from_utf8(envelope)
            .map_err(|_| CaptureError::Envelope("not UTF-8".into()))
            .and_then(Envelope::from_json)
            .and_then(|env| read_envelope(&env));
        self.apply(reading)
    }

    /// What the badges of handles (`@name`) or ids show, in `lang`, as of the
    /// ledger's latest capture; `null` for an account the ledger does not know.
    pub fn badges(
        &self,
        viewer: &str,
        accounts: Vec<String>,
        lang: &str,
    ) -> Result<Badges, JsValue> {
        let lang = Lang::from_tag(lang);
        self.ledger_of(viewer, |v, l, now| {
            let found: Vec<Option<Badge>> = known(l, &accounts)
                .map(|id| id.map(|id| l.badge(v, id, now, lang)))
                .collect();
            to_js(&found).map(JsCast::unchecked_into)
        })
    }

    /// Who each id is (handle, name, brand): cheap, for naming accounts.
    pub fn who(&self, viewer: &str, ids: Vec<String>) -> Result<Vec<Ts<Who>>, JsValue> {
        self.ledger_of(viewer, |_, l, _| {
            ids.iter()
                .map(|id| typed(&l.who(parse_id(id, "account")?)))
                .collect()
        })
    }

    /// The viewer's summary (who unfollowed you, who doesn't follow back, brands):
    /// with `limit`, the first of each list of accounts, and their exact totals.
    pub fn summary(
        &self,
        viewer: &str,
        lang: &str,
        limit: Option<u32>,
    ) -> Result<Ts<Summary>, JsValue> {
        self.ledger_of(viewer, |v, l, now| {
            let mut s = l.summary(v, now, Lang::from_tag(lang));
            if let Some(limit) = limit {
                s.keep_first(limit as usize);
            }
            typed(&s)
        })
    }

    /// One account's history with the viewer, for the dashboard.
    pub fn timeline(
        &self,
        viewer: &str,
        account: &str,
        lang: &str,
    ) -> Result<Ts<Timeline>, JsValue> {
        self.ledger_of(viewer, |v, l, now| {
            let id = l.resolve(account).ok_or_else(|| {
                fail(
                    ErrorCode::UnknownAccount,
                    format!("unknown account {account:?}"),
                )
            })?;
            typed(&l.timeline(v, id, now, Lang::from_tag(lang)))
        })
    }

    /// The viewer's own followers and following over time (complete walks).
    pub fn viewer_series(&self, viewer: &str) -> Result<Vec<Ts<SeriesPoint>>, JsValue> {
        self.ledger_of(viewer, |v, l, _| {
            l.viewer_series(v).iter().map(typed).collect()
        })
    }

    /// Edges of others' lists dropped so far to keep each ledger under its cap.
    pub fn trimmed(&self) -> f64 {
        self.store
            .ledgers
            .values()
            .map(|l| l.trimmed() as f64)
            .sum()
    }

    /// Viewers with a ledger in the store.
    pub fn viewers(&self) -> Vec<String> {
        self.store
            .ledgers
            .keys()
            .map(|v| v.id.to_string())
            .collect()
    }

    /// The whole store as the documented JSON export (a file, not a value).
    pub fn export_json(&self) -> String {
        self.store.to_json()
    }

    /// One viewer's ledger as the documented JSON export.
    pub fn export_viewer_json(&self, viewer: &str) -> Result<String, JsValue> {
        let v = parse_id(viewer, "viewer")?;
        Ok(self.store.viewer_to_json(viewer_key(v)))
    }

    /// Forgets an account from a viewer's ledger, at the viewer's request.
    pub fn forget(&mut self, viewer: &str, account: &str) -> Result<(), JsValue> {
        let v = parse_id(viewer, "viewer")?;
        let a = parse_id(account, "account")?;
        if let Some(l) = self.store.ledgers.get_mut(&viewer_key(v)) {
            l.forget(a);
        }
        self.layout.touch_everything();
        Ok(())
    }

    /// Forgets everything the store holds.
    pub fn forget_everything(&mut self) {
        self.store = Store::new();
        self.layout.touch_everything();
    }

    /// Merges a JSON export into the store.
    pub fn import_json(&mut self, json: &str) -> Result<(), JsValue> {
        let incoming =
            Store::from_json(json).map_err(|e| fail(ErrorCode::BadExport, e.to_string()))?;
        if let Some(now) = self.clock {
            incoming
                .check_not_after(now)
                .map_err(|e| fail(ErrorCode::BadExport, e.to_string()))?;
        }
        self.store.merge(&incoming);
        self.layout.touch_everything();
        Ok(())
    }

    /// The viewer marks (or unmarks) an account as a brand.
    pub fn mark_brand(
        &mut self,
        viewer: &str,
        account: &str,
        at_ms: f64,
        brand: bool,
    ) -> Result<(), JsValue> {
        self.curate(viewer, account, at_ms, |l, a, at| {
            l.mark_brand(a, at, brand)
        })
    }

    /// The viewer says an end (`from` stopped following `to`, by the event's
    /// `by`, RFC 3339) was not an unfollow.
    pub fn mark_not_unfollow(
        &mut self,
        viewer: &str,
        from: &str,
        to: &str,
        by: &str,
    ) -> Result<(), JsValue> {
        let v = parse_id(viewer, "viewer")?;
        let (from, to) = (parse_id(from, "account")?, parse_id(to, "account")?);
        let at = reciprocity_core::time::parse_rfc3339(by)
            .ok_or_else(|| fail(ErrorCode::BadId, format!("not an RFC 3339 time: {by:?}")))?;
        self.store
            .ledger_mut(viewer_key(v))
            .mark_not_unfollow(from, to, at)
            .map_err(|e| ledger_error(&e))?;
        self.layout.touch_account(viewer_key(v), from);
        Ok(())
    }

    /// The viewer puts an account on (or off) the allowlist: never flagged.
    pub fn set_allowlisted(
        &mut self,
        viewer: &str,
        account: &str,
        at_ms: f64,
        on: bool,
    ) -> Result<(), JsValue> {
        self.curate(viewer, account, at_ms, |l, a, at| {
            l.set_allowlisted(a, at, on)
        })
    }
}

/// Every badge, its words and what it means (the first-run page's legend).
#[wasm_bindgen]
pub fn legend(lang: &str) -> Result<Vec<Ts<reciprocity_core::words::LegendEntry>>, JsValue> {
    reciprocity_core::words::legend(Lang::from_tag(lang))
        .iter()
        .map(typed)
        .collect()
}

/// A capture's envelope, dated `at` (RFC 3339) by the worker that keeps it: the
/// hook's record and the response body as it came.
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn capture_envelope(
    viewer: &str,
    at: &str,
    method: &str,
    url: &str,
    request_body: Option<String>,
    status: u16,
    body: &str,
) -> String {
    reciprocity_capture::envelope::Head {
        platform: "x",
        viewer,
        at,
        method,
        url,
        request_body: request_body.as_deref(),
        status,
    }
    .with_body(body)
}

/// The envelope of an action of the viewer's (the hook hands over its URL and
/// the account acted on); `undefined` for anything that is not one.
#[wasm_bindgen]
pub fn action_envelope(
    viewer: &str,
    at: &str,
    url: &str,
    target: &str,
    status: u16,
) -> Option<String> {
    reciprocity_capture::action_envelope(viewer, at, url, target, status)
}

/// The `x-archive` envelope of one page the archive reader made.
#[wasm_bindgen]
pub fn archive_envelope(viewer: &str, at: &str, page: JsValue) -> Result<String, JsValue> {
    let page: ArchivePage = serde_wasm_bindgen::from_value(page)
        .map_err(|e| fail(ErrorCode::NotACapture, format!("not an archive page: {e}")))?;
    Ok(archive::page_envelope(viewer, at, &page))
}

/// Whether `url` asks for a page of a follow list (the worker's list rate).
#[wasm_bindgen]
pub fn is_list_page(url: &str) -> bool {
    reciprocity_capture::is_list_page(url)
}

/// Whether a response from `url` is one Reciprocity collects (an x.com or
/// twitter.com API URL of an operation on the list): the worker keeps nothing else.
#[wasm_bindgen]
pub fn collected(url: &str) -> bool {
    reciprocity_capture::collected(url)
}

/// Benchmark-only exports: built into `target/wasm-bench` by `cargo xtask bench`,
/// never into `dist/`.
mod parts;

#[cfg(feature = "bench")]
mod bench {
    use super::{Engine, JsValue, Lang};
    use wasm_bindgen::prelude::*;

    impl Engine {
        /// What `each` says of each asked account the ledger knows, as JSON text.
        fn as_json<T: serde::Serialize>(
            &self,
            viewer: &str,
            accounts: &[String],
            lang: &str,
            each: impl Fn(&reciprocity_core::Ledger, super::AccountId, super::AccountId, i64, Lang) -> T,
        ) -> Result<String, JsValue> {
            let lang = Lang::from_tag(lang);
            self.ledger_of(viewer, |v, l, now| {
                let found: Vec<_> = super::known(l, accounts)
                    .map(|id| id.map(|id| each(l, v, id, now, lang)))
                    .collect();
                serde_json::to_string(&found).map_err(|e| JsValue::from_str(&e.to_string()))
            })
        }
    }

    #[wasm_bindgen]
    impl Engine {
        /// The hover path before the seam was typed: whole annotations as JSON
        /// text, for `JSON.parse` on the JS side.
        pub fn annotate_json(
            &self,
            viewer: &str,
            accounts: Vec<String>,
            lang: &str,
        ) -> Result<String, JsValue> {
            self.as_json(viewer, &accounts, lang, |l, v, id, now, lang| {
                l.annotate(v, id, now, lang)
            })
        }

        /// The same badges as `badges`, as JSON text: typed values against JSON
        /// for the same payload.
        pub fn badges_json(
            &self,
            viewer: &str,
            accounts: Vec<String>,
            lang: &str,
        ) -> Result<String, JsValue> {
            self.as_json(viewer, &accounts, lang, |l, v, id, now, lang| {
                l.badge(v, id, now, lang)
            })
        }
    }

    /// How many accounts a bare response body shows (the reader's whole work).
    #[wasm_bindgen]
    pub fn read_body(body: &[u8]) -> usize {
        reciprocity_capture::read_body(body).map_or(0, |users| users.len())
    }

    /// The baseline for `read_body`: a `serde_json::Value` of the same bytes.
    #[wasm_bindgen]
    pub fn parse_value_baseline(body: &[u8]) -> bool {
        serde_json::from_slice::<serde_json::Value>(body).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reciprocity_capture::archive::{page_reading, ArchivePage};

    #[test]
    fn an_archive_page_asks_for_a_redraw_instead_of_naming_its_entries() {
        let viewer = AccountId(1);
        let page = ArchivePage {
            list: ListKind::Followers,
            part: 0,
            last: false,
            complete: true,
            handle: None,
            name: None,
            followers: 3,
            following: 0,
            ids: vec![AccountId(5), AccountId(6), AccountId(7)],
        };
        let done = ingested(
            &page_reading(viewer, 1_790_000_000, &page),
            viewer,
            Learned::default(),
        );
        assert!(done.refresh_all);
        assert_eq!(done.changed, vec![viewer]);
        assert_eq!(done.lists[0].entries, 3);
    }
}
