//! The ledger of one viewer: accounts, edge histories, list walks.
//!
//! Every piece of state is a set or a "latest by (time, value)" register, so that the
//! same observations ingested in any order, or twice, give the same ledger (rule 3).
//! Derived indexes (handles, followees, walks) are rebuilt from that state.

use crate::history::{runs, Bounds, History, Run, Sighting};
use crate::model::{
    is_brand_by_profile, AccountId, AccountSighting, ListKey, ListKind, ListPage, Observation,
    PagePosition,
};
use crate::time::{Time, EARLIEST, LATEST, MINUTE};
use crate::LedgerError;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};
use smallvec::SmallVec;
use std::collections::{BTreeMap, HashMap};

/// Two pages of one walk are at most this far apart: further, and the walk is
/// not "one sitting", so its absences would prove nothing.
pub const SITTING_GAP: Time = 30 * MINUTE;

/// Pages at least this large are applied in edge-table order (see `in_table_order`);
/// below, and beyond 2^32 entries, in their own order.
const BULK: usize = 4096;

/// A handle or a display name, with when it was seen.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Named {
    pub value: String,
    #[serde(with = "crate::serde_time")]
    pub first: Time,
    #[serde(with = "crate::serde_time")]
    pub last: Time,
}

/// A value with the instant it was seen; the latest wins, ties broken by value so
/// that the order of arrival never matters.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Debug, Serialize, Deserialize)]
pub struct Latest<T> {
    #[serde(with = "crate::serde_time")]
    pub at: Time,
    pub value: T,
}

fn keep_latest<T: Ord>(slot: &mut Option<Latest<T>>, at: Time, value: Option<T>) {
    if let Some(value) = value {
        let candidate = Latest { at, value };
        if slot.as_ref().is_none_or(|cur| *cur < candidate) {
            *slot = Some(candidate);
        }
    }
}

/// Inserts into a sorted vector kept as a set; false if already present.
pub(crate) fn insert_sorted<T: Ord>(v: &mut Vec<T>, x: T) -> bool {
    match v.binary_search(&x) {
        Ok(_) => false,
        Err(i) => {
            v.insert(i, x);
            true
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct CountSample {
    #[serde(with = "crate::serde_time")]
    #[cfg_attr(feature = "ts", tsify(type = "string"))]
    pub at: Time,
    pub followers: Option<u64>,
    pub following: Option<u64>,
}

#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct GoneSighting {
    #[serde(with = "crate::serde_time")]
    #[cfg_attr(feature = "ts", tsify(type = "string"))]
    pub at: Time,
    pub reason: String,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug, Serialize, Deserialize)]
pub struct BlockSighting {
    #[serde(with = "crate::serde_time")]
    pub at: Time,
    pub blocked: bool,
}

/// What the ledger knows of one account. Only accounts that a capture described
/// have one; an account seen only as a list entry is known by its id alone.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub struct Account {
    /// Every handle it was seen with (sorted by value).
    pub handles: Vec<Named>,
    pub names: Vec<Named>,
    pub counts: Vec<CountSample>,
    pub protected: Option<Latest<bool>>,
    pub verified_type: Option<Latest<String>>,
    pub blue_verified: Option<Latest<bool>>,
    pub professional_type: Option<Latest<String>>,
    /// Sightings as suspended, deactivated or unavailable.
    pub gone: Vec<GoneSighting>,
    /// Sightings of X's `blocked_by` (the account blocks the viewer).
    pub blocked_you: Vec<BlockSighting>,
    /// Last time it was seen as an available account.
    #[serde(with = "crate::serde_time::option")]
    pub last_active: Option<Time>,
    /// The viewer's own marking as a brand (or not), overriding the profile.
    pub brand_mark: Option<Latest<bool>>,
    /// The viewer's allowlist: never flagged.
    pub allowlisted: Option<Latest<bool>>,
}

