//! The ledger of one viewer: accounts ([`crate::account`]), edge histories, list
//! walks ([`crate::lists`]); ingest, merge and the queries the rest is built on.
//!
//! Every piece of state is a set or a "latest by (time, value)" register, so that the
//! same observations ingested in any order, or twice, give the same ledger (rule 3).
//! Derived indexes (handles, followees, walks) are rebuilt from that state.

use crate::account::{insert_sorted, keep_latest, Account};
use crate::dating::{cursor_time, page_starts, DatedStart, Dating};
use crate::history::{runs, History, Run, Sighting};
use crate::lists::{cursor_digest, ListLog, PageMeta};
use crate::model::{AccountId, ListKey, ListKind, ListPage, Observation, PagePosition};
use crate::segments::OrderedPage;
use crate::time::{Time, EARLIEST, LATEST};
use crate::LedgerError;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use smallvec::SmallVec;
use std::collections::{BTreeMap, HashMap};

/// Pages at least this large are applied in edge-table order (see `in_table_order`);
/// below, and beyond 2^32 entries, in their own order.
const BULK: usize = 4096;

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
    /// Follows newly dated by the platform (a list cursor, a notification).
    pub dated: usize,
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
    /// Follows dated by the platform, per edge (see `dating`).
    pub(crate) starts: FxHashMap<(AccountId, AccountId), SmallVec<[DatedStart; 1]>>,
    /// Pages whose cursor failed the checks and dated nothing: (list, when, the
    /// cursor's time in milliseconds). Counted in the report.
    pub(crate) undated: std::collections::BTreeSet<(ListKey, Time, i64)>,
    /// Edges of others' lists dropped to keep the ledger under [`MAX_OTHERS_EDGES`].
    pub(crate) trimmed: u64,
    // Derived indexes, rebuilt on load.
    // Most accounts follow one or two accounts the ledger tracks: kept inline.
    pub(crate) followees: FxHashMap<AccountId, SmallVec<[AccountId; 2]>>,
    /// Accounts that some edge points to (for `knows`, on the hover path).
    followed: FxHashSet<AccountId>,
    /// Each handle's latest holder, with the handle's digest (the store's parts
    /// are cut by it: computed once, not at every compaction).
    pub(crate) handles: HashMap<String, (Time, AccountId, u64)>,
}

