//! The store: every viewer's ledger in one file.
//!
//! Binary format, version 1 (all integers LEB128 varints unless said otherwise;
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
//! with its state), and its walkable lists' pages. Writing the file atomically
//! is the caller's part (the core does no I/O): write aside, then rename.

use crate::history::{History, Sighting};
use crate::ledger::{
    Account, BlockSighting, CountSample, GoneSighting, Latest, Ledger, ListLog, Named, PageMeta,
};
use crate::model::{AccountId, ListKey, ListKind, Platform, Viewer};
use crate::time::Time;
use std::collections::BTreeMap;
use thiserror::Error;

pub const MAGIC: &[u8; 8] = b"RCPRSTOR";
pub const VERSION: u16 = 1;

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

    pub fn from_bytes(bytes: &[u8]) -> Result<Store, StoreError> {
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
            let ledger = read_ledger(&mut r)?;
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
    /// Folds another store in, viewer by viewer.
    pub fn merge(&mut self, other: &Store) {
        for (viewer, ledger) in &other.ledgers {
            self.ledger_mut(*viewer).merge(ledger);
        }
    }
}

// ----- writing -----

#[derive(Default)]
struct Writer {
    buf: Vec<u8>,
    base: Time,
}

impl Writer {
    fn uint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.buf.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.buf.push(v as u8);
    }
    fn int(&mut self, v: i64) {
        self.uint(((v << 1) ^ (v >> 63)) as u64);
    }
    fn time(&mut self, t: Time) {
        self.int(t - self.base);
    }
    fn str(&mut self, s: &str) {
        self.uint(s.len() as u64);
        self.buf.extend_from_slice(s.as_bytes());
    }
    fn opt_uint(&mut self, v: Option<u64>) {
        // 0 is "unknown"; a known count n is written n + 1.
        self.uint(v.map_or(0, |n| n.saturating_add(1)));
    }
    fn latest_bool(&mut self, v: &Option<Latest<bool>>) {
        match v {
            None => self.buf.push(0),
            Some(l) => {
                self.buf.push(1 + l.value as u8);
                self.time(l.at);
            }
        }
    }
    fn latest_str(&mut self, v: &Option<Latest<String>>) {
        match v {
            None => self.buf.push(0),
            Some(l) => {
                self.buf.push(1);
                self.time(l.at);
                self.str(&l.value);
            }
        }
    }
    fn named(&mut self, list: &[Named]) {
        self.uint(list.len() as u64);
        for n in list {
            self.str(&n.value);
            self.time(n.first);
            self.uint((n.last - n.first) as u64);
        }
    }
}

fn earliest(ledger: &Ledger) -> Time {
    let edge_min = ledger
        .edges
        .values()
        .filter_map(|h| h.sightings().first().map(|s| s.from));
    let page_min = ledger
        .lists
        .values()
        .filter_map(|l| l.pages.first().map(|p| p.at));
    edge_min.chain(page_min).min().unwrap_or(0)
}

