//! The words of docs/design.md as types: accounts, lists, and the observations a capture
//! makes. Readers of platform payloads (crate `reciprocity-capture`) produce these;
//! the ledger consumes them.

use crate::time::Time;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A stable account id on the viewer's platform (X `rest_id`). Handles and names
/// change; nothing is keyed on them.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(type = "string"))]
pub struct AccountId(pub u64);

impl fmt::Debug for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl AccountId {
    /// A Bluesky account's number: a 63-bit digest of its DID with the top bit
    /// set, so that it never meets an X id (below 2^63). Stable across machines
    /// and stores, so that exports and merges agree. (Two DIDs of one ledger
    /// meeting in 63 bits: about one chance in 10^7 for a million accounts.)
    pub fn of_did(did: &str) -> AccountId {
        // FNV-1a, then a finalizer that spreads every bit (splitmix64's).
        let mut z = did.trim().bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        });
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        AccountId(z | 1 << 63)
    }
}

impl std::str::FromStr for AccountId {
    type Err = std::num::ParseIntError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.trim().parse().map(AccountId)
    }
}

// Ids travel as strings: X ids exceed JavaScript's safe integers.
impl Serialize for AccountId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for AccountId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<str>::deserialize(d)?;
        s.parse()
            .map_err(|_| serde::de::Error::custom(format!("not an account id: {s:?}")))
    }
}

/// The platform a viewer (and so every account in its ledger) lives on.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    X,
    Bsky,
}

impl Platform {
    pub fn code(self) -> u8 {
        match self {
            Platform::X => 0,
            Platform::Bsky => 1,
        }
    }
    pub fn from_code(code: u8) -> Option<Self> {
        match code {
            0 => Some(Platform::X),
            1 => Some(Platform::Bsky),
            _ => None,
        }
    }
}

/// The signed-in account whose data a ledger holds. Two viewers never share one.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Serialize, Deserialize)]
pub struct Viewer {
    pub platform: Platform,
    pub id: AccountId,
}

impl Viewer {
    pub fn x(id: u64) -> Self {
        Viewer {
            platform: Platform::X,
            id: AccountId(id),
        }
    }
    pub fn bsky(id: AccountId) -> Self {
        Viewer {
            platform: Platform::Bsky,
            id,
        }
    }
}

/// Which of an account's two follow lists a page belongs to.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "lowercase")]
pub enum ListKind {
    /// Who follows the owner: entries are edges `entry → owner`.
    Followers,
    /// Whom the owner follows: entries are edges `owner → entry`.
    Following,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Serialize, Deserialize)]
pub struct ListKey {
    pub owner: AccountId,
    pub kind: ListKind,
}

impl ListKey {
    /// The two lists the edge `from → to` sits on, each with its entry there:
    /// `to`'s followers (entry `from`) and `from`'s following (entry `to`).
    pub fn of_edge(from: AccountId, to: AccountId) -> [(ListKey, AccountId); 2] {
        [
            (
                ListKey {
                    owner: to,
                    kind: ListKind::Followers,
                },
                from,
            ),
            (
                ListKey {
                    owner: from,
                    kind: ListKind::Following,
                },
                to,
            ),
        ]
    }

    /// The edge `(follower, followee)` that an entry on this list proves.
    pub fn edge_of(self, entry: AccountId) -> (AccountId, AccountId) {
        match self.kind {
            ListKind::Followers => (entry, self.owner),
            ListKind::Following => (self.owner, entry),
        }
    }
}

/// Where a list page sits in a walk of its list.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum PagePosition {
    /// A page of a filtered or unordered list (verified followers, followers you
    /// know): its entries prove presence, and it can never complete a walk.
    Partial,
    /// A page of the full list. `cursor` is the one the request carried (`None`: the
    /// first page); `next_cursor` the page's Bottom cursor; `is_last` says the walk
    /// ends here. A chain of such pages from the first to a last one, within one
    /// sitting, is a complete snapshot.
    Walk {
        cursor: Option<String>,
        next_cursor: Option<String>,
        is_last: bool,
    },
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ListPage {
    pub list: ListKey,
    pub at: Time,
    pub position: PagePosition,
    pub entries: Vec<AccountId>,
    /// The times the platform stamped on the page, as its reader decoded them
    /// (unchecked: the ledger decides whether they date anything).
    pub dating: Option<PageDating>,
}

