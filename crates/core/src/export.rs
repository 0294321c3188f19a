//! The JSON export: the whole store, readable and documented
//! (`docs/ledger-json.md`), importing back to an identical store.

use crate::account::Account;
use crate::dating::{DatedStart, Dating};
use crate::history::{History, Sighting};
use crate::ledger::Ledger;
use crate::lists::{ListLog, PageMeta};
use crate::model::{AccountId, ListKey, ListKind, Viewer};
use crate::segments::{OrderedPage, Settled};
use crate::sort::sort_by_cold;
use crate::store::{Store, StoreError};
use crate::time::Time;
use serde::{Deserialize, Serialize};

pub const FORMAT: &str = "reciprocity-ledger";
pub const EXPORT_VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct ExportDoc {
    format: String,
    version: u32,
    viewers: Vec<ViewerDoc>,
}

#[derive(Serialize, Deserialize)]
struct ViewerDoc {
    viewer: Viewer,
    accounts: Vec<AccountDoc>,
    edges: Vec<EdgeDoc>,
    lists: Vec<ListDoc>,
    /// Follows the platform dated (a list's cursor, a notification).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    dated: Vec<DatedDoc>,
    /// Pages whose cursor failed the checks and dated nothing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    undated: Vec<UndatedDoc>,
    /// Edges of others' lists dropped to keep the ledger under its cap.
    #[serde(default, skip_serializing_if = "is_zero")]
    trimmed: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

#[derive(Serialize, Deserialize)]
struct DatedDoc {
    from: AccountId,
    to: AccountId,
    after: Option<Time>,
    by: Time,
    how: Dating,
}

#[derive(Serialize, Deserialize)]
struct UndatedDoc {
    owner: AccountId,
    kind: ListKind,
    at: Time,
    cursor_ms: i64,
}

#[derive(Serialize, Deserialize)]
struct AccountDoc {
    id: AccountId,
    #[serde(flatten)]
    account: Account,
}

#[derive(Serialize, Deserialize)]
struct EdgeDoc {
    from: AccountId,
    to: AccountId,
    sightings: Vec<Sighting>,
}

#[derive(Serialize, Deserialize)]
struct ListDoc {
    owner: AccountId,
    kind: ListKind,
    pages: Vec<PageDoc>,
    /// Pages kept with their entries in X's order: which page (its index in
    /// `pages`), and the entries. Two captures of one page may differ.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    ordered: Vec<OrderedDoc>,
    /// What looks no longer kept in order proved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    settled: Option<SettledDoc>,
}

#[derive(Serialize, Deserialize)]
struct SettledDoc {
    looks: u32,
    first_look: Option<Time>,
    block_known: bool,
    absences: Vec<SpanDoc>,
    returns: Vec<ReturnDoc>,
    block: Vec<AccountId>,
}

#[derive(Serialize, Deserialize)]
struct SpanDoc {
    entry: AccountId,
    from: Time,
    to: Time,
}

#[derive(Serialize, Deserialize)]
struct ReturnDoc {
    entry: AccountId,
    from: Time,
    to: Time,
    back: Time,
}

impl SettledDoc {
    fn of(s: &Settled) -> Option<SettledDoc> {
        (!s.is_empty()).then(|| SettledDoc {
            looks: s.looks,
            first_look: s.first_look,
            block_known: s.block_known,
            absences: s
                .absences
                .iter()
                .map(|&(entry, from, to)| SpanDoc { entry, from, to })
                .collect(),
            returns: s
                .returns
                .iter()
                .map(|&(entry, from, to, back)| ReturnDoc {
                    entry,
                    from,
                    to,
                    back,
                })
                .collect(),
            block: s.block.clone(),
        })
    }

