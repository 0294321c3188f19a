//! The store in parts: how the extension keeps a ledger of a million edges so that
//! a start reads little, a compaction writes what changed, and damage stays local.
//!
//! Each viewer's ledger is cut into slots ([`SLOTS`] in a new layout) by a hash of the account a
//! fact belongs to, and each slot into three parts, each a record of its own with
//! its own checksum:
//!
//! - `a` (accounts): the account records whose id falls in the slot, with their
//!   follows with the viewer (either way) and those follows' dated starts;
//! - `e` (edges): the follows between others whose follower falls in it (an
//!   account's following sits together), with their dated starts, and the lists
//!   (pages, kept order, settled facts) whose owner falls in it;
//! - `h` (handles): the handle → account index for the handles that hash to it,
//!   so that a badge asked by handle finds its account without the rest.
//!
//! So everything a badge for one account needs sits in the viewer's slot and that
//! account's: its record, its follows with the viewer, its own lists and follows;
//! and a capture of a list page touches the records it shows and one edges part.
//! An index record lists every part with its checksum, size and counts (to say
//! what a damaged one held), and each viewer's trimmed count.
//!
//! Which parts a change touched follows from what it names (see
//! [`Layout::touch_observations`]): the ledger only ever changes the edges
//! between the accounts an observation names and the viewer, those accounts'
//! records and the lists they own. A compaction writes those parts and the index.
//!
//! Part record: `"RCPRPART"`, version (u16 LE), platform (u8), viewer id, kind
//! (u8: `a`, `e`, `h`), slot, then a ledger (as in the whole-store format: its
//! base instant and sections) or, for `h`, the handles (count, then handle,
//! instant, id), and a CRC-32 of everything before it. Index record:
//! `"RCPRINDS"`, version, slots, viewers (platform, id, trimmed, then per part
//! kind, slot, CRC, bytes, accounts, edges), CRC-32. A layout of 256 slots (the
//! first, before 1,024) has the index `"RCPRINDX"` without its slot count; it
//! is read as it is, and cut again into 1,024 slots once whole in memory.

use super::codec::{Reader, Writer};
use super::{read_ledger_unindexed, write_ledger, Store, StoreError, VERSION};
use crate::ledger::{normalize_handle, Ledger};
use crate::model::{AccountId, Observation, Platform, Viewer};
use crate::time::Time;
use std::collections::{BTreeMap, BTreeSet};

/// Slots per viewer in a new layout: a million edges make parts of about eight
/// kilobytes, so a capture of a list page rewrites a few hundred kilobytes.
pub const SLOTS: u32 = 1024;
/// The first layout's slots (its index has no slot count).
const LEGACY_SLOTS: u32 = 256;
/// The most slots an index may say.
const MAX_SLOTS: u32 = 1 << 16;
const PART_MAGIC: &[u8; 8] = b"RCPRPART";
const LEGACY_INDEX_MAGIC: &[u8; 8] = b"RCPRINDX";
const INDEX_MAGIC: &[u8; 8] = b"RCPRINDS";

/// How many slots a layout cuts each viewer's ledger into, and which slot each
/// fact falls in.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Slots(u32);

impl Default for Slots {
    fn default() -> Self {
        Slots(SLOTS)
    }
}

impl Slots {
    /// The slot of an account (splitmix64 of its id: X's ids are timestamps, far
    /// from uniform; their hash is).
    pub fn of_id(self, id: AccountId) -> u32 {
        let mut z = id.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        self.of_digest(z)
    }

    /// The slot of a handle, as a badge may ask for it (`@Name`).
    pub fn of_handle(self, handle: &str) -> u32 {
        self.of_digest(crate::lists::cursor_digest(&normalize_handle(handle)))
    }

    /// Where an edge is kept: a follow with the viewer sits with the other
    /// account's record; any other with its follower's following.
    pub fn edge_part(self, viewer: AccountId, (from, to): (AccountId, AccountId)) -> (Kind, u32) {
        if from == viewer {
            (Kind::Accounts, self.of_id(to))
        } else if to == viewer {
            (Kind::Accounts, self.of_id(from))
        } else {
            (Kind::Edges, self.of_id(from))
        }
    }

