//! Stores written by earlier formats, and walks that cannot be whole.

use reciprocity_core::model::*;
use reciprocity_core::time::{parse_rfc3339, DAY};
use reciprocity_core::Code;
use reciprocity_core::{Lang, Ledger, Store, Time};

const VIEWER: AccountId = AccountId(900000000000000001);

/// A store written by store format 1 (`crates/core/tests/data`, made by the
/// `reciprocity` of that format from the two made archives of
/// `crates/capture/tests/data/archive`).
fn format_1() -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/format-1.MADE.rcpr"),
    )
    .unwrap()
}

#[test]
fn a_format_1_store_loads_keeps_its_walks_and_saves_as_format_2() {
    let bytes = format_1();
    assert_eq!(u16::from_le_bytes([bytes[8], bytes[9]]), 1);
    let store = Store::from_bytes(&bytes).unwrap();
    let ledger = store.ledger(Viewer::x(VIEWER.0)).unwrap();
    let walks = ledger
        .list(ListKey {
            owner: VIEWER,
            kind: ListKind::Followers,
        })
        .unwrap()
        .walks();
    assert_eq!(walks.len(), 2, "format-1 pages, counts unknown, still walk");
    assert!(walks.iter().all(|w| w.entries.is_none()));
    let now = ledger.latest_instant().unwrap();
    let brand = ledger.annotate(VIEWER, AccountId(2244994945), now, Lang::En);
    assert_eq!(brand.verdict.code, Code::UnfollowedYou);

    let again = store.to_bytes();
    assert_eq!(
        u16::from_le_bytes([again[8], again[9]]),
        reciprocity_core::store::VERSION
    );
    assert_eq!(Store::from_bytes(&again).unwrap(), store);
}

fn day(n: i64) -> Time {
    parse_rfc3339("2026-11-01T12:00:00Z").unwrap() + n * DAY
}

fn whole_followers(at: Time, entries: &[u64]) -> Observation {
    Observation::ListPage(ListPage {
        list: ListKey {
            owner: VIEWER,
            kind: ListKind::Followers,
        },
        at,
        position: PagePosition::Walk {
            cursor: None,
            next_cursor: None,
            is_last: true,
        },
        entries: entries.iter().map(|e| AccountId(*e)).collect(),
        dating: None,
    })
}

fn followers_count(at: Time, n: u64) -> Observation {
    Observation::Account(AccountSighting {
        id: VIEWER,
        at,
        followers: Some(n),
        ..Default::default()
    })
}

#[test]
fn a_walk_far_smaller_than_the_owners_count_is_not_complete_in_any_order() {
    let observations = [
        whole_followers(day(0), &[7, 8, 9]),
        followers_count(day(0) - 60, 3),
        // A "whole list" of one entry when X says the viewer has 1,000 followers.
        followers_count(day(5) - 60, 1000),
        whole_followers(day(5), &[7]),
    ];
    for order in [[0, 1, 2, 3], [3, 2, 1, 0], [2, 3, 0, 1]] {
        let mut l = Ledger::new();
        for i in order {
            l.ingest(VIEWER, std::slice::from_ref(&observations[i]))
                .unwrap();
        }
        let log = l
            .list(ListKey {
                owner: VIEWER,
                kind: ListKind::Followers,
            })
            .unwrap();
        assert_eq!(
            log.walks().iter().map(|w| w.to).collect::<Vec<_>>(),
            vec![day(0)],
            "order {order:?}"
        );
        // So accounts 8 and 9 did not leave.
        let r = l.track_record(VIEWER, AccountId(8), day(6));
        assert_eq!(r.toward_you.unfollows_of_you, 0, "order {order:?}");
    }
}