impl PartialEq for Ledger {
    /// Ledgers are equal when their state is; derived indexes follow from it.
    fn eq(&self, other: &Self) -> bool {
        self.accounts == other.accounts
            && self.edges == other.edges
            && self.lists == other.lists
            && self.starts == other.starts
            && self.undated == other.undated
            && self.trimmed == other.trimmed
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

/// The most edges between two accounts other than the viewer (others' lists,
/// seen on pages) a ledger keeps: about 40 MB in memory. A page can only add
/// what X shows it, but pages of fresh accounts, fetched for long enough, would
/// grow the store without end. The viewer's own edges are never dropped.
pub const MAX_OTHERS_EDGES: usize = 2_000_000;

/// How far past the caller's clock a date may be: clocks disagree, and an
/// archive's date is the machine's that wrote it.
pub const CLOCK_SLACK: i64 = crate::time::DAY;

/// How far a follow record's start may be past the moment it was read (the
/// server's clock against this machine's) and still date the follow.
pub const RECORD_CLOCK_SKEW: i64 = 5 * crate::time::MINUTE;

/// Refuses the first of `times` later than `now` plus [`CLOCK_SLACK`].
pub fn not_after(
    times: impl IntoIterator<Item = Time>,
    now: Time,
    what: &'static str,
) -> Result<(), LedgerError> {
    match times
        .into_iter()
        .find(|t| *t > now.saturating_add(CLOCK_SLACK))
    {
        Some(at) => Err(LedgerError::AfterClock {
            what,
            at: crate::time::to_rfc3339(at),
            now: crate::time::to_rfc3339(now),
        }),
        None => Ok(()),
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
        // A notice's own time is checked where it is applied: an odd one dates
        // nothing, and the rest of the notifications are still read.
        Observation::FollowedYou { from, seen, .. } => {
            check_id(*from, "follower")?;
            check_time(*seen, "notification")?;
        }
        // A record's start is checked where it is applied, as a notice's is.
        Observation::FollowRecord { from, to, seen, .. } => {
            check_id(*from, "follower")?;
            check_id(*to, "followee")?;
            check_time(*seen, "follow record")?;
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
                    // Its counts say whether walks of its lists are plausible.
                    if s.followers.is_some() || s.following.is_some() {
                        for kind in [ListKind::Followers, ListKind::Following] {
                            let key = ListKey { owner: s.id, kind };
                            if self.lists.contains_key(&key) {
                                let before = self.lists[&key].walks.len();
                                self.rebuild_walks(key);
                                learned.walks +=
                                    self.lists[&key].walks.len().saturating_sub(before);
                            }
                        }
                    }
                }
                if let Some(h) = &s.handle {
                    self.note_handle(h, s.at, s.id);
                }
                if s.id != viewer {
                    if let Some(f) = s.follows_you {
                        learned.sightings +=
                            usize::from(self.see(s.id, viewer, Sighting::at(s.at, f)));
                    }
                    if let Some(f) = s.you_follow {
                        learned.sightings +=
                            usize::from(self.see(viewer, s.id, Sighting::at(s.at, f)));
                    }
                }
            }
            Observation::Pair {
                from,
                to,
                at,
                follows,
            } => {
                learned.sightings += usize::from(self.see(*from, *to, Sighting::at(*at, *follows)));
            }
            Observation::ListPage(page) => {
                self.apply_page(page, learned);
                self.date_page(page, learned);
            }
            Observation::FollowedYou {
                from,
                at_ms,
                alone,
                seen,
            } => {
                let at = Time::from_ms(*at_ms);
                // A notice from after it was read, or from before X, dates nothing.
                if *from == viewer || at > *seen || at < EARLIEST {
                    return;
                }
                let start = if *alone {
                    DatedStart::exact(at, Dating::Notice)
                } else {
                    DatedStart {
                        by: at,
                        after: None,
                        how: Dating::GroupedNotice,
                    }
                };
                learned.dated += usize::from(self.date(*from, viewer, start));
                // It followed you then: a sighting like any other.
                if *alone {
                    learned.sightings +=
                        usize::from(self.see(*from, viewer, Sighting::at(at, true)));
                }
            }
            Observation::FollowRecord {
                from,
                to,
                started,
                seen,
            } => {
                // Following when seen, whatever its record's date says.
                learned.sightings += usize::from(self.see(*from, *to, Sighting::at(*seen, true)));
                // A start from well after it was read, or from before the
                // platform, dates nothing (a client may choose its record's key).
                // A server's clock a little ahead of this one's is not a later
                // follow: the start is taken as the reading's time then.
                if *started > seen.saturating_add(RECORD_CLOCK_SKEW) || *started < EARLIEST {
                    return;
                }
                let start = DatedStart::exact((*started).min(*seen), Dating::RecordKey);
                learned.dated += usize::from(self.date(*from, *to, start));
            }
        }
    }

    /// Keeps the edges between others under `cap`: past it, those last seen
    /// longest ago go (ties by account ids), down to nine tenths of the cap so
    /// that trimming is rare. The viewer's own edges are never dropped. Returns
    /// how many went. Past the cap, what was dropped depends on when it was
    /// dropped: rule 3 holds below it.
    pub fn trim_others(&mut self, viewer: AccountId, cap: usize) -> usize {
        if self.edges.len() <= cap {
            return 0;
        }
        let mut others: Vec<(Time, (AccountId, AccountId))> = self
            .edges
            .iter()
            .filter(|((from, to), _)| *from != viewer && *to != viewer)
            .map(|(edge, h)| {
                (
                    h.sightings().iter().map(|s| s.to).max().unwrap_or(Time(0)),
                    *edge,
                )
            })
            .collect();
        if others.len() <= cap {
            return 0;
        }
        let keep = cap - cap / 10;
        let drop = others.len() - keep;
        others.select_nth_unstable(drop - 1);
        for (_, edge) in &others[..drop] {
            self.edges.remove(edge);
            self.starts.remove(edge);
        }
        // What dropped looks settled about those edges goes with them.
        let edges = &self.edges;
        for (key, log) in &mut self.lists {
            log.settled
                .retain_entries(|e| edges.contains_key(&key.edge_of(e)));
        }
        self.trimmed = self.trimmed.saturating_add(drop as u64);
        self.reindex();
        drop
    }

    /// Edges of others' lists dropped so far to keep the ledger under its cap.
    pub fn trimmed(&self) -> u64 {
        self.trimmed
    }