    /// A digest's slot: below the count, so it fits.
    fn of_digest(self, digest: u64) -> u32 {
        u32::try_from(digest % u64::from(self.0)).unwrap_or(0)
    }
}

/// The slot of an account in a new layout.
pub fn slot(id: AccountId) -> u32 {
    Slots::default().of_id(id)
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum Kind {
    Accounts,
    Edges,
    Handles,
}

impl Kind {
    fn letter(self) -> u8 {
        match self {
            Kind::Accounts => b'a',
            Kind::Edges => b'e',
            Kind::Handles => b'h',
        }
    }
    fn from_letter(b: u8) -> Option<Kind> {
        match b {
            b'a' => Some(Kind::Accounts),
            b'e' => Some(Kind::Edges),
            b'h' => Some(Kind::Handles),
            _ => None,
        }
    }
}

/// One part of the store: whose, which kind, which slot.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct PartKey {
    pub viewer: Viewer,
    pub kind: Kind,
    pub slot: u32,
}

impl PartKey {
    /// The part's record name: `0.1234.e17` (platform, viewer, kind and slot).
    pub fn name(&self) -> String {
        format!(
            "{}.{}.{}{}",
            self.viewer.platform.code(),
            self.viewer.id.0,
            self.kind.letter() as char,
            self.slot
        )
    }

    pub fn parse(name: &str) -> Option<PartKey> {
        let mut it = name.split('.');
        let platform = Platform::from_code(it.next()?.parse().ok()?)?;
        let id = AccountId(it.next()?.parse().ok()?);
        let rest = it.next()?;
        if it.next().is_some() || rest.is_empty() {
            return None;
        }
        let kind = Kind::from_letter(rest.as_bytes()[0])?;
        let slot: u32 = rest[1..].parse().ok()?;
        (slot < MAX_SLOTS).then_some(PartKey {
            viewer: Viewer { platform, id },
            kind,
            slot,
        })
    }
}

/// What the index says of a part: its checksum and size, and what it holds.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct PartInfo {
    pub crc: u32,
    pub bytes: u64,
    pub accounts: u64,
    pub edges: u64,
}

/// What one save writes: the index, the parts that changed (name, bytes), and
/// the parts that became empty (to delete).
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Written {
    pub index: Vec<u8>,
    pub parts: Vec<(String, Vec<u8>)>,
    pub removed: Vec<String>,
}

impl Written {
    pub fn bytes(&self) -> usize {
        self.index.len() + self.parts.iter().map(|(_, b)| b.len()).sum::<usize>()
    }
}

/// The store's parts as persisted, beside the store in memory: which exist,
/// which are loaded, which changed since the last save.
#[derive(Clone, Debug, Default)]
pub struct Layout {
    /// The slots of the parts as persisted (a layout read from an older index
    /// keeps its own until it is cut again).
    slots: Slots,
    /// Read from an index of another slot count: the next save cuts it again.
    recut: bool,
    index: BTreeMap<PartKey, PartInfo>,
    viewers: BTreeMap<Viewer, u64>,
    loaded: BTreeSet<PartKey>,
    dirty: BTreeSet<PartKey>,
    everything: bool,
}

/// The content of one part, cut from a ledger.
enum Cut {
    Ledger(Box<Ledger>),
    Handles(Vec<(String, Time, AccountId)>),
}

impl Layout {
    /// A store with nothing persisted yet: the first save writes all of it.
    pub fn fresh() -> Layout {
        Layout {
            everything: true,
            ..Layout::default()
        }
    }

    /// The same, cut into another number of slots (older stores had 256; the
    /// tests make such stores with it). Between 1 and 65,536.
    pub fn fresh_in(slots: u32) -> Layout {
        Layout {
            slots: Slots(slots.clamp(1, MAX_SLOTS)),
            ..Layout::fresh()
        }
    }

    /// How many slots the parts as persisted are cut into.
    pub fn slot_count(&self) -> u32 {
        self.slots.0
    }

