//! Events: each change of state on an edge, with honest bounds, classified — a
//! follow, an unfollow, or an end that is not an unfollow (the account was gone,
//! or it blocked the viewer: rule 4).

use crate::history::{Bounds, Run};
use crate::ledger::Ledger;
use crate::model::AccountId;
use crate::sort::sort_by_key_cold;
use crate::time::Time;
use serde::Serialize;

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
    /// Its follow of the viewer ended because the viewer removed it from its
    /// followers or blocked it: not its unfollow.
    RemovedByYou,
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

    /// All events of the edges between the viewer and `account`, oldest first.
    pub fn events_with(&self, viewer: AccountId, account: AccountId) -> Vec<Event> {
        let mut ev = self.events(account, viewer, viewer);
        ev.extend(self.events(viewer, account, viewer));
        sort_by_key_cold(&mut ev, |e| (e.bounds.by, e.from));
        ev
    }
}
