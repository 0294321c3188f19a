//! Observations generated for the ledger's properties (shared by the rules and
//! the store in parts).

// Made-up sizes, ids and times, far inside every type's range.
#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_possible_wrap,
    clippy::cast_sign_loss,
    clippy::cast_precision_loss
)]
#![allow(dead_code)]

use proptest::prelude::*;
use reciprocity_core::model::*;
use reciprocity_core::Time;

pub const T0: Time = Time(1_790_000_000);
pub const VIEWER: AccountId = AccountId(1);

pub fn ids() -> impl Strategy<Value = AccountId> {
    (2u64..8).prop_map(AccountId)
}

pub fn flag() -> impl Strategy<Value = Option<bool>> {
    prop_oneof![Just(None), Just(Some(true)), Just(Some(false))]
}

pub fn sighting() -> impl Strategy<Value = Observation> {
    (
        ids(),
        0i64..50,
        flag(),
        flag(),
        flag(),
        prop::option::of(0u64..5),
        any::<bool>(),
    )
        .prop_map(|(id, t, fy, yf, blocked, following, gone)| {
            Observation::Account(AccountSighting {
                id,
                at: T0 + t * 3600,
                handle: Some(format!("user{}", id.0 + (t as u64 % 2) * 10)),
                following,
                follows_you: fy,
                you_follow: yf,
                blocked_you: blocked,
                gone: gone.then(|| "Suspended".to_owned()),
                ..Default::default()
            })
        })
}

pub fn pair() -> impl Strategy<Value = Observation> {
    (ids(), ids(), 0i64..50, any::<bool>())
        .prop_filter("no self-follow", |(a, b, _, _)| a != b)
        .prop_map(|(from, to, t, follows)| Observation::Pair {
            from,
            to,
            at: T0 + t * 3600,
            follows,
        })
}

pub fn page() -> impl Strategy<Value = Observation> {
    (
        prop_oneof![Just(VIEWER), ids()],
        any::<bool>(),
        0i64..50,
        prop::collection::vec(ids(), 0..4),
        prop::option::of(0u8..3),
        prop::option::of(0u8..3),
        any::<bool>(),
        prop::option::of((-60i64..60, 0i64..1000, prop::option::of(-5i64..60))),
    )
        .prop_map(
            |(owner, followers, t, entries, cursor, next, last, dated)| {
                let kind = if followers {
                    ListKind::Followers
                } else {
                    ListKind::Following
                };
                Observation::ListPage(ListPage {
                    list: ListKey { owner, kind },
                    at: T0 + t * 3600,
                    position: PagePosition::Walk {
                        cursor: cursor.map(|c| format!("c{c}")),
                        next_cursor: next.map(|c| format!("c{c}")),
                        is_last: last,
                    },
                    entries: entries.into_iter().filter(|e| *e != owner).collect(),
                    // Cursor times around the page's own, plausible or not.
                    dating: dated.map(|(h, ms, above)| PageDating {
                        last_ms: (T0 + (t + h) * 3600).0 * 1000 + ms,
                        above_ms: above.map(|a| (T0 + (t + a) * 3600).0 * 1000),
                        first_page: cursor.is_none(),
                    }),
                })
            },
        )
}

pub fn notice() -> impl Strategy<Value = Observation> {
    (ids(), 0i64..50, -3i64..3, any::<bool>()).prop_map(|(from, t, lag, alone)| {
        Observation::FollowedYou {
            from,
            at_ms: (T0 + t * 3600).0 * 1000 + lag * 1_800_000,
            alone,
            seen: T0 + t * 3600,
        }
    })
}

/// A follow record seen (Bluesky): its start around the reading, plausible or
/// not (before it, a little or well after it).
pub fn record() -> impl Strategy<Value = Observation> {
    (
        prop_oneof![Just(VIEWER), ids()],
        ids(),
        0i64..50,
        -40i64..3,
        0i64..600,
    )
        .prop_filter("no self-follow", |(a, b, ..)| a != b)
        .prop_map(|(from, to, t, lag_hours, secs)| Observation::FollowRecord {
            from,
            to,
            started: T0 + (t + lag_hours) * 3600 + secs,
            seen: T0 + t * 3600,
        })
}

pub fn observation() -> impl Strategy<Value = Observation> {
    prop_oneof![sighting(), pair(), page(), notice(), record()]
}
