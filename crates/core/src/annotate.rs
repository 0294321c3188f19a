//! One account as a badge, the CLI's `annotate` and the popup show it: who it is,
//! both follow directions, its track record and its verdict.

use crate::ledger::Ledger;
use crate::model::AccountId;
use crate::record::{verdict_of, Relation, TrackRecord, Verdict};
use crate::time::Time;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Who {
    pub id: AccountId,
    pub handle: Option<String>,
    pub name: Option<String>,
    pub brand: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Annotation {
    pub account: Who,
    pub follows_you: Relation,
    pub you_follow: Relation,
    pub record: TrackRecord,
    pub verdict: Verdict,
}

impl Ledger {
    /// An account by handle (with or without `@`) or id. Digits are an id when the
    /// ledger knows that id or no account has them as a handle.
    pub fn resolve(&self, asked: &str) -> Option<AccountId> {
        let plain = asked.trim();
        if !plain.starts_with('@') {
            if let Ok(id) = plain.parse::<AccountId>() {
                if self.knows(id) || self.find_handle(plain).is_none() {
                    return Some(id);
                }
            }
        }
        self.find_handle(plain)
    }

    pub fn annotate(&self, viewer: AccountId, id: AccountId, now: Time) -> Annotation {
        let acc = self.account(id);
        let record = self.track_record(viewer, id, now);
        let verdict = verdict_of(acc, &record);
        Annotation {
            account: Who {
                id,
                handle: acc.and_then(|a| a.handle()).map(str::to_owned),
                name: acc.and_then(|a| a.name()).map(str::to_owned),
                brand: acc.is_some_and(|a| a.is_brand()),
            },
            follows_you: record.toward_you.follows_you,
            you_follow: record.toward_you.you_follow,
            record,
            verdict,
        }
    }
}