fn latest_named(list: &[Named]) -> Option<&Named> {
    list.iter()
        .max_by(|a, b| (a.last, &a.value).cmp(&(b.last, &b.value)))
}

fn note_named(list: &mut Vec<Named>, value: &str, at: Time) -> bool {
    match list.binary_search_by(|n| n.value.as_str().cmp(value)) {
        Ok(i) => {
            let n = &mut list[i];
            let changed = at < n.first || at > n.last;
            n.first = n.first.min(at);
            n.last = n.last.max(at);
            changed
        }
        Err(i) => {
            list.insert(
                i,
                Named {
                    value: value.to_owned(),
                    first: at,
                    last: at,
                },
            );
            true
        }
    }
}

impl Account {
    pub fn handle(&self) -> Option<&str> {
        latest_named(&self.handles).map(|n| n.value.as_str())
    }

    pub fn name(&self) -> Option<&str> {
        latest_named(&self.names).map(|n| n.value.as_str())
    }

    /// Brand by the viewer's marking if any, else by the profile.
    pub fn is_brand(&self) -> bool {
        match &self.brand_mark {
            Some(mark) => mark.value,
            None => is_brand_by_profile(
                self.verified_type.as_ref().map(|l| l.value.as_str()),
                self.professional_type.as_ref().map(|l| l.value.as_str()),
            ),
        }
    }

    pub fn is_allowlisted(&self) -> bool {
        self.allowlisted.as_ref().is_some_and(|l| l.value)
    }

    /// The latest "gone" sighting, if none later shows the account available.
    pub fn gone_now(&self) -> Option<&GoneSighting> {
        let g = self.gone.last()?;
        (self.last_active.is_none_or(|a| a < g.at)).then_some(g)
    }

    /// The account blocks the viewer, as last seen.
    pub fn blocks_you_now(&self) -> Option<Time> {
        self.blocked_you.last().filter(|b| b.blocked).map(|b| b.at)
    }

    fn apply(&mut self, s: &AccountSighting) -> bool {
        let mut changed = false;
        if let Some(h) = &s.handle {
            changed |= note_named(&mut self.handles, h, s.at);
        }
        if let Some(n) = &s.name {
            changed |= note_named(&mut self.names, n, s.at);
        }
        if s.followers.is_some() || s.following.is_some() {
            let sample = CountSample {
                at: s.at,
                followers: s.followers,
                following: s.following,
            };
            changed |= insert_sorted(&mut self.counts, sample);
        }
        let before = (
            self.protected.clone(),
            self.verified_type.clone(),
            self.blue_verified.clone(),
            self.professional_type.clone(),
            self.last_active,
        );
        keep_latest(&mut self.protected, s.at, s.protected);
        keep_latest(&mut self.verified_type, s.at, s.verified_type.clone());
        keep_latest(&mut self.blue_verified, s.at, s.blue_verified);
        keep_latest(
            &mut self.professional_type,
            s.at,
            s.professional_type.clone(),
        );
        match &s.gone {
            Some(reason) => {
                changed |= insert_sorted(
                    &mut self.gone,
                    GoneSighting {
                        at: s.at,
                        reason: reason.clone(),
                    },
                );
            }
            None => self.last_active = Some(self.last_active.map_or(s.at, |a| a.max(s.at))),
        }
        if let Some(blocked) = s.blocked_you {
            changed |= insert_sorted(&mut self.blocked_you, BlockSighting { at: s.at, blocked });
        }
        changed
            || before
                != (
                    self.protected.clone(),
                    self.verified_type.clone(),
                    self.blue_verified.clone(),
                    self.professional_type.clone(),
                    self.last_active,
                )
    }
}

/// One page of a walkable list, as the ledger keeps it: cursors are hashed, entries
/// live in the edge histories.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct PageMeta {
    pub at: Time,
    pub cursor: Option<u64>,
    pub next_cursor: Option<u64>,
    pub is_last: bool,
}

