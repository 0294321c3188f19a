//! The viewer's summary: who unfollowed you, who doesn't follow back, and the
//! brands with the worst records. What `reciprocity report`, the popup and the
//! dashboard show.

use crate::annotate::Who;
use crate::ledger::Ledger;
use crate::model::{AccountId, ListKey, ListKind};
use crate::record::{State, Stint};
use crate::sort::{sort_by_cold, sort_by_key_cold};
use crate::time::Time;
use crate::verdict::code_of;
use crate::vocab::{Code, EventKind, Severity};
use crate::words::{self, Lang};
use serde::Serialize;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Unfollower {
    pub account: AccountId,
    pub stint: Stint,
    /// When it unfollowed: "between 2026-11-04 and 2026-11-13".
    pub when: String,
    /// How long it had followed: "3–11 days", "at least 9 days".
    pub lasted: String,
    /// "Unfollowed".
    pub kind_text: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Ended {
    pub account: AccountId,
    /// `account_gone`, `blocked_you` or `removed_by_you`.
    pub kind: EventKind,
    pub by: Time,
    /// "Follow ended: account gone".
    pub kind_text: String,
    /// "by 2026-11-13".
    pub when: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct NotBack {
    pub account: AccountId,
    pub you_followed_by: Option<Time>,
    pub checked: Option<Time>,
    /// It never followed you back in what was seen (rather than: it stopped).
    pub never: bool,
    /// The days, for people ("2026-11-01"), when known.
    pub you_followed_day: Option<String>,
    pub checked_day: Option<String>,
    /// "Never followed you back" or "Doesn't follow you back".
    pub status: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct BrandRecord {
    pub account: AccountId,
    pub code: Code,
    pub severity: Severity,
    /// Worth a second look before engaging (`Code::is_flagged`).
    pub flagged: bool,
    /// The verdict's few words.
    pub label: String,
    pub quick_unfollows: usize,
    pub unfollows_seen: usize,
    pub churn_30d: Option<u64>,
    pub net_30d: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Summary {
    pub viewer: AccountId,
    pub now: Time,
    /// Newest first.
    pub unfollowed_you: Vec<Unfollower>,
    pub ended_otherwise: Vec<Ended>,
    pub not_following_back: Vec<NotBack>,
    pub followers: usize,
    pub following: usize,
    /// Worst first.
    pub brands: Vec<BrandRecord>,
    /// How many of each there are (the lists above may hold only the first).
    pub totals: SummaryTotals,
    /// Who each account named above is.
    pub accounts: Vec<Who>,
    /// List pages whose cursor failed the checks and dated nothing.
    pub undated_pages: usize,
}

/// The length of each list of a summary, whatever it shows of them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct SummaryTotals {
    pub unfollowed_you: usize,
    pub ended_otherwise: usize,
    pub not_following_back: usize,
    pub brands: usize,
}

impl Summary {
    /// Keeps the first `limit` of each list of accounts related to the viewer
    /// (the popup's few, the dashboard's pages): a big viewer's summary names
    /// 100,000 accounts. The brands stay whole (the dashboard filters them); the
    /// totals stay exact.
    pub fn keep_first(&mut self, limit: usize) {
        self.unfollowed_you.truncate(limit);
        self.ended_otherwise.truncate(limit);
        self.not_following_back.truncate(limit);
        let named: BTreeSet<AccountId> = self.named().collect();
        self.accounts.retain(|w| named.contains(&w.id));
    }

    /// Every account the lists name, and the viewer.
    fn named(&self) -> impl Iterator<Item = AccountId> + '_ {
        self.unfollowed_you
            .iter()
            .map(|u| u.account)
            .chain(self.not_following_back.iter().map(|n| n.account))
            .chain(self.ended_otherwise.iter().map(|e| e.account))
            .chain(self.brands.iter().map(|b| b.account))
            .chain([self.viewer])
    }
}

/// The viewer's own followers and following, as the complete walks of those lists
/// counted them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct SeriesPoint {
    pub at: Time,
    pub followers: Option<usize>,
    pub following: Option<usize>,
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

    pub fn summary(&self, viewer: AccountId, now: Time, lang: Lang) -> Summary {
        let mut s = Summary {
            viewer,
            now,
            unfollowed_you: Vec::new(),
            ended_otherwise: Vec::new(),
            not_following_back: Vec::new(),
            followers: 0,
            following: 0,
            brands: Vec::new(),
            totals: SummaryTotals::default(),
            accounts: Vec::new(),
            undated_pages: self.undated_pages(),
        };
        for account in self.related_to(viewer) {
            let r = self.track_record(viewer, account, now);
            let you = &r.toward_you;
            s.followers += usize::from(you.follows_you.state == State::Yes);
            s.following += usize::from(you.you_follow.state == State::Yes);
            if let (Some(stint), State::No) = (you.unfollowed_you, you.follows_you.state) {
                s.unfollowed_you.push(Unfollower {
                    account,
                    stint,
                    when: words::when(stint.ended, lang),
                    lasted: words::span(stint.lasted, lang),
                    kind_text: words::event_kind(EventKind::Unfollow, lang).to_owned(),
                });
            }
            for e in self.events(account, viewer, viewer) {
                if matches!(
                    e.kind,
                    EventKind::AccountGone | EventKind::BlockedYou | EventKind::RemovedByYou
                ) {
                    s.ended_otherwise.push(Ended {
                        account,
                        kind: e.kind,
                        by: e.bounds.by,
                        kind_text: words::event_kind(e.kind, lang).to_owned(),
                        when: words::when(e.bounds, lang),
                    });
                }
            }
            if you.you_follow.state == State::Yes && you.follows_you.state == State::No {
                let never = you.unfollows_of_you == 0 && you.followed_you.is_none();
                s.not_following_back.push(NotBack {
                    account,
                    you_followed_by: you.you_follow.since,
                    checked: you.follows_you.checked,
                    never,
                    you_followed_day: you.you_follow.since.map(words::day),
                    checked_day: you.follows_you.checked.map(words::day),
                    status: words::plain_sentence(Code::NotFollowingBack, never, lang).to_owned(),
                });
            }
        }
        for (account, a) in self.accounts() {
            if !a.is_brand() || a.is_allowlisted() {
                continue;
            }
            let r = self.track_record(viewer, account, now);
            let code = code_of(Some(a), &r);
            s.brands.push(BrandRecord {
                account,
                code,
                severity: code.severity(),
                flagged: code.is_flagged(),
                label: words::label(code, r.gone.is_some(), lang).to_owned(),
                quick_unfollows: r.toward_others.quick_unfollows,
                unfollows_seen: r.toward_others.unfollows_seen,
                churn_30d: r.churn_30d.map(|c| c.churn),
                net_30d: r.churn_30d.map(|c| c.net),
            });
        }
        sort_by_key_cold(&mut s.unfollowed_you, |u| {
            Reverse((u.stint.ended.by, u.account))
        });
        sort_by_key_cold(&mut s.ended_otherwise, |e| Reverse((e.by, e.account)));
        sort_by_cold(&mut s.not_following_back, |a, b| {
            (b.never, a.account).cmp(&(a.never, b.account))
        });
        let badness = |b: &BrandRecord| {
            // Among warnings, flushing others weighs more than churning counts.
            let rank = (
                words::severity_rank(b.severity),
                b.code == Code::FlushesOthers,
            );
            (rank, b.quick_unfollows, b.churn_30d.unwrap_or(0))
        };
        sort_by_cold(&mut s.brands, |a, b| {
            badness(b).cmp(&badness(a)).then(a.account.cmp(&b.account))
        });
        s.totals = SummaryTotals {
            unfollowed_you: s.unfollowed_you.len(),
            ended_otherwise: s.ended_otherwise.len(),
            not_following_back: s.not_following_back.len(),
            brands: s.brands.len(),
        };
        let named: BTreeSet<AccountId> = s.named().collect();
        s.accounts = named.into_iter().map(|id| self.who(id)).collect();
        s
    }

    /// The viewer's followers and following over time, one point per complete
    /// walk of either list.
    pub fn viewer_series(&self, viewer: AccountId) -> Vec<SeriesPoint> {
        let mut points = BTreeMap::<Time, SeriesPoint>::new();
        for kind in [ListKind::Followers, ListKind::Following] {
            let key = ListKey {
                owner: viewer,
                kind,
            };
            let Some(log) = self.list(key) else { continue };
            for w in log.walks() {
                let n = self.list_members_at(key, *w);
                let p = points.entry(w.to).or_insert(SeriesPoint {
                    at: w.to,
                    followers: None,
                    following: None,
                });
                match kind {
                    ListKind::Followers => p.followers = Some(n),
                    ListKind::Following => p.following = Some(n),
                }
            }
        }
        points.into_values().collect()
    }
}
