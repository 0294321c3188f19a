//! The engine: the ledger behind the worker's questions, and what a capture taught it.

use crate::error::{
    capture_error, fail, ledger_error, parse_id, parse_viewer, to_js, typed, ErrorCode,
};
use crate::Badges;
use reciprocity_capture::{read_envelope, CaptureError, Envelope, Reading};
use reciprocity_core::model::{ListKind, Platform};
use reciprocity_core::{
    AccountId, Badge, Lang, Learned, Ledger, LedgerError, Observation, SeriesPoint, Store, Summary,
    Timeline, Viewer, Who,
};
use serde::Serialize;
use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;

/// Each asked handle or id, as an account the ledger knows, or `None`.
pub(crate) fn known<'a>(
    l: &'a Ledger,
    asked: &'a [String],
) -> impl Iterator<Item = Option<AccountId>> + 'a {
    asked
        .iter()
        .map(move |a| l.resolve(a).filter(|id| l.knows(*id)))
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
    /// The handles of the accounts it described (badges are found by handle),
    /// and on Bluesky their DIDs (badges are found by DID too).
    pub handles: Vec<String>,
    /// A complete walk was finished (absences may have changed any annotation), or
    /// an archive page arrived: every badge is redrawn.
    pub refresh_all: bool,
    pub lists: Vec<ListSeen>,
}

pub(crate) fn ingested(reading: &Reading, viewer: AccountId, learned: Learned) -> Ingested {
    // An archive page names up to 50,000 accounts: it asks for everything to be
    // redrawn rather than naming them all.
    let whole = reading.operation == "archive";
    let mut changed: Vec<AccountId> = reading
        .users
        .iter()
        .map(reciprocity_capture::XUser::account_id)
        .collect();
    let mut handles: Vec<String> = reading
        .users
        .iter()
        .filter_map(|u| u.handle.clone())
        .collect();
    let mut lists = Vec::new();
    for o in &reading.observations {
        // The accounts a network's reader described as sightings (Bluesky's have
        // no X user beside them).
        if let Observation::Account(a) = o {
            changed.push(a.id);
            handles.extend(a.handle.iter().cloned());
        }
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
    handles.extend(reading.dids.iter().cloned());
    handles.sort_unstable();
    handles.dedup();
    Ingested {
        operation: reading.operation.clone(),
        viewer,
        at: reciprocity_core::time::to_rfc3339(reading.at),
        on: reciprocity_core::words::day(reading.at),
        learned,
        changed,
        handles,
        refresh_all: whole || learned.walks > 0,
        lists,
    }
}

#[wasm_bindgen]
pub struct Engine {
    pub(crate) store: Store,
    /// How the store is kept in parts, and what changed since the last save.
    pub(crate) layout: reciprocity_core::store::parts::Layout,
    /// The caller's clock (seconds): "now" is never later, whatever a capture or
    /// an archive claims.
    pub(crate) clock: Option<reciprocity_core::Time>,
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
                reading.observations.iter().map(Observation::at),
                now,
                "capture",
            )
            .map_err(|e| ledger_error(&e))?;
        }
        let key = Viewer {
            platform: reading.platform,
            id: viewer,
        };
        let ledger = self.store.ledger_mut(key);
        let learned = ledger
            .ingest(viewer, &reading.observations)
            .map_err(|e| ledger_error(&e))?;
        self.layout.touch_observations(key, &reading.observations);
        // Others' lists may not grow the store without end (the viewer's own never go).
        if ledger.trim_others(viewer, reciprocity_core::ledger::MAX_OTHERS_EDGES) > 0 {
            self.layout.touch_everything();
        }
        typed(&ingested(&reading, viewer, learned))
    }

    /// The viewer's ledger (an empty one when the store has none) and its "now":
    /// the latest capture, so that a verdict never depends on a clock.
    pub(crate) fn ledger_of<T>(
        &self,
        viewer: &str,
        f: impl FnOnce(AccountId, &Ledger, reciprocity_core::Time) -> Result<T, JsValue>,
    ) -> Result<T, JsValue> {
        let key = parse_viewer(viewer)?;
        let v = key.id;
        let empty = Ledger::new();
        let ledger = self.store.ledger(key).unwrap_or(&empty);
        let latest = ledger.latest_instant().unwrap_or(reciprocity_core::Time(0));
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
        let key = parse_viewer(viewer)?;
        let a = parse_id(account, "account")?;
        mark(
            self.store.ledger_mut(key),
            a,
            reciprocity_core::Time(crate::number::seconds_of_ms(at_ms)),
        )
        .map_err(|e| ledger_error(&e))?;
        self.layout.touch_account(key, a);
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
        self.clock = Some(reciprocity_core::Time(crate::number::seconds_of_ms(now_ms)));
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
            .map(|l| crate::number::js_count(l.trimmed()))
            .sum()
    }

    /// Viewers with a ledger in the store.
    pub fn viewers(&self) -> Vec<String> {
        self.store
            .ledgers
            .keys()
            .map(|v| match v.platform {
                Platform::X => v.id.to_string(),
                Platform::Bsky => format!("bsky:{}", v.id),
            })
            .collect()
    }

    /// The whole store as the documented JSON export (a file, not a value).
    pub fn export_json(&self) -> String {
        self.store.to_json()
    }

    /// One viewer's ledger as the documented JSON export.
    pub fn export_viewer_json(&self, viewer: &str) -> Result<String, JsValue> {
        Ok(self.store.viewer_to_json(parse_viewer(viewer)?))
    }

    /// Forgets an account from a viewer's ledger, at the viewer's request.
    pub fn forget(&mut self, viewer: &str, account: &str) -> Result<(), JsValue> {
        let key = parse_viewer(viewer)?;
        let a = parse_id(account, "account")?;
        if let Some(l) = self.store.ledgers.get_mut(&key) {
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
        let key = parse_viewer(viewer)?;
        let (from, to) = (parse_id(from, "account")?, parse_id(to, "account")?);
        let at = reciprocity_core::time::parse_rfc3339(by)
            .ok_or_else(|| fail(ErrorCode::BadId, format!("not an RFC 3339 time: {by:?}")))?;
        self.store
            .ledger_mut(key)
            .mark_not_unfollow(from, to, at)
            .map_err(|e| ledger_error(&e))?;
        self.layout.touch_account(key, from);
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
            &page_reading(viewer, reciprocity_core::Time(1_790_000_000), &page),
            viewer,
            Learned::default(),
        );
        assert!(done.refresh_all);
        assert_eq!(done.changed, vec![viewer]);
        assert_eq!(done.lists[0].entries, 3);
    }
}