/// A complete walk of a list: from its first page at `from` to its last at `to`.
/// An account absent from every page did not follow (or was not followed) at some
/// instant within `from..=to`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug, Serialize, Deserialize)]
pub struct Walk {
    #[serde(with = "crate::serde_time")]
    pub from: Time,
    #[serde(with = "crate::serde_time")]
    pub to: Time,
}

#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct ListLog {
    pub(crate) pages: Vec<PageMeta>,
    /// Derived from `pages`.
    pub(crate) walks: Vec<Walk>,
}

impl ListLog {
    pub fn pages(&self) -> &[PageMeta] {
        &self.pages
    }
    pub fn walks(&self) -> &[Walk] {
        &self.walks
    }

    /// Chains pages by cursor, from each first page to a last one, within one
    /// sitting. A function of the page set alone, so arrival order cannot matter.
    pub(crate) fn rebuild_walks(&mut self) {
        let mut by_cursor: HashMap<u64, Vec<&PageMeta>> = HashMap::new();
        for p in &self.pages {
            if let Some(c) = p.cursor {
                by_cursor.entry(c).or_default().push(p);
            }
        }
        let mut walks = Vec::new();
        for first in self.pages.iter().filter(|p| p.cursor.is_none()) {
            let mut cur = first;
            // Bounded: each step moves to a page no earlier in time, and a cursor
            // cycle is cut by the step limit.
            for _ in 0..=self.pages.len() {
                if cur.is_last {
                    walks.push(Walk {
                        from: first.at,
                        to: cur.at,
                    });
                    break;
                }
                let next = cur
                    .next_cursor
                    .and_then(|c| by_cursor.get(&c))
                    .and_then(|cands| {
                        cands
                            .iter()
                            .filter(|q| q.at >= cur.at && q.at - cur.at <= SITTING_GAP)
                            .min()
                    });
                match next {
                    Some(q) => cur = q,
                    None => break,
                }
            }
        }
        walks.sort_unstable();
        walks.dedup();
        self.walks = walks;
    }
}

/// FNV-1a: a stable 64-bit digest of a cursor (the store must not depend on a
/// per-process hash seed).
pub fn cursor_digest(cursor: &str) -> u64 {
    cursor.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// What one ingest added.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Learned {
    /// Accounts whose description changed.
    pub accounts: usize,
    /// New edge sightings (repeats of known ones are not counted).
    pub sightings: usize,
    /// New list pages.
    pub pages: usize,
    /// Complete walks of a list that this ingest finished.
    pub walks: usize,
}

impl Learned {
    pub fn is_nothing(&self) -> bool {
        *self == Learned::default()
    }
}

#[derive(Clone, Debug, Default)]
pub struct Ledger {
    pub(crate) accounts: BTreeMap<AccountId, Account>,
    pub(crate) edges: FxHashMap<(AccountId, AccountId), History>,
    pub(crate) lists: BTreeMap<ListKey, ListLog>,
    // Derived indexes, rebuilt on load.
    // Most accounts follow one or two accounts the ledger tracks: kept inline.
    followees: FxHashMap<AccountId, SmallVec<[AccountId; 2]>>,
    /// Accounts that some edge points to (for `knows`, on the hover path).
    followed: FxHashSet<AccountId>,
    handles: HashMap<String, (Time, AccountId)>,
}

impl PartialEq for Ledger {
    /// Ledgers are equal when their state is; derived indexes follow from it.
    fn eq(&self, other: &Self) -> bool {
        self.accounts == other.accounts && self.edges == other.edges && self.lists == other.lists
    }
}
impl Eq for Ledger {}

fn check_time(at: Time, what: &'static str) -> Result<(), LedgerError> {
    if (EARLIEST..LATEST).contains(&at) {
        Ok(())
    } else {
        Err(LedgerError::TimeOutOfRange { what, at })
    }
}

