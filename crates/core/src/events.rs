//! Events: each change of state on an edge, with honest bounds, classified — a
//! follow, an unfollow, or an end that is not an unfollow (the account was gone,
//! or it blocked the viewer: rule 4); an end seen only in segments of a list is a
//! leave from that list until the account is seen alive; a return is neither.

use crate::history::{Bounds, Run};
use crate::ledger::Ledger;
use crate::model::{AccountId, ListKey};
use crate::sort::sort_by_key_cold;
use crate::time::Time;
use crate::vocab::{Confidence, EventKind};
use serde::Serialize;

#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Event {
    pub kind: EventKind,
    pub from: AccountId,
    pub to: AccountId,
    #[serde(flatten)]
    pub bounds: Bounds,
    /// High for complete walks and X's own flags, medium for a leave confirmed by
    /// the account seen alive, low for a leave seen in segments alone.
    pub confidence: Confidence,
}

impl Ledger {
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
        self.end_of(from, to, viewer, ended, next).0
    }

    /// The kind of an end and how sure it is.
    pub fn end_of(
        &self,
        from: AccountId,
        to: AccountId,
        viewer: AccountId,
        ended: &Run,
        next: &Run,
    ) -> (EventKind, Confidence) {
        let (after, until) = (ended.last.from, next.last.to);
        let said_not = self.accounts.get(&from).is_some_and(|a| {
            a.not_unfollows
                .iter()
                .any(|n| n.to == to && after < n.at && n.at <= until)
        });
        if said_not {
            return (EventKind::NotUnfollow, Confidence::High);
        }
        let kind = self.why_ended(from, to, viewer, ended, next);
        if kind != EventKind::Unfollow {
            return (kind, Confidence::High);
        }
        // An unfollow proven by X's flags or a complete walk is sure; one seen only
        // in segments is a leave, confirmed when the account is seen alive after.
        let (lo, hi) = (next.first.from, next.last.to);
        // A notice of a new follow after it proves the old one had ended.
        let explicit = self.edges.get(&(from, to)).is_some_and(|h| {
            h.sightings()
                .iter()
                .any(|s| !s.follows && lo <= s.from && s.to <= hi)
        }) || self.dated_starts(from, to).iter().any(|d| {
            matches!(
                d.how,
                crate::dating::Dating::Notice | crate::dating::Dating::RecordKey
            ) && d.after.is_some_and(|a| lo <= a && a <= hi)
        });
        let lists = ListKey::of_edge(from, to).map(|(key, entry)| (self.lists.get(&key), entry));
        let walked = lists
            .iter()
            .filter_map(|(l, _)| *l)
            .flat_map(|l| &l.walks)
            .any(|w| lo <= w.from && w.to <= hi);
        if explicit || walked {
            return (EventKind::Unfollow, Confidence::High);
        }
        let alive_after = |id: AccountId| {
            self.accounts
                .get(&id)
                .and_then(|a| a.last_active)
                .is_some_and(|t| t >= lo)
        };
        // The entry that left a list in that time, seen alive after.
        let confirmed = lists.iter().any(|(l, entry)| {
            l.and_then(|l| l.segments.absences.get(entry))
                .is_some_and(|spans| spans.iter().any(|&(a, b)| lo <= a && b <= hi))
                && alive_after(*entry)
        });
        if confirmed {
            (EventKind::Unfollow, Confidence::Medium)
        } else {
            (EventKind::LeftList, Confidence::Low)
        }
    }

    fn why_ended(
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
                // Its follow of you, ended by your own removal or block.
                if to == viewer
                    && a.by_you
                        .iter()
                        .any(|b| b.action.ends_their_follow() && within(b.at))
                {
                    return EventKind::RemovedByYou;
                }
            }
        }
        EventKind::Unfollow
    }

    /// Every change on an edge, classified, with its bounds.
    pub fn events(&self, from: AccountId, to: AccountId, viewer: AccountId) -> Vec<Event> {
        let runs = self.runs(from, to);
        let mut out: Vec<Event> = runs
            .windows(2)
            .map(|w| {
                let bounds = crate::history::change_between(&w[0], &w[1]);
                let (kind, confidence) = if w[1].follows {
                    // A start dated by a list's order rests on that order; the
                    // cursor's own entry, dated to the second, does not.
                    let exact = w[1].first.to - w[0].last.from <= 1;
                    let by_order = !exact
                        && self
                            .dated_at(from, to, w[0].last.from)
                            .is_some_and(super::dating::Dating::from_order);
                    let confidence = if by_order {
                        Confidence::Medium
                    } else {
                        Confidence::High
                    };
                    (EventKind::Follow, confidence)
                } else {
                    self.end_of(from, to, viewer, &w[0], &w[1])
                };
                Event {
                    kind,
                    from,
                    to,
                    bounds,
                    confidence,
                }
            })
            .collect();
        // Returns: gone from a look, back at the old place at `back`.
        for (key, entry) in ListKey::of_edge(from, to) {
            let Some(log) = self.lists.get(&key) else {
                continue;
            };
            for &(gone_at, _, back) in log.segments.returns.get(&entry).into_iter().flatten() {
                out.push(Event {
                    kind: EventKind::Returned,
                    from,
                    to,
                    bounds: Bounds {
                        after: Some(gone_at),
                        by: back,
                    },
                    confidence: Confidence::Medium,
                });
            }
        }
        out
    }

    /// Every event on an edge to or from `account` (whom it follows, who follows
    /// it), oldest first.
    pub fn events_involving(&self, account: AccountId, viewer: AccountId) -> Vec<Event> {
        let mut edges: Vec<(AccountId, AccountId)> = self
            .edges()
            .filter(|&(from, to)| from == account || to == account)
            .collect();
        edges.sort_unstable();
        let mut ev: Vec<Event> = edges
            .into_iter()
            .flat_map(|(from, to)| self.events(from, to, viewer))
            .collect();
        sort_by_key_cold(&mut ev, |e| (e.bounds.by, e.from, e.to));
        ev
    }

    /// All events of the edges between the viewer and `account`, oldest first.
    pub fn events_with(&self, viewer: AccountId, account: AccountId) -> Vec<Event> {
        let mut ev = self.events(account, viewer, viewer);
        ev.extend(self.events(viewer, account, viewer));
        sort_by_key_cold(&mut ev, |e| (e.bounds.by, e.from));
        ev
    }
}
