//! One account as a badge, the CLI's `annotate`, the popup and the dashboard show
//! it: who it is, both follow directions, its track record, its verdict and its
//! history, phrased in the language asked for.

use crate::account::CountSample;
use crate::events::Event;
use crate::history::Bounds;
use crate::ledger::Ledger;
use crate::model::{AccountId, ListKey, ListKind};
use crate::record::{Relation, TrackRecord, MAX_SAFE_INTEGER};
use crate::time::Time;
use crate::verdict::{verdict_of, Verdict};
use crate::vocab::{Code, Confidence, EventKind, Severity};
use crate::words::{self, Lang};
use serde::Serialize;

/// Who an account is, as far as the ledger knows: cheap, for naming accounts in
/// lists and evidence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Who {
    pub id: AccountId,
    pub handle: Option<String>,
    pub name: Option<String>,
    pub brand: bool,
    /// Bluesky: its DID, once a read named it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub did: Option<String>,
}

impl Who {
    /// "@handle", or the id when no handle was ever seen.
    pub fn display(&self) -> String {
        match &self.handle {
            Some(h) => format!("@{h}"),
            None => self.id.to_string(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Annotation {
    pub account: Who,
    pub follows_you: Relation,
    pub you_follow: Relation,
    pub record: TrackRecord,
    pub verdict: Verdict,
}

/// What a badge shows: who, the verdict with its evidence, and whether the account
/// is gone. The hover path's payload: a fraction of an [`Annotation`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Badge {
    pub account: Who,
    pub verdict: Verdict,
    pub gone: bool,
    /// What to show instead where X itself says "Follows you": what X does not
    /// say, never a repeat of it, and X's word taken as the fresher when the ledger
    /// disagrees. `None`: the verdict as it is (it already adds a record).
    pub beside_x_follows_you: Option<BesideX>,
    /// Whether it says something where only notable badges show: in a list
    /// (anything but a neutral verdict, or a gone account) and on a post (a
    /// flag: it unfollowed you, or follows people to drop them).
    pub notable: Notable,
}

/// Where a badge is worth showing when the viewer asked for notable ones only.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Notable {
    pub in_list: bool,
    pub on_post: bool,
}

/// A badge's words beside X's own "Follows you" indicator.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct BesideX {
    pub label: String,
    pub text: String,
    pub severity: Severity,
}

/// What a badge adds where X shows "Follows you".
fn beside_x(a: &Annotation, lang: Lang) -> Option<BesideX> {
    if a.record.gone.is_some() {
        return None;
    }
    let v = &a.verdict;
    match v.code {
        // X says it follows; the ledger adds since when.
        Code::FollowsYou | Code::Mutual => Some(BesideX {
            label: words::follows_since(&a.follows_you, lang),
            text: v.text.clone(),
            severity: Severity::Good,
        }),
        // The record is what X does not say.
        Code::FlushesOthers | Code::FollowChurn => None,
        // X is fresher: it follows again, after an unfollow the ledger saw.
        Code::UnfollowedYou => Some(BesideX {
            label: words::unfollowed_before(lang).to_owned(),
            text: words::x_says_follows_now(Some(&v.text), lang),
            severity: Severity::Warning,
        }),
        Code::NotFollowingBack | Code::NoRelation | Code::Unknown => Some(BesideX {
            label: words::not_seen_yet(lang).to_owned(),
            text: words::x_says_follows_now(None, lang),
            severity: Severity::Neutral,
        }),
    }
}

/// One change on an edge with the viewer, said for a timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct TimelineEvent {
    pub kind: EventKind,
    pub from: AccountId,
    pub to: AccountId,
    #[serde(flatten)]
    pub bounds: Bounds,
    pub confidence: Confidence,
    /// "Unfollowed — @brand → you, between 2026-11-04 and 2026-11-13".
    pub text: String,
}

/// A count sample as it crosses to people: figures capped at 2^53 − 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct CountPoint {
    pub at: Time,
    pub followers: Option<u64>,
    pub following: Option<u64>,
}

impl From<&CountSample> for CountPoint {
    fn from(c: &CountSample) -> Self {
        CountPoint {
            at: c.at,
            followers: c.followers.map(|n| n.min(MAX_SAFE_INTEGER)),
            following: c.following.map(|n| n.min(MAX_SAFE_INTEGER)),
        }
    }
}

