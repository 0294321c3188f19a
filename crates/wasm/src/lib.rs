//! The engine the extension's worker and the dashboard call: a thin façade over
//! `reciprocity-core` and `reciprocity-capture`. Bytes in as `Uint8Array`, results
//! out as JSON text (the callers `JSON.parse` them); every failure is a value, never
//! a panic across the boundary.

use reciprocity_capture::{archive, read_envelope, CaptureError, Envelope, Reading};
use reciprocity_core::model::{ListKind, Platform};
use reciprocity_core::{AccountId, Ledger, Store, Viewer};
use serde::Serialize;
use serde_json::json;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub struct Engine {
    store: Store,
}

fn viewer_key(id: AccountId) -> Viewer {
    Viewer {
        platform: Platform::X,
        id,
    }
}

fn parse_id(s: &str) -> Result<AccountId, String> {
    s.parse().map_err(|_| format!("not an account id: {s:?}"))
}

fn to_json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v)
        .unwrap_or_else(|e| json!({"ok": false, "error": e.to_string()}).to_string())
}

#[derive(Serialize)]
struct Ingested<'a> {
    ok: bool,
    operation: &'a str,
    viewer: AccountId,
    at: String,
    learned: reciprocity_core::Learned,
    /// Accounts the capture described, for callers that refresh their badges.
    accounts: Vec<AccountId>,
    handles: Vec<&'a str>,
    /// The list pages it held: `{owner, kind, entries}` (an archive holds two).
    lists: Vec<serde_json::Value>,
}

impl Default for Engine {
    fn default() -> Self {
        Self::new()
    }
}

impl Engine {
    fn apply(
        &mut self,
        reading: Result<Reading, CaptureError>,
        fallback: Option<AccountId>,
    ) -> String {
        let reading = match reading {
            Ok(r) => r,
            Err(e) => return json!({"ok": false, "error": e.to_string()}).to_string(),
        };
        let Some(viewer) = reading.viewer.or(fallback) else {
            return json!({"ok": false, "error": "no viewer: signed out, nothing recorded"})
                .to_string();
        };
        let ledger = self.store.ledger_mut(viewer_key(viewer));
        match ledger.ingest(viewer, &reading.observations) {
            Ok(learned) => to_json(&Ingested {
                ok: true,
                operation: &reading.operation,
                viewer,
                at: reciprocity_core::time::to_rfc3339(reading.at),
                learned,
                accounts: reading.users.iter().map(|u| u.account_id()).collect(),
                handles: reading
                    .users
                    .iter()
                    .filter_map(|u| u.handle.as_deref())
                    .collect(),
                lists: reading
                    .observations
                    .iter()
                    .filter_map(|o| match o {
                        reciprocity_core::Observation::ListPage(p) => Some(json!({
                            "owner": p.list.owner, "kind": p.list.kind, "entries": p.entries.len(),
                        })),
                        _ => None,
                    })
                    .collect(),
            }),
            Err(e) => json!({"ok": false, "operation": reading.operation, "error": e.to_string()})
                .to_string(),
        }
    }

    fn with_ledger<T: Serialize>(
        &self,
        viewer: &str,
        f: impl FnOnce(AccountId, &Ledger) -> T,
    ) -> String {
        let Ok(v) = parse_id(viewer) else {
            return json!({"ok": false, "error": format!("not an account id: {viewer:?}")})
                .to_string();
        };
        match self.store.ledger(viewer_key(v)) {
            Some(l) => to_json(&f(v, l)),
            None => to_json(&f(v, &Ledger::new())),
        }
    }
}

#[wasm_bindgen]
impl Engine {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Engine {
        Engine {
            store: Store::new(),
        }
    }

    /// Restores a saved store; a corrupt one is an error naming what is wrong.
    pub fn load(bytes: &[u8]) -> Result<Engine, JsError> {
        Store::from_bytes(bytes)
            .map(|store| Engine { store })
            .map_err(|e| JsError::new(&e.to_string()))
    }

    pub fn save(&self) -> Vec<u8> {
        self.store.to_bytes()
    }

    /// Ingests one capture envelope (its JSON bytes).
    pub fn ingest(&mut self, envelope: &[u8]) -> String {
        let reading = std::str::from_utf8(envelope)
            .map_err(|_| CaptureError::Envelope("not UTF-8".into()))
            .and_then(Envelope::from_json)
            .and_then(|env| read_envelope(&env));
        self.apply(reading, None)
    }

    /// Ingests an X data archive (`.zip` bytes).
    pub fn ingest_archive(&mut self, zip: &[u8]) -> String {
        self.apply(archive::read_zip(zip), None)
    }

    /// Annotations for handles or ids (a JSON array of strings), as of the
    /// ledger's latest capture; `null` for an account the ledger does not know.
    pub fn annotate(&self, viewer: &str, accounts: &str) -> String {
        let asked: Vec<String> = match serde_json::from_str(accounts) {
            Ok(a) => a,
            Err(e) => return json!({"ok": false, "error": e.to_string()}).to_string(),
        };
        self.with_ledger(viewer, |v, l| {
            let now = l.latest_instant().unwrap_or(0);
            asked
                .iter()
                .map(|a| {
                    l.resolve(a)
                        .filter(|id| l.knows(*id))
                        .map(|id| l.annotate(v, id, now))
                })
                .collect::<Vec<_>>()
        })
    }

