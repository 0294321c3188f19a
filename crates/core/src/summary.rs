//! The viewer's summary: who unfollowed you, who doesn't follow back, and the
//! brands with the worst records. What `reciprocity report`, the popup and the
//! dashboard show.

use crate::history::Span;
use crate::ledger::{EventKind, Ledger};
use crate::model::AccountId;
use crate::record::{Code, State, Stint};
use crate::time::Time;
use serde::Serialize;
use std::cmp::Reverse;
use std::collections::BTreeSet;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Unfollower {
    pub account: AccountId,
    pub stint: Stint,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Ended {
    pub account: AccountId,
    /// `account_gone` or `blocked_you`.
    pub kind: EventKind,
    #[serde(with = "crate::serde_time")]
    pub by: Time,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NotBack {
    pub account: AccountId,
    #[serde(with = "crate::serde_time::option")]
    pub you_followed_by: Option<Time>,
    #[serde(with = "crate::serde_time::option")]
    pub checked: Option<Time>,
    /// It never followed you back in what was seen (rather than: it stopped).
    pub never: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BrandRecord {
    pub account: AccountId,
    pub code: Code,
    pub quick_unfollows: usize,
    pub unfollows_seen: usize,
    pub churn_30d: Option<u64>,
    pub net_30d: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub viewer: AccountId,
    #[serde(with = "crate::serde_time")]
    pub now: Time,
    /// Newest first.
    pub unfollowed_you: Vec<Unfollower>,
    pub ended_otherwise: Vec<Ended>,
    pub not_following_back: Vec<NotBack>,
    pub followers: usize,
    pub following: usize,
    /// Worst first.
    pub brands: Vec<BrandRecord>,
}

impl Ledger {
    /// Accounts with an edge to or from the viewer.
    pub fn related_to(&self, viewer: AccountId) -> BTreeSet<AccountId> {
        self.edges()
            .filter_map(|(from, to)| {
                if to == viewer {
                    Some(from)
                } else if from == viewer {
                    Some(to)
                } else {
                    None
                }
            })
            .collect()
    }

    pub fn summary(&self, viewer: AccountId, now: Time) -> Summary {
        let mut s = Summary {
            viewer,
            now,
            unfollowed_you: Vec::new(),
            ended_otherwise: Vec::new(),
            not_following_back: Vec::new(),
            followers: 0,
            following: 0,
            brands: Vec::new(),
        };
        for account in self.related_to(viewer) {
            let r = self.track_record(viewer, account, now);
            let you = &r.toward_you;
            s.followers += (you.follows_you.state == State::Yes) as usize;
            s.following += (you.you_follow.state == State::Yes) as usize;
            if let (Some(stint), State::No) = (you.unfollowed_you, you.follows_you.state) {
                s.unfollowed_you.push(Unfollower { account, stint });
            }
            for e in self.events(account, viewer, viewer) {
                if matches!(e.kind, EventKind::AccountGone | EventKind::BlockedYou) {
                    s.ended_otherwise.push(Ended {
                        account,
                        kind: e.kind,
                        by: e.bounds.by,
                    });
                }
            }
            if you.you_follow.state == State::Yes && you.follows_you.state == State::No {
                s.not_following_back.push(NotBack {
                    account,
                    you_followed_by: you.you_follow.since,
                    checked: you.follows_you.checked,
                    never: you.unfollows_of_you == 0 && you.followed_you.is_none(),
                });
            }
        }
        for (account, a) in self.accounts() {
            if !a.is_brand() || a.is_allowlisted() {
                continue;
            }
            let r = self.track_record(viewer, account, now);
            let v = crate::record::verdict_of(Some(a), &r);
            s.brands.push(BrandRecord {
                account,
                code: v.code,
                quick_unfollows: r.toward_others.quick_unfollows,
                unfollows_seen: r.toward_others.unfollows_seen,
                churn_30d: r.churn_30d.map(|c| c.churn),
                net_30d: r.churn_30d.map(|c| c.net),
            });
        }
        s.unfollowed_you
            .sort_by_key(|u| Reverse((u.stint.ended.by, u.account)));
        s.ended_otherwise
            .sort_by_key(|e| Reverse((e.by, e.account)));
        s.not_following_back
            .sort_by(|a, b| (b.never, a.account).cmp(&(a.never, b.account)));
        let badness = |b: &BrandRecord| {
            let rank = match b.code {
                Code::UnfollowedYou => 3,
                Code::FlushesOthers => 2,
                Code::FollowChurn => 1,
                _ => 0,
            };
            (rank, b.quick_unfollows, b.churn_30d.unwrap_or(0))
        };
        s.brands
            .sort_by(|a, b| badness(b).cmp(&badness(a)).then(a.account.cmp(&b.account)));
        s
    }
}

/// Days, for people: "9–12 days", "at least 9 days".
pub fn describe_span(s: Span) -> String {
    let lo = crate::time::whole_days(s.at_least);
    match s
        .at_most
        .map(|m| (m + crate::time::DAY - 1) / crate::time::DAY)
    {
        Some(hi) if hi > lo => format!("{lo}–{hi} days"),
        Some(_) => format!("{lo} days"),
        None => format!("at least {lo} days"),
    }
}