    /// The layout an index record describes; no part is loaded yet.
    pub fn from_index(bytes: &[u8]) -> Result<Layout, StoreError> {
        let legacy = bytes.starts_with(LEGACY_INDEX_MAGIC);
        let magic = if legacy {
            LEGACY_INDEX_MAGIC
        } else {
            INDEX_MAGIC
        };
        let content = checked(bytes, magic, "index")?;
        let mut r = Reader {
            buf: content,
            pos: magic.len() + 2,
        };
        let slots = if legacy {
            LEGACY_SLOTS
        } else {
            u32::try_from(r.uint("index slots")?)
                .ok()
                .filter(|s| (1..=MAX_SLOTS).contains(s))
                .ok_or_else(|| {
                    StoreError::Corrupt("the index's slot count is out of range".into())
                })?
        };
        let mut layout = Layout {
            slots: Slots(slots),
            recut: slots != SLOTS,
            ..Layout::default()
        };
        for _ in 0..r.count("index viewers")? {
            let viewer = read_viewer(&mut r)?;
            layout.viewers.insert(viewer, r.uint("trimmed")?);
            for _ in 0..r.count("index parts")? {
                let kind = Kind::from_letter(r.byte("part kind")?)
                    .ok_or_else(|| StoreError::Corrupt("an unknown kind of part".into()))?;
                let slot = u32::try_from(r.uint("part slot")?)
                    .ok()
                    .filter(|s| *s < slots)
                    .ok_or_else(|| StoreError::Corrupt("a part's slot is out of range".into()))?;
                let crc = u32::try_from(r.uint("part checksum")?)
                    .map_err(|_| StoreError::Corrupt("a part's checksum is out of range".into()))?;
                let info = PartInfo {
                    crc,
                    bytes: r.uint("part size")?,
                    accounts: r.uint("part accounts")?,
                    edges: r.uint("part edges")?,
                };
                layout.index.insert(PartKey { viewer, kind, slot }, info);
            }
        }
        if r.pos != content.len() {
            return Err(StoreError::Corrupt("unread bytes after the index".into()));
        }
        Ok(layout)
    }

    /// The parts not loaded yet.
    pub fn missing(&self) -> Vec<PartKey> {
        self.index
            .keys()
            .filter(|k| !self.loaded.contains(k))
            .copied()
            .collect()
    }

    pub fn is_complete(&self) -> bool {
        self.index.keys().all(|k| self.loaded.contains(k))
    }

    /// The parts a badge for each asked account (an id or a handle) needs that
    /// are not loaded yet: the viewer's slot, the handle's, and the account's
    /// once its handle resolves. Ask again after loading them.
    pub fn needed(&self, store: &Store, viewer: Viewer, asked: &[String]) -> Vec<PartKey> {
        let mut want = BTreeSet::new();
        let account = |id: AccountId, want: &mut BTreeSet<PartKey>| {
            for kind in [Kind::Accounts, Kind::Edges] {
                want.insert(PartKey {
                    viewer,
                    kind,
                    slot: self.slots.of_id(id),
                });
            }
        };
        account(viewer.id, &mut want);
        let ledger = store.ledger(viewer);
        for a in asked {
            let plain = a.trim();
            want.insert(PartKey {
                viewer,
                kind: Kind::Handles,
                slot: self.slots.of_handle(plain),
            });
            if let Ok(id) = plain.trim_start_matches('@').parse::<AccountId>() {
                account(id, &mut want);
            }
            if let Some(id) = ledger.and_then(|l| l.resolve(plain)) {
                account(id, &mut want);
            }
        }
        want.into_iter()
            .filter(|k| self.index.contains_key(k) && !self.loaded.contains(k))
            .collect()
    }

