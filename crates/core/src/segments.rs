//! Segments: what two looks at a list prove without walking it whole.
//!
//! A look is one page of a list, or consecutive pages of one sitting. Its anchors
//! are its entries, the list's start (only on a page asked for without a cursor)
//! and the list's end (only on a page whose bottom cursor marks it). Between two
//! anchors, a look shows everything: a complete segment.
//!
//! X's lists keep the relative order of their entries (checked on the real
//! captures: no inversion in any pair), so when another look that shares at least
//! [`MIN_SHARED`] entries with it, in the same order, shows E between anchors A and
//! B, and this look shows A and B with no E between them, E was not on the list
//! at this look: an absence, over the times of the pages holding A and B. Nothing
//! is concluded outside such segments (a page's tail, entries pushed past its end),
//! nor between looks whose shared entries are out of order.
//!
//! An entry absent at a look but seen between the same anchors both before and
//! after it (deactivated and back, a block member removed and restored) has not
//! left: that is a return, and no absence is kept for it.

use crate::model::AccountId;
use crate::time::{Time, MINUTE};
use rustc_hash::FxHashMap;

/// Two pages of one walk are at most this far apart: further, and the walk is
/// not "one sitting", so its absences would prove nothing.
pub const SITTING_GAP: i64 = 30 * MINUTE;

/// One page of a walkable list, as the ledger keeps it: cursors are hashed, entries
/// live in the edge histories.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct PageMeta {
    pub at: Time,
    pub cursor: Option<u64>,
    pub next_cursor: Option<u64>,
    pub is_last: bool,
    /// How many entries the page held (unknown for pages kept by store format 1).
    pub entries: Option<u32>,
}

/// Looks must share at least this many entries, in the same order, to compare.
pub const MIN_SHARED: usize = 3;

/// A page kept with its entries in the order X listed them.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub struct OrderedPage {
    pub meta: PageMeta,
    pub entries: Vec<AccountId>,
}

/// An anchor of a look: the list's start, an entry, or the list's end.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Anchor {
    Start,
    Entry(AccountId),
    End,
}

/// Where a look showed an entry another look lacks: the shared anchors around it,
/// and when the showing look ended.
type Between = (Anchor, Anchor, Time);

/// One look: its entries in order, each with its page's time.
struct Look {
    entries: Vec<(AccountId, Time)>,
    start: bool,
    end: bool,
    from: Time,
    to: Time,
    /// Each entry and its place in `entries`, sorted by entry: two looks are
    /// compared by merging these (a million-entry look costs a sort, not a
    /// million hash inserts and lookups).
    by_id: Vec<(AccountId, usize)>,
}

impl Look {
    /// Where `e` sits in this look, if it does.
    fn place_of(&self, e: AccountId) -> Option<usize> {
        self.by_id
            .binary_search_by_key(&e, |&(id, _)| id)
            .ok()
            .map(|i| self.by_id[i].1)
    }

    fn time_of(&self, a: Anchor) -> Time {
        match a {
            Anchor::Start => self.from,
            Anchor::End => self.to,
            // An anchor is an entry of this look.
            Anchor::Entry(e) => self.place_of(e).map_or(self.from, |i| self.entries[i].1),
        }
    }

    /// Each of this look's entries' place in `other`, if it is there: one merge
    /// of the two sorted lists.
    fn places_in(&self, other: &Look) -> Vec<Option<usize>> {
        let mut place = vec![None; self.entries.len()];
        let (mut i, mut j) = (0, 0);
        while i < self.by_id.len() && j < other.by_id.len() {
            let (a, b) = (self.by_id[i], other.by_id[j]);
            match a.0.cmp(&b.0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    place[a.1] = Some(b.1);
                    i += 1;
                    j += 1;
                }
            }
        }
        place
    }
}

