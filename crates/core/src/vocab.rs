//! The shared vocabulary: the names the ledger's findings are given — a
//! verdict's code and severity, a claim's confidence, an event's kind. The
//! records, the events and the words all speak of these; none of them owns them.

use serde::Serialize;

#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
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

/// How much a verdict matters before engaging: what the badge's colour and the
/// dashboard's "flagged" follow.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// It unfollowed you.
    Alert,
    /// It follows people only to drop them.
    Warning,
    /// It follows you.
    Good,
    /// Nothing for or against.
    Neutral,
}

impl Code {
    /// Every verdict, the most pressing first (the first-run page's legend).
    pub const ALL: [Code; 8] = [
        Code::UnfollowedYou,
        Code::FlushesOthers,
        Code::FollowChurn,
        Code::Mutual,
        Code::FollowsYou,
        Code::NotFollowingBack,
        Code::NoRelation,
        Code::Unknown,
    ];

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

    pub fn severity(self) -> Severity {
        match self {
            Code::UnfollowedYou => Severity::Alert,
            Code::FlushesOthers | Code::FollowChurn => Severity::Warning,
            Code::Mutual | Code::FollowsYou => Severity::Good,
            Code::NotFollowingBack | Code::NoRelation | Code::Unknown => Severity::Neutral,
        }
    }

    /// Flagged: worth a second look before engaging.
    pub fn is_flagged(self) -> bool {
        matches!(self.severity(), Severity::Alert | Severity::Warning)
    }
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

impl Confidence {
    /// How sure a claim is, from how many looks agree.
    pub(crate) fn from_seen(n: usize) -> Self {
        match n {
            0..=1 => Confidence::Low,
            2..=3 => Confidence::Medium,
            _ => Confidence::High,
        }
    }
}

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
    /// Seen only as gone from a list between two looks: unfollowed, or the account
    /// was closed. It becomes an unfollow once the account is seen alive after.
    LeftList,
    /// Gone from a list, then back at its old place: neither a leave nor a follow.
    Returned,
    /// An end the viewer said was not an unfollow.
    NotUnfollow,
}
