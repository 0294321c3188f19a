//! Track records and verdicts: what the ledger says about one account, for one
//! viewer, at an instant the caller passes in.

use crate::account::{Account, GoneSighting};
use crate::history::{span_between, start_of, Bounds, Run, Span};
use crate::ledger::Ledger;
use crate::model::AccountId;
use crate::sort::sort_by_key_cold;
use crate::time::{whole_days, Time, DAY};
use serde::Serialize;

/// An unfollow undone within this long is a "quick unfollow": follow then flush.
pub const QUICK_UNFOLLOW: i64 = 30 * DAY;
/// The largest integer JavaScript holds exactly (2^53 − 1): figures that cross to
/// the browser are capped here.
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;
/// Quick drops from its following seen in segments alone (not confirmed as
/// unfollows) before an account is flagged for them: distinct accounts.
pub const DROP_THRESHOLD: usize = 5;
/// Quick unfollows of others before an account is flagged for it.
pub const FLUSH_THRESHOLD: usize = 2;
/// Departures its looks and counts prove before an account is flagged for them
/// (and at least a twentieth of what it follows): a proven lower bound, so a
/// lower bar than count churn, which mixes follows and drops.
pub const DEPARTURES_THRESHOLD: u64 = 20;

#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "lowercase")]
pub enum State {
    Yes,
    No,
    Unknown,
}

/// One direction between the viewer and an account, as last seen.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Relation {
    pub state: State,
    /// Seen in this state since (the first sighting of the current run).
    pub since: Option<Time>,
    /// The state began after this instant (the last sighting in the other state).
    pub since_after: Option<Time>,
    /// Last sighting of the edge.
    pub checked: Option<Time>,
    /// How many sightings stand behind the current state.
    pub seen: usize,
    /// When the platform dated the start (a notification, a list's cursor): how.
    pub dated: Option<crate::dating::Dating>,
}

impl Relation {
    fn of(runs: &[Run]) -> Self {
        match runs.last() {
            None => Relation {
                state: State::Unknown,
                since: None,
                since_after: None,
                checked: None,
                seen: 0,
                dated: None,
            },
            Some(last) => {
                let start = start_of(runs, runs.len() - 1);
                Relation {
                    state: if last.follows { State::Yes } else { State::No },
                    since: Some(start.by),
                    since_after: start.after,
                    checked: Some(last.last.to),
                    seen: last.count,
                    dated: None,
                }
            }
        }
    }
}

/// A follow that was seen to end: when it began, when it ended, how long it lasted.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Stint {
    /// The account that was followed.
    pub account: AccountId,
    pub started: Bounds,
    pub ended: Bounds,
    pub lasted: Span,
    /// Ended by an unfollow proven or confirmed; false for a leave from a list seen
    /// in segments alone (unfollowed, or the account closed).
    pub confirmed: bool,
}

impl Stint {
    pub fn is_quick(&self) -> bool {
        self.lasted.at_most.is_some_and(|m| m <= QUICK_UNFOLLOW)
    }
    /// A single figure for medians: the middle of the bounds when both are known.
    fn estimate(&self) -> i64 {
        match self.lasted.at_most {
            Some(m) => i64::midpoint(self.lasted.at_least, m),
            None => self.lasted.at_least,
        }
    }
}

#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct TowardYou {
    pub follows_you: Relation,
    pub you_follow: Relation,
    /// When the account's latest follow of you began.
    pub followed_you: Option<Bounds>,
    /// Its latest unfollow of you (not "account gone", not "blocked you").
    pub unfollowed_you: Option<Stint>,
    pub unfollows_of_you: usize,
    /// When you followed first: did it follow back (`None`: not known), how fast.
    pub followed_back: Option<bool>,
    pub follow_back_delay: Option<Span>,
}