/// What the looks at one list prove, derived from its ordered pages.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Segments {
    /// Entry → spans (first, last instant) of looks that lacked it inside a
    /// complete segment.
    pub absences: FxHashMap<AccountId, Vec<(Time, Time)>>,
    /// Entry → (span of the look that lacked it, instant it was back at its
    /// old place): neither a leave nor a follow.
    pub returns: FxHashMap<AccountId, Vec<(Time, Time, Time)>>,
    /// Pairs of looks that shared entries out of order: nothing was concluded.
    pub inversions: usize,
    /// Accounts seen above a newer follow at the top of the list: a fixed block
    /// that X keeps out of its newest-first order (see `dating`). Their dates
    /// from the list's order are wrong and dropped.
    pub block: rustc_hash::FxHashSet<AccountId>,
    /// Whether two looks at the list's top showed where its block ends (empty
    /// or not): until then, the top of a first page may hold one.
    pub block_known: bool,
    /// How many looks there were, and when the first was taken.
    pub looks: usize,
    pub first_look: Option<Time>,
    pub last_look: Option<Time>,
}

/// Chains pages into looks: each page's successor is the page its bottom cursor
/// asks for, within one sitting; a look starts at a page no other page leads to.
fn looks(pages: &[OrderedPage]) -> Vec<Look> {
    let mut by_cursor: FxHashMap<u64, Vec<usize>> = FxHashMap::default();
    for (i, p) in pages.iter().enumerate() {
        if let Some(c) = p.meta.cursor {
            by_cursor.entry(c).or_default().push(i);
        }
    }
    let next_of = |i: usize| -> Option<usize> {
        let cur = &pages[i].meta;
        let cands = by_cursor.get(&cur.next_cursor?)?;
        cands
            .iter()
            .copied()
            .filter(|&j| {
                let q = &pages[j].meta;
                q.at >= cur.at && q.at - cur.at <= SITTING_GAP
            })
            .min_by_key(|&j| &pages[j].meta)
    };
    let next: Vec<Option<usize>> = (0..pages.len()).map(next_of).collect();
    let mut led_to = vec![false; pages.len()];
    for j in next.iter().flatten() {
        led_to[*j] = true;
    }
    let mut out = Vec::new();
    for head in (0..pages.len()).filter(|&i| !led_to[i]) {
        let mut look = Look {
            entries: Vec::new(),
            start: pages[head].meta.cursor.is_none(),
            end: false,
            from: pages[head].meta.at,
            to: pages[head].meta.at,
            by_id: Vec::new(),
        };
        let mut cur = Some(head);
        // Bounded: a cursor cycle is cut after every page was visited once.
        for _ in 0..pages.len() {
            let Some(i) = cur else { break };
            let p = &pages[i];
            look.entries
                .extend(p.entries.iter().map(|&e| (e, p.meta.at)));
            look.to = p.meta.at;
            look.end = p.meta.is_last;
            cur = next[i];
        }
        dedup_look(&mut look);
        out.push(look);
    }
    out
}

/// Keeps each entry's first place in a look (a page may repeat one a page above
/// it showed), and sorts the look's entries by id beside their places.
fn dedup_look(look: &mut Look) {
    let mut by_id: Vec<(AccountId, usize)> = look
        .entries
        .iter()
        .enumerate()
        .map(|(i, &(e, _))| (e, i))
        .collect();
    by_id.sort_unstable();
    by_id.dedup_by_key(|&mut (e, _)| e);
    if by_id.len() < look.entries.len() {
        // Drop the repeats, and renumber the places that stay.
        let mut keep = vec![false; look.entries.len()];
        for &(_, i) in &by_id {
            keep[i] = true;
        }
        let mut renumbered = vec![0usize; look.entries.len()];
        let mut next = 0;
        for (i, k) in keep.iter().enumerate() {
            renumbered[i] = next;
            next += usize::from(*k);
        }
        let mut i = 0;
        look.entries.retain(|_| {
            i += 1;
            keep[i - 1]
        });
        for (_, place) in &mut by_id {
            *place = renumbered[*place];
        }
    }
    look.by_id = by_id;
}