fn write_ledger(w: &mut Writer, ledger: &Ledger) {
    w.base = 0;
    let base = earliest(ledger);
    w.int(base);
    w.base = base;

    w.uint(ledger.accounts.len() as u64);
    let mut prev = 0u64;
    for (id, a) in &ledger.accounts {
        w.uint(id.0 - prev);
        prev = id.0;
        w.named(&a.handles);
        w.named(&a.names);
        w.uint(a.counts.len() as u64);
        for c in &a.counts {
            w.time(c.at);
            w.opt_uint(c.followers);
            w.opt_uint(c.following);
        }
        w.latest_bool(&a.protected);
        w.latest_str(&a.verified_type);
        w.latest_bool(&a.blue_verified);
        w.latest_str(&a.professional_type);
        w.uint(a.gone.len() as u64);
        for g in &a.gone {
            w.time(g.at);
            w.str(&g.reason);
        }
        w.uint(a.blocked_you.len() as u64);
        for b in &a.blocked_you {
            w.time(b.at);
            w.buf.push(b.blocked as u8);
        }
        match a.last_active {
            None => w.buf.push(0),
            Some(t) => {
                w.buf.push(1);
                w.time(t);
            }
        }
        w.latest_bool(&a.brand_mark);
        w.latest_bool(&a.allowlisted);
    }

    // Edges sorted by followee first: a list's entries then sit together and
    // delta-code to a byte or two.
    let mut edges: Vec<(&(AccountId, AccountId), &History)> = ledger.edges.iter().collect();
    edges.sort_unstable_by_key(|(&(from, to), _)| (to, from));
    // Sightings mostly share their instants (a list page, an archive, a walk): a
    // dictionary of distinct instants makes each sighting a small index.
    let mut instants: Vec<Time> = ledger
        .edges
        .values()
        .flat_map(|h| h.sightings().iter().map(|s| s.from))
        .collect();
    instants.sort_unstable();
    instants.dedup();
    w.uint(instants.len() as u64);
    let mut prev = base;
    for &t in &instants {
        w.int(t - prev);
        prev = t;
    }
    w.uint(edges.len() as u64);
    let (mut prev_to, mut prev_from) = (0u64, 0u64);
    for (&(from, to), history) in edges {
        w.uint(to.0 - prev_to);
        if to.0 != prev_to {
            prev_from = 0;
        }
        w.uint(from.0 - prev_from);
        prev_to = to.0;
        prev_from = from.0;
        let sightings = history.sightings();
        w.uint(sightings.len() as u64);
        for s in sightings {
            // index << 2 | has-span << 1 | follows, then the span if any.
            let index = instants.binary_search(&s.from).expect("collected above") as u64;
            let span = (s.to - s.from) as u64;
            w.uint(index << 2 | ((span > 0) as u64) << 1 | s.follows as u64);
            if span > 0 {
                w.uint(span);
            }
        }
    }

    w.uint(ledger.lists.len() as u64);
    for (key, log) in &ledger.lists {
        w.uint(key.owner.0);
        w.buf.push(match key.kind {
            ListKind::Followers => 0,
            ListKind::Following => 1,
        });
        w.uint(log.pages.len() as u64);
        for p in &log.pages {
            w.time(p.at);
            let flags = p.cursor.is_some() as u8
                | (p.next_cursor.is_some() as u8) << 1
                | (p.is_last as u8) << 2;
            w.buf.push(flags);
            for c in [p.cursor, p.next_cursor].into_iter().flatten() {
                w.buf.extend_from_slice(&c.to_le_bytes());
            }
        }
    }
}

// ----- reading -----

struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn truncated(&self, what: &'static str) -> StoreError {
        StoreError::Truncated {
            what,
            len: self.buf.len(),
        }
    }
    fn byte(&mut self, what: &'static str) -> Result<u8, StoreError> {
        let b = *self.buf.get(self.pos).ok_or_else(|| self.truncated(what))?;
        self.pos += 1;
        Ok(b)
    }
    fn uint(&mut self, what: &'static str) -> Result<u64, StoreError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte(what)?;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(StoreError::Corrupt(format!(
            "an over-long number in the {what}"
        )))
    }
    fn int(&mut self, what: &'static str) -> Result<i64, StoreError> {
        let u = self.uint(what)?;
        Ok((u >> 1) as i64 ^ -((u & 1) as i64))
    }
    /// A count of items that are each at least one byte: never more than remain,
    /// so a corrupt count cannot make us allocate without bound.
    fn count(&mut self, what: &'static str) -> Result<usize, StoreError> {
        let n = self.uint(what)?;
        if n > (self.buf.len() - self.pos) as u64 {
            return Err(StoreError::Corrupt(format!(
                "the {what} ({n}) exceeds the file"
            )));
        }
        Ok(n as usize)
    }
    fn bytes(&mut self, n: usize, what: &'static str) -> Result<&[u8], StoreError> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.buf.len());
        let end = end.ok_or_else(|| self.truncated(what))?;
        let s = &self.buf[self.pos..end];
        self.pos = end;
        Ok(s)
    }
    fn str(&mut self, what: &'static str) -> Result<String, StoreError> {
        let n = self.count(what)?;
        let b = self.bytes(n, what)?;
        String::from_utf8(b.to_vec())
            .map_err(|_| StoreError::Corrupt(format!("a {what} that is not UTF-8")))
    }
    fn u64le(&mut self, what: &'static str) -> Result<u64, StoreError> {
        let b = self.bytes(8, what)?;
        Ok(u64::from_le_bytes(b.try_into().expect("8 bytes")))
    }
}