    /// Folds one part into the store (the derived indexes wait for
    /// [`Layout::finish`], or [`Store::reindex`] for a partial answer). A part
    /// that fails its checksum, is not the one its name says, or is not the one
    /// the index lists is refused: set it aside and call [`Layout::lose`].
    pub fn load_part(
        &mut self,
        store: &mut Store,
        name: &str,
        bytes: &[u8],
    ) -> Result<PartKey, StoreError> {
        let key = PartKey::parse(name)
            .ok_or_else(|| StoreError::Corrupt(format!("{name:?} is not a part's name")))?;
        if self.loaded.contains(&key) {
            // Loaded already (a badge's answer asked for it first).
            return Ok(key);
        }
        let content = checked(bytes, PART_MAGIC, "part")?;
        let version = u16::from_le_bytes([content[8], content[9]]);
        let mut r = Reader {
            buf: content,
            pos: PART_MAGIC.len() + 2,
        };
        let viewer = read_viewer(&mut r)?;
        let kind = Kind::from_letter(r.byte("part kind")?);
        let slot = r.uint("part slot")?;
        if (viewer, kind, slot) != (key.viewer, Some(key.kind), u64::from(key.slot)) {
            return Err(StoreError::Corrupt(format!(
                "part {name} holds another part"
            )));
        }
        if let Some(info) = self.index.get(&key) {
            let crc = u32::from_le_bytes(bytes[bytes.len() - 4..].try_into().unwrap_or([0; 4]));
            if info.crc != crc {
                return Err(StoreError::Corrupt(format!(
                    "part {name} is not the one the index lists"
                )));
            }
        }
        let ledger = store.ledger_mut(viewer);
        match key.kind {
            Kind::Handles => {
                let n = r.count("handles")?;
                let mut handles = Vec::with_capacity(n);
                for _ in 0..n {
                    let h = r.str("handle")?;
                    let at = Time(r.int("handle instant")?);
                    let id = AccountId(r.uint("handle account")?);
                    handles.push((h, at, id));
                }
                for (h, at, id) in handles {
                    ledger.note_handle(&h, at, id);
                }
            }
            Kind::Accounts | Kind::Edges => {
                let part = read_ledger_unindexed(&mut r, version)?;
                ledger.absorb(part);
            }
        }
        if r.pos != content.len() {
            return Err(StoreError::Corrupt(format!("unread bytes in part {name}")));
        }
        self.loaded.insert(key);
        Ok(key)
    }

    /// A part that could not be loaded: what it held is lost (the caller kept its
    /// bytes aside); the next save writes its slot from what is in memory.
    pub fn lose(&mut self, key: PartKey) -> Option<PartInfo> {
        self.loaded.insert(key);
        self.dirty.insert(key);
        self.index.get(&key).copied()
    }

    /// Every part loaded: the derived indexes are built and each viewer's
    /// trimmed count restored.
    pub fn finish(&self, store: &mut Store) {
        for (viewer, trimmed) in &self.viewers {
            store.ledger_mut(*viewer).trimmed = *trimmed;
        }
        for ledger in store.ledgers.values_mut() {
            ledger.reindex();
        }
    }

    // ----- what changed -----

    /// Everything changed (an import, a forget, a trim): the next save writes
    /// every part.
    pub fn touch_everything(&mut self) {
        self.everything = true;
    }

    /// One account's record changed (a mark, an allowlist).
    pub fn touch_account(&mut self, viewer: Viewer, id: AccountId) {
        self.dirty.insert(PartKey {
            viewer,
            kind: Kind::Accounts,
            slot: self.slots.of_id(id),
        });
    }

    fn touch_edge(&mut self, viewer: Viewer, edge: (AccountId, AccountId)) {
        let (kind, slot) = self.slots.edge_part(viewer.id, edge);
        self.dirty.insert(PartKey { viewer, kind, slot });
    }

    /// The parts ingesting `observations` for `viewer` may change: the records
    /// of the accounts they show (with their follows with the viewer, and their
    /// handles), the follows between the accounts they name, and the lists
    /// those accounts own.
    pub fn touch_observations(&mut self, viewer: Viewer, observations: &[Observation]) {
        let v = viewer.id;
        for o in observations {
            match o {
                Observation::Account(s) => {
                    self.touch_account(viewer, s.id);
                    if let Some(h) = &s.handle {
                        self.dirty.insert(PartKey {
                            viewer,
                            kind: Kind::Handles,
                            slot: self.slots.of_handle(h),
                        });
                    }
                }
                Observation::Pair { from, to, .. } | Observation::FollowRecord { from, to, .. } => {
                    self.touch_edge(viewer, (*from, *to));
                }
                Observation::ListPage(page) => {
                    self.dirty.insert(PartKey {
                        viewer,
                        kind: Kind::Edges,
                        slot: self.slots.of_id(page.list.owner),
                    });
                    for &e in &page.entries {
                        self.touch_edge(viewer, page.list.edge_of(e));
                    }
                }
                Observation::FollowedYou { from, .. } => self.touch_edge(viewer, (*from, v)),
            }
        }
    }

