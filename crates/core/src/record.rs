//! Track records and verdicts: what the ledger says about one account, for one
//! viewer, at an instant the caller passes in.

use crate::history::{span_between, start_of, Bounds, Run, Span};
use crate::ledger::{Account, GoneSighting, Ledger};
use crate::model::AccountId;
use crate::time::{to_rfc3339, whole_days, Time, DAY};
use serde::Serialize;

/// An unfollow undone within this long is a "quick unfollow": follow then flush.
pub const QUICK_UNFOLLOW: Time = 30 * DAY;
/// Quick unfollows of others before an account is flagged for it.
pub const FLUSH_THRESHOLD: usize = 2;

#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    Yes,
    No,
    Unknown,
}

/// One direction between the viewer and an account, as last seen.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize)]
pub struct Relation {
    pub state: State,
    /// Seen in this state since (the first sighting of the current run).
    #[serde(with = "crate::serde_time::option")]
    pub since: Option<Time>,
    /// The state began after this instant (the last sighting in the other state).
    #[serde(with = "crate::serde_time::option")]
    pub since_after: Option<Time>,
    /// Last sighting of the edge.
    #[serde(with = "crate::serde_time::option")]
    pub checked: Option<Time>,
    /// How many sightings stand behind the current state.
    pub seen: usize,
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
            },
            Some(last) => {
                let start = start_of(runs, runs.len() - 1);
                Relation {
                    state: if last.follows { State::Yes } else { State::No },
                    since: Some(start.by),
                    since_after: start.after,
                    checked: Some(last.last.to),
                    seen: last.count,
                }
            }
        }
    }
}

/// A follow that was seen to end: when it began, when it ended, how long it lasted.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize)]
pub struct Stint {
    /// The account that was followed.
    pub account: AccountId,
    pub started: Bounds,
    pub ended: Bounds,
    pub lasted: Span,
}

impl Stint {
    pub fn is_quick(&self) -> bool {
        self.lasted.at_most.is_some_and(|m| m <= QUICK_UNFOLLOW)
    }
    /// A single figure for medians: the middle of the bounds when both are known.
    fn estimate(&self) -> Time {
        match self.lasted.at_most {
            Some(m) => (self.lasted.at_least + m) / 2,
            None => self.lasted.at_least,
        }
    }
}

#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
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
pub struct TowardOthers {
    /// Accounts (other than you) it was seen following.
    pub follows_seen: usize,
    pub unfollows_seen: usize,
    /// Unfollows within 30 days of the follow, both ends known.
    pub quick_unfollows: usize,
    pub median_follow_days: Option<i64>,
    /// The quick unfollows, newest first (a few, for evidence).
    pub quick: Vec<Stint>,
}

/// Rises and drops of the following count over a window, against its net change.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize)]
pub struct Churn {
    pub days: i64,
    pub churn: u64,
    pub net: i64,
    pub samples: usize,
    #[serde(with = "crate::serde_time")]
    pub from: Time,
    #[serde(with = "crate::serde_time")]
    pub to: Time,
}

#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
pub struct TrackRecord {
    pub toward_you: TowardYou,
    pub toward_others: TowardOthers,
    pub churn_7d: Option<Churn>,
    pub churn_30d: Option<Churn>,
    pub gone: Option<GoneSighting>,
    #[serde(with = "crate::serde_time::option")]
    pub blocks_you: Option<Time>,
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
    let churn = window.windows(2).map(|w| w[0].1.abs_diff(w[1].1)).sum();
    let (first, last) = (window[0], window[window.len() - 1]);
    Some(Churn {
        days,
        churn,
        net: last.1 as i64 - first.1 as i64,
        samples: window.len(),
        from: first.0,
        to: last.0,
    })
}

