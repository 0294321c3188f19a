//! Track records from ordinary browsing: what looks at the first page of a list,
//! days apart, prove (rule 1's segments) — and what they do not.

// Made-up sizes, ids and times, far inside every type's range.
#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_possible_wrap,
    clippy::cast_sign_loss,
    clippy::cast_precision_loss
)]

use proptest::prelude::*;
use reciprocity_core::model::*;
use reciprocity_core::time::{parse_rfc3339, DAY};
use reciprocity_core::Code;
use reciprocity_core::{Confidence, EventKind, Lang, Ledger, Time};

const VIEWER: AccountId = AccountId(1);
const BRAND: AccountId = AccountId(50);

fn day(n: i64) -> Time {
    parse_rfc3339("2026-10-01T12:00:00Z").unwrap() + n * DAY
}

/// The first page of the brand's Following, as X paginates it.
fn first_page(at: Time, entries: &[u64]) -> Observation {
    Observation::ListPage(ListPage {
        list: ListKey {
            owner: BRAND,
            kind: ListKind::Following,
        },
        at,
        position: PagePosition::Walk {
            cursor: None,
            next_cursor: Some(format!("more-{at}")),
            is_last: false,
        },
        entries: entries.iter().map(|e| AccountId(*e)).collect(),
        dating: None,
    })
}

fn ledger(obs: &[Observation]) -> Ledger {
    let mut l = Ledger::new();
    for o in obs {
        l.ingest(VIEWER, std::slice::from_ref(o)).unwrap();
    }
    l
}

/// Week `w`'s page: 20 accounts it followed that week first, then 10 older
/// follows that stay.
fn week(w: i64) -> Vec<u64> {
    let fresh = (0..20).map(|i| 1000 * (w as u64 + 1) + i);
    fresh.chain(100..110).collect()
}

#[test]
fn five_weekly_looks_at_a_first_page_expose_a_brand_that_follows_then_drops() {
    let l = ledger(
        &(0..5)
            .map(|w| first_page(day(7 * w), &week(w)))
            .collect::<Vec<_>>(),
    );
    let mut leaves = 0;
    for w in 0..4 {
        for e in &week(w)[..20] {
            let events = l.events(BRAND, AccountId(*e), VIEWER);
            let left: Vec<_> = events
                .iter()
                .filter(|e| matches!(e.kind, EventKind::LeftList | EventKind::Unfollow))
                .collect();
            assert_eq!(left.len(), 1, "account {e}: {events:?}");
            // Bounded by the two weekly looks around it.
            assert_eq!(left[0].bounds.after, Some(day(7 * w)));
            assert_eq!(left[0].bounds.by, day(7 * (w + 1)));
            assert_eq!(left[0].kind, EventKind::LeftList, "never seen alive after");
            assert_eq!(left[0].confidence, Confidence::Low);
            leaves += 1;
        }
    }
    assert_eq!(leaves, 80);
    // Those of weeks 2–4 joined between two looks too: quick drops.
    let r = l.track_record(VIEWER, BRAND, day(30));
    assert_eq!(r.toward_others.quick_drops, 60);
    assert_eq!(r.toward_others.quick_unfollows, 0, "none confirmed");
    let v = l.verdict(VIEWER, BRAND, day(30), Lang::En);
    assert_eq!(v.code, Code::FlushesOthers);
    assert!(
        v.text.starts_with("Dropped 60 accounts from its following"),
        "{}",
        v.text
    );
    assert!(v.evidence.iter().any(|e| e.kind == "quick_drop"));
    // The 10 accounts that stay never left.
    for e in 100..110 {
        assert!(l.events(BRAND, AccountId(e), VIEWER).is_empty());
    }
}