#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct TowardOthers {
    /// Accounts (other than you) it was seen following.
    pub follows_seen: usize,
    pub unfollows_seen: usize,
    /// Accounts seen leaving its list in segments alone (unfollowed, or closed).
    pub left_list_seen: usize,
    /// Unfollows within 30 days of the follow, both ends known.
    pub quick_unfollows: usize,
    /// Distinct accounts it dropped quickly: unfollowed or left its following
    /// within 30 days of the follow, both ends known.
    pub quick_drops: usize,
    pub median_follow_days: Option<i64>,
    /// The quick unfollows, newest first (a few, for evidence).
    pub quick: Vec<Stint>,
}

/// Rises and drops of the following count over a window, against its net change.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Churn {
    pub days: i64,
    pub churn: u64,
    pub net: i64,
    pub samples: usize,
    pub from: Time,
    pub to: Time,
}

#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct TrackRecord {
    /// Departures from its following that its counts prove (see [`Departures`]).
    pub departures: Option<Departures>,
    pub toward_you: TowardYou,
    pub toward_others: TowardOthers,
    pub churn_7d: Option<Churn>,
    pub churn_30d: Option<Churn>,
    pub gone: Option<GoneSighting>,
    pub blocks_you: Option<Time>,
    /// Looks at its following: none means no record toward others can exist yet.
    pub following_looks: usize,
}

/// Departures from its following that its counts prove: between two count
/// samples taken around the looks at its following, it followed at least `joins`
/// accounts (seen arriving between looks) while its count rose by only
/// `count_after - count_before`; so at least `at_least` accounts left —
/// unfollowed, or closed.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Departures {
    pub from: Time,
    pub to: Time,
    pub joins: u64,
    pub count_before: u64,
    pub count_after: u64,
    pub at_least: u64,
    /// The looks at its following the joins were seen in, first and last.
    pub first_look: Time,
    pub last_look: Time,
}

/// Count samples on each side of the looks that departures consider.
const DEPARTURE_SAMPLES: usize = 32;

/// The departures `joins` (bounds of follows seen between looks, or dated by a
/// list's cursor) and the account's following counts prove over its looks from
/// `first` to `last`: for a sample before the looks and one after, the follows
/// that surely began between them, less the count's rise. The pair of samples
/// that proves the most is kept (the nearest pair may start after the dated
/// follows: a profile is often seen just before its list is opened).
fn departures(acc: &Account, joins: &[Bounds], first: Time, last: Time) -> Option<Departures> {
    let following = |c: &crate::account::CountSample| c.following.map(|n| (c.at, n));
    let before: Vec<(Time, u64)> = acc
        .counts
        .iter()
        .rev()
        .filter(|c| c.at <= first)
        .filter_map(following)
        .take(DEPARTURE_SAMPLES)
        .collect();
    let after: Vec<(Time, u64)> = acc
        .counts
        .iter()
        .filter(|c| c.at >= last)
        .filter_map(following)
        .take(DEPARTURE_SAMPLES)
        .collect();
    // Each join with a known start, and the first sample after the looks it ends
    // by; latest start first. `before` runs back in time and `after` forward, so
    // one pass over the joins counts every pair (a brand may have 1000s of joins).
    let mut dated: Vec<(Time, usize)> = joins
        .iter()
        .filter_map(|b| {
            let k = after.partition_point(|(to, _)| *to < b.by);
            Some((b.after?, k)).filter(|_| k < after.len())
        })
        .collect();
    dated.sort_unstable_by_key(|&(after, _)| std::cmp::Reverse(after));
    let mut ending_by = vec![0u64; after.len()];
    let mut taken = 0;
    let mut best: Option<Departures> = None;
    for &(from, count_before) in &before {
        while taken < dated.len() && dated[taken].0 >= from {
            ending_by[dated[taken].1] += 1;
            taken += 1;
        }
        let mut joins = 0u64;
        for (k, &(to, count_after)) in after.iter().enumerate() {
            joins += ending_by[k];
            // Its count moved by (follows added) − (departures), and at least
            // `joins` were added: departures ≥ joins − (after − before).
            let at_least = joins
                .saturating_add(count_before)
                .saturating_sub(count_after)
                .min(MAX_SAFE_INTEGER);
            let better = best.is_none_or(|b| {
                (at_least, std::cmp::Reverse(to - from))
                    > (b.at_least, std::cmp::Reverse(b.to - b.from))
            });
            if at_least > 0 && better {
                best = Some(Departures {
                    from,
                    to,
                    joins,
                    count_before,
                    count_after,
                    at_least,
                    first_look: first,
                    last_look: last,
                });
            }
        }
    }
    best
}