    /// Whether anything changed since the last save.
    pub fn is_dirty(&self) -> bool {
        // A layout of another slot count is cut again as soon as it can be.
        self.everything || self.recut || !self.dirty.is_empty()
    }

    // ----- saving -----

    /// The parts that changed, cut from the store and encoded, with the new
    /// index. Only a complete store is saved (a part not loaded would be
    /// written empty): `None` until then.
    pub fn save(&mut self, store: &Store) -> Option<Written> {
        if !self.is_complete() {
            return None;
        }
        let mut keys: BTreeSet<PartKey> = std::mem::take(&mut self.dirty);
        // An older layout, now whole in memory, is cut again into today's slots:
        // every part is written, and those of the old cut that hold nothing now
        // go. (Their names are today's for the slots both share.)
        if self.recut {
            self.slots = Slots::default();
            self.recut = false;
            self.everything = true;
        }
        if self.everything {
            keys.extend(self.index.keys().copied());
            for (viewer, ledger) in &store.ledgers {
                keys.extend(present(*viewer, ledger, self.slots));
            }
        }
        self.everything = false;
        let mut written = Written::default();
        let by_viewer = group(&keys);
        for (viewer, slots) in by_viewer {
            let cuts = match store.ledger(viewer) {
                Some(ledger) => cut(viewer.id, ledger, &slots, self.slots),
                None => BTreeMap::new(),
            };
            for (kind, slot) in slots {
                let key = PartKey { viewer, kind, slot };
                if let Some(c) = cuts.get(&(kind, slot)).filter(|c| !c.is_empty()) {
                    let bytes = encode(key, c);
                    let crc =
                        u32::from_le_bytes(bytes[bytes.len() - 4..].try_into().unwrap_or([0; 4]));
                    let (accounts, edges) = c.counts();
                    self.index.insert(
                        key,
                        PartInfo {
                            crc,
                            bytes: bytes.len() as u64,
                            accounts,
                            edges,
                        },
                    );
                    self.loaded.insert(key);
                    written.parts.push((key.name(), bytes));
                } else {
                    if self.index.remove(&key).is_some() {
                        written.removed.push(key.name());
                    }
                    self.loaded.remove(&key);
                }
            }
        }
        self.viewers = store.ledgers.iter().map(|(v, l)| (*v, l.trimmed)).collect();
        // A viewer forgotten: its parts go.
        let gone: Vec<PartKey> = self
            .index
            .keys()
            .filter(|k| !self.viewers.contains_key(&k.viewer))
            .copied()
            .collect();
        for key in gone {
            self.index.remove(&key);
            self.loaded.remove(&key);
            written.removed.push(key.name());
        }
        written.index = self.index_bytes();
        Some(written)
    }

    fn index_bytes(&self) -> Vec<u8> {
        let mut w = Writer::default();
        // A layout of the first slot count keeps the first index form.
        let legacy = self.slots.0 == LEGACY_SLOTS;
        w.buf.extend_from_slice(if legacy {
            LEGACY_INDEX_MAGIC
        } else {
            INDEX_MAGIC
        });
        w.buf.extend_from_slice(&VERSION.to_le_bytes());
        if !legacy {
            w.uint(u64::from(self.slots.0));
        }
        w.uint(self.viewers.len() as u64);
        for (viewer, trimmed) in &self.viewers {
            w.buf.push(viewer.platform.code());
            w.uint(viewer.id.0);
            w.uint(*trimmed);
            let parts: Vec<_> = self
                .index
                .iter()
                .filter(|(k, _)| k.viewer == *viewer)
                .collect();
            w.uint(parts.len() as u64);
            for (k, info) in parts {
                w.buf.push(k.kind.letter());
                w.uint(u64::from(k.slot));
                w.uint(u64::from(info.crc));
                w.uint(info.bytes);
                w.uint(info.accounts);
                w.uint(info.edges);
            }
        }
        let crc = crc32fast::hash(&w.buf);
        w.buf.extend_from_slice(&crc.to_le_bytes());
        w.buf
    }
}

