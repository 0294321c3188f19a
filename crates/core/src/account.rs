//! What the ledger knows of one account: its handles and names over time, its
//! counts, its flags, and the viewer's own marks. Every field is a set or a
//! "latest by (time, value)" register, so that arrival order never matters.

use crate::model::{is_brand_by_profile, AccountId, AccountSighting, OwnAction};
use crate::time::Time;
use serde::{Deserialize, Serialize};

/// More followers or follows than any account can have (the largest have a few
/// hundred million followers).
pub const MAX_PLAUSIBLE_COUNT: u64 = 10_000_000_000;

/// A handle or a display name, with when it was seen.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Named {
    pub value: String,
    pub first: Time,
    pub last: Time,
}

/// A value with the instant it was seen; the latest wins, ties broken by value so
/// that the order of arrival never matters.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Debug, Serialize, Deserialize)]
pub struct Latest<T> {
    pub at: Time,
    pub value: T,
}

pub(crate) fn keep_latest<T: Ord>(slot: &mut Option<Latest<T>>, at: Time, value: Option<T>) {
    if let Some(value) = value {
        let candidate = Latest { at, value };
        if slot.as_ref().is_none_or(|cur| *cur < candidate) {
            *slot = Some(candidate);
        }
    }
}

/// Inserts into a sorted vector kept as a set; false if already present.
pub(crate) fn insert_sorted<T: Ord>(v: &mut Vec<T>, x: T) -> bool {
    match v.binary_search(&x) {
        Ok(_) => false,
        Err(i) => {
            v.insert(i, x);
            true
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct CountSample {
    pub at: Time,
    pub followers: Option<u64>,
    pub following: Option<u64>,
}

#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct GoneSighting {
    pub at: Time,
    pub reason: String,
}

/// The viewer's word that the end of a follow was not an unfollow.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug, Serialize, Deserialize)]
pub struct NotUnfollow {
    /// The account that was followed.
    pub to: AccountId,
    /// An instant within the end (the event's `by`).
    pub at: Time,
}

/// One thing the viewer did to an account, and when.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug, Serialize, Deserialize)]
pub struct ByYou {
    pub at: Time,
    pub action: OwnAction,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug, Serialize, Deserialize)]
pub struct BlockSighting {
    pub at: Time,
    pub blocked: bool,
}

/// What the ledger knows of one account. Only accounts that a capture described
/// have one; an account seen only as a list entry is known by its id alone.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub struct Account {
    /// Every handle it was seen with (sorted by value).
    pub handles: Vec<Named>,
    pub names: Vec<Named>,
    pub counts: Vec<CountSample>,
    pub protected: Option<Latest<bool>>,
    pub verified_type: Option<Latest<String>>,
    pub blue_verified: Option<Latest<bool>>,
    pub professional_type: Option<Latest<String>>,
    /// Sightings as suspended, deactivated or unavailable.
    pub gone: Vec<GoneSighting>,
    /// Sightings of X's `blocked_by` (the account blocks the viewer).
    pub blocked_you: Vec<BlockSighting>,
    /// What the viewer did to it (unfollow, block, removal from its followers).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by_you: Vec<ByYou>,
    /// Ends of its follows the viewer said were not unfollows: the account it
    /// followed, and an instant within the end.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_unfollows: Vec<NotUnfollow>,
    /// Last time it was seen as an available account.
    pub last_active: Option<Time>,
    /// The viewer's own marking as a brand (or not), overriding the profile.
    pub brand_mark: Option<Latest<bool>>,
    /// The viewer's allowlist: never flagged.
    pub allowlisted: Option<Latest<bool>>,
    /// Bluesky: the account's DID, whose digest its id is (so that an export and
    /// the dashboard name it), once a read named it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub did: Option<String>,
}

fn latest_named(list: &[Named]) -> Option<&Named> {
    list.iter()
        .max_by(|a, b| (a.last, &a.value).cmp(&(b.last, &b.value)))
}

fn note_named(list: &mut Vec<Named>, value: &str, at: Time) -> bool {
    match list.binary_search_by(|n| n.value.as_str().cmp(value)) {
        Ok(i) => {
            let n = &mut list[i];
            let changed = at < n.first || at > n.last;
            n.first = n.first.min(at);
            n.last = n.last.max(at);
            changed
        }
        Err(i) => {
            list.insert(
                i,
                Named {
                    value: value.to_owned(),
                    first: at,
                    last: at,
                },
            );
            true
        }
    }
}

impl Account {
    pub fn handle(&self) -> Option<&str> {
        latest_named(&self.handles).map(|n| n.value.as_str())
    }

    pub fn name(&self) -> Option<&str> {
        latest_named(&self.names).map(|n| n.value.as_str())
    }

    /// Brand by the viewer's marking if any, else by the profile.
    pub fn is_brand(&self) -> bool {
        match &self.brand_mark {
            Some(mark) => mark.value,
            None => is_brand_by_profile(
                self.verified_type.as_ref().map(|l| l.value.as_str()),
                self.professional_type.as_ref().map(|l| l.value.as_str()),
            ),
        }
    }