/// Following-count churn over the `days` before `now`: the last sample before the
/// window is its baseline, so a drop right at its start is counted.
pub fn churn(account: &Account, now: Time, days: i64) -> Option<Churn> {
    let start = now - days * DAY;
    let series: Vec<(Time, u64)> = account
        .counts
        .iter()
        .filter(|c| c.at <= now)
        .filter_map(|c| c.following.map(|f| (c.at, f)))
        .collect();
    let first_in = series.partition_point(|(at, _)| *at < start);
    let window = &series[first_in.saturating_sub(1)..];
    if window.len() < 2 {
        return None;
    }
    // Counts come from pages: absurd ones must neither overflow nor cross to
    // JavaScript as numbers it cannot hold.
    let churn = window
        .windows(2)
        .map(|w| w[0].1.abs_diff(w[1].1))
        .fold(0u64, u64::saturating_add)
        .min(MAX_SAFE_INTEGER);
    let (first, last) = (window[0], window[window.len() - 1]);
    let limit = i128::from(MAX_SAFE_INTEGER);
    Some(Churn {
        days,
        churn,
        // Clamped to ±2^53: it fits.
        net: i64::try_from((i128::from(last.1) - i128::from(first.1)).clamp(-limit, limit))
            .unwrap_or(0),
        samples: window.len(),
        from: first.0,
        to: last.0,
    })
}

/// Follows that ended on the edge `from → to` (read as `runs`), as stints:
/// unfollows and, when `leaves` is set, leaves from a list seen in segments —
/// never "account gone", "blocked you" or a removal by you. With `top_unknown`,
/// a start dated only by the top of a first page (where a fixed block may sit)
/// is taken as unknown: it never makes a drop look quick.
fn stints(
    ledger: &Ledger,
    (from, to): (AccountId, AccountId),
    runs: &[Run],
    viewer: AccountId,
    leaves: bool,
    top_unknown: bool,
) -> Vec<Stint> {
    use crate::vocab::EventKind;
    let mut out = Vec::new();
    for (i, w) in runs.windows(2).enumerate() {
        if w[0].follows && !w[1].follows {
            let confirmed = match ledger.classify_end(from, to, viewer, &w[0], &w[1]) {
                EventKind::Unfollow => true,
                EventKind::LeftList if leaves => false,
                _ => continue,
            };
            let mut started = start_of(runs, i);
            if top_unknown
                && started.after.and_then(|a| ledger.dated_at(from, to, a))
                    == Some(crate::dating::Dating::CursorTop)
            {
                started.after = None;
            }
            let ended = crate::history::change_between(&w[0], &w[1]);
            out.push(Stint {
                account: to,
                started,
                ended,
                lasted: span_between(started, ended),
                confirmed,
            });
        }
    }
    out
}