/// The store in parts as one file (the CLI's): `"RCPRPRTS"`, version (u16 LE),
/// the parts (count, then each one's name and bytes, each carrying its own
/// CRC), then the index. A damaged part is named by the error.
const FILE_MAGIC: &[u8; 8] = b"RCPRPRTS";

impl Store {
    /// The whole store, in parts, in one file.
    pub fn to_parts_file(&self) -> Vec<u8> {
        let mut layout = Layout::fresh();
        let written = layout
            .save(self)
            .expect("a fresh layout has nothing left to load");
        let mut w = Writer::default();
        w.buf.extend_from_slice(FILE_MAGIC);
        w.buf.extend_from_slice(&VERSION.to_le_bytes());
        w.uint(written.parts.len() as u64);
        for (name, bytes) in &written.parts {
            w.str(name);
            w.uint(bytes.len() as u64);
            w.buf.extend_from_slice(bytes);
        }
        w.uint(written.index.len() as u64);
        w.buf.extend_from_slice(&written.index);
        w.buf
    }

    /// Whether these bytes are a store in parts in one file.
    pub fn is_parts_file(bytes: &[u8]) -> bool {
        bytes.starts_with(FILE_MAGIC)
    }

    /// Reads a store in parts from one file; any part that fails its checks
    /// refuses the whole file, naming that part (nothing is changed).
    pub fn from_parts_file(bytes: &[u8]) -> Result<Store, StoreError> {
        if !Store::is_parts_file(bytes) || bytes.len() < FILE_MAGIC.len() + 2 {
            return Err(StoreError::NotAStore);
        }
        let version = u16::from_le_bytes([bytes[8], bytes[9]]);
        if version > VERSION {
            return Err(StoreError::NewerVersion {
                found: version,
                supported: VERSION,
            });
        }
        let mut r = Reader {
            buf: bytes,
            pos: FILE_MAGIC.len() + 2,
        };
        let n = r.count("part count")?;
        let mut parts = Vec::with_capacity(n.min(4 * SLOTS as usize));
        for _ in 0..n {
            let name = r.str("part name")?;
            let len = r.count("part size")?;
            let start = r.pos;
            r.bytes(len, "part")?;
            parts.push((name, start..start + len));
        }
        let len = r.count("index size")?;
        let start = r.pos;
        r.bytes(len, "index")?;
        let mut layout = Layout::from_index(&bytes[start..start + len])?;
        if r.pos != bytes.len() {
            return Err(StoreError::Corrupt("unread bytes after the index".into()));
        }
        let mut store = Store::new();
        for (name, range) in parts {
            layout
                .load_part(&mut store, &name, &bytes[range])
                .map_err(|e| StoreError::Corrupt(format!("part {name}: {e}")))?;
        }
        if !layout.is_complete() {
            return Err(StoreError::Corrupt(format!(
                "{} parts the index lists are missing",
                layout.missing().len()
            )));
        }
        layout.finish(&mut store);
        Ok(store)
    }

    /// Builds the derived indexes of one viewer's ledger (after loading the parts
    /// a badge needs, before the rest).
    /// The handles read from handle parts stay: their accounts may not be
    /// loaded yet.
    pub fn reindex(&mut self, viewer: Viewer) {
        if let Some(l) = self.ledgers.get_mut(&viewer) {
            let read = std::mem::take(&mut l.handles);
            l.reindex();
            for (h, (at, id, _)) in read {
                l.note_handle(&h, at, id);
            }
        }
    }
}

