//! Verdicts: what a track record comes to for a viewer — one code, its severity
//! and confidence, and the evidence behind it with its dates, phrased in the
//! language asked for.

use crate::account::Account;
use crate::ledger::Ledger;
use crate::model::AccountId;
use crate::record::{
    Churn, Departures, Relation, State, TrackRecord, DEPARTURES_THRESHOLD, DROP_THRESHOLD,
    FLUSH_THRESHOLD, MAX_SAFE_INTEGER,
};
use crate::time::{whole_days, Time};
use crate::vocab::{Code, Confidence, Severity};
use crate::words::{self, Lang};
use serde::Serialize;

/// One fact behind a verdict, with its dates and the line that says it.
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Evidence {
    /// `followed_you`, `unfollowed_you`, `you_followed`, `quick_unfollow`,
    /// `following_churn`, `account_gone`, `blocks_you`, `checked`.
    pub kind: &'static str,
    /// The other account, for evidence about an edge not involving the viewer.
    pub account: Option<AccountId>,
    pub after: Option<Time>,
    pub by: Option<Time>,
    pub value: Option<i64>,
    /// The line for people, in the verdict's language.
    pub text: String,
}

/// One short, sourced statement, phrased in the language it was asked in.
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Verdict {
    pub code: Code,
    pub severity: Severity,
    /// The badge's few words ("Unfollowed you").
    pub label: String,
    /// The sentence, with its dates.
    pub text: String,
    pub confidence: Confidence,
    /// "Confidence: high".
    pub confidence_text: String,
    pub evidence: Vec<Evidence>,
}

/// Following churn worth flagging: large against the account's size and against
/// its net change (following 400 and dropping 400 is net 0, churn 800).
pub fn is_churning(c: &Churn, following: u64) -> bool {
    c.churn >= 50.max(following / 10) && c.churn >= 3 * c.net.unsigned_abs()
}

impl Ledger {
    /// The verdict for `account`, for `viewer`, as of `now`, in `lang`.
    pub fn verdict(&self, viewer: AccountId, account: AccountId, now: Time, lang: Lang) -> Verdict {
        let r = self.track_record(viewer, account, now);
        verdict_of(self.account(account), &r, lang, &|id| {
            self.who(id).display()
        })
    }
}

/// What a verdict rests on, before any word is said.
struct Judgement {
    code: Code,
    confidence: Confidence,
    /// The churn window that made it `follow_churn`.
    churn: Option<Churn>,
    /// Or the departures its looks and counts prove.
    departures: Option<Departures>,
}

fn judge(acc: Option<&Account>, r: &TrackRecord) -> Judgement {
    let allowlisted = acc.is_some_and(super::account::Account::is_allowlisted);
    let you = &r.toward_you;
    if you.unfollowed_you.is_some() && you.follows_you.state == State::No && !allowlisted {
        return Judgement {
            code: Code::UnfollowedYou,
            confidence: Confidence::from_seen(you.follows_you.seen + 1),
            churn: None,
            departures: None,
        };
    }
    let others = &r.toward_others;
    if others.quick_unfollows >= FLUSH_THRESHOLD && !allowlisted {
        return Judgement {
            code: Code::FlushesOthers,
            confidence: Confidence::from_seen(others.quick_unfollows),
            churn: None,
            departures: None,
        };
    }
    // Drops seen only as leaves need more accounts, and say less.
    if others.quick_drops >= DROP_THRESHOLD && !allowlisted {
        return Judgement {
            code: Code::FlushesOthers,
            confidence: Confidence::Low,
            churn: None,
            departures: None,
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
        return Judgement {
            code: Code::FollowChurn,
            confidence: Confidence::from_seen(c.samples.saturating_sub(1)),
            churn: Some(c),
            departures: None,
        };
    }
    // Departures proven by joins and counts: the same bar as count churn.
    let departed = r
        .departures
        .filter(|d| d.at_least >= DEPARTURES_THRESHOLD.max(following_now / 20));
    if let (Some(d), false) = (departed, allowlisted) {
        return Judgement {
            code: Code::FollowChurn,
            confidence: Confidence::Medium,
            churn: None,
            departures: Some(d),
        };
    }
    let (fy, yf) = (you.follows_you, you.you_follow);
    let seen =
        |rels: &[Relation]| Confidence::from_seen(rels.iter().map(|r| r.seen).min().unwrap_or(0));
    let (code, confidence) = match (fy.state, yf.state) {
        (State::Yes, State::Yes) => (Code::Mutual, seen(&[fy, yf])),
        (State::Yes, _) => (Code::FollowsYou, seen(&[fy])),
        (State::No, State::Yes) => (Code::NotFollowingBack, seen(&[fy, yf])),
        (State::No, State::No) => (Code::NoRelation, seen(&[fy, yf])),
        _ => (Code::Unknown, Confidence::Low),
    };
    Judgement {
        code,
        confidence,
        churn: None,
        departures: None,
    }
}

/// The verdict's code alone (the first that applies, in the product's order).
pub fn code_of(acc: Option<&Account>, r: &TrackRecord) -> Code {
    judge(acc, r).code
}

/// A verdict's evidence as it is gathered: each fact with its line.
struct EvidenceLines<'a> {
    items: Vec<Evidence>,
    lang: Lang,
    name: &'a dyn Fn(AccountId) -> String,
}