impl Ledger {
    /// The track record of `account` for `viewer`, as of `now`.
    pub fn track_record(&self, viewer: AccountId, account: AccountId, now: Time) -> TrackRecord {
        let them_to_you = self.runs(account, viewer);
        let you_to_them = self.runs(viewer, account);
        // How the platform dated the start of a follow that holds now, if it did.
        let dated = |from: AccountId, to: AccountId, mut rel: Relation| {
            if let (Some(after), State::Yes) = (rel.since_after, rel.state) {
                rel.dated = self.dated_at(from, to, after);
            }
            rel
        };
        let follows_you = dated(account, viewer, Relation::of(&them_to_you));
        let you_follow = dated(viewer, account, Relation::of(&you_to_them));

        let followed_you = them_to_you
            .iter()
            .rposition(|r| r.follows)
            .map(|i| start_of(&them_to_you, i));
        let mut of_you = stints(self, (account, viewer), &them_to_you, viewer, false, false);
        sort_by_key_cold(&mut of_you, |s| s.ended.by);
        let unfollowed_you = of_you.last().copied();

        // Did it follow back after you followed? Compare your first follow with the
        // first of its follows that surely came later.
        let (mut followed_back, mut follow_back_delay) = (None, None);
        if let Some(i) = you_to_them.iter().position(|r| r.follows) {
            let yours = start_of(&you_to_them, i);
            // Only its first follow can be a follow-back, and only if it surely
            // began after yours did.
            let theirs = them_to_you
                .iter()
                .position(|r| r.follows)
                .map(|j| start_of(&them_to_you, j))
                .filter(|b| b.after.is_some_and(|a| a >= yours.by));
            if let Some(theirs) = theirs {
                followed_back = Some(true);
                follow_back_delay = Some(span_between(yours, theirs));
            } else if follows_you.state == State::No
                && you_follow.state == State::Yes
                && them_to_you.iter().all(|r| !r.follows)
            {
                followed_back = Some(false);
            }
        }

        let mut others = TowardOthers {
            follows_seen: 0,
            unfollows_seen: 0,
            left_list_seen: 0,
            quick_unfollows: 0,
            quick_drops: 0,
            median_follow_days: None,
            quick: Vec::new(),
        };
        let mut lengths = Vec::new();
        let mut joins = Vec::new();
        let following = self.list(crate::model::ListKey {
            owner: account,
            kind: crate::model::ListKind::Following,
        });
        // Until two looks show where its block ends, the top of a first page may
        // hold one.
        let block_known = following.is_some_and(|l| l.segments().block_known);
        for &other in self.followees_of(account) {
            if other == viewer {
                continue;
            }
            let runs = self.runs(account, other);
            // Follows that began between looks, or that a cursor dated below the
            // top of a first page (where a fixed block may sit: never counted
            // against it).
            joins.extend(
                runs.windows(2)
                    .filter(|w| w[1].follows)
                    .filter(|w| {
                        block_known
                            || self.dated_at(account, other, w[0].last.from)
                                != Some(crate::dating::Dating::CursorTop)
                    })
                    .map(|w| crate::history::change_between(&w[0], &w[1])),
            );
            let ended = stints(self, (account, other), &runs, viewer, true, !block_known);
            others.follows_seen += usize::from(runs.iter().any(|r| r.follows));
            let mut dropped_quickly = false;
            for s in ended {
                if s.confirmed {
                    others.unfollows_seen += 1;
                } else {
                    others.left_list_seen += 1;
                }
                lengths.push(s.estimate());
                if s.is_quick() {
                    dropped_quickly = true;
                    others.quick_unfollows += usize::from(s.confirmed);
                    others.quick.push(s);
                }
            }
            others.quick_drops += usize::from(dropped_quickly);
        }
        if !lengths.is_empty() {
            lengths.sort_unstable();
            others.median_follow_days = Some(whole_days(lengths[lengths.len() / 2]));
        }
        sort_by_key_cold(&mut others.quick, |s| {
            std::cmp::Reverse((s.ended.by, s.account))
        });
        others.quick.truncate(5);

        let acc = self.account(account);
        let looks = following.map(super::lists::ListLog::segments);
        let departures = match (acc, looks.and_then(|s| s.first_look.zip(s.last_look))) {
            (Some(a), Some((first, last))) => departures(a, &joins, first, last),
            _ => None,
        };
        TrackRecord {
            departures,
            toward_you: TowardYou {
                follows_you,
                you_follow,
                followed_you,
                unfollowed_you,
                unfollows_of_you: of_you.len(),
                followed_back,
                follow_back_delay,
            },
            toward_others: others,
            churn_7d: acc.and_then(|a| churn(a, now, 7)),
            churn_30d: acc.and_then(|a| churn(a, now, 30)),
            gone: acc.and_then(|a| a.gone_now().cloned()),
            blocks_you: acc.and_then(super::account::Account::blocks_you_now),
            following_looks: looks.map_or(0, |s| s.looks),
        }
    }
}