/// The absences and returns the ordered pages of one list prove.
pub fn derive(pages: &[OrderedPage]) -> Segments {
    let looks = looks(pages);
    let mut seg = Segments {
        looks: looks.len(),
        first_look: looks.iter().map(|l| l.from).min(),
        last_look: looks.iter().map(|l| l.to).max(),
        ..Segments::default()
    };
    // (entry, index of the look lacking it) → the anchors it sat between, and
    // when, in the looks that showed it.
    let mut found: FxHashMap<(AccountId, usize), Vec<Between>> = FxHashMap::default();
    for (o, lacking) in looks.iter().enumerate() {
        for showing in &looks {
            if std::ptr::eq(lacking, showing) {
                continue;
            }
            // Where each of `showing`'s entries sits in `lacking`, if it does: one
            // lookup an entry, read below as often as needed.
            let place = showing.places_in(lacking);
            // The entries both show, in `showing`'s order, must keep `lacking`'s.
            let shared: Vec<usize> = place.iter().flatten().copied().collect();
            if shared.len() < MIN_SHARED {
                continue;
            }
            if shared.windows(2).any(|w| w[0] > w[1]) {
                seg.inversions += 1;
                continue;
            }
            // A later look at the list's top: an entry the earlier look lacked,
            // with shared entries below it (inside what the earlier look
            // covered), is a newer follow. Newest first, it would sit above every
            // older entry: the shared entries above the lowest such arrival are a
            // fixed block. (A return counts as an arrival: that only drops dates.)
            if showing.start && lacking.start && lacking.to < showing.from {
                let shared_at = |i: usize| place[i].is_some();
                let last_shared = (0..showing.entries.len()).rev().find(|&i| shared_at(i));
                let lowest_arrival =
                    last_shared.and_then(|end| (0..end).rev().find(|&i| !shared_at(i)));
                if let Some(a) = lowest_arrival {
                    seg.block_known = true;
                    seg.block.extend(
                        showing.entries[..a]
                            .iter()
                            .zip(&place)
                            .filter(|(_, p)| p.is_some())
                            .map(|((e, _), _)| *e),
                    );
                }
            }
            // Walk `showing`: entries `lacking` lacks, between two shared anchors.
            let mut before = (showing.start && lacking.start).then_some(Anchor::Start);
            let mut pending: Vec<AccountId> = Vec::new();
            let mut settle = |pending: &mut Vec<AccountId>, a: Option<Anchor>, b: Anchor| {
                if let Some(a) = a {
                    for e in pending.iter() {
                        found.entry((*e, o)).or_default().push((a, b, showing.to));
                    }
                }
                pending.clear();
            };
            for ((e, _), p) in showing.entries.iter().zip(&place) {
                if p.is_some() {
                    settle(&mut pending, before, Anchor::Entry(*e));
                    before = Some(Anchor::Entry(*e));
                } else {
                    pending.push(*e);
                }
            }
            if showing.end && lacking.end {
                settle(&mut pending, before, Anchor::End);
            }
        }
    }
    for ((entry, o), seen) in found {
        let lacking = &looks[o];
        let at = lacking.from;
        // Seen between the same anchors both before and after: a return.
        let back = seen.iter().find(|(a, b, t)| {
            *t > at
                && seen
                    .iter()
                    .any(|(a2, b2, t2)| *t2 < at && (a2, b2) == (a, b))
        });
        if let Some(&(_, _, back_at)) = back {
            seg.returns
                .entry(entry)
                .or_default()
                .push((lacking.from, lacking.to, back_at));
            continue;
        }
        // The absence spans the pages that hold the anchors around it.
        let (a, b, _) = seen[0];
        let span = (lacking.time_of(a), lacking.time_of(b));
        seg.absences
            .entry(entry)
            .or_default()
            .push((span.0.min(span.1), span.0.max(span.1)));
    }
    for spans in seg.absences.values_mut() {
        crate::sort::sort_by_cold(spans, Ord::cmp);
        spans.dedup();
    }
    for spans in seg.returns.values_mut() {
        crate::sort::sort_by_cold(spans, Ord::cmp);
        spans.dedup();
    }
    seg
}

/// What looks no longer kept in order proved: the absences, returns and block
/// that only they showed. Retention drops a list's oldest looks; what they proved
/// stays, so a verdict does not fall with the pages behind it.
///
/// Two looks are compared only while both are kept: a look that arrives after
/// 64 newer ones (a late capture) is compared with those alone. So rule 3 holds
/// for the looks a list keeps; what older looks settled is final.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Settled {
    /// (entry, first, last instant of the span the look lacked it in), sorted.
    pub absences: Vec<(AccountId, Time, Time)>,
    /// (entry, look's first and last instant, instant it was back), sorted.
    pub returns: Vec<(AccountId, Time, Time, Time)>,
    /// Accounts of the list's fixed block, sorted.
    pub block: Vec<AccountId>,
    pub block_known: bool,
    /// Looks dropped, and when the first of them was taken.
    pub looks: u32,
    pub first_look: Option<Time>,
}