impl Cut {
    fn is_empty(&self) -> bool {
        match self {
            Cut::Ledger(l) => {
                l.accounts.is_empty()
                    && l.edges.is_empty()
                    && l.lists.is_empty()
                    && l.starts.is_empty()
                    && l.undated.is_empty()
            }
            Cut::Handles(h) => h.is_empty(),
        }
    }
    fn counts(&self) -> (u64, u64) {
        match self {
            Cut::Ledger(l) => (l.accounts.len() as u64, l.edges.len() as u64),
            Cut::Handles(_) => (0, 0),
        }
    }
}

fn group(keys: &BTreeSet<PartKey>) -> BTreeMap<Viewer, BTreeSet<(Kind, u32)>> {
    let mut out: BTreeMap<Viewer, BTreeSet<(Kind, u32)>> = BTreeMap::new();
    for k in keys {
        out.entry(k.viewer).or_default().insert((k.kind, k.slot));
    }
    out
}

/// Every part a ledger has something for.
fn present(viewer: Viewer, ledger: &Ledger, slots: Slots) -> BTreeSet<PartKey> {
    let v = viewer.id;
    let key = |(kind, slot)| PartKey { viewer, kind, slot };
    let mut keys = BTreeSet::new();
    keys.extend(
        ledger
            .accounts
            .keys()
            .map(|id| key((Kind::Accounts, slots.of_id(*id)))),
    );
    keys.extend(
        ledger
            .edges
            .keys()
            .chain(ledger.starts.keys())
            .map(|e| key(slots.edge_part(v, *e))),
    );
    keys.extend(
        ledger
            .lists
            .keys()
            .map(|l| key((Kind::Edges, slots.of_id(l.owner)))),
    );
    keys.extend(
        ledger
            .undated
            .iter()
            .map(|(l, _, _)| key((Kind::Edges, slots.of_id(l.owner)))),
    );
    keys.extend(
        ledger
            .handles
            .values()
            .map(|&(_, _, digest)| key((Kind::Handles, slots.of_digest(digest)))),
    );
    keys
}

/// Which slots of each kind are wanted: one lookup per fact, whatever the count.
struct Wanted {
    slots: usize,
    wanted: Vec<bool>,
}

impl Wanted {
    fn of(want: &BTreeSet<(Kind, u32)>, slots: Slots) -> Wanted {
        let n = slots.0 as usize;
        let mut w = Wanted {
            slots: n,
            wanted: vec![false; 3 * n],
        };
        for &(kind, s) in want {
            if let Some(cell) = w.wanted.get_mut(kind as usize * n + s as usize) {
                *cell = true;
            }
        }
        w
    }
    fn has(&self, kind: Kind, s: u32) -> bool {
        self.wanted.get(kind as usize * self.slots + s as usize) == Some(&true)
    }
}

