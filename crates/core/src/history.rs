//! One edge's history: its sightings, read as runs of one state, and the events
//! between runs with honest time bounds.
//!
//! Why sightings are kept rather than only runs: rule 3 (order does not matter)
//! needs it. A run that keeps only its first and last sighting cannot be split
//! correctly when an older capture (an archive, a late tab) lands inside it with the
//! other state; the interior sightings decide where the split falls. So the history
//! is the set of distinct sightings, and runs are read from it. Sightings are small
//! (17 bytes) and the store packs them to a few bytes each.

use crate::time::Time;
use serde::{Deserialize, Serialize};
use smallvec::SmallVec;

/// The edge's state held at some instant within `from..=to` (an instant when
/// `from == to`; an interval for absence from a walk that took a while).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Serialize, Deserialize)]
pub struct Sighting {
    pub from: Time,
    pub to: Time,
    pub follows: bool,
}

impl Sighting {
    pub fn at(at: Time, follows: bool) -> Self {
        Sighting {
            from: at,
            to: at,
            follows,
        }
    }
}

/// The distinct sightings of one edge, sorted. Most edges have one or two, kept
/// inline: ingesting a million-entry list then allocates nothing per edge.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct History {
    sightings: SmallVec<[Sighting; 2]>,
}

impl History {
    pub fn sightings(&self) -> &[Sighting] {
        &self.sightings
    }

    /// Adds a sighting; false if it was already known (ingesting twice is a no-op).
    pub fn insert(&mut self, s: Sighting) -> bool {
        // Captures mostly arrive in time order: try the end first.
        match self.sightings.last() {
            None => {
                self.sightings.push(s);
                true
            }
            Some(last) if *last < s => {
                self.sightings.push(s);
                true
            }
            _ => match self.sightings.binary_search(&s) {
                Ok(_) => false,
                Err(i) => {
                    self.sightings.insert(i, s);
                    true
                }
            },
        }
    }

    /// Builds from sightings in any order, dropping duplicates.
    pub fn from_sightings(mut sightings: Vec<Sighting>) -> Self {
        sightings.sort_unstable();
        sightings.dedup();
        History {
            sightings: SmallVec::from_vec(sightings),
        }
    }

    /// Whether the edge was seen following at some instant within `from..=to`.
    pub fn seen_following_within(&self, from: Time, to: Time) -> bool {
        let start = self.sightings.partition_point(|s| s.from < from);
        self.sightings[start..]
            .iter()
            .take_while(|s| s.from <= to)
            .any(|s| s.follows && s.to <= to)
    }
}

/// A maximal stretch of consecutive sightings in one state.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Run {
    pub follows: bool,
    pub first: Sighting,
    pub last: Sighting,
    pub count: usize,
}

/// Reads sorted sightings as runs.
pub fn runs(sightings: &[Sighting]) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    for s in sightings {
        match out.last_mut() {
            Some(run) if run.follows == s.follows => {
                run.last = *s;
                run.count += 1;
            }
            _ => out.push(Run {
                follows: s.follows,
                first: *s,
                last: *s,
                count: 1,
            }),
        }
    }
    out
}

/// Honest bounds on when something happened: strictly after `after` (when known),
/// at or before `by`.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Bounds {
    pub after: Option<Time>,
    pub by: Time,
}

impl Bounds {
    pub fn contains(&self, t: Time) -> bool {
        self.after.is_none_or(|a| a < t) && t <= self.by
    }
}

/// Bounds on the change from `prev` to `next`: after the last sighting in the old
/// state, at or before the first sighting in the new one.
pub fn change_between(prev: &Run, next: &Run) -> Bounds {
    Bounds {
        after: Some(prev.last.from),
        by: next.first.to,
    }
}

/// Bounds on when the state of `runs[i]` began: after the previous run's last
/// sighting if there is one, else unknown; at or before the run's first sighting.
pub fn start_of(runs: &[Run], i: usize) -> Bounds {
    match i.checked_sub(1).map(|p| &runs[p]) {
        Some(prev) => change_between(prev, &runs[i]),
        None => Bounds {
            after: None,
            by: runs[i].first.to,
        },
    }
}

/// Bounds on how long a follow lasted, in seconds, given when it started and ended.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Span {
    /// Seen following for at least this long.
    pub at_least: i64,
    /// At most this long, when the start is known.
    pub at_most: Option<i64>,
}

pub fn span_between(start: Bounds, end: Bounds) -> Span {
    Span {
        at_least: end.after.map_or(0, |a| (a - start.by).max(0)),
        at_most: start.after.map(|a| end.by - a),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insert_keeps_sorted_distinct_sightings() {
        let mut h = History::default();
        assert!(h.insert(Sighting::at(Time(10), true)));
        assert!(h.insert(Sighting::at(Time(5), false)));
        assert!(h.insert(Sighting::at(Time(20), true)));
        assert!(!h.insert(Sighting::at(Time(10), true)));
        let times: Vec<_> = h.sightings().iter().map(|s| s.from).collect();
        assert_eq!(times, vec![Time(5), Time(10), Time(20)]);
    }

    #[test]
    fn runs_and_change_bounds() {
        let h = History::from_sightings(vec![
            Sighting::at(Time(1), true),
            Sighting::at(Time(4), true),
            Sighting::at(Time(9), false),
            Sighting::at(Time(12), false),
        ]);
        let r = runs(h.sightings());
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].count, 2);
        let b = change_between(&r[0], &r[1]);
        assert_eq!(
            b,
            Bounds {
                after: Some(Time(4)),
                by: Time(9)
            }
        );
        assert!(
            b.contains(Time(5))
                && b.contains(Time(9))
                && !b.contains(Time(4))
                && !b.contains(Time(10))
        );
        assert_eq!(start_of(&r, 0).after, None);
        let span = span_between(start_of(&r, 0), b);
        assert_eq!(span.at_least, 3);
        assert_eq!(span.at_most, None);
    }

    #[test]
    fn following_within_an_interval() {
        let h = History::from_sightings(vec![
            Sighting::at(Time(10), true),
            Sighting::at(Time(30), false),
        ]);
        assert!(h.seen_following_within(Time(5), Time(15)));
        assert!(!h.seen_following_within(Time(11), Time(40)));
    }
}