/// How much of one of the account's lists was seen: the looks behind its
/// track record toward others.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct ListLooks {
    pub kind: ListKind,
    pub looks: usize,
    pub since: Option<Time>,
    /// Pairs of looks whose shared entries were out of order: nothing concluded.
    pub inversions: usize,
    /// "Its following: seen in 5 looks since 2026-10-01".
    pub text: String,
}

/// One account's whole story with the viewer, for the dashboard's account page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Timeline {
    pub annotation: Annotation,
    /// Oldest first.
    pub events: Vec<TimelineEvent>,
    pub counts: Vec<CountPoint>,
    /// Its followers and following as the looks at them saw them.
    pub lists: Vec<ListLooks>,
}

impl Ledger {
    /// An account by handle (with or without `@`) or id. Digits are an id when the
    /// ledger knows that id or no account has them as a handle.
    pub fn resolve(&self, asked: &str) -> Option<AccountId> {
        let plain = asked.trim();
        if plain.starts_with("did:") {
            return Some(AccountId::of_did(plain));
        }
        if !plain.starts_with('@') {
            if let Ok(id) = plain.parse::<AccountId>() {
                if self.knows(id) || self.find_handle(plain).is_none() {
                    return Some(id);
                }
            }
        }
        self.find_handle(plain)
    }

    /// Who `id` is: its latest handle and name, and whether it is a brand.
    pub fn who(&self, id: AccountId) -> Who {
        let acc = self.account(id);
        Who {
            id,
            handle: acc.and_then(|a| a.handle()).map(str::to_owned),
            name: acc.and_then(|a| a.name()).map(str::to_owned),
            brand: acc.is_some_and(super::account::Account::is_brand),
            did: acc.and_then(|a| a.did.clone()),
        }
    }

    pub fn annotate(&self, viewer: AccountId, id: AccountId, now: Time, lang: Lang) -> Annotation {
        let record = self.track_record(viewer, id, now);
        let verdict = verdict_of(self.account(id), &record, lang, &|other| {
            self.who(other).display()
        });
        Annotation {
            account: self.who(id),
            follows_you: record.toward_you.follows_you,
            you_follow: record.toward_you.you_follow,
            record,
            verdict,
        }
    }

    /// What the badge of `id` shows.
    pub fn badge(&self, viewer: AccountId, id: AccountId, now: Time, lang: Lang) -> Badge {
        let a = self.annotate(viewer, id, now, lang);
        // Gone, or blocking the viewer, says something everywhere.
        let always = a.record.gone.is_some() || a.record.blocks_you.is_some();
        let code = a.verdict.code;
        Badge {
            notable: Notable {
                in_list: always || code.severity() != Severity::Neutral,
                on_post: always || code.is_flagged(),
            },
            gone: a.record.gone.is_some(),
            beside_x_follows_you: beside_x(&a, lang),
            account: a.account,
            verdict: a.verdict,
        }
    }

    /// The account's annotation, the events of both edges with the viewer, and its
    /// counts over time.
    pub fn timeline(&self, viewer: AccountId, id: AccountId, now: Time, lang: Lang) -> Timeline {
        let name = |a: AccountId| {
            if a == viewer {
                words::you(lang).to_owned()
            } else {
                self.who(a).display()
            }
        };
        let events = self
            .events_with(viewer, id)
            .into_iter()
            .map(
                |Event {
                     kind,
                     from,
                     to,
                     bounds,
                     confidence,
                 }| TimelineEvent {
                    kind,
                    from,
                    to,
                    bounds,
                    confidence,
                    text: format!(
                        "{} — {} → {}, {}",
                        words::event_kind(kind, lang),
                        name(from),
                        name(to),
                        words::when(bounds, lang)
                    ),
                },
            )
            .collect();
        let lists = [ListKind::Following, ListKind::Followers]
            .into_iter()
            .filter_map(|kind| {
                let seg = self.list(ListKey { owner: id, kind })?.segments();
                (seg.looks > 0).then(|| ListLooks {
                    kind,
                    looks: seg.looks,
                    since: seg.first_look,
                    inversions: seg.inversions,
                    text: words::looks(kind, seg.looks, seg.first_look, seg.inversions, lang),
                })
            })
            .collect();
        Timeline {
            lists,
            annotation: self.annotate(viewer, id, now, lang),
            events,
            counts: self
                .account(id)
                .map(|a| a.counts.iter().map(CountPoint::from).collect())
                .unwrap_or_default(),
        }
    }
}