fn check_id(id: AccountId, what: &'static str) -> Result<(), LedgerError> {
    if id.0 == 0 {
        Err(LedgerError::ZeroId { what })
    } else {
        Ok(())
    }
}

fn validate(obs: &Observation) -> Result<(), LedgerError> {
    match obs {
        Observation::Account(s) => {
            check_id(s.id, "account")?;
            check_time(s.at, "account sighting")?;
            if s.handle.as_deref().is_some_and(|h| h.trim().is_empty()) {
                return Err(LedgerError::Invalid("an empty handle"));
            }
        }
        Observation::Pair { from, to, at, .. } => {
            check_id(*from, "pair follower")?;
            check_id(*to, "pair followee")?;
            check_time(*at, "pair state")?;
            if from == to {
                return Err(LedgerError::Invalid("an account following itself"));
            }
        }
        Observation::ListPage(p) => {
            check_id(p.list.owner, "list owner")?;
            check_time(p.at, "list page")?;
            for e in &p.entries {
                check_id(*e, "list entry")?;
                if *e == p.list.owner {
                    return Err(LedgerError::Invalid("a list that holds its own owner"));
                }
            }
        }
    }
    Ok(())
}

impl Ledger {
    pub fn new() -> Self {
        Self::default()
    }

    /// Ingests one capture's observations for `viewer`. All are checked before any
    /// is applied: a malformed one is an error and nothing is written (rule 6).
    pub fn ingest(
        &mut self,
        viewer: AccountId,
        observations: &[Observation],
    ) -> Result<Learned, LedgerError> {
        check_id(viewer, "viewer")?;
        for o in observations {
            validate(o)?;
        }
        let mut learned = Learned::default();
        for o in observations {
            self.apply(viewer, o, &mut learned);
        }
        Ok(learned)
    }

    fn apply(&mut self, viewer: AccountId, o: &Observation, learned: &mut Learned) {
        match o {
            Observation::Account(s) => {
                if self.accounts.entry(s.id).or_default().apply(s) {
                    learned.accounts += 1;
                }
                if let Some(h) = &s.handle {
                    self.note_handle(h, s.at, s.id);
                }
                if s.id != viewer {
                    if let Some(f) = s.follows_you {
                        learned.sightings += self.see(s.id, viewer, Sighting::at(s.at, f)) as usize;
                    }
                    if let Some(f) = s.you_follow {
                        learned.sightings += self.see(viewer, s.id, Sighting::at(s.at, f)) as usize;
                    }
                }
            }
            Observation::Pair {
                from,
                to,
                at,
                follows,
            } => {
                learned.sightings += self.see(*from, *to, Sighting::at(*at, *follows)) as usize;
            }
            Observation::ListPage(page) => self.apply_page(page, learned),
        }
    }

    fn apply_page(&mut self, page: &ListPage, learned: &mut Learned) {
        let sighting = Sighting::at(page.at, true);
        if page.entries.len() < BULK || page.entries.len() > u32::MAX as usize {
            for &entry in &page.entries {
                let (a, b) = page.list.edge_of(entry);
                learned.sightings += self.see(a, b, sighting) as usize;
            }
        } else {
            for (a, b) in self.in_table_order(page) {
                learned.sightings += self.see(a, b, sighting) as usize;
            }
        }
        if let PagePosition::Walk {
            cursor,
            next_cursor,
            is_last,
        } = &page.position
        {
            let meta = PageMeta {
                at: page.at,
                cursor: cursor.as_deref().map(cursor_digest),
                next_cursor: next_cursor.as_deref().map(cursor_digest),
                is_last: *is_last,
            };
            let log = self.lists.entry(page.list).or_default();
            if insert_sorted(&mut log.pages, meta) {
                learned.pages += 1;
                let before = log.walks.len();
                log.rebuild_walks();
                learned.walks += log.walks.len().saturating_sub(before);
            }
        }
    }