    /// Dates the follows of a page by its cursor, if the cursor passes the checks;
    /// otherwise counts it as undated.
    fn date_page(&mut self, page: &ListPage, learned: &mut Learned) {
        let Some(d) = page.dating else { return };
        match cursor_time(&d, page.at) {
            Ok(t) => {
                for (i, start) in page_starts(page.entries.len(), t, page.at, d.first_page) {
                    let (from, to) = page.list.edge_of(page.entries[i]);
                    learned.dated += usize::from(self.date(from, to, start));
                }
            }
            Err(_) => {
                self.undated.insert((page.list, page.at, d.last_ms));
            }
        }
    }

    fn date(&mut self, from: AccountId, to: AccountId, start: DatedStart) -> bool {
        let starts = self.starts.entry((from, to)).or_default();
        match starts.binary_search(&start) {
            Ok(_) => false,
            Err(i) => {
                starts.insert(i, start);
                true
            }
        }
    }

    /// The dates the platform gave the starts of `from`'s follows of `to`.
    pub fn dated_starts(&self, from: AccountId, to: AccountId) -> &[DatedStart] {
        self.starts.get(&(from, to)).map_or(&[], |v| v.as_slice())
    }

    /// How the derived "not following" sighting at `at` came about, if a date
    /// made it (see `sightings`).
    pub fn dated_at(&self, from: AccountId, to: AccountId, at: Time) -> Option<Dating> {
        self.dated_starts(from, to)
            .iter()
            .filter(|d| d.after == Some(at))
            .map(|d| d.how)
            .min()
    }

    /// Pages whose cursor dated nothing (it failed the checks).
    pub fn undated_pages(&self) -> usize {
        self.undated.len()
    }