    pub fn is_allowlisted(&self) -> bool {
        self.allowlisted.as_ref().is_some_and(|l| l.value)
    }

    /// The latest "gone" sighting, if none later shows the account available.
    pub fn gone_now(&self) -> Option<&GoneSighting> {
        let g = self.gone.last()?;
        (self.last_active.is_none_or(|a| a < g.at)).then_some(g)
    }

    /// The account blocks the viewer, as last seen.
    pub fn blocks_you_now(&self) -> Option<Time> {
        self.blocked_you.last().filter(|b| b.blocked).map(|b| b.at)
    }

    pub(crate) fn apply(&mut self, s: &AccountSighting) -> bool {
        let mut changed = false;
        if let Some(h) = &s.handle {
            changed |= note_named(&mut self.handles, h, s.at);
        }
        if let Some(n) = &s.name {
            changed |= note_named(&mut self.names, n, s.at);
        }
        // A count no account can have (a forged or garbled page) is dropped,
        // never kept to skew churn.
        let plausible = |n: Option<u64>| n.filter(|&n| n <= MAX_PLAUSIBLE_COUNT);
        let (followers, following) = (plausible(s.followers), plausible(s.following));
        if followers.is_some() || following.is_some() {
            let sample = CountSample {
                at: s.at,
                followers,
                following,
            };
            changed |= insert_sorted(&mut self.counts, sample);
        }
        let before = (
            self.protected.clone(),
            self.verified_type.clone(),
            self.blue_verified.clone(),
            self.professional_type.clone(),
            self.last_active,
        );
        keep_latest(&mut self.protected, s.at, s.protected);
        keep_latest(&mut self.verified_type, s.at, s.verified_type.clone());
        keep_latest(&mut self.blue_verified, s.at, s.blue_verified);
        keep_latest(
            &mut self.professional_type,
            s.at,
            s.professional_type.clone(),
        );
        match &s.gone {
            Some(reason) => {
                changed |= insert_sorted(
                    &mut self.gone,
                    GoneSighting {
                        at: s.at,
                        reason: reason.clone(),
                    },
                );
            }
            None => self.last_active = Some(self.last_active.map_or(s.at, |a| a.max(s.at))),
        }
        if let Some(action) = s.by_you {
            changed |= insert_sorted(&mut self.by_you, ByYou { at: s.at, action });
        }
        if let Some(blocked) = s.blocked_you {
            changed |= insert_sorted(&mut self.blocked_you, BlockSighting { at: s.at, blocked });
        }
        // Only the DID the id is the digest of (a page cannot rename an account).
        if let Some(did) = s.did.as_deref().filter(|d| AccountId::of_did(d) == s.id) {
            changed |= keep_did(&mut self.did, did);
        }
        changed
            || before
                != (
                    self.protected.clone(),
                    self.verified_type.clone(),
                    self.blue_verified.clone(),
                    self.professional_type.clone(),
                    self.last_active,
                )
    }
}

impl Account {
    /// Folds another description of the same account in: the union of both.
    pub(crate) fn merge(&mut self, o: &Account) {
        for n in &o.handles {
            note_named(&mut self.handles, &n.value, n.first);
            note_named(&mut self.handles, &n.value, n.last);
        }
        for n in &o.names {
            note_named(&mut self.names, &n.value, n.first);
            note_named(&mut self.names, &n.value, n.last);
        }
        for c in &o.counts {
            insert_sorted(&mut self.counts, *c);
        }
        for g in &o.gone {
            insert_sorted(&mut self.gone, g.clone());
        }
        for b in &o.by_you {
            insert_sorted(&mut self.by_you, *b);
        }
        for n in &o.not_unfollows {
            insert_sorted(&mut self.not_unfollows, *n);
        }
        for b in &o.blocked_you {
            insert_sorted(&mut self.blocked_you, *b);
        }
        fn latest<T: Ord + Clone>(slot: &mut Option<Latest<T>>, other: &Option<Latest<T>>) {
            if let Some(l) = other {
                keep_latest(slot, l.at, Some(l.value.clone()));
            }
        }
        latest(&mut self.protected, &o.protected);
        latest(&mut self.verified_type, &o.verified_type);
        latest(&mut self.blue_verified, &o.blue_verified);
        latest(&mut self.professional_type, &o.professional_type);
        latest(&mut self.brand_mark, &o.brand_mark);
        latest(&mut self.allowlisted, &o.allowlisted);
        self.last_active = self.last_active.max(o.last_active);
        if let Some(did) = &o.did {
            keep_did(&mut self.did, did);
        }
    }
}

/// Keeps one DID whatever the order they came in (the least, should two ever
/// share a digest).
fn keep_did(slot: &mut Option<String>, did: &str) -> bool {
    match slot {
        Some(kept) if kept.as_str() <= did => false,
        _ => {
            *slot = Some(did.to_owned());
            true
        }
    }
}