    /// A large page's edges in the order of their slots in the edge table, so that
    /// the table is walked front to back instead of at random: a million-entry
    /// page then costs one pass over memory rather than a million cache misses.
    /// The slot is the hash's low bits under the table's bucket mask (std's
    /// hashbrown layout); were that ever different, only the speed would change.
    fn in_table_order(&self, page: &ListPage) -> Vec<(AccountId, AccountId)> {
        use std::hash::BuildHasher;
        let buckets =
            (self.edges.capacity().max(page.entries.len()) * 8 / 7).next_power_of_two() as u64;
        let hasher = self.edges.hasher();
        // Sort plain u64s (slot above, entry index below): cheaper than moving keys.
        let mut order: Vec<u64> = page
            .entries
            .iter()
            .enumerate()
            .map(|(i, &e)| {
                let slot = hasher.hash_one(page.list.edge_of(e)) & (buckets - 1);
                (slot << 32) | i as u64
            })
            .collect();
        order.sort_unstable();
        order
            .into_iter()
            .map(|k| page.list.edge_of(page.entries[(k & 0xffff_ffff) as usize]))
            .collect()
    }

    fn see(&mut self, from: AccountId, to: AccountId, s: Sighting) -> bool {
        let (followees, followed) = (&mut self.followees, &mut self.followed);
        self.edges
            .entry((from, to))
            .or_insert_with(|| {
                followees.entry(from).or_default().push(to);
                followed.insert(to);
                History::default()
            })
            .insert(s)
    }

    fn note_handle(&mut self, handle: &str, at: Time, id: AccountId) {
        let key = normalize_handle(handle);
        let slot = self.handles.entry(key).or_insert((at, id));
        if (at, id) > *slot {
            *slot = (at, id);
        }
    }

    /// Rebuilds the derived indexes from the state (after loading).
    pub(crate) fn reindex(&mut self) {
        self.followees.clear();
        self.followed.clear();
        self.handles.clear();
        let keys: Vec<_> = self.edges.keys().copied().collect();
        for (from, to) in keys {
            self.followees.entry(from).or_default().push(to);
            self.followed.insert(to);
        }
        let named: Vec<(String, Time, AccountId)> = self
            .accounts
            .iter()
            .flat_map(|(id, a)| a.handles.iter().map(|h| (h.value.clone(), h.last, *id)))
            .collect();
        for (h, at, id) in named {
            self.note_handle(&h, at, id);
        }
        for log in self.lists.values_mut() {
            log.rebuild_walks();
        }
    }

    /// The viewer's own marking of an account as a brand (`Some(true)`), not a
    /// brand (`Some(false)`); `None` clears nothing and is ignored.
    pub fn mark_brand(&mut self, id: AccountId, at: Time, brand: bool) -> Result<(), LedgerError> {
        check_id(id, "account")?;
        check_time(at, "brand mark")?;
        keep_latest(
            &mut self.accounts.entry(id).or_default().brand_mark,
            at,
            Some(brand),
        );
        Ok(())
    }

    pub fn set_allowlisted(
        &mut self,
        id: AccountId,
        at: Time,
        on: bool,
    ) -> Result<(), LedgerError> {
        check_id(id, "account")?;
        check_time(at, "allowlist")?;
        keep_latest(
            &mut self.accounts.entry(id).or_default().allowlisted,
            at,
            Some(on),
        );
        Ok(())
    }

    // ----- reading -----

    pub fn account(&self, id: AccountId) -> Option<&Account> {
        self.accounts.get(&id)
    }

    pub fn accounts(&self) -> impl Iterator<Item = (AccountId, &Account)> {
        self.accounts.iter().map(|(id, a)| (*id, a))
    }

    pub fn edge_count(&self) -> usize {
        self.edges.len()
    }

    pub fn sighting_count(&self) -> usize {
        self.edges.values().map(|h| h.sightings().len()).sum()
    }