/// The content of the wanted parts, in one pass over the ledger.
fn cut(
    viewer: AccountId,
    ledger: &Ledger,
    want: &BTreeSet<(Kind, u32)>,
    slots: Slots,
) -> BTreeMap<(Kind, u32), Cut> {
    let mut out: BTreeMap<(Kind, u32), Cut> = BTreeMap::new();
    let wanted = Wanted::of(want, slots);
    fn of<'a>(
        out: &'a mut BTreeMap<(Kind, u32), Cut>,
        want: &Wanted,
        kind: Kind,
        s: u32,
    ) -> Option<&'a mut Cut> {
        if !want.has(kind, s) {
            return None;
        }
        Some(out.entry((kind, s)).or_insert_with(|| match kind {
            Kind::Handles => Cut::Handles(Vec::new()),
            _ => Cut::Ledger(Box::default()),
        }))
    }
    let want = &wanted;
    for (id, a) in &ledger.accounts {
        if let Some(Cut::Ledger(l)) = of(&mut out, want, Kind::Accounts, slots.of_id(*id)) {
            l.accounts.insert(*id, a.clone());
        }
    }
    // The edges, by follower (the ledger's index of them): a follower outside
    // every wanted slot costs one hash.
    for (&from, tos) in &ledger.followees {
        let s = slots.of_id(from);
        let (a, e) = (want.has(Kind::Accounts, s), want.has(Kind::Edges, s));
        if from != viewer && !a && !e {
            continue;
        }
        for &to in tos {
            let edge = (from, to);
            let (kind, s) = slots.edge_part(viewer, edge);
            // The wanted check first: a lookup among a million edges costs a
            // cache miss.
            if !want.has(kind, s) {
                continue;
            }
            if let (Some(Cut::Ledger(l)), Some(h)) =
                (of(&mut out, want, kind, s), ledger.edges.get(&edge))
            {
                l.edges.insert(edge, h.clone());
            }
        }
    }
    for (e, st) in &ledger.starts {
        let (kind, s) = slots.edge_part(viewer, *e);
        if let Some(Cut::Ledger(l)) = of(&mut out, want, kind, s) {
            l.starts.insert(*e, st.clone());
        }
    }
    for (k, log) in &ledger.lists {
        if let Some(Cut::Ledger(l)) = of(&mut out, want, Kind::Edges, slots.of_id(k.owner)) {
            l.lists.insert(*k, log.clone());
        }
    }
    for u in &ledger.undated {
        if let Some(Cut::Ledger(l)) = of(&mut out, want, Kind::Edges, slots.of_id(u.0.owner)) {
            l.undated.insert(*u);
        }
    }
    // By the digest kept beside each handle: the handles' text is read only
    // for the wanted parts.
    for (h, &(at, id, digest)) in &ledger.handles {
        let s = slots.of_digest(digest);
        if !want.has(Kind::Handles, s) {
            continue;
        }
        if let Some(Cut::Handles(list)) = of(&mut out, want, Kind::Handles, s) {
            list.push((h.clone(), at, id));
        }
    }
    for c in out.values_mut() {
        if let Cut::Handles(list) = c {
            list.sort();
        }
    }
    out
}

fn encode(key: PartKey, cut: &Cut) -> Vec<u8> {
    let mut w = Writer::default();
    w.buf.extend_from_slice(PART_MAGIC);
    w.buf.extend_from_slice(&VERSION.to_le_bytes());
    w.buf.push(key.viewer.platform.code());
    w.uint(key.viewer.id.0);
    w.buf.push(key.kind.letter());
    w.uint(u64::from(key.slot));
    match cut {
        Cut::Ledger(l) => write_ledger(&mut w, l),
        Cut::Handles(list) => {
            w.base = Time(0);
            w.uint(list.len() as u64);
            for (h, at, id) in list {
                w.str(h);
                w.int(at.0);
                w.uint(id.0);
            }
        }
    }
    let crc = crc32fast::hash(&w.buf);
    w.buf.extend_from_slice(&crc.to_le_bytes());
    w.buf
}

fn read_viewer(r: &mut Reader) -> Result<Viewer, StoreError> {
    let platform = Platform::from_code(r.byte("platform")?)
        .ok_or_else(|| StoreError::Corrupt("unknown platform".into()))?;
    Ok(Viewer {
        platform,
        id: AccountId(r.uint("viewer id")?),
    })
}

/// The content of a record (less its checksum) once its magic, version and
/// checksum are right.
fn checked<'a>(
    bytes: &'a [u8],
    magic: &[u8; 8],
    what: &'static str,
) -> Result<&'a [u8], StoreError> {
    if bytes.len() < magic.len() + 2 + 4 {
        return Err(StoreError::Truncated {
            what,
            len: bytes.len(),
        });
    }
    if &bytes[..magic.len()] != magic {
        return Err(StoreError::Corrupt(format!("not a store {what}")));
    }
    let version = u16::from_le_bytes([bytes[8], bytes[9]]);
    if version > VERSION {
        return Err(StoreError::NewerVersion {
            found: version,
            supported: VERSION,
        });
    }
    let (content, tail) = bytes.split_at(bytes.len() - 4);
    let found = u32::from_le_bytes([tail[0], tail[1], tail[2], tail[3]]);
    let computed = crc32fast::hash(content);
    if found != computed {
        return Err(StoreError::Checksum { found, computed });
    }
    Ok(content)
}