    fn settled(self) -> Settled {
        let mut s = Settled {
            looks: self.looks,
            first_look: self.first_look,
            block_known: self.block_known,
            absences: self
                .absences
                .into_iter()
                .map(|a| (a.entry, a.from, a.to))
                .collect(),
            returns: self
                .returns
                .into_iter()
                .map(|r| (r.entry, r.from, r.to, r.back))
                .collect(),
            block: self.block,
        };
        s.normalise();
        s
    }
}

#[derive(Serialize, Deserialize)]
struct OrderedDoc {
    page: usize,
    entries: Vec<AccountId>,
}

#[derive(Serialize, Deserialize)]
struct PageDoc {
    at: Time,
    /// Digests of the cursors, as 16 hex digits.
    cursor: Option<String>,
    next_cursor: Option<String>,
    is_last: bool,
    /// How many entries the page held; absent when not known (older stores).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    entries: Option<u32>,
}

fn hex(d: Option<u64>) -> Option<String> {
    d.map(|d| format!("{d:016x}"))
}

fn unhex(s: &Option<String>) -> Result<Option<u64>, StoreError> {
    s.as_deref()
        .map(|s| {
            u64::from_str_radix(s, 16)
                .map_err(|_| StoreError::Json(format!("bad cursor digest {s:?}")))
        })
        .transpose()
}

impl Store {
    /// The whole store as JSON; the same store always gives the same bytes.
    pub fn to_json(&self) -> String {
        self.to_json_of(|_| true)
    }

    /// One viewer's ledger as JSON (an import of it gives that viewer alone).
    pub fn viewer_to_json(&self, viewer: Viewer) -> String {
        self.to_json_of(|v| *v == viewer)
    }

    fn to_json_of(&self, wanted: impl Fn(&Viewer) -> bool) -> String {
        let viewers = self
            .ledgers
            .iter()
            .filter(|(viewer, _)| wanted(viewer))
            .map(|(viewer, l)| {
                let mut keys: Vec<_> = l.edges.keys().copied().collect();
                keys.sort_unstable();
                ViewerDoc {
                    viewer: *viewer,
                    accounts: l
                        .accounts
                        .iter()
                        .map(|(id, a)| AccountDoc {
                            id: *id,
                            account: a.clone(),
                        })
                        .collect(),
                    edges: keys
                        .into_iter()
                        .map(|(from, to)| EdgeDoc {
                            from,
                            to,
                            sightings: l.edges[&(from, to)].sightings().to_vec(),
                        })
                        .collect(),
                    lists: l
                        .lists
                        .iter()
                        .map(|(k, log)| ListDoc {
                            owner: k.owner,
                            kind: k.kind,
                            pages: log
                                .pages
                                .iter()
                                .map(|p| PageDoc {
                                    at: p.at,
                                    cursor: hex(p.cursor),
                                    next_cursor: hex(p.next_cursor),
                                    is_last: p.is_last,
                                    entries: p.entries,
                                })
                                .collect(),
                            ordered: log
                                .ordered
                                .iter()
                                .map(|o| OrderedDoc {
                                    page: log.pages.binary_search(&o.meta).unwrap_or(0),
                                    entries: o.entries.clone(),
                                })
                                .collect(),
                            settled: SettledDoc::of(log.settled()),
                        })
                        .collect(),
                    dated: {
                        let mut edges: Vec<_> = l.starts.iter().collect();
                        edges.sort_unstable_by_key(|(edge, _)| **edge);
                        edges
                            .into_iter()
                            .flat_map(|(&(from, to), starts)| {
                                starts.iter().map(move |s| DatedDoc {
                                    from,
                                    to,
                                    after: s.after,
                                    by: s.by,
                                    how: s.how,
                                })
                            })
                            .collect()
                    },
                    undated: l
                        .undated
                        .iter()
                        .map(|(key, at, ms)| UndatedDoc {
                            owner: key.owner,
                            kind: key.kind,
                            at: *at,
                            cursor_ms: *ms,
                        })
                        .collect(),
                    trimmed: l.trimmed,
                }
            })
            .collect();
        let doc = ExportDoc {
            format: FORMAT.into(),
            version: EXPORT_VERSION,
            viewers,
        };
        serde_json::to_string_pretty(&doc).expect("the export holds only serializable data")
    }

