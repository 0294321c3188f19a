//! The store: every viewer's ledger in one file.
//!
//! Binary format, version 5 (all integers LEB128 varints unless said otherwise;
//! instants are zigzag varints relative to the ledger's earliest instant):
//!
//! ```text
//! magic   "RCPRSTOR"            8 bytes
//! version u16 little-endian     refused if newer than this build knows
//! body    viewers: count, then per viewer: platform (u8), id, ledger
//! crc32   u32 little-endian     of everything before it
//! ```
//!
//! A ledger is its base instant, its accounts (sorted by id, ids delta-coded), a
//! dictionary of the distinct instants its sightings start at, its edges (sorted by
//! followee then follower, delta-coded, each sighting an index into the dictionary
//! with its state), its walkable lists' pages, the follows the platform
//! dated (list cursors, notifications), and what looks no longer kept proved. Writing the file atomically
//! is the caller's part (the core does no I/O): write aside, then rename.

mod accounts;
mod codec;
mod dates;
mod edges;
mod lists;
pub mod parts;
mod settled;

use crate::ledger::Ledger;
use crate::model::{AccountId, Platform, Viewer};
use crate::time::Time;
use codec::{Reader, TimeReader, Writer};
use std::collections::BTreeMap;
use thiserror::Error;

pub const MAGIC: &[u8; 8] = b"RCPRSTOR";
/// 2: each list page keeps how many entries it held, and each account what the
/// viewer did to it (format 1 is read: its pages' counts unknown, no actions).
/// 3: a dates section after the lists: follows dated by the platform, and pages
/// whose cursor dated nothing (formats 1 and 2 are read: nothing dated).
/// 4: a settled section after the dates: what looks no longer kept in order
/// proved (formats 1 to 3 are read: nothing settled).
/// 5: a DIDs section after the settled one: the Bluesky accounts' DIDs (formats 1
/// to 4 are read: none).
pub const VERSION: u16 = 5;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum StoreError {
    #[error("not a Reciprocity store (the file does not start with the store's magic bytes)")]
    NotAStore,
    #[error("the store is truncated: it ends at byte {len}, before its {what}")]
    Truncated { what: &'static str, len: usize },
    #[error("the store is corrupt: its checksum is {found:08x}, its content gives {computed:08x}")]
    Checksum { found: u32, computed: u32 },
    #[error("the store was written by a newer version of Reciprocity (format {found}; this one reads up to {supported}): update Reciprocity, the file was left untouched")]
    NewerVersion { found: u16, supported: u16 },
    #[error("the store is corrupt: {0}")]
    Corrupt(String),
    #[error("not a ledger export: {0}")]
    Json(String),
}

/// Every viewer's ledger.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Store {
    pub ledgers: BTreeMap<Viewer, Ledger>,
}

impl Store {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn ledger(&self, viewer: Viewer) -> Option<&Ledger> {
        self.ledgers.get(&viewer)
    }

    pub fn ledger_mut(&mut self, viewer: Viewer) -> &mut Ledger {
        self.ledgers.entry(viewer).or_default()
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.buf.extend_from_slice(MAGIC);
        w.buf.extend_from_slice(&VERSION.to_le_bytes());
        w.uint(self.ledgers.len() as u64);
        for (viewer, ledger) in &self.ledgers {
            w.buf.push(viewer.platform.code());
            w.uint(viewer.id.0);
            write_ledger(&mut w, ledger);
        }
        let crc = crc32fast::hash(&w.buf);
        w.buf.extend_from_slice(&crc.to_le_bytes());
        w.buf
    }

    /// A store saved whole (formats 1 to 4), or in parts in one file
    /// ([`Store::to_parts_file`]).
    pub fn from_bytes(bytes: &[u8]) -> Result<Store, StoreError> {
        if Store::is_parts_file(bytes) {
            return Store::from_parts_file(bytes);
        }
        if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
            return Err(StoreError::NotAStore);
        }
        if bytes.len() < MAGIC.len() + 2 {
            return Err(StoreError::Truncated {
                what: "version",
                len: bytes.len(),
            });
        }
        let version = u16::from_le_bytes([bytes[8], bytes[9]]);
        if version > VERSION {
            return Err(StoreError::NewerVersion {
                found: version,
                supported: VERSION,
            });
        }
        if version == 0 {
            return Err(StoreError::Corrupt("format version 0".into()));
        }
        if bytes.len() < MAGIC.len() + 2 + 4 {
            return Err(StoreError::Truncated {
                what: "checksum",
                len: bytes.len(),
            });
        }
        let (content, tail) = bytes.split_at(bytes.len() - 4);
        let found = u32::from_le_bytes([tail[0], tail[1], tail[2], tail[3]]);
        let computed = crc32fast::hash(content);
        if found != computed {
            return Err(StoreError::Checksum { found, computed });
        }
        let mut r = Reader {
            buf: content,
            pos: MAGIC.len() + 2,
        };
        let n = r.count("viewer count")?;
        let mut store = Store::new();
        for _ in 0..n {
            let platform = Platform::from_code(r.byte("platform")?)
                .ok_or_else(|| StoreError::Corrupt("unknown platform".into()))?;
            let id = AccountId(r.uint("viewer id")?);
            let ledger = read_ledger(&mut r, version)?;
            store.ledgers.insert(Viewer { platform, id }, ledger);
        }
        if r.pos != content.len() {
            return Err(StoreError::Corrupt(format!(
                "{} unread bytes after the last ledger",
                content.len() - r.pos
            )));
        }
        Ok(store)
    }
}

impl Store {
    /// Refuses a store holding anything dated after `now` (the caller's clock)
    /// by more than a day: an import from the future would outrank every real
    /// observation.
    pub fn check_not_after(&self, now: Time) -> Result<(), crate::LedgerError> {
        crate::ledger::not_after(
            self.ledgers.values().filter_map(Ledger::latest_instant),
            now,
            "ledger file",
        )
    }

