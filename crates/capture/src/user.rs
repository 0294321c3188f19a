//! A user object read in whichever of X's layouts it came in, newest first:
//!
//! | what | newest (2026-08) | mid (2026-05) | old (2024–2025) |
//! | --- | --- | --- | --- |
//! | handle, name | `core` | `core` | `legacy` |
//! | counts | `relationship_counts` | `legacy` | `legacy` |
//! | flags toward the viewer | `relationship_perspectives` | `relationship_perspectives` | `legacy` |
//! | protected | `privacy` | `privacy` | `legacy` |
//! | verification type | `verification` | `verification` | `legacy` |
//!
//! **Relationship flags.** A flag that is absent is unknown, with one exception
//! found in the captures: in the old layout, once `legacy.following` is present
//! (the object carries the viewer's perspective), X writes `legacy.followed_by`
//! only when it is true. Every one of the 2025-03 captures' 200-odd user objects
//! has `following` and none has `followed_by`, and none of those accounts followed
//! the capturing viewer. So there, absent `followed_by` means false. In the 2024
//! captures neither flag is present: both are unknown. In the newer layouts
//! `relationship_perspectives` states each flag explicitly; a missing one is unknown.
//!
//! `professional.rest_id` is the professional profile's id, never the user's.

use crate::walk::{Fields, RawUser, Scalar};
use reciprocity_core::model::{is_brand_by_profile, AccountId, AccountSighting};
use reciprocity_core::Time;
use serde::Serialize;

/// One account as a capture showed it; the keys of `reciprocity parse`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct XUser {
    pub id: String,
    pub handle: Option<String>,
    pub name: Option<String>,
    pub followers: Option<u64>,
    pub following: Option<u64>,
    pub follows_you: Option<bool>,
    pub you_follow: Option<bool>,
    pub protected: Option<bool>,
    pub verified_type: Option<String>,
    pub blue_verified: Option<bool>,
    pub professional_type: Option<String>,
    pub brand: bool,
    pub gone: Option<String>,
    #[serde(skip)]
    pub blocked_you: Option<bool>,
}

fn sub(f: &Option<Box<Fields>>) -> Option<&Fields> {
    f.as_deref()
}

fn flag(s: &Option<Scalar>) -> Option<bool> {
    s.as_ref().and_then(Scalar::as_bool)
}

fn count(s: &Option<Scalar>) -> Option<u64> {
    s.as_ref().and_then(Scalar::as_u64)
}

impl XUser {
    pub(crate) fn from_raw(raw: &RawUser) -> Option<XUser> {
        let f = &raw.fields;
        let id = f.rest_id.as_ref()?.as_u64()?;
        let mut u = XUser {
            id: id.to_string(),
            ..XUser::default()
        };
        if f.typename.as_deref() == Some("UserUnavailable") {
            u.gone = Some(f.reason.clone().unwrap_or_else(|| "Unavailable".into()));
            return Some(u);
        }
        let legacy = sub(&f.legacy);
        let core = sub(&f.core);
        let rp = sub(&f.perspectives);
        let counts = sub(&f.counts);

        u.handle = core
            .and_then(|c| c.screen_name.clone())
            .or_else(|| legacy.and_then(|l| l.screen_name.clone()));
        u.name = core
            .and_then(|c| c.name.clone())
            .or_else(|| legacy.and_then(|l| l.name.clone()));
        u.followers = counts
            .and_then(|c| count(&c.followers))
            .or_else(|| legacy.and_then(|l| count(&l.followers_count)));
        u.following = counts
            .and_then(|c| count(&c.following))
            .or_else(|| legacy.and_then(|l| count(&l.friends_count)));
        match (rp, legacy) {
            (Some(rp), _) => {
                u.follows_you = flag(&rp.followed_by);
                u.you_follow = flag(&rp.following);
                u.blocked_you = flag(&rp.blocked_by);
            }
            (None, Some(l)) => {
                u.you_follow = flag(&l.following);
                u.follows_you = flag(&l.followed_by).or(u.you_follow.map(|_| false));
                u.blocked_you = flag(&l.blocked_by);
            }
            (None, None) => {}
        }
        u.protected = sub(&f.privacy)
            .and_then(|p| flag(&p.protected))
            .or_else(|| legacy.and_then(|l| flag(&l.protected)));
        u.verified_type = sub(&f.verification)
            .and_then(|v| v.verified_type.clone())
            .or_else(|| legacy.and_then(|l| l.verified_type.clone()));
        u.blue_verified = flag(&f.is_blue_verified)
            .or_else(|| sub(&f.verification).and_then(|v| flag(&v.is_blue_verified)));
        u.professional_type = sub(&f.professional).and_then(|p| p.professional_type.clone());
        u.brand = is_brand_by_profile(u.verified_type.as_deref(), u.professional_type.as_deref());
        Some(u)
    }

    pub(crate) fn unavailable(id: u64, reason: Option<String>) -> XUser {
        XUser {
            id: id.to_string(),
            gone: Some(reason.unwrap_or_else(|| "Unavailable".into())),
            ..XUser::default()
        }
    }

    /// Fills what this one does not know from another sighting of the same account
    /// in the same capture.
    pub(crate) fn merge(&mut self, o: XUser) {
        macro_rules! fill {
            ($($f:ident),*) => { $( if self.$f.is_none() { self.$f = o.$f; } )* };
        }
        fill!(
            handle,
            name,
            followers,
            following,
            follows_you,
            you_follow,
            protected,
            verified_type,
            blue_verified,
            professional_type,
            gone,
            blocked_you
        );
        self.brand = is_brand_by_profile(
            self.verified_type.as_deref(),
            self.professional_type.as_deref(),
        );
    }

    pub fn account_id(&self) -> AccountId {
        AccountId(self.id.parse().unwrap_or(0))
    }

    pub fn sighting(&self, at: Time) -> AccountSighting {
        AccountSighting {
            id: self.account_id(),
            at,
            handle: self.handle.clone(),
            name: self.name.clone(),
            followers: self.followers,
            following: self.following,
            protected: self.protected,
            verified_type: self.verified_type.clone(),
            blue_verified: self.blue_verified,
            professional_type: self.professional_type.clone(),
            follows_you: self.follows_you,
            you_follow: self.you_follow,
            blocked_you: self.blocked_you,
            gone: self.gone.clone(),
            by_you: None,
            did: None,
        }
    }
}

/// Merges sightings of the same account, keeping first-seen order.
pub(crate) fn merge_users(users: impl IntoIterator<Item = XUser>) -> Vec<XUser> {
    let mut out: Vec<XUser> = Vec::new();
    let mut index = std::collections::HashMap::new();
    for u in users {
        if let Some(&i) = index.get(&u.id) {
            let slot: &mut XUser = &mut out[i];
            slot.merge(u);
        } else {
            index.insert(u.id.clone(), out.len());
            out.push(u);
        }
    }
    out
}