#[test]
fn a_leave_is_an_unfollow_once_the_account_is_seen_alive_after() {
    // Seen at day 9 it proves nothing yet; seen after the look that lacked it
    // (day 14), it was not closed: the leave was an unfollow.
    let early = Observation::Account(AccountSighting {
        id: AccountId(2005),
        at: day(9),
        handle: Some("still_here".into()),
        ..Default::default()
    });
    let alive = Observation::Account(AccountSighting {
        id: AccountId(2005),
        at: day(15),
        handle: Some("still_here".into()),
        ..Default::default()
    });
    let mut obs: Vec<_> = (0..3).map(|w| first_page(day(7 * w), &week(w))).collect();
    obs.push(early);
    let l = ledger(&obs);
    let end = |l: &Ledger| {
        let events = l.events(BRAND, AccountId(2005), VIEWER);
        let e = events
            .iter()
            .find(|e| e.kind != EventKind::Follow)
            .copied()
            .unwrap();
        (e.kind, e.confidence)
    };
    assert_eq!(end(&l), (EventKind::LeftList, Confidence::Low));
    obs.push(alive);
    let l = ledger(&obs);
    assert_eq!(end(&l), (EventKind::Unfollow, Confidence::Medium));
}

#[test]
fn entries_pushed_past_a_pages_end_do_not_leave() {
    // Two follows arrive above: the last two entries fall off the page.
    let l = ledger(&[
        first_page(day(0), &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
        first_page(day(7), &[20, 21, 1, 2, 3, 4, 5, 6, 7, 8]),
    ]);
    for e in [9, 10] {
        assert!(l.events(BRAND, AccountId(e), VIEWER).is_empty(), "{e}");
    }
    // The two new ones joined between the looks.
    let joined = l.events(BRAND, AccountId(20), VIEWER);
    assert_eq!(joined.len(), 1);
    assert_eq!(joined[0].kind, EventKind::Follow);
    assert_eq!(joined[0].bounds.after, Some(day(0)));
}

#[test]
fn an_entry_back_at_its_old_place_returned_and_never_left() {
    let l = ledger(&[
        first_page(day(0), &[1, 2, 3, 4, 5, 6]),
        first_page(day(7), &[1, 2, 3, 5, 6]),
        first_page(day(14), &[1, 2, 3, 4, 5, 6]),
    ]);
    let events = l.events(BRAND, AccountId(4), VIEWER);
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0].kind, EventKind::Returned);
    let r = l.track_record(VIEWER, BRAND, day(15));
    assert_eq!(
        r.toward_others.left_list_seen + r.toward_others.unfollows_seen,
        0
    );
}

#[test]
fn nothing_is_concluded_between_looks_out_of_order_or_sharing_too_little() {
    // The shared entries swapped places: not X's list order, so nothing is proved.
    let swapped = ledger(&[
        first_page(day(0), &[1, 2, 3, 4, 9]),
        first_page(day(7), &[2, 1, 3, 4]),
    ]);
    assert!(swapped.events(BRAND, AccountId(9), VIEWER).is_empty());
    assert!(
        swapped
            .list(ListKey {
                owner: BRAND,
                kind: ListKind::Following
            })
            .unwrap()
            .segments()
            .inversions
            > 0
    );
    // Two shared entries are not enough.
    let thin = ledger(&[first_page(day(0), &[1, 2, 9]), first_page(day(7), &[1, 2])]);
    assert!(thin.events(BRAND, AccountId(9), VIEWER).is_empty());
}