    /// Folds another store in, viewer by viewer.
    pub fn merge(&mut self, other: &Store) {
        for (viewer, ledger) in &other.ledgers {
            self.ledger_mut(*viewer).merge(ledger);
        }
    }
}

// ----- a ledger: its base instant, then each section -----

fn earliest(ledger: &Ledger) -> Time {
    let edge_min = ledger
        .edges
        .values()
        .filter_map(|h| h.sightings().first().map(|s| s.from));
    let page_min = ledger
        .lists
        .values()
        .filter_map(|l| l.pages.first().map(|p| p.at));
    edge_min.chain(page_min).min().unwrap_or(Time(0))
}

fn write_ledger(w: &mut Writer, ledger: &Ledger) {
    w.base = Time(0);
    let base = earliest(ledger);
    w.int(base.0);
    w.base = base;

    accounts::write(w, ledger);
    edges::write(w, ledger, base);
    lists::write(w, ledger);
    dates::write(w, ledger);
    settled::write(w, ledger);
    accounts::write_dids(w, ledger);
}

fn read_ledger(r: &mut Reader, version: u16) -> Result<Ledger, StoreError> {
    let mut ledger = read_ledger_unindexed(r, version)?;
    ledger.reindex();
    Ok(ledger)
}

/// A ledger's sections, without the derived indexes (a part of one is folded
/// into the whole first).
fn read_ledger_unindexed(r: &mut Reader, version: u16) -> Result<Ledger, StoreError> {
    let base = Time(r.int("base instant")?);
    let tr = TimeReader { base };
    let mut ledger = Ledger::new();

    accounts::read(r, &tr, &mut ledger, version)?;
    edges::read(r, base, &mut ledger)?;
    lists::read(r, &tr, &mut ledger, version)?;
    if version >= 3 {
        dates::read(r, &tr, &mut ledger)?;
    }
    if version >= 4 {
        settled::read(r, &tr, &mut ledger)?;
    }
    if version >= 5 {
        accounts::read_dids(r, &mut ledger)?;
    }
    Ok(ledger)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AccountSighting, ListKey, ListKind, ListPage, Observation, PagePosition};

    fn sample() -> Store {
        let mut store = Store::new();
        let v = Viewer::x(1);
        let ledger = store.ledger_mut(v);
        let t = Time(1_790_000_000);
        ledger
            .ingest(
                v.id,
                &[
                    Observation::Account(AccountSighting {
                        id: AccountId(42),
                        at: t,
                        handle: Some("Brand".into()),
                        name: Some("A Brand".into()),
                        followers: Some(1000),
                        following: Some(0),
                        verified_type: Some("Business".into()),
                        follows_you: Some(true),
                        ..Default::default()
                    }),
                    Observation::Account(AccountSighting {
                        id: AccountId(43),
                        at: t + 2,
                        by_you: Some(crate::model::OwnAction::RemoveFollower),
                        ..Default::default()
                    }),
                    Observation::ListPage(ListPage {
                        list: ListKey {
                            owner: AccountId(1),
                            kind: ListKind::Followers,
                        },
                        at: t + 5,
                        position: PagePosition::Walk {
                            cursor: None,
                            next_cursor: Some("0|123".into()),
                            is_last: true,
                        },
                        entries: vec![AccountId(42), AccountId(7)],
                        dating: None,
                    }),
                ],
            )
            .unwrap();
        store
    }

    #[test]
    fn round_trips() {
        let store = sample();
        let bytes = store.to_bytes();
        assert_eq!(Store::from_bytes(&bytes).unwrap(), store);
    }

    #[test]
    fn refuses_what_it_cannot_trust() {
        let bytes = sample().to_bytes();
        assert_eq!(
            Store::from_bytes(b"hello world, not a store"),
            Err(StoreError::NotAStore)
        );
        let truncated = &bytes[..bytes.len() - 7];
        assert!(matches!(
            Store::from_bytes(truncated),
            Err(StoreError::Checksum { .. })
        ));
        let mut flipped = bytes.clone();
        flipped[20] ^= 0x10;
        assert!(matches!(
            Store::from_bytes(&flipped),
            Err(StoreError::Checksum { .. })
        ));
        let mut newer = bytes.clone();
        newer[8] = 9;
        assert_eq!(
            Store::from_bytes(&newer),
            Err(StoreError::NewerVersion {
                found: 9,
                supported: VERSION
            })
        );
        assert!(matches!(
            Store::from_bytes(&bytes[..9]),
            Err(StoreError::Truncated { .. })
        ));
    }

    #[test]
    fn a_format_3_store_loads_with_nothing_settled() {
        // Format 3 is format 5 without the settled and DIDs sections (here a 0
        // each: no list, no DID).
        let store = sample();
        let v5 = store.to_bytes();
        let body = &v5[..v5.len() - 4];
        assert_eq!(
            &body[body.len() - 2..],
            &[0, 0],
            "empty settled and DIDs sections"
        );
        let mut v3 = body[..body.len() - 2].to_vec();
        v3[8..10].copy_from_slice(&3u16.to_le_bytes());
        let crc = crc32fast::hash(&v3);
        v3.extend_from_slice(&crc.to_le_bytes());
        assert_eq!(Store::from_bytes(&v3).unwrap(), store);
    }

    #[test]
    fn every_prefix_is_refused_without_panic() {
        let bytes = sample().to_bytes();
        for len in 0..bytes.len() {
            assert!(
                Store::from_bytes(&bytes[..len]).is_err(),
                "prefix of {len} bytes"
            );
        }
    }
}