/// What a list page's cursors say of time. On X a Followers/Following page's
/// bottom cursor is `A|B` where `A >> 20` is the Unix time, in milliseconds, at
/// which its last entry's follow began (the list's sort index); below a possible
/// fixed block at the top of the list, entries are newest first.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct PageDating {
    /// The start of the page's last entry's follow, Unix milliseconds.
    pub last_ms: i64,
    /// The same for the page above it (the cursor the request carried), if any:
    /// down the pages of one list, the times may not rise.
    pub above_ms: Option<i64>,
    /// The page was asked for without a cursor: the top of the list, where a
    /// fixed block may sit.
    pub first_page: bool,
}

/// What one capture says about one account at one instant. Every field but `id`
/// and `at` may be unknown; relationship flags are relative to the viewer.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct AccountSighting {
    pub id: AccountId,
    pub at: Time,
    pub handle: Option<String>,
    pub name: Option<String>,
    pub followers: Option<u64>,
    pub following: Option<u64>,
    pub protected: Option<bool>,
    pub verified_type: Option<String>,
    pub blue_verified: Option<bool>,
    pub professional_type: Option<String>,
    /// The account follows the viewer (X `followed_by`).
    pub follows_you: Option<bool>,
    /// The viewer follows the account (X `following`).
    pub you_follow: Option<bool>,
    /// The account blocks the viewer (X `blocked_by`).
    pub blocked_you: Option<bool>,
    /// Set when the account is suspended, deactivated or otherwise unavailable: the
    /// platform's reason (`Suspended`, …).
    pub gone: Option<String>,
    /// Something the viewer did to the account at this instant (its own request).
    pub by_you: Option<OwnAction>,
    /// Bluesky: the account's DID (its id is a digest of it), kept to name it.
    pub did: Option<String>,
}

/// What the viewer did to an account, as its own browser asked X to: kept as the
/// action, the account and the time, nothing else of the request.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OwnAction {
    /// You unfollowed it.
    Unfollow,
    /// You blocked it (which also ends its follow of you).
    Block,
    Unblock,
    /// You removed it from your followers.
    RemoveFollower,
}

impl OwnAction {
    pub fn code(self) -> u8 {
        match self {
            OwnAction::Unfollow => 0,
            OwnAction::Block => 1,
            OwnAction::Unblock => 2,
            OwnAction::RemoveFollower => 3,
        }
    }

    pub fn from_code(code: u8) -> Option<Self> {
        [
            OwnAction::Unfollow,
            OwnAction::Block,
            OwnAction::Unblock,
            OwnAction::RemoveFollower,
        ]
        .into_iter()
        .find(|a| a.code() == code)
    }

    /// It ends the account's follow of you: a leave then is not its unfollow.
    pub fn ends_their_follow(self) -> bool {
        matches!(self, OwnAction::Block | OwnAction::RemoveFollower)
    }
}

/// One observation, of the strengths docs/design.md names.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Observation {
    /// An account as a capture showed it (profile, counts, flags relative to the
    /// viewer, or "account gone").
    Account(AccountSighting),
    /// A definitive pair state: at `at`, `from` does (or does not) follow `to`.
    Pair {
        from: AccountId,
        to: AccountId,
        at: Time,
        follows: bool,
    },
    /// One page of a follow list: presence of its entries, and a link in a walk.
    ListPage(ListPage),
    /// The platform told the viewer that `from` followed it, at `at_ms` (Unix
    /// milliseconds; X's "followed you" notification). `alone`: the notice named
    /// this account alone, so its time is this follow's; a grouped notice ("A and
    /// 3 others followed you") is only kept, as evidence that a follow began by then.
    FollowedYou {
        from: AccountId,
        at_ms: i64,
        alone: bool,
        /// When the notice was read (the capture's time): a notice from after it
        /// dates nothing.
        seen: Time,
    },
    /// `from` follows `to` through a record made at `started` (Bluesky: the
    /// follow record's key, a TID, or its `createdAt`, whichever is earlier and
    /// plausible), seen at `seen`. A new record is a new follow: one seen
    /// before it had ended.
    FollowRecord {
        from: AccountId,
        to: AccountId,
        started: Time,
        seen: Time,
    },
}

impl Observation {
    pub fn at(&self) -> Time {
        match self {
            Observation::Account(s) => s.at,
            Observation::Pair { at, .. } => *at,
            Observation::ListPage(p) => p.at,
            Observation::FollowedYou { seen, .. } | Observation::FollowRecord { seen, .. } => *seen,
        }
    }
}

/// A brand: verification type Business or Government, or professional type
/// Business. The viewer's own marking overrides this (see `Ledger::mark_brand`).
pub fn is_brand_by_profile(verified_type: Option<&str>, professional_type: Option<&str>) -> bool {
    matches!(verified_type, Some("Business" | "Government"))
        || matches!(professional_type, Some("Business"))
}
