//! Track records and verdicts on scenarios built in code.

// Made-up sizes, ids and times, far inside every type's range.
#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_possible_wrap,
    clippy::cast_sign_loss,
    clippy::cast_precision_loss
)]

use reciprocity_core::model::*;
use reciprocity_core::record::State;
use reciprocity_core::time::{parse_rfc3339, DAY};
use reciprocity_core::Lang;
use reciprocity_core::{Code, Confidence};
use reciprocity_core::{Ledger, Time};

const VIEWER: AccountId = AccountId(1);
const BRAND: AccountId = AccountId(2244994945);

fn day(n: i64) -> Time {
    parse_rfc3339("2026-11-01T12:00:00Z").unwrap() + n * DAY
}

fn flags(at: Time, follows_you: Option<bool>, you_follow: Option<bool>) -> Observation {
    Observation::Account(AccountSighting {
        id: BRAND,
        at,
        handle: Some("XDevelopers".into()),
        name: Some("Developers".into()),
        verified_type: Some("Business".into()),
        follows_you,
        you_follow,
        ..Default::default()
    })
}

fn whole_list(owner: AccountId, kind: ListKind, at: Time, entries: &[u64]) -> Observation {
    Observation::ListPage(ListPage {
        list: ListKey { owner, kind },
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

fn ledger(obs: &[Observation]) -> Ledger {
    let mut l = Ledger::new();
    for o in obs {
        l.ingest(VIEWER, std::slice::from_ref(o)).unwrap();
    }
    l
}

#[test]
fn a_brand_that_follows_then_unfollows_you() {
    let l = ledger(&[
        flags(day(0), Some(true), Some(true)),
        flags(day(3), Some(true), Some(true)),
        flags(day(12), Some(false), Some(true)),
    ]);
    let v = l.verdict(VIEWER, BRAND, day(13), Lang::En);
    assert_eq!(v.code, Code::UnfollowedYou);
    assert_eq!(
        v.text,
        "Unfollowed you between 2026-11-04 and 2026-11-13 after at least 3 days"
    );
    let fr = l.verdict(VIEWER, BRAND, day(13), Lang::Fr).text;
    assert!(fr.contains("entre le 2026-11-04 et le 2026-11-13"), "{fr}");
    let unfollow = v
        .evidence
        .iter()
        .find(|e| e.kind == "unfollowed_you")
        .unwrap();
    assert_eq!((unfollow.after, unfollow.by), (Some(day(3)), Some(day(12))));
    let r = l.track_record(VIEWER, BRAND, day(13));
    assert_eq!(r.toward_you.unfollows_of_you, 1);
    assert_eq!(r.toward_you.follows_you.state, State::No);
}

#[test]
fn a_follow_seen_from_its_start_gives_a_bounded_duration() {
    // The viewer's followers walked completely: absent on day 0, present on days 2
    // and 5, absent on day 11.
    let l = ledger(&[
        whole_list(VIEWER, ListKind::Followers, day(0), &[7]),
        whole_list(VIEWER, ListKind::Followers, day(2), &[7, BRAND.0]),
        whole_list(VIEWER, ListKind::Followers, day(5), &[7, BRAND.0]),
        whole_list(VIEWER, ListKind::Followers, day(11), &[7]),
    ]);
    let r = l.track_record(VIEWER, BRAND, day(12));
    let s = r.toward_you.unfollowed_you.unwrap();
    assert_eq!(s.lasted.at_least, 3 * DAY);
    assert_eq!(s.lasted.at_most, Some(11 * DAY));
    let v = l.verdict(VIEWER, BRAND, day(12), Lang::En);
    assert_eq!(v.code, Code::UnfollowedYou);
    assert!(v.text.ends_with("after 3–11 days"), "{}", v.text);
    // An account never seen in any walk of the viewer's followers does not follow.
    let r = l.track_record(VIEWER, AccountId(99), day(12));
    assert_eq!(r.toward_you.follows_you.state, State::No);
}

#[test]
fn relations_without_unfollows() {
    let mutual = ledger(&[
        flags(day(0), Some(true), Some(true)),
        flags(day(1), Some(true), Some(true)),
    ]);
    let v = mutual.verdict(VIEWER, BRAND, day(2), Lang::En);
    assert_eq!((v.code, v.confidence), (Code::Mutual, Confidence::Medium));

    let never = ledger(&[
        flags(day(0), Some(false), Some(true)),
        flags(day(4), Some(false), Some(true)),
    ]);
    let v = never.verdict(VIEWER, BRAND, day(5), Lang::En);
    assert_eq!(v.code, Code::NotFollowingBack);
    assert_eq!(v.text, "Never followed you back");
    assert_eq!(
        never
            .track_record(VIEWER, BRAND, day(5))
            .toward_you
            .followed_back,
        Some(false)
    );

    let follows = ledger(&[flags(day(0), Some(true), Some(false))]);
    let v = follows.verdict(VIEWER, BRAND, day(1), Lang::En);
    assert_eq!((v.code, v.confidence), (Code::FollowsYou, Confidence::Low));
    assert_eq!(v.text, "Follows you (seen since 2026-11-01)");

    let none = ledger(&[flags(day(0), Some(false), Some(false))]);
    assert_eq!(
        none.verdict(VIEWER, BRAND, day(1), Lang::En).code,
        Code::NoRelation
    );

    let unknown = ledger(&[flags(day(0), None, None)]);
    let v = unknown.verdict(VIEWER, BRAND, day(1), Lang::En);
    assert_eq!(
        (v.code, v.text.as_str()),
        (Code::Unknown, "Not enough seen yet")
    );
}

#[test]
fn follow_back_after_you_followed() {
    let l = ledger(&[
        flags(day(0), Some(false), Some(false)),
        flags(day(1), Some(false), Some(true)),
        flags(day(3), Some(true), Some(true)),
    ]);
    let r = l.track_record(VIEWER, BRAND, day(4));
    assert_eq!(r.toward_you.followed_back, Some(true));
    let d = r.toward_you.follow_back_delay.unwrap();
    assert_eq!((d.at_least, d.at_most), (0, Some(3 * DAY)));
}

#[test]
fn quick_unfollows_of_others_flag_a_flusher() {
    // Complete walks of the brand's following: it follows 10, 11, 12 on day 1 and
    // drops 10 and 11 by day 20; 12 stays.
    let l = ledger(&[
        whole_list(BRAND, ListKind::Following, day(0), &[12]),
        whole_list(BRAND, ListKind::Following, day(1), &[10, 11, 12]),
        whole_list(BRAND, ListKind::Following, day(20), &[12]),
        flags(day(20), Some(false), Some(false)),
    ]);
    let r = l.track_record(VIEWER, BRAND, day(21));
    assert_eq!(r.toward_others.follows_seen, 3);
    assert_eq!(
        (
            r.toward_others.unfollows_seen,
            r.toward_others.quick_unfollows
        ),
        (2, 2)
    );
    let v = l.verdict(VIEWER, BRAND, day(21), Lang::En);
    assert_eq!(v.code, Code::FlushesOthers);
    assert_eq!(
        v.evidence
            .iter()
            .filter(|e| e.kind == "quick_unfollow")
            .count(),
        2
    );
}

#[test]
fn following_churn_from_counts() {
    let counts = |at: Time, following: u64| {
        Observation::Account(AccountSighting {
            id: BRAND,
            at,
            following: Some(following),
            ..Default::default()
        })
    };
    // Following 400 then dropping 400 within a week: net 0, churn 800.
    let l = ledger(&[
        counts(day(0), 100),
        counts(day(3), 500),
        counts(day(6), 100),
    ]);
    let r = l.track_record(VIEWER, BRAND, day(7));
    let c = r.churn_7d.unwrap();
    assert_eq!((c.churn, c.net, c.samples), (800, 0, 3));
    assert_eq!(
        l.verdict(VIEWER, BRAND, day(7), Lang::En).code,
        Code::FollowChurn
    );
    // Steady growth is no churn.
    let g = ledger(&[
        counts(day(0), 100),
        counts(day(3), 150),
        counts(day(6), 200),
    ]);
    assert_ne!(
        g.verdict(VIEWER, BRAND, day(7), Lang::En).code,
        Code::FollowChurn
    );
}

#[test]
fn allowlisted_accounts_are_never_flagged_and_marks_override_the_profile() {
    let mut l = ledger(&[
        flags(day(0), Some(true), Some(true)),
        flags(day(5), Some(false), Some(true)),
    ]);
    assert_eq!(
        l.verdict(VIEWER, BRAND, day(6), Lang::En).code,
        Code::UnfollowedYou
    );
    l.set_allowlisted(BRAND, day(6), true).unwrap();
    assert_eq!(
        l.verdict(VIEWER, BRAND, day(6), Lang::En).code,
        Code::NotFollowingBack
    );
    assert!(l.account(BRAND).unwrap().is_brand());
    l.mark_brand(BRAND, day(6), false).unwrap();
    assert!(!l.account(BRAND).unwrap().is_brand());
}

#[test]
fn a_renamed_account_is_found_by_old_and_new_handles() {
    let renamed = |at: Time, handle: &str| {
        Observation::Account(AccountSighting {
            id: BRAND,
            at,
            handle: Some(handle.into()),
            ..Default::default()
        })
    };
    let l = ledger(&[renamed(day(0), "OldName"), renamed(day(5), "NewName")]);
    assert_eq!(l.find_handle("@newname"), Some(BRAND));
    assert_eq!(l.find_handle("OldName"), Some(BRAND));
    assert_eq!(l.account(BRAND).unwrap().handle(), Some("NewName"));
    // A handle later taken by another account leads to the newer holder.
    let mut l = l;
    l.ingest(
        VIEWER,
        &[Observation::Account(AccountSighting {
            id: AccountId(5),
            at: day(9),
            handle: Some("oldname".into()),
            ..Default::default()
        })],
    )
    .unwrap();
    assert_eq!(l.find_handle("OldName"), Some(AccountId(5)));
}

#[test]
fn summary_lists_unfollowers_and_non_followers_back() {
    let other = AccountId(77);
    let mut l = ledger(&[
        flags(day(0), Some(true), Some(true)),
        flags(day(9), Some(false), Some(true)),
    ]);
    l.ingest(
        VIEWER,
        &[Observation::Account(AccountSighting {
            id: other,
            at: day(2),
            follows_you: Some(false),
            you_follow: Some(true),
            ..Default::default()
        })],
    )
    .unwrap();
    let s = l.summary(VIEWER, day(10), Lang::En);
    assert_eq!(
        s.unfollowed_you
            .iter()
            .map(|u| u.account)
            .collect::<Vec<_>>(),
        vec![BRAND]
    );
    let nb: Vec<_> = s
        .not_following_back
        .iter()
        .map(|n| (n.account, n.never))
        .collect();
    assert_eq!(nb, vec![(other, true), (BRAND, false)]);
    assert_eq!(s.brands[0].account, BRAND);
    assert_eq!(s.brands[0].code, Code::UnfollowedYou);
}

#[test]
fn what_is_notable_where_is_the_engines_to_say() {
    let notable = |obs: &[Observation]| {
        let b = ledger(obs).badge(VIEWER, BRAND, day(10), Lang::En);
        (b.verdict.code, b.notable.in_list, b.notable.on_post)
    };
    // Unfollowed you: a flag, everywhere.
    assert_eq!(
        notable(&[
            flags(day(0), Some(true), Some(true)),
            flags(day(9), Some(false), Some(true))
        ]),
        (Code::UnfollowedYou, true, true)
    );
    // Mutual says something in a list, nothing worth a pause on a post.
    assert_eq!(
        notable(&[flags(day(0), Some(true), Some(true))]),
        (Code::Mutual, true, false)
    );
    // Neither follows: nothing to say in either place.
    assert_eq!(
        notable(&[flags(day(0), Some(false), Some(false))]),
        (Code::NoRelation, false, false)
    );
}

#[test]
fn a_big_summary_sends_its_first_page_with_exact_totals() {
    // 2,500 accounts the viewer follows that never follow back, and a brand that
    // unfollowed.
    let mut l = ledger(&[
        flags(day(0), Some(true), Some(true)),
        flags(day(9), Some(false), Some(true)),
    ]);
    let others: Vec<Observation> = (0..2500u64)
        .map(|i| {
            Observation::Account(AccountSighting {
                id: AccountId(10_000 + i),
                at: day(2),
                handle: Some(format!("follow{i}")),
                follows_you: Some(false),
                you_follow: Some(true),
                ..Default::default()
            })
        })
        .collect();
    l.ingest(VIEWER, &others).unwrap();
    let whole = l.summary(VIEWER, day(10), Lang::En);
    let mut page = whole.clone();
    page.keep_first(1000);
    assert_eq!(whole.totals.not_following_back, 2501);
    assert_eq!(page.totals, whole.totals, "the totals stay exact");
    assert_eq!(page.not_following_back.len(), 1000);
    assert_eq!(
        page.not_following_back[..],
        whole.not_following_back[..1000]
    );
    assert_eq!(page.unfollowed_you, whole.unfollowed_you);
    assert_eq!(page.brands, whole.brands, "brands whole");
    // Who each listed account is, and no one else.
    let named: std::collections::BTreeSet<_> = page
        .not_following_back
        .iter()
        .map(|n| n.account)
        .chain(page.unfollowed_you.iter().map(|u| u.account))
        .chain(page.brands.iter().map(|b| b.account))
        .chain([VIEWER])
        .collect();
    let described: std::collections::BTreeSet<_> = page.accounts.iter().map(|w| w.id).collect();
    assert_eq!(described, named);
    assert!(page.accounts.len() < whole.accounts.len());
}

#[test]
fn the_summary_and_the_timeline_are_phrased_in_the_language_asked() {
    let l = ledger(&[
        flags(day(0), Some(true), Some(true)),
        flags(day(3), Some(true), Some(true)),
        flags(day(12), Some(false), Some(true)),
    ]);
    let en = l.summary(VIEWER, day(13), Lang::En);
    let u = &en.unfollowed_you[0];
    assert_eq!(u.when, "between 2026-11-04 and 2026-11-13");
    assert_eq!(u.lasted, "at least 3 days");
    assert_eq!(en.brands[0].label, "Unfollowed you");
    // Each account the summary names comes with who it is.
    let who = en.accounts.iter().find(|w| w.id == BRAND).unwrap();
    assert_eq!(who.handle.as_deref(), Some("XDevelopers"));

    let fr = l.summary(VIEWER, day(13), Lang::Fr);
    assert_eq!(
        fr.unfollowed_you[0].when,
        "entre le 2026-11-04 et le 2026-11-13"
    );
    assert_eq!(fr.brands[0].label, "Vous a lâché");

    let tl = l.timeline(VIEWER, BRAND, day(13), Lang::En);
    let lines: Vec<_> = tl.events.iter().map(|e| e.text.as_str()).collect();
    assert!(
        lines.contains(&"Unfollowed — @XDevelopers → you, between 2026-11-04 and 2026-11-13"),
        "{lines:?}"
    );
    let tl = l.timeline(VIEWER, BRAND, day(13), Lang::Fr);
    assert!(tl
        .events
        .iter()
        .any(|e| e.text.contains("@XDevelopers → vous")));
}

#[test]
fn absurd_counts_are_capped_before_they_reach_javascript() {
    // Counts that ingest would drop can still come in through an edited export.
    let sample = |n: i64, following: u64| reciprocity_core::account::CountSample {
        at: day(n),
        followers: None,
        following: Some(following),
    };
    let account = reciprocity_core::Account {
        counts: vec![
            sample(0, 0),
            sample(1, u64::MAX),
            sample(2, 0),
            sample(3, u64::MAX),
        ],
        ..Default::default()
    };
    let c = reciprocity_core::record::churn(&account, day(4), 7).unwrap();
    let max = reciprocity_core::record::MAX_SAFE_INTEGER;
    assert_eq!(c.churn, max, "the sum saturates, then is capped");
    assert_eq!(c.net, max as i64);
}

#[test]
fn the_viewer_series_counts_each_complete_walk() {
    let l = ledger(&[
        whole_list(VIEWER, ListKind::Followers, day(0), &[7, 8, 9]),
        whole_list(VIEWER, ListKind::Following, day(0), &[7]),
        whole_list(VIEWER, ListKind::Followers, day(5), &[7]),
    ]);
    let points: Vec<_> = l
        .viewer_series(VIEWER)
        .iter()
        .map(|p| (p.at, p.followers, p.following))
        .collect();
    assert_eq!(
        points,
        vec![(day(0), Some(3), Some(1)), (day(5), Some(1), None)]
    );
}

#[test]
fn impossible_counts_are_dropped() {
    let l = ledger(&[Observation::Account(AccountSighting {
        id: BRAND,
        at: day(0),
        followers: Some(u64::MAX),
        following: Some(120),
        ..Default::default()
    })]);
    let c = &l.account(BRAND).unwrap().counts;
    assert_eq!((c[0].followers, c[0].following), (None, Some(120)));
}

#[test]
fn a_forgotten_account_leaves_no_trace_until_seen_again() {
    let mut l = ledger(&[
        flags(day(0), Some(true), Some(true)),
        whole_list(BRAND, ListKind::Following, day(1), &[VIEWER.0, 7]),
    ]);
    l.forget(BRAND);
    assert!(!l.knows(BRAND));
    assert_eq!(l.find_handle("XDevelopers"), None);
    assert!(l.edges().all(|(a, b)| a != BRAND && b != BRAND));
    assert!(l
        .list(ListKey {
            owner: BRAND,
            kind: ListKind::Following
        })
        .is_none());
    l.ingest(VIEWER, &[flags(day(2), Some(true), Some(true))])
        .unwrap();
    assert!(l.knows(BRAND));
}

#[test]
fn a_follower_you_removed_or_blocked_did_not_unfollow_you() {
    for action in [OwnAction::RemoveFollower, OwnAction::Block] {
        let yours = [
            Observation::Account(AccountSighting {
                id: BRAND,
                at: day(3),
                by_you: Some(action),
                ..Default::default()
            }),
            Observation::Pair {
                from: BRAND,
                to: VIEWER,
                at: day(3),
                follows: false,
            },
        ];
        let seen = [
            flags(day(0), Some(true), Some(true)),
            flags(day(5), Some(false), Some(true)),
        ];
        // In either order of arrival.
        for obs in [
            [&seen[..], &yours[..]].concat(),
            [&yours[..], &seen[..]].concat(),
        ] {
            let l = ledger(&obs);
            let v = l.verdict(VIEWER, BRAND, day(6), Lang::En);
            assert_ne!(v.code, Code::UnfollowedYou, "{action:?}");
            let kinds: Vec<_> = l
                .events_with(VIEWER, BRAND)
                .iter()
                .map(|e| e.kind)
                .collect();
            assert!(
                kinds.contains(&reciprocity_core::EventKind::RemovedByYou),
                "{kinds:?}"
            );
            let s = l.summary(VIEWER, day(6), Lang::En);
            assert!(s.unfollowed_you.is_empty());
            assert_eq!(
                s.ended_otherwise[0].kind_text,
                "Follow ended: you removed or blocked it"
            );
        }
    }
}

#[test]
fn an_end_the_viewer_says_was_not_an_unfollow_no_longer_counts_as_one() {
    let seen = [
        flags(day(0), Some(true), Some(true)),
        flags(day(5), Some(false), Some(true)),
    ];
    let mut l = ledger(&seen);
    assert_eq!(
        l.verdict(VIEWER, BRAND, day(6), Lang::En).code,
        Code::UnfollowedYou
    );
    let end = l.events(BRAND, VIEWER, VIEWER)[0];
    l.mark_not_unfollow(BRAND, VIEWER, end.bounds.by).unwrap();
    let events = l.events(BRAND, VIEWER, VIEWER);
    assert_eq!(events[0].kind, reciprocity_core::EventKind::NotUnfollow);
    assert_ne!(
        l.verdict(VIEWER, BRAND, day(6), Lang::En).code,
        Code::UnfollowedYou
    );
    // The mark survives the store, and a later real unfollow still counts.
    let mut store = reciprocity_core::Store::new();
    *store.ledger_mut(Viewer::x(VIEWER.0)) = l.clone();
    let back = reciprocity_core::Store::from_bytes(&store.to_bytes()).unwrap();
    assert_eq!(back.ledger(Viewer::x(VIEWER.0)).unwrap(), &l);
    l.ingest(
        VIEWER,
        &[
            flags(day(8), Some(true), Some(true)),
            flags(day(12), Some(false), Some(true)),
        ],
    )
    .unwrap();
    assert_eq!(
        l.verdict(VIEWER, BRAND, day(13), Lang::En).code,
        Code::UnfollowedYou
    );
}

#[test]
fn beside_xs_own_follows_you_a_badge_says_what_x_does_not() {
    use reciprocity_core::Severity;
    // Followed since day 0: X's "Follows you" is repeated nowhere; since when is added.
    let follows = ledger(&[
        flags(day(0), Some(true), Some(false)),
        flags(day(4), Some(true), Some(false)),
    ]);
    let b = follows.badge(VIEWER, BRAND, day(5), Lang::En);
    assert_eq!(b.verdict.code, Code::FollowsYou);
    let beside = b.beside_x_follows_you.unwrap();
    assert_eq!(beside.label, "Seen since 2026-11-01");
    assert_eq!(beside.severity, Severity::Good);
    assert_eq!(
        follows
            .badge(VIEWER, BRAND, day(5), Lang::Fr)
            .beside_x_follows_you
            .unwrap()
            .label,
        "Vu depuis le 2026-11-01"
    );

    // The ledger saw it unfollow; X now shows "Follows you": X is the fresher word.
    let unfollowed = ledger(&[
        flags(day(0), Some(true), Some(true)),
        flags(day(12), Some(false), Some(true)),
    ]);
    let b = unfollowed.badge(VIEWER, BRAND, day(13), Lang::En);
    assert_eq!(b.verdict.code, Code::UnfollowedYou);
    let beside = b.beside_x_follows_you.unwrap();
    assert_eq!(beside.label, "Unfollowed you before");
    assert!(
        beside.text.starts_with(
            "X shows it follows you now. Before: Unfollowed you between 2026-11-01 and 2026-11-13"
        ),
        "{}",
        beside.text
    );

    // Never seen following: not contradicted, not repeated.
    let not_back = ledger(&[flags(day(0), Some(false), Some(true))]);
    let beside = not_back
        .badge(VIEWER, BRAND, day(1), Lang::En)
        .beside_x_follows_you
        .unwrap();
    assert_eq!(beside.label, "New: not seen yet");
    assert_eq!(beside.severity, Severity::Neutral);
}