    pub fn list(&self, key: ListKey) -> Option<&ListLog> {
        self.lists.get(&key)
    }

    /// Finds an account by handle (with or without `@`, any case). A handle held by
    /// several accounts over time leads to the one seen with it last.
    pub fn find_handle(&self, handle: &str) -> Option<AccountId> {
        self.handles
            .get(&normalize_handle(handle))
            .map(|(_, id)| *id)
    }

    /// Accounts that `from` was seen following at some time (any order).
    pub fn followees_of(&self, from: AccountId) -> &[AccountId] {
        self.followees.get(&from).map_or(&[], |v| v.as_slice())
    }

    /// Every edge with an explicit sighting (in no particular order).
    pub fn edges(&self) -> impl Iterator<Item = (AccountId, AccountId)> + '_ {
        self.edges.keys().copied()
    }

    /// The edge's sightings: the explicit ones and, for each complete walk of a
    /// list the edge belongs to in which it was not seen, an absence over the walk.
    pub fn sightings(&self, from: AccountId, to: AccountId) -> Vec<Sighting> {
        let explicit = self.edges.get(&(from, to));
        let mut out: Vec<Sighting> = explicit.map_or_else(Vec::new, |h| h.sightings().to_vec());
        let lists = [
            ListKey {
                owner: to,
                kind: ListKind::Followers,
            },
            ListKey {
                owner: from,
                kind: ListKind::Following,
            },
        ];
        let mut derived = false;
        for key in lists {
            let Some(log) = self.lists.get(&key) else {
                continue;
            };
            for w in &log.walks {
                if !explicit.is_some_and(|h| h.seen_following_within(w.from, w.to)) {
                    out.push(Sighting {
                        from: w.from,
                        to: w.to,
                        follows: false,
                    });
                    derived = true;
                }
            }
        }
        if derived {
            out.sort_unstable();
            out.dedup();
        }
        out
    }

    /// The edge read as runs of one state.
    pub fn runs(&self, from: AccountId, to: AccountId) -> Vec<Run> {
        runs(&self.sightings(from, to))
    }

    /// Why a follow that was seen ending did end: a real unfollow, or an account that
    /// vanished (suspended, deactivated) or blocked the viewer in that time. Never
    /// `Follow`.
    pub fn classify_end(
        &self,
        from: AccountId,
        to: AccountId,
        viewer: AccountId,
        ended: &Run,
        next: &Run,
    ) -> EventKind {
        let after = ended.last.from;
        let until = next.last.to;
        let within = |t: Time| after < t && t <= until;
        for id in [from, to] {
            if let Some(a) = self.accounts.get(&id) {
                if a.gone.iter().any(|g| within(g.at)) {
                    return EventKind::AccountGone;
                }
            }
        }
        if from == viewer || to == viewer {
            let other = if from == viewer { to } else { from };
            if let Some(a) = self.accounts.get(&other) {
                if a.blocked_you.iter().any(|b| b.blocked && within(b.at)) {
                    return EventKind::BlockedYou;
                }
            }
        }
        EventKind::Unfollow
    }

    /// Every change on an edge, classified, with its bounds.
    pub fn events(&self, from: AccountId, to: AccountId, viewer: AccountId) -> Vec<Event> {
        let runs = self.runs(from, to);
        runs.windows(2)
            .map(|w| {
                let bounds = crate::history::change_between(&w[0], &w[1]);
                let kind = if w[1].follows {
                    EventKind::Follow
                } else {
                    self.classify_end(from, to, viewer, &w[0], &w[1])
                };
                Event {
                    kind,
                    from,
                    to,
                    bounds,
                }
            })
            .collect()
    }
}

pub fn normalize_handle(handle: &str) -> String {
    handle.trim().trim_start_matches('@').to_ascii_lowercase()
}

