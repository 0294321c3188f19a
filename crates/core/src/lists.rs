//! Walkable lists (an account's followers or following): the pages seen of each,
//! and the complete walks they chain into. A complete walk is what lets an
//! absence mean something (rule 1).

use crate::segments::{OrderedPage, Segments, Settled};
pub use crate::segments::{PageMeta, SITTING_GAP};
use crate::sort::sort_by_cold;
use crate::time::Time;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

/// A complete walk of a list: from its first page at `from` to its last at `to`.
/// An account absent from every page did not follow (or was not followed) at some
/// instant within `from..=to`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug, Serialize, Deserialize)]
pub struct Walk {
    pub from: Time,
    pub to: Time,
    /// Entries over all its pages, when every page's count is known.
    pub entries: Option<u64>,
}

#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct ListLog {
    pub(crate) pages: Vec<PageMeta>,
    /// The pages X paginates (not a whole list in one page), with their entries in
    /// order: what segments are made of.
    pub(crate) ordered: Vec<OrderedPage>,
    /// Derived from `pages`.
    pub(crate) walks: Vec<Walk>,
    /// What looks dropped from `ordered` proved (see [`Settled`]).
    pub(crate) settled: Settled,
    /// Derived from `ordered` and `settled`.
    pub(crate) segments: Segments,
}

/// Pages longer than this are not kept in order (X's pages hold a few dozen; a
/// whole list in one page, like an archive's, is a walk and needs no segments).
pub const MAX_ORDERED_PAGE: usize = 5000;

/// Retention: the order of a list's latest looks only (a year of weekly looks);
/// older pages keep their time and cursors, not their entries. A look is a first
/// page and the pages of its sitting: pages asked for with a cursor count with
/// the first page they follow, so paging down a list costs no retention.
pub const KEEP_LOOKS: usize = 64;

/// And never more pages in order than this, however they came.
pub const KEEP_ORDERED_PAGES: usize = 1024;

impl ListLog {
    pub fn pages(&self) -> &[PageMeta] {
        &self.pages
    }
    pub fn walks(&self) -> &[Walk] {
        &self.walks
    }
    pub fn segments(&self) -> &Segments {
        &self.segments
    }

    /// Keeps a page's entries in order. Looks past retention go, and what only
    /// they proved is settled first.
    pub(crate) fn keep_order(&mut self, page: OrderedPage) {
        if page.entries.len() > MAX_ORDERED_PAGE {
            return;
        }
        let Err(i) = self.ordered.binary_search(&page) else {
            return;
        };
        self.ordered.insert(i, page);
        self.drop_repeats();
        let old = self.old_looks();
        if old.iter().any(|&o| o) {
            let everything = crate::segments::derive(&self.ordered);
            let mut i = 0;
            self.ordered.retain(|_| {
                i += 1;
                !old[i - 1]
            });
            let kept = crate::segments::derive(&self.ordered);
            self.settled.absorb(&everything, &kept);
            self.segments = crate::segments::merged(kept, &self.settled);
        } else {
            self.rederive();
        }
    }

    /// Folds another log of the same list in: its pages, its pages in order,
    /// what its dropped looks settled.
    pub(crate) fn merge(&mut self, other: &ListLog) {
        for p in &other.pages {
            crate::account::insert_sorted(&mut self.pages, *p);
        }
        for page in &other.ordered {
            self.keep_order(page.clone());
        }
        if !other.settled.is_empty() {
            self.settled.merge(&other.settled);
            self.rederive();
        }
    }

    /// Re-derives the segments from the pages kept and what was settled.
    pub(crate) fn rederive(&mut self) {
        self.segments =
            crate::segments::merged(crate::segments::derive(&self.ordered), &self.settled);
    }

    pub fn settled(&self) -> &Settled {
        &self.settled
    }