impl EvidenceLines<'_> {
    fn note(
        &mut self,
        kind: &'static str,
        account: Option<AccountId>,
        after: Option<Time>,
        by: Option<Time>,
        value: Option<i64>,
    ) {
        let other = account.map(self.name);
        let text = words::evidence_line(kind, after, by, value, other.as_deref(), self.lang);
        self.items.push(Evidence {
            kind,
            account,
            after,
            by,
            value,
            text,
        });
    }

    /// Since when a relation holds, and when it was last checked.
    fn since(&mut self, rel: Relation, kind: &'static str) {
        if let Some(by) = rel.since {
            self.note(kind, None, rel.since_after, Some(by), None);
        }
        if let Some(c) = rel.checked {
            self.note("checked", None, None, Some(c), None);
        }
    }
}

/// The verdict, with its evidence, in `lang`; `name` says who another account is.
pub fn verdict_of(
    acc: Option<&Account>,
    r: &TrackRecord,
    lang: Lang,
    name: &dyn Fn(AccountId) -> String,
) -> Verdict {
    let j = judge(acc, r);
    let you = &r.toward_you;
    let mut ev = EvidenceLines {
        items: Vec::new(),
        lang,
        name,
    };
    if let Some(g) = &r.gone {
        ev.note("account_gone", None, None, Some(g.at), None);
    }
    if let Some(at) = r.blocks_you {
        ev.note("blocks_you", None, None, Some(at), None);
    }
    let text = match j.code {
        Code::UnfollowedYou => {
            let s = you.unfollowed_you.expect("judged on it");
            ev.note(
                "followed_you",
                None,
                s.started.after,
                Some(s.started.by),
                None,
            );
            ev.note(
                "unfollowed_you",
                None,
                s.ended.after,
                Some(s.ended.by),
                None,
            );
            words::unfollowed_you_sentence(&s, lang)
        }
        Code::FlushesOthers => {
            let others = &r.toward_others;
            for s in &others.quick {
                ev.note(
                    if s.confirmed {
                        "quick_unfollow"
                    } else {
                        "quick_drop"
                    },
                    Some(s.account),
                    s.ended.after,
                    Some(s.ended.by),
                    s.lasted.at_most.map(whole_days),
                );
                // When it began, too: the other end of "within N days".
                if let (Some(last), Some(began)) =
                    (ev.items.last_mut(), words::followed_clause(s.started, lang))
                {
                    last.text.push_str(" · ");
                    last.text.push_str(&began);
                }
            }
            let (n, seen) = (others.quick_unfollows, others.unfollows_seen);
            if n < FLUSH_THRESHOLD {
                words::quick_drops_sentence(others.quick_drops, lang)
            } else {
                words::flushes_sentence(n, seen, lang)
            }
        }
        Code::FollowChurn if j.churn.is_none() => {
            let d = j.departures.expect("judged on it");
            ev.note(
                "departures",
                None,
                Some(d.from),
                Some(d.to),
                Some(i64_of(d.at_least)),
            );
            ev.note(
                "following_count",
                None,
                None,
                Some(d.from),
                Some(i64_of(d.count_before)),
            );
            ev.note(
                "following_look",
                None,
                (d.first_look != d.last_look).then_some(d.first_look),
                Some(d.last_look),
                Some(i64_of(d.joins)),
            );
            ev.note(
                "following_count",
                None,
                None,
                Some(d.to),
                Some(i64_of(d.count_after)),
            );
            words::departures_sentence(&d, lang)
        }
        Code::FollowChurn => {
            let c = j.churn.expect("judged on it");
            ev.note(
                "following_churn",
                None,
                Some(c.from),
                Some(c.to),
                Some(i64_of(c.churn)),
            );
            words::churn_sentence(&c, lang)
        }
        Code::FollowsYou => {
            ev.since(you.follows_you, "followed_you");
            words::follows_you_sentence(&you.follows_you, lang)
        }
        Code::Mutual => {
            ev.since(you.follows_you, "followed_you");
            words::plain_sentence(j.code, false, lang).to_owned()
        }
        Code::NotFollowingBack => {
            ev.since(you.you_follow, "you_followed");
            words::plain_sentence(j.code, you.followed_back == Some(false), lang).to_owned()
        }
        Code::NoRelation | Code::Unknown => words::plain_sentence(j.code, false, lang).to_owned(),
    };
    // Where a brand has no record toward others yet, say once how to get one.
    if r.following_looks == 0
        && !j.code.is_flagged()
        && acc.is_some_and(super::account::Account::is_brand)
    {
        ev.items.push(Evidence {
            kind: "no_record",
            account: None,
            after: None,
            by: None,
            value: None,
            text: words::no_record_yet(lang).to_owned(),
        });
    }
    // The account being gone matters more than anything it did before.
    let text = match &r.gone {
        Some(g) => words::gone_first(&g.reason, &text, lang),
        None => text,
    };
    Verdict {
        code: j.code,
        severity: j.code.severity(),
        label: words::label(j.code, r.gone.is_some(), lang).to_owned(),
        text,
        confidence: j.confidence,
        confidence_text: words::confidence(j.confidence, lang),
        evidence: ev.items,
    }
}

/// A count as evidence carries it: capped at the largest integer JavaScript
/// holds exactly, so it always fits.
fn i64_of(n: u64) -> i64 {
    i64::try_from(n.min(MAX_SAFE_INTEGER)).unwrap_or(i64::MAX)
}