/// A list that only grows at the top, looked at through its first page.
fn growing_list() -> impl Strategy<Value = Vec<(i64, Vec<u64>)>> {
    prop::collection::vec(0usize..4, 1..6).prop_map(|adds| {
        let mut list: Vec<u64> = (1..=12).collect();
        let mut next = 100;
        let mut looks = vec![(0, list[..10].to_vec())];
        for (i, n) in adds.into_iter().enumerate() {
            for _ in 0..n {
                list.insert(0, next);
                next += 1;
            }
            looks.push(((i as i64 + 1) * 3, list[..10].to_vec()));
        }
        looks
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Entries pushed past a page's end by follows above them never leave, and the
    /// same looks in any order, or twice, give the same ledger.
    #[test]
    fn a_list_that_only_grows_shows_no_leave_in_any_order(
        looks in growing_list(),
        order in prop::collection::vec(any::<prop::sample::Index>(), 1..12),
    ) {
        let pages: Vec<_> = looks.iter().map(|(d, e)| first_page(day(*d), e)).collect();
        let mut shuffled: Vec<_> = order.iter().map(|i| pages[i.index(pages.len())].clone()).collect();
        shuffled.extend(pages.iter().cloned());
        let a = ledger(&pages);
        let b = ledger(&shuffled);
        prop_assert_eq!(&a, &b);
        for id in 1..200u64 {
            let events = a.events(BRAND, AccountId(id), VIEWER);
            prop_assert!(events.iter().all(|e| e.kind == EventKind::Follow), "{} {:?}", id, events);
        }
    }
}

#[test]
fn the_looks_behind_a_record_are_said_and_old_pages_lose_their_order() {
    let l = ledger(
        &(0..5)
            .map(|w| first_page(day(7 * w), &week(w)))
            .collect::<Vec<_>>(),
    );
    let tl = l.timeline(VIEWER, BRAND, day(30), Lang::En);
    assert_eq!(tl.lists.len(), 1);
    assert_eq!(
        tl.lists[0].text,
        "Its following: seen in 5 looks since 2026-10-01"
    );
    let fr = l.timeline(VIEWER, BRAND, day(30), Lang::Fr);
    assert!(fr.lists[0]
        .text
        .starts_with("Ses abonnements : vus en 5 fois"));

    let segments_of = |looks: &[Observation]| {
        let forward = ledger(looks);
        let backward = ledger(&looks.iter().rev().cloned().collect::<Vec<_>>());
        assert_eq!(forward, backward, "arrival order changes nothing");
        forward
            .list(ListKey {
                owner: BRAND,
                kind: ListKind::Following,
            })
            .unwrap()
            .segments()
            .clone()
    };
    // Sixty-four weekly looks, each different, newest first or oldest first: all
    // kept in order.
    let keep = reciprocity_core::lists::KEEP_LOOKS as i64;
    let looks: Vec<_> = (0..keep)
        .map(|w| first_page(day(7 * w), &week(w)))
        .collect();
    let seg = segments_of(&looks);
    assert_eq!(seg.looks, reciprocity_core::lists::KEEP_LOOKS);
    assert_eq!(seg.first_look, Some(day(0)));
    // Seventy looks showing the same list: kept at the first and the last.
    let looks: Vec<_> = (0..70).map(|w| first_page(day(7 * w), &week(3))).collect();
    let seg = segments_of(&looks);
    assert_eq!(seg.looks, 2);
    assert_eq!(seg.first_look, Some(day(0)));
}

#[test]
fn evidence_outlives_the_pages_behind_it() {
    // Seventy weekly looks: the oldest six lose their order, not what they
    // proved. Every week's twenty follows were dropped by the next look.
    let looks: Vec<_> = (0..70).map(|w| first_page(day(7 * w), &week(w))).collect();
    let l = ledger(&looks);
    let key = ListKey {
        owner: BRAND,
        kind: ListKind::Following,
    };
    let log = l.list(key).unwrap();
    assert_eq!(log.settled().looks, 6);
    assert_eq!(
        log.segments().looks,
        70,
        "the looks said include the settled"
    );
    assert_eq!(log.segments().first_look, Some(day(0)));
    for w in 0..69 {
        for e in &week(w)[..20] {
            let events = l.events(BRAND, AccountId(*e), VIEWER);
            assert!(
                events.iter().any(|e| e.kind == EventKind::LeftList),
                "week {w}: {events:?}"
            );
        }
    }
    let quick = l
        .track_record(VIEWER, BRAND, day(7 * 70))
        .toward_others
        .quick_drops;
    // The same in a store and back, and through the JSON export.
    let mut store = reciprocity_core::store::Store::new();
    *store.ledger_mut(Viewer::x(VIEWER.0)) = l.clone();
    let back = reciprocity_core::store::Store::from_bytes(&store.to_bytes()).unwrap();
    assert_eq!(back, store);
    let json = reciprocity_core::store::Store::from_json(&store.to_json()).unwrap();
    assert_eq!(json, store);

    // A brand that flushed its first weeks' follows, then 64 weeks of looks that
    // show only follows that stay: the early evidence is settled, not lost.
    let mut obs: Vec<_> = (0..5).map(|w| first_page(day(7 * w), &week(w))).collect();
    let stays =
        |w: i64| -> Vec<u64> { (0..=w as u64).map(|i| 90_000 - i).chain(100..110).collect() };
    obs.extend((5..75).map(|w| first_page(day(7 * w), &stays(w))));
    let l = ledger(&obs);
    assert_eq!(l.list(key).unwrap().settled().looks, 11);
    assert_eq!(
        l.verdict(VIEWER, BRAND, day(7 * 75), Lang::En).code,
        Code::FlushesOthers
    );
    assert!(quick > 0);
}

#[test]
fn sixty_four_repeats_of_one_look_keep_the_verdict() {
    // Five weekly looks show the brand dropping what it followed...
    let mut obs: Vec<_> = (0..5).map(|w| first_page(day(7 * w), &week(w))).collect();
    let l = ledger(&obs);
    let v = l.verdict(VIEWER, BRAND, day(30), Lang::En);
    assert_eq!(v.code, Code::FlushesOthers);
    // ...then the page is fetched again 64 times within an hour, as a hostile
    // script can (real pages, no forgery): the looks behind the verdict stay.
    obs.extend((0..64).map(|i| first_page(day(28) + 60 * (i + 1), &week(4))));
    let l = ledger(&obs);
    assert_eq!(
        l.verdict(VIEWER, BRAND, day(30), Lang::En).code,
        Code::FlushesOthers
    );
    let seg = l
        .list(ListKey {
            owner: BRAND,
            kind: ListKind::Following,
        })
        .unwrap()
        .segments();
    assert_eq!(seg.looks, 6, "five looks, and the last one's latest repeat");
}

fn following_count(at: Time, n: u64) -> Observation {
    Observation::Account(AccountSighting {
        id: BRAND,
        at,
        following: Some(n),
        ..Default::default()
    })
}

#[test]
fn joins_against_a_steady_count_bound_the_departures() {
    let mut obs: Vec<_> = (0..5).map(|w| first_page(day(7 * w), &week(w))).collect();
    obs.push(following_count(day(0) - 3600, 30));
    obs.push(following_count(day(28) + 3600, 30));
    let l = ledger(&obs);
    let d = l.track_record(VIEWER, BRAND, day(30)).departures.unwrap();
    // 80 follows seen arriving (weeks 2–5), a count that did not move: at least
    // 80 accounts left.
    assert_eq!(
        (d.joins, d.count_before, d.count_after, d.at_least),
        (80, 30, 30, 80)
    );

    // Two looks a week apart, 60 new follows in front, the count steady: no quick
    // drop can be dated, but the departures are proven, and said as such.
    let big = |tag: u64| -> Vec<u64> { (0..60).map(|i| tag + i).chain(100..110).collect() };
    let l = ledger(&[
        first_page(day(0), &big(5000)),
        first_page(day(7), &big(6000)),
        following_count(day(0) - 3600, 70),
        following_count(day(7) + 3600, 70),
    ]);
    let r = l.track_record(VIEWER, BRAND, day(8));
    assert_eq!(r.toward_others.quick_drops, 0);
    assert_eq!(r.departures.unwrap().at_least, 60);
    let v = l.verdict(VIEWER, BRAND, day(8), Lang::En);
    assert_eq!(v.code, Code::FollowChurn);
    assert!(
        v.text.starts_with("Followed at least 60 accounts between"),
        "{}",
        v.text
    );
    assert!(v
        .text
        .contains("while its following count did not move: at least 60 left"));
    assert!(v.text.contains("unfollowed, or the accounts were closed"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// An account followed from hour `start` to hour `end` sits in the middle of a
    /// first page looked at now and then: its join and its leave are bounded by
    /// the looks on either side of the true change, and no tighter than they allow.
    #[test]
    fn segment_bounds_contain_the_truth_and_are_as_tight_as_the_looks(
        start in 1i64..100, len in 1i64..100,
        hours in prop::collection::btree_set(0i64..220, 2..12),
    ) {
        let end = start + len;
        let at = |h: i64| day(0) + h * 3600;
        let pages: Vec<_> = hours.iter().map(|&h| {
            let middle: &[u64] = if (start..end).contains(&h) { &[7] } else { &[] };
            let entries: Vec<u64> = [1, 2, 3].iter().chain(middle).chain(&[4, 5, 6]).copied().collect();
            first_page(at(h), &entries)
        }).collect();
        let l = ledger(&pages);
        for e in l.events(BRAND, AccountId(7), VIEWER) {
            let truth = match e.kind {
                EventKind::Follow => at(start),
                EventKind::LeftList => at(end),
                other => { prop_assert!(false, "{:?}", other); unreachable!() }
            };
            prop_assert!(e.bounds.after.unwrap() < truth && truth <= e.bounds.by, "{:?}", e);
            // As tight as the looks: the last look before, the first look after.
            let before = hours.iter().rev().map(|&h| at(h)).find(|&t| t < truth);
            let after = hours.iter().map(|&h| at(h)).find(|&t| t >= truth);
            prop_assert_eq!((e.bounds.after, Some(e.bounds.by)), (before, after));
        }
    }

    /// Looks that share fewer than three entries, or share them out of order,
    /// prove nothing: no leave, however the entries come and go.
    #[test]
    fn thin_or_disordered_looks_prove_nothing(
        looks in prop::collection::vec((prop::collection::vec(10u64..14, 0..3), any::<bool>(), 0u64..5), 2..8),
    ) {
        let pages: Vec<_> = looks.iter().enumerate().map(|(i, (extra, swap, common))| {
            // At most two entries in common (1 and 2), maybe swapped, plus entries
            // of this look alone.
            let mut entries: Vec<u64> = if *swap { vec![2, 1] } else { vec![1, 2] };
            entries.truncate(*common as usize % 3);
            let own = 100 * (i as u64 + 1);
            entries.extend(extra.iter().map(|x| own + x));
            entries.dedup();
            first_page(day(i as i64), &entries)
        }).collect();
        let l = ledger(&pages);
        for id in (1..3u64).chain((100..1000).filter(|i| i % 100 >= 10 && i % 100 < 14)) {
            let events = l.events(BRAND, AccountId(id), VIEWER);
            prop_assert!(events.iter().all(|e| e.kind == EventKind::Follow), "{:?}", events);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// An entry that goes missing from some looks but is seen at its old place
    /// before and after each of them returned: never a leave, never a new follow.
    #[test]
    fn a_return_withdraws_the_leave(
        present in prop::collection::vec(any::<bool>(), 3..12),
    ) {
        // Present at the first and the last look, missing from any in between.
        let n = present.len();
        let looks: Vec<_> = (0..n).map(|i| {
            let here = i == 0 || i == n - 1 || present[i];
            let middle: &[u64] = if here { &[7] } else { &[] };
            let entries: Vec<u64> = [1, 2, 3].iter().chain(middle).chain(&[4, 5, 6]).copied().collect();
            first_page(day(i as i64), &entries)
        }).collect();
        let l = ledger(&looks);
        let events = l.events(BRAND, AccountId(7), VIEWER);
        prop_assert!(events.iter().all(|e| e.kind == EventKind::Returned), "{:?}", events);
        // One return per look that lacked it; a run of identical looks is kept at
        // its first and last (repeating one look changes nothing).
        let missing = (1..n - 1).filter(|&i| !present[i]).count();
        let kept = (1..n - 1)
            .filter(|&i| !present[i])
            .filter(|&i| i < 2 || present[i - 1] || i + 1 >= n - 1 || present[i + 1])
            .count();
        prop_assert!(kept <= missing);
        prop_assert_eq!(events.len(), kept);
        prop_assert_eq!(l.track_record(VIEWER, BRAND, day(n as i64)).toward_others.left_list_seen, 0);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// However many looks follow (past the 64 a list keeps in order), the leaves
    /// five looks proved stay, with the same bounds.
    #[test]
    fn leaves_once_proved_stay_however_many_looks_follow(extra in 0i64..90) {
        let proved: Vec<_> = (0..5).map(|w| first_page(day(7 * w), &week(w))).collect();
        let stays = |w: i64| -> Vec<u64> { (0..=w as u64).map(|i| 90_000 - i).chain(100..110).collect() };
        let leaves = |l: &Ledger| -> Vec<_> {
            (0..4).flat_map(|w| week(w)[..20].to_vec()).map(|e| {
                l.events(BRAND, AccountId(e), VIEWER)
                    .into_iter()
                    .filter(|e| e.kind == EventKind::LeftList)
                    .map(|e| e.bounds)
                    .collect::<Vec<_>>()
            }).collect()
        };
        let before = leaves(&ledger(&proved));
        prop_assert!(before.iter().all(|l| l.len() == 1));
        let mut obs = proved.clone();
        obs.extend((5..5 + extra).map(|w| first_page(day(7 * w), &stays(w))));
        prop_assert_eq!(leaves(&ledger(&obs)), before);
    }
}