impl Settled {
    pub fn is_empty(&self) -> bool {
        *self == Settled::default()
    }

    /// Keeps what `everything` (before a drop) proved that `kept` (after it)
    /// no longer does.
    pub(crate) fn absorb(&mut self, everything: &Segments, kept: &Segments) {
        for (e, spans) in &everything.absences {
            let still = kept.absences.get(e);
            for &(a, b) in spans {
                if !still.is_some_and(|s| s.contains(&(a, b))) {
                    self.absences.push((*e, a, b));
                }
            }
        }
        for (e, spans) in &everything.returns {
            let still = kept.returns.get(e);
            for &(f, t, back) in spans {
                if !still.is_some_and(|s| s.contains(&(f, t, back))) {
                    self.returns.push((*e, f, t, back));
                }
            }
        }
        self.block
            .extend(everything.block.iter().filter(|e| !kept.block.contains(e)));
        self.block_known |= everything.block_known && !kept.block_known;
        let dropped = everything.looks.saturating_sub(kept.looks);
        self.looks = self
            .looks
            .saturating_add(u32::try_from(dropped).unwrap_or(u32::MAX));
        if dropped > 0 {
            self.first_look = min_some(self.first_look, everything.first_look);
        }
        self.normalise();
    }

    /// Folds another list's settled facts in (a ledger merged into itself is
    /// unchanged).
    pub(crate) fn merge(&mut self, other: &Settled) {
        self.absences.extend_from_slice(&other.absences);
        self.returns.extend_from_slice(&other.returns);
        self.block.extend_from_slice(&other.block);
        self.block_known |= other.block_known;
        self.looks = self.looks.max(other.looks);
        self.first_look = min_some(self.first_look, other.first_look);
        self.normalise();
    }

    /// Keeps only the facts about entries `keep` accepts (the store's cap).
    pub(crate) fn retain_entries(&mut self, keep: impl Fn(AccountId) -> bool) {
        self.absences.retain(|a| keep(a.0));
        self.returns.retain(|r| keep(r.0));
        self.block.retain(|e| keep(*e));
    }

    pub(crate) fn normalise(&mut self) {
        crate::sort::sort_by_cold(&mut self.absences, Ord::cmp);
        self.absences.dedup();
        crate::sort::sort_by_cold(&mut self.returns, Ord::cmp);
        self.returns.dedup();
        crate::sort::sort_by_cold(&mut self.block, Ord::cmp);
        self.block.dedup();
    }
}

fn min_some(a: Option<Time>, b: Option<Time>) -> Option<Time> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The segments of the looks kept, with what dropped looks settled. A return
/// (seen before and after the look that lacked it) withdraws an absence of the
/// same look, whichever side proved each.
pub fn merged(mut live: Segments, settled: &Settled) -> Segments {
    if settled.is_empty() {
        return live;
    }
    for &(e, a, b) in &settled.absences {
        live.absences.entry(e).or_default().push((a, b));
    }
    for &(e, f, t, back) in &settled.returns {
        live.returns.entry(e).or_default().push((f, t, back));
    }
    let returns = &live.returns;
    for (e, spans) in &mut live.absences {
        if let Some(rets) = returns.get(e) {
            spans.retain(|&(a, b)| !rets.iter().any(|&(f, t, _)| f <= a && b <= t));
        }
        crate::sort::sort_by_cold(spans, Ord::cmp);
        spans.dedup();
    }
    live.absences.retain(|_, spans| !spans.is_empty());
    for spans in live.returns.values_mut() {
        crate::sort::sort_by_cold(spans, Ord::cmp);
        spans.dedup();
    }
    live.block.extend(settled.block.iter().copied());
    live.block_known |= settled.block_known;
    live.looks = live.looks.saturating_add(settled.looks as usize);
    live.first_look = min_some(live.first_look, settled.first_look);
    live
}