/// Follows that ended on the edge `from → to` (read as `runs`), as stints:
/// unfollows only, not "account gone" or "blocked you".
fn stints(
    ledger: &Ledger,
    (from, to): (AccountId, AccountId),
    runs: &[Run],
    viewer: AccountId,
) -> Vec<Stint> {
    let mut out = Vec::new();
    for (i, w) in runs.windows(2).enumerate() {
        if w[0].follows && !w[1].follows {
            if ledger.classify_end(from, to, viewer, &w[0], &w[1])
                != crate::ledger::EndKind::Unfollow
            {
                continue;
            }
            let started = start_of(runs, i);
            let ended = crate::history::change_between(&w[0], &w[1]);
            out.push(Stint {
                account: to,
                started,
                ended,
                lasted: span_between(started, ended),
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
        let follows_you = Relation::of(&them_to_you);
        let you_follow = Relation::of(&you_to_them);

        let followed_you = them_to_you
            .iter()
            .rposition(|r| r.follows)
            .map(|i| start_of(&them_to_you, i));
        let mut of_you = stints(self, (account, viewer), &them_to_you, viewer);
        of_you.sort_by_key(|s| s.ended.by);
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
            quick_unfollows: 0,
            median_follow_days: None,
            quick: Vec::new(),
        };
        let mut lengths = Vec::new();
        for &other in self.followees_of(account) {
            if other == viewer {
                continue;
            }
            let runs = self.runs(account, other);
            let ended = stints(self, (account, other), &runs, viewer);
            others.follows_seen += runs.iter().any(|r| r.follows) as usize;
            others.unfollows_seen += ended.len();
            for s in ended {
                lengths.push(s.estimate());
                if s.is_quick() {
                    others.quick_unfollows += 1;
                    others.quick.push(s);
                }
            }
        }
        if !lengths.is_empty() {
            lengths.sort_unstable();
            others.median_follow_days = Some(whole_days(lengths[lengths.len() / 2]));
        }
        others
            .quick
            .sort_by_key(|s| std::cmp::Reverse((s.ended.by, s.account)));
        others.quick.truncate(5);

        let acc = self.account(account);
        TrackRecord {
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
            blocks_you: acc.and_then(|a| a.blocks_you_now()),
        }
    }

    /// All events of the edges between the viewer and `account`, oldest first.
    pub fn events_with(&self, viewer: AccountId, account: AccountId) -> Vec<crate::ledger::Event> {
        let mut ev = self.events(account, viewer, viewer);
        ev.extend(self.events(viewer, account, viewer));
        ev.sort_by_key(|e| (e.bounds.by, e.from));
        ev
    }
}

// ----- verdicts -----

#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Code {
    UnfollowedYou,
    FlushesOthers,
    FollowChurn,
    Mutual,
    FollowsYou,
    NotFollowingBack,
    NoRelation,
    Unknown,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::UnfollowedYou => "unfollowed_you",
            Code::FlushesOthers => "flushes_others",
            Code::FollowChurn => "follow_churn",
            Code::Mutual => "mutual",
            Code::FollowsYou => "follows_you",
            Code::NotFollowingBack => "not_following_back",
            Code::NoRelation => "no_relation",
            Code::Unknown => "unknown",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

impl Confidence {
    fn from_seen(n: usize) -> Self {
        match n {
            0..=1 => Confidence::Low,
            2..=3 => Confidence::Medium,
            _ => Confidence::High,
        }
    }
}

/// One fact behind a verdict.
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
pub struct Evidence {
    /// `followed_you`, `unfollowed_you`, `you_followed`, `quick_unfollow`,
    /// `following_churn`, `account_gone`, `blocks_you`, `checked`.
    pub kind: &'static str,
    /// The other account, for evidence about an edge not involving the viewer.
    pub account: Option<AccountId>,
    #[serde(with = "crate::serde_time::option")]
    pub after: Option<Time>,
    #[serde(with = "crate::serde_time::option")]
    pub by: Option<Time>,
    pub value: Option<i64>,
}

impl Evidence {
    fn bounds(kind: &'static str, b: Bounds) -> Self {
        Evidence {
            kind,
            account: None,
            after: b.after,
            by: Some(b.by),
            value: None,
        }
    }
}

#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
pub struct Text {
    pub en: String,
    pub fr: String,
}

#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
pub struct Verdict {
    pub code: Code,
    pub text: Text,
    pub confidence: Confidence,
    pub evidence: Vec<Evidence>,
}

fn day(t: Time) -> String {
    to_rfc3339(t)[..10].to_owned()
}

fn when_en(b: Bounds) -> String {
    match b.after {
        Some(a) if day(a) != day(b.by) => format!("between {} and {}", day(a), day(b.by)),
        Some(_) => format!("on {}", day(b.by)),
        None => format!("by {}", day(b.by)),
    }
}

fn when_fr(b: Bounds) -> String {
    match b.after {
        Some(a) if day(a) != day(b.by) => format!("entre le {} et le {}", day(a), day(b.by)),
        Some(_) => format!("le {}", day(b.by)),
        None => format!("au plus tard le {}", day(b.by)),
    }
}

fn span_en(s: Span) -> String {
    crate::summary::describe_span(s)
}

/// " after 3–11 days", or nothing when all that is known is "at least 0 days".
fn after_en(s: Span) -> String {
    if s.at_most.is_none() && s.at_least < DAY {
        String::new()
    } else {
        format!(" after {}", span_en(s))
    }
}

fn after_fr(s: Span) -> String {
    if s.at_most.is_none() && s.at_least < DAY {
        String::new()
    } else {
        format!(", après {}", span_fr(s))
    }
}

fn span_fr(s: Span) -> String {
    let lo = whole_days(s.at_least);
    match s.at_most.map(|m| (m + DAY - 1) / DAY) {
        Some(hi) if hi > lo => format!("{lo} à {hi} jours"),
        Some(_) => format!("{lo} jours"),
        None => format!("au moins {lo} jours"),
    }
}

/// Following churn worth flagging: large against the account's size and against
/// its net change (following 400 and dropping 400 is net 0, churn 800).
pub fn is_churning(c: &Churn, following: u64) -> bool {
    c.churn >= 50.max(following / 10) && c.churn >= 3 * c.net.unsigned_abs()
}

impl Ledger {
    /// The verdict for `account`, for `viewer`, as of `now`.
    pub fn verdict(&self, viewer: AccountId, account: AccountId, now: Time) -> Verdict {
        let r = self.track_record(viewer, account, now);
        verdict_of(self.account(account), &r)
    }
}

/// The first code that applies, in the order of the product's priorities.
pub fn verdict_of(acc: Option<&Account>, r: &TrackRecord) -> Verdict {
    let allowlisted = acc.is_some_and(|a| a.is_allowlisted());
    let you = &r.toward_you;
    let mut evidence = Vec::new();
    if let Some(g) = &r.gone {
        evidence.push(Evidence {
            kind: "account_gone",
            account: None,
            after: None,
            by: Some(g.at),
            value: None,
        });
    }
    if let Some(at) = r.blocks_you {
        evidence.push(Evidence {
            kind: "blocks_you",
            account: None,
            after: None,
            by: Some(at),
            value: None,
        });
    }

    let unfollowed = you
        .unfollowed_you
        .filter(|_| you.follows_you.state == State::No && !allowlisted);
    if let Some(s) = unfollowed {
        evidence.push(Evidence::bounds("followed_you", s.started));
        evidence.push(Evidence::bounds("unfollowed_you", s.ended));
        let seen = you.follows_you.seen + 1;
        return Verdict {
            code: Code::UnfollowedYou,
            text: Text {
                en: format!("Unfollowed you {}{}", when_en(s.ended), after_en(s.lasted)),
                fr: format!(
                    "S'est désabonné de vous {}{}",
                    when_fr(s.ended),
                    after_fr(s.lasted)
                ),
            },
            confidence: Confidence::from_seen(seen),
            evidence,
        };
    }

    let others = &r.toward_others;
    if others.quick_unfollows >= FLUSH_THRESHOLD && !allowlisted {
        for s in &others.quick {
            evidence.push(Evidence {
                kind: "quick_unfollow",
                account: Some(s.account),
                after: s.ended.after,
                by: Some(s.ended.by),
                value: s.lasted.at_most.map(whole_days),
            });
        }
        let n = others.quick_unfollows;
        return Verdict {
            code: Code::FlushesOthers,
            text: Text {
                en: format!(
                    "Followed then unfollowed {n} accounts within 30 days ({} unfollows seen)",
                    others.unfollows_seen
                ),
                fr: format!(
                    "A suivi puis quitté {n} comptes en moins de 30 jours ({} désabonnements vus)",
                    others.unfollows_seen
                ),
            },
            confidence: Confidence::from_seen(n),
            evidence,
        };
    }

    let following_now = acc
        .and_then(|a| a.counts.iter().rev().find_map(|c| c.following))
        .unwrap_or(0);
    let churning = [r.churn_30d, r.churn_7d]
        .into_iter()
        .flatten()
        .find(|c| is_churning(c, following_now));
    if let (Some(c), false) = (churning, allowlisted) {
        evidence.push(Evidence {
            kind: "following_churn",
            account: None,
            after: Some(c.from),
            by: Some(c.to),
            value: Some(c.churn as i64),
        });
        return Verdict {
            code: Code::FollowChurn,
            text: Text {
                en: format!(
                    "Follows and drops accounts: {} changes in its following over {} days (net {:+})",
                    c.churn, c.days, c.net
                ),
                fr: format!(
                    "Suit puis lâche des comptes : {} changements d'abonnements en {} jours (solde {:+})",
                    c.churn, c.days, c.net
                ),
            },
            confidence: Confidence::from_seen(c.samples.saturating_sub(1)),
            evidence,
        };
    }

    let (fy, yf) = (you.follows_you, you.you_follow);
    let since = |rel: Relation, kind: &'static str, ev: &mut Vec<Evidence>| {
        if let Some(by) = rel.since {
            ev.push(Evidence {
                kind,
                account: None,
                after: rel.since_after,
                by: Some(by),
                value: None,
            });
        }
        if let Some(c) = rel.checked {
            ev.push(Evidence {
                kind: "checked",
                account: None,
                after: None,
                by: Some(c),
                value: None,
            });
        }
    };
    let seen =
        |rels: &[Relation]| Confidence::from_seen(rels.iter().map(|r| r.seen).min().unwrap_or(0));
    let (code, en, fr, confidence) = match (fy.state, yf.state) {
        (State::Yes, State::Yes) => {
            since(fy, "followed_you", &mut evidence);
            (
                Code::Mutual,
                "You follow each other".to_owned(),
                "Vous vous suivez mutuellement".to_owned(),
                seen(&[fy, yf]),
            )
        }
        (State::Yes, _) => {
            since(fy, "followed_you", &mut evidence);
            let d = fy.since.map(day).unwrap_or_default();
            (
                Code::FollowsYou,
                format!("Follows you (seen since {d})"),
                format!("Vous suit (vu depuis le {d})"),
                seen(&[fy]),
            )
        }
        (State::No, State::Yes) => {
            since(yf, "you_followed", &mut evidence);
            let en = match you.followed_back {
                Some(false) => "Never followed you back".to_owned(),
                _ => "Doesn't follow you back".to_owned(),
            };
            let fr = match you.followed_back {
                Some(false) => "Ne vous a jamais suivi en retour".to_owned(),
                _ => "Ne vous suit pas en retour".to_owned(),
            };
            (Code::NotFollowingBack, en, fr, seen(&[fy, yf]))
        }
        (State::No, State::No) => (
            Code::NoRelation,
            "Neither of you follows the other".to_owned(),
            "Aucun de vous ne suit l'autre".to_owned(),
            seen(&[fy, yf]),
        ),
        _ => (
            Code::Unknown,
            "Not enough seen yet".to_owned(),
            "Pas encore assez d'observations".to_owned(),
            Confidence::Low,
        ),
    };
    let (en, fr) = match &r.gone {
        Some(g) => (
            format!("Account gone ({}). {en}", g.reason),
            format!("Compte disparu ({}). {fr}", g.reason),
        ),
        None => (en, fr),
    };
    Verdict {
        code,
        text: Text { en, fr },
        confidence,
        evidence,
    }
}