struct TimeReader {
    base: Time,
}

impl TimeReader {
    fn time(&self, r: &mut Reader, what: &'static str) -> Result<Time, StoreError> {
        let d = r.int(what)?;
        self.base
            .checked_add(d)
            .ok_or_else(|| StoreError::Corrupt(format!("an instant out of range in the {what}")))
    }
    fn latest_bool(
        &self,
        r: &mut Reader,
        what: &'static str,
    ) -> Result<Option<Latest<bool>>, StoreError> {
        match r.byte(what)? {
            0 => Ok(None),
            tag @ (1 | 2) => Ok(Some(Latest {
                at: self.time(r, what)?,
                value: tag == 2,
            })),
            _ => Err(StoreError::Corrupt(format!("a bad tag in the {what}"))),
        }
    }
    fn latest_str(
        &self,
        r: &mut Reader,
        what: &'static str,
    ) -> Result<Option<Latest<String>>, StoreError> {
        match r.byte(what)? {
            0 => Ok(None),
            1 => Ok(Some(Latest {
                at: self.time(r, what)?,
                value: r.str(what)?,
            })),
            _ => Err(StoreError::Corrupt(format!("a bad tag in the {what}"))),
        }
    }
    fn named(&self, r: &mut Reader, what: &'static str) -> Result<Vec<Named>, StoreError> {
        let n = r.count(what)?;
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            let value = r.str(what)?;
            let first = self.time(r, what)?;
            let last = first.saturating_add(r.uint(what)? as i64);
            out.push(Named { value, first, last });
        }
        ensure_sorted(&out, |a, b| a.value < b.value, what)?;
        Ok(out)
    }
}

fn ensure_sorted<T>(v: &[T], lt: impl Fn(&T, &T) -> bool, what: &str) -> Result<(), StoreError> {
    if v.windows(2).all(|w| lt(&w[0], &w[1])) {
        Ok(())
    } else {
        Err(StoreError::Corrupt(format!("the {what} are out of order")))
    }
}