    pub fn from_json(json: &str) -> Result<Store, StoreError> {
        let doc: ExportDoc =
            serde_json::from_str(json).map_err(|e| StoreError::Json(e.to_string()))?;
        if doc.format != FORMAT {
            return Err(StoreError::Json(format!(
                "format is {:?}, not {FORMAT:?}",
                doc.format
            )));
        }
        if doc.version > EXPORT_VERSION {
            return Err(StoreError::Json(format!(
                "export version {} is newer than this Reciprocity reads ({EXPORT_VERSION})",
                doc.version
            )));
        }
        let mut store = Store::new();
        for v in doc.viewers {
            let mut ledger = Ledger::new();
            for a in v.accounts {
                let mut acc = a.account;
                // Only the DID the account's id is the digest of.
                if acc
                    .did
                    .as_deref()
                    .is_some_and(|d| AccountId::of_did(d) != a.id)
                {
                    acc.did = None;
                }
                // Sets are kept sorted; an edited export may not be.
                sort_by_cold(&mut acc.handles, |x, y| x.value.cmp(&y.value));
                sort_by_cold(&mut acc.names, |x, y| x.value.cmp(&y.value));
                sort_by_cold(&mut acc.counts, Ord::cmp);
                acc.counts.dedup();
                sort_by_cold(&mut acc.gone, Ord::cmp);
                acc.gone.dedup();
                sort_by_cold(&mut acc.blocked_you, Ord::cmp);
                acc.blocked_you.dedup();
                ledger.accounts.insert(a.id, acc);
            }
            for e in v.edges {
                if e.from == e.to || e.from.0 == 0 || e.to.0 == 0 {
                    return Err(StoreError::Json(format!(
                        "a bad edge {} → {}",
                        e.from, e.to
                    )));
                }
                ledger
                    .edges
                    .insert((e.from, e.to), History::from_sightings(e.sightings));
            }
            for l in v.lists {
                let mut pages = Vec::with_capacity(l.pages.len());
                for p in &l.pages {
                    pages.push(PageMeta {
                        at: p.at,
                        cursor: unhex(&p.cursor)?,
                        next_cursor: unhex(&p.next_cursor)?,
                        is_last: p.is_last,
                        entries: p.entries,
                    });
                }
                let mut ordered = Vec::with_capacity(l.ordered.len());
                for o in l.ordered {
                    let meta = *pages.get(o.page).ok_or_else(|| {
                        StoreError::Json(format!("an ordered page of no page ({})", o.page))
                    })?;
                    ordered.push(OrderedPage {
                        meta,
                        entries: o.entries,
                    });
                }
                sort_by_cold(&mut pages, Ord::cmp);
                pages.dedup();
                sort_by_cold(&mut ordered, Ord::cmp);
                ordered.dedup();
                ledger.lists.insert(
                    ListKey {
                        owner: l.owner,
                        kind: l.kind,
                    },
                    ListLog {
                        pages,
                        ordered,
                        settled: l.settled.map(SettledDoc::settled).unwrap_or_default(),
                        ..ListLog::default()
                    },
                );
            }
            for d in v.dated {
                let starts = ledger.starts.entry((d.from, d.to)).or_default();
                let start = DatedStart {
                    by: d.by,
                    after: d.after,
                    how: d.how,
                };
                if let Err(i) = starts.binary_search(&start) {
                    starts.insert(i, start);
                }
            }
            for u in v.undated {
                ledger.undated.insert((
                    ListKey {
                        owner: u.owner,
                        kind: u.kind,
                    },
                    u.at,
                    u.cursor_ms,
                ));
            }
            ledger.trimmed = v.trimmed;
            ledger.reindex();
            store.ledgers.insert(v.viewer, ledger);
        }
        Ok(store)
    }
}