    fn apply_page(&mut self, page: &ListPage, learned: &mut Learned) {
        let sighting = Sighting::at(page.at, true);
        if page.entries.len() < BULK || page.entries.len() > u32::MAX as usize {
            for &entry in &page.entries {
                let (a, b) = page.list.edge_of(entry);
                learned.sightings += usize::from(self.see(a, b, sighting));
            }
        } else {
            for (a, b) in self.in_table_order(page) {
                learned.sightings += usize::from(self.see(a, b, sighting));
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
                entries: u32::try_from(page.entries.len()).ok(),
            };
            let log = self.lists.entry(page.list).or_default();
            // A whole list in one page is a walk; any other page is a window whose
            // order segments compare.
            if !(meta.cursor.is_none() && meta.is_last) {
                log.keep_order(OrderedPage {
                    meta,
                    entries: page.entries.clone(),
                });
            }
            if insert_sorted(&mut log.pages, meta) {
                learned.pages += 1;
                let before = log.walks.len();
                self.rebuild_walks(page.list);
                learned.walks += self.lists[&page.list].walks.len().saturating_sub(before);
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

    pub(crate) fn note_handle(&mut self, handle: &str, at: Time, id: AccountId) {
        let key = normalize_handle(handle);
        let digest = crate::lists::cursor_digest(&key);
        let slot = self.handles.entry(key).or_insert((at, id, digest));
        if (at, id) > (slot.0, slot.1) {
            (slot.0, slot.1) = (at, id);
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
        let keys: Vec<ListKey> = self.lists.keys().copied().collect();
        for key in keys {
            self.rebuild_walks(key);
        }
        for log in self.lists.values_mut() {
            log.rederive();
        }
    }

    /// Re-derives a list's complete walks from its pages and its owner's counts.
    pub(crate) fn rebuild_walks(&mut self, key: ListKey) {
        let counts = self.accounts.get(&key.owner).map_or(&[][..], |a| &a.counts);
        let count_at = |t: Time| {
            counts
                .iter()
                .rev()
                .filter(|c| c.at <= t)
                .find_map(|c| match key.kind {
                    ListKind::Followers => c.followers,
                    ListKind::Following => c.following,
                })
        };
        if let Some(log) = self.lists.get_mut(&key) {
            log.rebuild_walks(&count_at);
        }
    }

    /// Forgets an account, at the viewer's request: what it is, every edge to or
    /// from it, the lists it owns. A later capture may teach it again.
    pub fn forget(&mut self, id: AccountId) {
        self.accounts.remove(&id);
        for a in self.accounts.values_mut() {
            a.not_unfollows.retain(|n| n.to != id);
        }
        self.edges.retain(|&(from, to), _| from != id && to != id);
        self.starts.retain(|&(from, to), _| from != id && to != id);
        self.lists.retain(|key, _| key.owner != id);
        self.undated.retain(|(key, _, _)| key.owner != id);
        self.reindex();
    }

    /// The viewer says the end of `from`'s follow of `to` around `at` (the event's
    /// `by`) was not an unfollow: it no longer counts as one.
    pub fn mark_not_unfollow(
        &mut self,
        from: AccountId,
        to: AccountId,
        at: Time,
    ) -> Result<(), LedgerError> {
        check_id(from, "account")?;
        check_id(to, "account")?;
        check_time(at, "mark")?;
        insert_sorted(
            &mut self.accounts.entry(from).or_default().not_unfollows,
            crate::account::NotUnfollow { to, at },
        );
        Ok(())
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
            .map(|(_, id, _)| *id)
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
        let mut derived = false;
        // A member of a fixed block at a list's top is out of X's order.
        let mut in_block = false;
        for (key, entry) in ListKey::of_edge(from, to) {
            let Some(log) = self.lists.get(&key) else {
                continue;
            };
            in_block |= log.segments.block.contains(&entry);
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
            // Absent inside a complete segment of a look (see `segments`).
            // (Dates are added below, once per edge.)
            for &(a, b) in log.segments.absences.get(&entry).into_iter().flatten() {
                if !explicit.is_some_and(|h| h.seen_following_within(a, b)) {
                    out.push(Sighting {
                        from: a,
                        to: b,
                        follows: false,
                    });
                    derived = true;
                }
            }
        }
        // Follows the platform dated: not following just before the start, and
        // following at it when it is exact. A date from a list's order gives way
        // to a sighting: an edge already seen following before it, in the same
        // run, was not new then (a fixed block, an order misread).
        let dates = self.dated_starts(from, to);
        if !dates.is_empty() {
            if derived {
                out.sort_unstable();
            }
            let seen = out.len();
            for d in dates {
                if in_block && d.how.from_order() {
                    continue;
                }
                let Some(after) = d.after else { continue };
                if d.how.from_order() {
                    let before = out[..out[..seen].partition_point(|s| s.from <= after)].last();
                    if before.is_some_and(|s| s.follows) {
                        continue;
                    }
                }
                out.push(Sighting::at(after, false));
                out.push(Sighting::at(d.by, true));
                derived = true;
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
}

pub fn normalize_handle(handle: &str) -> String {
    handle.trim().trim_start_matches('@').to_ascii_lowercase()
}

impl Ledger {
    /// Folds another ledger of the same viewer in (an import, another device): the
    /// result is the ledger of both sets of observations.
    /// Folds in a part cut from a ledger of the same viewer (see `store::parts`):
    /// disjoint from what is here by construction, and merged, not replaced,
    /// where a damaged layout made them overlap. The derived indexes wait for
    /// `reindex`.
    pub(crate) fn absorb(&mut self, part: Ledger) {
        use std::collections::btree_map::Entry as Tree;
        use std::collections::hash_map::Entry as Hash;
        for (id, a) in part.accounts {
            match self.accounts.entry(id) {
                Tree::Vacant(v) => {
                    v.insert(a);
                }
                Tree::Occupied(mut o) => o.get_mut().merge(&a),
            }
        }
        for (edge, h) in part.edges {
            match self.edges.entry(edge) {
                Hash::Vacant(v) => {
                    v.insert(h);
                }
                Hash::Occupied(mut o) => {
                    for s in h.sightings() {
                        o.get_mut().insert(*s);
                    }
                }
            }
        }
        for ((from, to), starts) in part.starts {
            for d in starts {
                self.date(from, to, d);
            }
        }
        for (key, log) in part.lists {
            match self.lists.entry(key) {
                Tree::Vacant(v) => {
                    v.insert(log);
                }
                Tree::Occupied(mut o) => o.get_mut().merge(&log),
            }
        }
        self.undated.extend(part.undated);
    }

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
        for (&(from, to), starts) in &other.starts {
            for d in starts {
                self.date(from, to, *d);
            }
        }
        self.undated.extend(other.undated.iter().copied());
        self.trimmed = self.trimmed.max(other.trimmed);
        for (key, log) in &other.lists {
            self.lists.entry(*key).or_default().merge(log);
        }
        // New pages, or new counts of their owners: every list is re-derived.
        let keys: Vec<ListKey> = self.lists.keys().copied().collect();
        for key in keys {
            self.rebuild_walks(key);
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
    pub fn list_members_at(&self, key: ListKey, walk: crate::lists::Walk) -> usize {
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