#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Follow,
    Unfollow,
    /// The follow ended while the account was suspended, deactivated or unavailable:
    /// not an unfollow (rule 4).
    AccountGone,
    /// The follow ended while the account blocked the viewer: not an unfollow.
    BlockedYou,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Event {
    pub kind: EventKind,
    pub from: AccountId,
    pub to: AccountId,
    #[serde(flatten)]
    pub bounds: Bounds,
}

impl Account {
    /// Folds another description of the same account in: the union of both.
    fn merge(&mut self, o: &Account) {
        for n in &o.handles {
            note_named(&mut self.handles, &n.value, n.first);
            note_named(&mut self.handles, &n.value, n.last);
        }
        for n in &o.names {
            note_named(&mut self.names, &n.value, n.first);
            note_named(&mut self.names, &n.value, n.last);
        }
        for c in &o.counts {
            insert_sorted(&mut self.counts, *c);
        }
        for g in &o.gone {
            insert_sorted(&mut self.gone, g.clone());
        }
        for b in &o.blocked_you {
            insert_sorted(&mut self.blocked_you, *b);
        }
        fn latest<T: Ord + Clone>(slot: &mut Option<Latest<T>>, other: &Option<Latest<T>>) {
            if let Some(l) = other {
                keep_latest(slot, l.at, Some(l.value.clone()));
            }
        }
        latest(&mut self.protected, &o.protected);
        latest(&mut self.verified_type, &o.verified_type);
        latest(&mut self.blue_verified, &o.blue_verified);
        latest(&mut self.professional_type, &o.professional_type);
        latest(&mut self.brand_mark, &o.brand_mark);
        latest(&mut self.allowlisted, &o.allowlisted);
        self.last_active = self.last_active.max(o.last_active);
    }
}

impl Ledger {
    /// Folds another ledger of the same viewer in (an import, another device): the
    /// result is the ledger of both sets of observations.
    pub fn merge(&mut self, other: &Ledger) {
        for (id, a) in &other.accounts {
            self.accounts.entry(*id).or_default().merge(a);
            for h in &a.handles {
                self.note_handle(&h.value, h.last, *id);
            }
        }
        for (&(from, to), h) in &other.edges {
            for s in h.sightings() {
                self.see(from, to, *s);
            }
        }
        for (key, log) in &other.lists {
            let mine = self.lists.entry(*key).or_default();
            let before = mine.pages.len();
            for p in &log.pages {
                insert_sorted(&mut mine.pages, *p);
            }
            if mine.pages.len() != before {
                mine.rebuild_walks();
            }
        }
    }
}

impl Ledger {
    /// The latest instant anything in the ledger was seen: a deterministic "now"
    /// for callers that judge "as of the last capture".
    pub fn latest_instant(&self) -> Option<Time> {
        let edges = self
            .edges
            .values()
            .filter_map(|h| h.sightings().iter().map(|s| s.to).max());
        let pages = self
            .lists
            .values()
            .filter_map(|l| l.pages.iter().map(|p| p.at).max());
        let accounts = self.accounts.values().flat_map(|a| {
            a.counts
                .last()
                .map(|c| c.at)
                .into_iter()
                .chain(a.last_active)
                .chain(a.gone.last().map(|g| g.at))
                .chain(a.handles.iter().map(|h| h.last))
        });
        edges.chain(pages).chain(accounts).max()
    }

    /// Whether the ledger holds anything about this account.
    pub fn knows(&self, id: AccountId) -> bool {
        self.accounts.contains_key(&id)
            || self.followees.contains_key(&id)
            || self.followed.contains(&id)
    }
}

impl Ledger {
    /// How many entries a complete walk of a list saw.
    pub fn list_members_at(&self, key: ListKey, walk: Walk) -> usize {
        self.edges
            .iter()
            .filter(|((from, to), h)| {
                let on_list = match key.kind {
                    ListKind::Followers => *to == key.owner,
                    ListKind::Following => *from == key.owner,
                };
                on_list && h.seen_following_within(walk.from, walk.to)
            })
            .count()
    }
}