    /// The viewer's summary (who unfollowed you, who doesn't follow back, brands).
    pub fn summary(&self, viewer: &str) -> String {
        self.with_ledger(viewer, |v, l| {
            let now = l.latest_instant().unwrap_or(0);
            let s = l.summary(v, now);
            let who = |id: AccountId| l.annotate(v, id, now).account;
            json!({
                "summary": s,
                "accounts": s.unfollowed_you.iter().map(|u| u.account)
                    .chain(s.not_following_back.iter().map(|n| n.account))
                    .chain(s.ended_otherwise.iter().map(|e| e.account))
                    .chain(s.brands.iter().map(|b| b.account))
                    .map(who).collect::<Vec<_>>(),
            })
        })
    }

    /// One account's history for the dashboard: events on both edges with the
    /// viewer, counts over time, and its annotation.
    pub fn timeline(&self, viewer: &str, account: &str) -> String {
        self.with_ledger(viewer, |v, l| {
            let Some(id) = l.resolve(account) else {
                return json!({"ok": false, "error": "unknown account"});
            };
            let now = l.latest_instant().unwrap_or(0);
            let counts: Vec<_> = l.account(id).map(|a| a.counts.clone()).unwrap_or_default();
            json!({
                "ok": true,
                "annotation": l.annotate(v, id, now),
                "events": l.events_with(v, id),
                "counts": counts,
            })
        })
    }

    /// The viewer's own followers and following counts over time, as the ledger's
    /// complete walks saw them: `[{at, followers, following}]`.
    pub fn viewer_series(&self, viewer: &str) -> String {
        self.with_ledger(viewer, |v, l| {
            let mut points = std::collections::BTreeMap::<i64, (Option<usize>, Option<usize>)>::new();
            for (kind, slot) in [(ListKind::Followers, 0), (ListKind::Following, 1)] {
                let key = reciprocity_core::ListKey { owner: v, kind };
                if let Some(log) = l.list(key) {
                    for w in log.walks() {
                        let n = l.list_members_at(key, *w);
                        let e = points.entry(w.to).or_default();
                        if slot == 0 {
                            e.0 = Some(n);
                        } else {
                            e.1 = Some(n);
                        }
                    }
                }
            }
            points
                .into_iter()
                .map(|(at, (f, g))| json!({"at": reciprocity_core::time::to_rfc3339(at), "followers": f, "following": g}))
                .collect::<Vec<_>>()
        })
    }

    /// Viewers with a ledger in the store.
    pub fn viewers(&self) -> String {
        to_json(&self.store.ledgers.keys().map(|v| v.id).collect::<Vec<_>>())
    }

    pub fn export_json(&self) -> String {
        self.store.to_json()
    }

    /// Merges a JSON export into the store.
    pub fn import_json(&mut self, json: &str) -> Result<(), JsError> {
        let incoming = Store::from_json(json).map_err(|e| JsError::new(&e.to_string()))?;
        self.store.merge(&incoming);
        Ok(())
    }

    /// The viewer marks (or unmarks) an account as a brand.
    pub fn mark_brand(
        &mut self,
        viewer: &str,
        account: &str,
        at_ms: f64,
        brand: bool,
    ) -> Result<(), JsError> {
        self.curate(viewer, account, at_ms, |l, a, at| {
            l.mark_brand(a, at, brand)
        })
    }

    /// The viewer puts an account on (or off) the allowlist: never flagged.
    pub fn set_allowlisted(
        &mut self,
        viewer: &str,
        account: &str,
        at_ms: f64,
        on: bool,
    ) -> Result<(), JsError> {
        self.curate(viewer, account, at_ms, |l, a, at| {
            l.set_allowlisted(a, at, on)
        })
    }
}

impl Engine {
    /// A viewer's own mark on an account, dated by the caller's clock (ms).
    fn curate(
        &mut self,
        viewer: &str,
        account: &str,
        at_ms: f64,
        mark: impl FnOnce(
            &mut Ledger,
            AccountId,
            reciprocity_core::Time,
        ) -> Result<(), reciprocity_core::LedgerError>,
    ) -> Result<(), JsError> {
        let v = parse_id(viewer).map_err(|e| JsError::new(&e))?;
        let a = parse_id(account).map_err(|e| JsError::new(&e))?;
        mark(
            self.store.ledger_mut(viewer_key(v)),
            a,
            (at_ms / 1000.0) as i64,
        )
        .map_err(|e| JsError::new(&e.to_string()))
    }
}

/// The accounts a bare response body shows, as `reciprocity parse` prints them (a
/// JSON array), or `{"ok":false,"error"}`.
#[wasm_bindgen]
pub fn read_body(body: &[u8]) -> String {
    match reciprocity_capture::read_body(body) {
        Ok(users) => to_json(&users),
        Err(e) => json!({"ok": false, "error": e.to_string()}).to_string(),
    }
}

/// The benchmark baseline for `read_body`: builds a `serde_json::Value` of the same
/// bytes (the browser harness compares the two in the same run).
#[wasm_bindgen]
pub fn parse_value_baseline(body: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(body).is_ok()
}
