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
use rustc_hash::{FxHashMap, FxHashSet};

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

/// Where a look showed an entry another look lacks: the shared anchors around
/// it, when the showing look ended, and when the lacking look saw each anchor.
type Between = (Anchor, Anchor, Time, (Time, Time));

/// One look: its entries in order, each with its page's time.
struct Look {
    entries: Vec<(AccountId, Time)>,
    start: bool,
    end: bool,
    from: Time,
    to: Time,
    /// The same entries sorted: two looks are compared by merging these (a
    /// million-entry look costs a sort, not a million hash inserts).
    sorted: Vec<AccountId>,
}

/// Which entries of each of two looks the other shows too, in each look's
/// order, and how many both show.
struct Shared {
    first: Vec<bool>,
    second: Vec<bool>,
    count: usize,
}

/// One merge of the two looks' sorted entries finds what only one of them
/// shows (few, between looks at one list); each look is then read once.
fn shared(first: &Look, second: &Look) -> Shared {
    let (a, b) = (&first.sorted, &second.sorted);
    let (mut only_first, mut only_second) = (Vec::new(), Vec::new());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        if x < y {
            only_first.push(x);
        } else if y < x {
            only_second.push(y);
        }
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
    only_first.extend_from_slice(&a[i..]);
    only_second.extend_from_slice(&b[j..]);
    let flags = |look: &Look, only: Vec<AccountId>| -> Vec<bool> {
        if only.is_empty() {
            return vec![true; look.entries.len()];
        }
        let only: FxHashSet<AccountId> = only.into_iter().collect();
        look.entries
            .iter()
            .map(|(e, _)| !only.contains(e))
            .collect()
    };
    Shared {
        count: a.len() - only_first.len(),
        first: flags(first, only_first),
        second: flags(second, only_second),
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
            sorted: Vec::new(),
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
/// it showed), and sorts the look's entries beside it.
fn dedup_look(look: &mut Look) {
    let mut sorted: Vec<AccountId> = look.entries.iter().map(|&(e, _)| e).collect();
    sorted.sort_unstable();
    let repeated: FxHashSet<AccountId> = sorted
        .windows(2)
        .filter(|w| w[0] == w[1])
        .map(|w| w[0])
        .collect();
    if !repeated.is_empty() {
        sorted.dedup();
        let mut kept = FxHashSet::default();
        look.entries
            .retain(|(e, _)| !repeated.contains(e) || kept.insert(*e));
    }
    look.sorted = sorted;
}

/// Compares one look with another that may show what it lacks. `lacking_shares`
/// and `showing_shares` flag, in each look's order, the entries both show.
fn compare(
    seg: &mut Segments,
    found: &mut FxHashMap<(AccountId, usize), Vec<Between>>,
    (o, lacking, lacking_shares): (usize, &Look, &[bool]),
    (showing, showing_shares): (&Look, &[bool]),
) {
    // The entries both show, in `showing`'s order, must keep `lacking`'s.
    let in_lacking = lacking.entries.iter().zip(lacking_shares);
    let in_showing = showing.entries.iter().zip(showing_shares);
    let shared_of = |(&(e, _), &s): (&(AccountId, Time), &bool)| s.then_some(e);
    if !in_lacking
        .filter_map(shared_of)
        .eq(in_showing.filter_map(shared_of))
    {
        seg.inversions += 1;
        return;
    }
    // A later look at the list's top: an entry the earlier look lacked, with
    // shared entries below it (inside what the earlier look covered), is a
    // newer follow. Newest first, it would sit above every older entry: the
    // shared entries above the lowest such arrival are a fixed block. (A return
    // counts as an arrival: that only drops dates.)
    if showing.start && lacking.start && lacking.to < showing.from {
        let last_shared = showing_shares.iter().rposition(|&s| s);
        let lowest_arrival =
            last_shared.and_then(|end| showing_shares[..end].iter().rposition(|&s| !s));
        if let Some(a) = lowest_arrival {
            seg.block_known = true;
            seg.block.extend(
                showing.entries[..a]
                    .iter()
                    .zip(showing_shares)
                    .filter(|(_, &s)| s)
                    .map(|(&(e, _), _)| e),
            );
        }
    }
    // Walk `showing`: entries `lacking` lacks, between two shared anchors. The
    // shared entries come in the same order in both, so `lacking` is walked
    // beside it to know when it saw each anchor.
    let mut before = (showing.start && lacking.start).then_some((Anchor::Start, lacking.from));
    let mut pending: Vec<AccountId> = Vec::new();
    let mut settle =
        |pending: &mut Vec<AccountId>, a: Option<(Anchor, Time)>, b: (Anchor, Time)| {
            if let Some(a) = a {
                for e in pending.iter() {
                    found
                        .entry((*e, o))
                        .or_default()
                        .push((a.0, b.0, showing.to, (a.1, b.1)));
                }
            }
            pending.clear();
        };
    let mut lacking_shared = lacking
        .entries
        .iter()
        .zip(lacking_shares)
        .filter(|(_, &s)| s)
        .map(|(&(_, t), _)| t);
    for (&(e, _), &s) in showing.entries.iter().zip(showing_shares) {
        if !s {
            pending.push(e);
            continue;
        }
        let anchor = (
            Anchor::Entry(e),
            lacking_shared.next().unwrap_or(lacking.from),
        );
        if !pending.is_empty() {
            settle(&mut pending, before, anchor);
        }
        before = Some(anchor);
    }
    if showing.end && lacking.end {
        settle(&mut pending, before, (Anchor::End, lacking.to));
    }
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
    // when, in the looks that showed it. Each pair of looks is merged once and
    // compared both ways; what `found` holds for a key still comes in the order
    // of the looks that showed it (those before the lacking one are paired at
    // their own turn, those after it at its turn).
    let mut found: FxHashMap<(AccountId, usize), Vec<Between>> = FxHashMap::default();
    for (a, first) in looks.iter().enumerate() {
        for (b, second) in looks.iter().enumerate().skip(a + 1) {
            let both = shared(first, second);
            if both.count < MIN_SHARED {
                continue;
            }
            let (first, second) = ((first, &both.first[..]), (second, &both.second[..]));
            compare(&mut seg, &mut found, (a, first.0, first.1), second);
            compare(&mut seg, &mut found, (b, second.0, second.1), first);
        }
    }
    for ((entry, o), seen) in found {
        let lacking = &looks[o];
        let at = lacking.from;
        // Seen between the same anchors both before and after: a return.
        let back = seen.iter().find(|(a, b, t, _)| {
            *t > at
                && seen
                    .iter()
                    .any(|(a2, b2, t2, _)| *t2 < at && (a2, b2) == (a, b))
        });
        if let Some(&(_, _, back_at, _)) = back {
            seg.returns
                .entry(entry)
                .or_default()
                .push((lacking.from, lacking.to, back_at));
            continue;
        }
        // The absence spans the pages that hold the anchors around it.
        let (_, _, _, span) = seen[0];
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