    /// The same page seen again and again (asked with the same cursor, the same
    /// entries, with no other page of that cursor between) is kept at its first
    /// and its last sighting: repeating one look changes nothing, and settles
    /// nothing (a repeat proves nothing its first and last do not).
    fn drop_repeats(&mut self) {
        // X's bottom cursor changes with every request: not compared.
        let mut by_cursor: FxHashMap<Option<u64>, Vec<usize>> = FxHashMap::default();
        for (i, p) in self.ordered.iter().enumerate() {
            by_cursor.entry(p.meta.cursor).or_default().push(i);
        }
        let same = |a: &OrderedPage, b: &OrderedPage| {
            a.meta.is_last == b.meta.is_last && a.entries == b.entries
        };
        let mut keep = vec![true; self.ordered.len()];
        for pages in by_cursor.values() {
            for w in pages.windows(3) {
                let (a, b, c) = (
                    &self.ordered[w[0]],
                    &self.ordered[w[1]],
                    &self.ordered[w[2]],
                );
                if same(a, b) && same(b, c) {
                    keep[w[1]] = false;
                }
            }
        }
        let mut i = 0;
        self.ordered.retain(|_| {
            i += 1;
            keep[i - 1]
        });
    }

    /// Which ordered pages retention drops: a function of the set of pages, so
    /// that arrival order cannot matter while looks are kept.
    /// - Past the latest [`KEEP_LOOKS`] looks: a page older than the first page
    ///   of the oldest look kept (less a sitting) goes.
    /// - Then past [`KEEP_ORDERED_PAGES`], the oldest going first.
    fn old_looks(&self) -> Vec<bool> {
        let mut old = vec![false; self.ordered.len()];
        let mut starts: Vec<Time> = self
            .ordered
            .iter()
            .filter(|p| p.meta.cursor.is_none())
            .map(|p| p.meta.at)
            .collect();
        starts.dedup();
        if starts.len() > KEEP_LOOKS {
            let cutoff = starts[starts.len() - KEEP_LOOKS] - SITTING_GAP;
            for (o, p) in old.iter_mut().zip(&self.ordered) {
                *o = p.meta.at < cutoff;
            }
        }
        let left = old.iter().filter(|o| !**o).count();
        let mut excess = left.saturating_sub(KEEP_ORDERED_PAGES);
        for o in &mut old {
            if excess == 0 {
                break;
            }
            if !*o {
                *o = true;
                excess -= 1;
            }
        }
        old
    }

    /// Chains pages by cursor, from each first page to a last one, within one
    /// sitting. A walk is complete only if it is plausible: far fewer entries
    /// (under half) than the owner's count said at the time means pages were
    /// missing or forged, whatever their cursors claim. A function of the page set
    /// and the owner's counts, so arrival order cannot matter.
    pub(crate) fn rebuild_walks(&mut self, owner_count_at: &dyn Fn(Time) -> Option<u64>) {
        let mut by_cursor: FxHashMap<u64, Vec<&PageMeta>> = FxHashMap::default();
        for p in &self.pages {
            if let Some(c) = p.cursor {
                by_cursor.entry(c).or_default().push(p);
            }
        }
        let mut walks = Vec::new();
        for first in self.pages.iter().filter(|p| p.cursor.is_none()) {
            let mut cur = first;
            let mut entries = first.entries.map(u64::from);
            // Bounded: each step moves to a page no earlier in time, and a cursor
            // cycle is cut by the step limit.
            for _ in 0..=self.pages.len() {
                if cur.is_last {
                    let plausible = match (entries, owner_count_at(cur.at)) {
                        (Some(n), Some(count)) => n.saturating_mul(2) >= count,
                        _ => true,
                    };
                    if plausible {
                        walks.push(Walk {
                            from: first.at,
                            to: cur.at,
                            entries,
                        });
                    }
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
                    Some(q) => {
                        cur = q;
                        entries = entries.zip(q.entries).map(|(a, b)| a + u64::from(b));
                    }
                    None => break,
                }
            }
        }
        sort_by_cold(&mut walks, Ord::cmp);
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