fn read_ledger(r: &mut Reader) -> Result<Ledger, StoreError> {
    let base = r.int("base instant")?;
    let tr = TimeReader { base };
    let mut ledger = Ledger::new();

    let n = r.count("account count")?;
    let mut id = 0u64;
    for _ in 0..n {
        id = id
            .checked_add(r.uint("account id")?)
            .ok_or_else(|| StoreError::Corrupt("an account id out of range".into()))?;
        let handles = tr.named(r, "handles")?;
        let names = tr.named(r, "names")?;
        let nc = r.count("count samples")?;
        let mut counts = Vec::with_capacity(nc);
        for _ in 0..nc {
            let at = tr.time(r, "count samples")?;
            let f = r.uint("count samples")?;
            let g = r.uint("count samples")?;
            counts.push(CountSample {
                at,
                followers: f.checked_sub(1),
                following: g.checked_sub(1),
            });
        }
        ensure_sorted(&counts, |a, b| a < b, "count samples")?;
        let protected = tr.latest_bool(r, "protected flag")?;
        let verified_type = tr.latest_str(r, "verification type")?;
        let blue_verified = tr.latest_bool(r, "blue flag")?;
        let professional_type = tr.latest_str(r, "professional type")?;
        let ng = r.count("gone sightings")?;
        let mut gone = Vec::with_capacity(ng);
        for _ in 0..ng {
            gone.push(GoneSighting {
                at: tr.time(r, "gone sightings")?,
                reason: r.str("gone sightings")?,
            });
        }
        ensure_sorted(&gone, |a, b| a < b, "gone sightings")?;
        let nb = r.count("block sightings")?;
        let mut blocked_you = Vec::with_capacity(nb);
        for _ in 0..nb {
            let at = tr.time(r, "block sightings")?;
            let blocked = r.byte("block sightings")? != 0;
            blocked_you.push(BlockSighting { at, blocked });
        }
        ensure_sorted(&blocked_you, |a, b| a < b, "block sightings")?;
        let last_active = match r.byte("last active")? {
            0 => None,
            _ => Some(tr.time(r, "last active")?),
        };
        let brand_mark = tr.latest_bool(r, "brand mark")?;
        let allowlisted = tr.latest_bool(r, "allowlist")?;
        ledger.accounts.insert(
            AccountId(id),
            Account {
                handles,
                names,
                counts,
                protected,
                verified_type,
                blue_verified,
                professional_type,
                gone,
                blocked_you,
                last_active,
                brand_mark,
                allowlisted,
            },
        );
    }

    let ni = r.count("instant count")?;
    let mut instants = Vec::with_capacity(ni);
    let mut prev = base;
    for _ in 0..ni {
        prev = prev
            .checked_add(r.int("instants")?)
            .ok_or_else(|| StoreError::Corrupt("an instant out of range".into()))?;
        instants.push(prev);
    }
    let n = r.count("edge count")?;
    ledger.edges.reserve(n);
    let (mut to, mut from) = (0u64, 0u64);
    for _ in 0..n {
        let dt = r.uint("edge")?;
        if dt != 0 {
            from = 0;
        }
        to = to
            .checked_add(dt)
            .ok_or_else(|| StoreError::Corrupt("an edge id out of range".into()))?;
        from = from
            .checked_add(r.uint("edge")?)
            .ok_or_else(|| StoreError::Corrupt("an edge id out of range".into()))?;
        let k = r.count("sighting count")?;
        let mut sightings = History::default();
        for _ in 0..k {
            let v = r.uint("sighting")?;
            let from = *instants
                .get((v >> 2) as usize)
                .ok_or_else(|| StoreError::Corrupt("a sighting names an unknown instant".into()))?;
            let span = if v & 2 != 0 {
                r.uint("sighting span")?
            } else {
                0
            };
            let s = Sighting {
                from,
                to: from.saturating_add(span.min(i64::MAX as u64) as i64),
                follows: v & 1 == 1,
            };
            if sightings.sightings().last().is_some_and(|last| *last >= s) {
                return Err(StoreError::Corrupt("the sightings are out of order".into()));
            }
            sightings.insert(s);
        }
        if ledger
            .edges
            .insert((AccountId(from), AccountId(to)), sightings)
            .is_some()
        {
            return Err(StoreError::Corrupt("an edge stored twice".into()));
        }
    }

    let n = r.count("list count")?;
    for _ in 0..n {
        let owner = AccountId(r.uint("list owner")?);
        let kind = match r.byte("list kind")? {
            0 => ListKind::Followers,
            1 => ListKind::Following,
            _ => return Err(StoreError::Corrupt("an unknown list kind".into())),
        };
        let np = r.count("page count")?;
        let mut pages = Vec::with_capacity(np);
        for _ in 0..np {
            let at = tr.time(r, "page")?;
            let flags = r.byte("page")?;
            let cursor = if flags & 1 != 0 {
                Some(r.u64le("page cursor")?)
            } else {
                None
            };
            let next_cursor = if flags & 2 != 0 {
                Some(r.u64le("page cursor")?)
            } else {
                None
            };
            pages.push(PageMeta {
                at,
                cursor,
                next_cursor,
                is_last: flags & 4 != 0,
            });
        }
        ensure_sorted(&pages, |a, b| a < b, "list pages")?;
        ledger.lists.insert(
            ListKey { owner, kind },
            ListLog {
                pages,
                walks: Vec::new(),
            },
        );
    }
    ledger.reindex();
    Ok(ledger)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AccountSighting, ListPage, Observation, PagePosition};

    fn sample() -> Store {
        let mut store = Store::new();
        let v = Viewer::x(1);
        let ledger = store.ledger_mut(v);
        let t = 1_790_000_000;
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
                supported: 1
            })
        );
        assert!(matches!(
            Store::from_bytes(&bytes[..9]),
            Err(StoreError::Truncated { .. })
        ));
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
