//! Follows dated by X itself, on the real captures: list cursors, fixed blocks,
//! notifications, and a brand's record from one look (derived copies named so).

mod common;

use common::*;
use reciprocity_capture::{read_envelope, Envelope};
use reciprocity_core::dating::{cursor_time, Dating, MAX_BLOCK};
use reciprocity_core::model::{ListKey, ListKind, Observation};
use reciprocity_core::record::State;
use reciprocity_core::time::{parse_rfc3339, Time, DAY, HOUR};
use reciprocity_core::Code;
use reciprocity_core::{AccountId, EventKind, Lang, Ledger};

/// X's epoch for snowflakes (ms).
const X_EPOCH_MS: i64 = 1_288_834_974_657;

fn id(s: &str) -> AccountId {
    s.parse().unwrap()
}

fn read_file(file: &str) -> Vec<u8> {
    std::fs::read(fixtures_dir().join(file))
        .or_else(|_| std::fs::read(data_dir().join("derived").join(file)))
        .unwrap()
}

/// The real page read as `owner`'s list page, captured at `at`.
fn page(file: &str, owner: &str, at: &str) -> reciprocity_capture::Reading {
    let vars = format!(r#"{{"userId":"{owner}","count":20}}"#);
    let env = envelope(operation_of(file), &vars, at, &read_file(file));
    read_envelope(&Envelope::from_json(&env).unwrap()).unwrap()
}

fn ingest(l: &mut Ledger, viewer: &str, r: &reciprocity_capture::Reading) {
    l.ingest(id(viewer), &r.observations).unwrap();
}

/// A page read as its owner's own: the users' flags are relative to the account
/// that captured it (not the owner), so they are left out.
fn as_own(r: &reciprocity_capture::Reading) -> Vec<Observation> {
    r.observations
        .iter()
        .cloned()
        .map(|o| match o {
            Observation::Account(mut s) => {
                s.follows_you = None;
                s.you_follow = None;
                s.blocked_you = None;
                Observation::Account(s)
            }
            other => other,
        })
        .collect()
}

/// The bottom cursor's two halves: `A` (the sort index) and the request's time
/// from the snowflake `B`, in seconds.
fn cursor_parts(bytes: &[u8]) -> (i64, i64) {
    fn bottom(v: &serde_json::Value) -> Option<String> {
        match v {
            serde_json::Value::Object(m) => {
                if m.get("cursorType").and_then(|t| t.as_str()) == Some("Bottom") {
                    return m.get("value").and_then(|v| v.as_str()).map(str::to_owned);
                }
                m.values().find_map(bottom)
            }
            serde_json::Value::Array(a) => a.iter().find_map(bottom),
            _ => None,
        }
    }
    let v = bottom(&serde_json::from_slice(bytes).unwrap()).unwrap();
    let (a, b) = v.split_once('|').unwrap();
    let b: i64 = b.parse().unwrap();
    (a.parse().unwrap(), ((b >> 22) + X_EPOCH_MS) / 1000)
}

fn list_captures() -> Vec<(String, Vec<u8>)> {
    real_captures()
        .into_iter()
        .filter(|(name, _)| name.contains("follow"))
        .collect()
}

#[test]
fn every_real_list_cursor_dates_a_plausible_time_newest_first() {
    let captures = list_captures();
    assert_eq!(captures.len(), 9);
    let mut lasts = Vec::new();
    for (name, bytes) in &captures {
        let (a, requested) = cursor_parts(bytes);
        let requested = Time(requested);
        let at = reciprocity_core::time::to_rfc3339(requested);
        let r = page(name, OWNER, &at);
        let p = r
            .observations
            .iter()
            .find_map(|o| match o {
                Observation::ListPage(p) => Some(p.clone()),
                _ => None,
            })
            .unwrap();
        let d = p.dating.expect("a real page's cursor carries a time");
        assert_eq!(d.last_ms, a >> 20, "{name}");
        assert!(d.first_page, "{name}");
        let t = cursor_time(&d, requested).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        if name.contains("followers") {
            // A busy account's last follower on the first page: hours before.
            assert!(requested - t < 12 * HOUR, "{name}: {}", requested - t);
        } else {
            assert!(t < requested - 365 * DAY, "{name}");
        }
        lasts.push((name.clone(), p.entries, t));
    }
    // Newest first: where another capture of the same list shows a page's last
    // entry above its own last entry, it began no earlier than that one did.
    let mut compared = 0;
    for (n1, e1, t1) in &lasts {
        for (n2, e2, t2) in &lasts {
            let same_list = n1.split_once('_').unwrap().1 == n2.split_once('_').unwrap().1;
            if n1 == n2 || !same_list {
                continue;
            }
            let last = e1.last().unwrap();
            if let Some(i) = e2.iter().position(|e| e == last) {
                if i + 1 == e2.len() {
                    assert_eq!(t1, t2, "{n1} and {n2} end on the same follow");
                } else {
                    assert!(t1 >= t2, "{n1} vs {n2}");
                }
                compared += 1;
            }
        }
    }
    assert_eq!(
        compared, 2,
        "2026-05-21's last follow is on both older pages"
    );
}

#[test]
fn a_followers_first_page_dates_its_last_follower_exactly_and_the_others_from_the_cursor() {
    // XDevelopers looking at its own followers (the real page of 2026-08-07).
    let mut l = Ledger::new();
    let r = page("2026-08-07_followers.json", OWNER, "2026-08-06T21:13:31Z");
    l.ingest(id(OWNER), &as_own(&r)).unwrap();
    let at = parse_rfc3339("2026-08-06T21:13:31Z").unwrap();
    let t = parse_rfc3339("2026-08-06T14:30:59Z").unwrap();
    let owner = id(OWNER);
    let entries = match &r.observations.last().unwrap() {
        Observation::ListPage(p) => p.entries.clone(),
        _ => unreachable!(),
    };
    assert_eq!(entries.len(), 69);
    for (i, &e) in entries.iter().enumerate() {
        let ev = l.events(e, owner, owner);
        assert_eq!(ev.len(), 1, "{ev:?}");
        assert_eq!(ev[0].kind, EventKind::Follow);
        assert_eq!(ev[0].bounds.after, Some(t - 1));
        let by = if i + 1 == entries.len() { t } else { at };
        assert_eq!(ev[0].bounds.by, by, "entry {i}");
    }
    let last = *entries.last().unwrap();
    let v = l.verdict(owner, last, at, Lang::En);
    assert_eq!(v.code, Code::FollowsYou);
    assert_eq!(
        v.text,
        "Follows you: followed at 2026-08-06 14:30:59 UTC (dated by the list itself)"
    );
    let fr = l.verdict(owner, last, at, Lang::Fr);
    assert!(fr
        .text
        .contains("le 2026-08-06 14:30:59 UTC (daté par la liste elle-même)"));
    let b = l.badge(owner, entries[30], at, Lang::En);
    assert!(
        b.verdict.text.contains("between 2026-08-06 and 2026-08-06")
            || b.verdict.text.contains("on 2026-08-06"),
        "{}",
        b.verdict.text
    );
    let r = l.track_record(owner, entries[0], at);
    assert_eq!(r.toward_you.follows_you.dated, Some(Dating::CursorTop));
    let r = l.track_record(owner, entries[MAX_BLOCK], at);
    assert_eq!(r.toward_you.follows_you.dated, Some(Dating::Cursor));
}

#[test]
fn two_real_looks_find_the_fixed_block_and_its_dates_give_way() {
    let mut l = Ledger::new();
    ingest(
        &mut l,
        VIEWER,
        &page("2024-02-10_following.json", OWNER, "2024-02-10T13:28:32Z"),
    );
    ingest(
        &mut l,
        VIEWER,
        &page("2025-03-07_following.json", OWNER, "2025-03-07T01:57:49Z"),
    );
    let owner = id(OWNER);
    let seg = l
        .list(ListKey {
            owner,
            kind: ListKind::Following,
        })
        .unwrap()
        .segments();
    assert!(seg.block_known);
    // X staff and @XEng kept on top for years (docs/design.md): ten of them sat
    // above the follows that arrived in between.
    let block = ["236209129", "156417821", "6844292"];
    for b in block {
        assert!(seg.block.contains(&id(b)), "{b} in {:?}", seg.block);
    }
    assert_eq!(seg.block.len(), 10, "{:?}", seg.block);
    // Their order-made dates are dropped: nothing says when they were followed.
    for b in block {
        let ev = l.events(owner, id(b), id(VIEWER));
        assert!(
            ev.iter().all(|e| e.kind != EventKind::Follow),
            "{b}: {ev:?}"
        );
    }
    // A follow that arrived between the looks is dated by the looks and the cursor.
    let arrival = id("251592845");
    let ev = l.events(owner, arrival, id(VIEWER));
    assert_eq!(ev.len(), 1);
    assert_eq!(ev[0].kind, EventKind::Follow);
    assert_eq!(ev[0].bounds.after, parse_rfc3339("2024-02-10T13:28:32Z"));
}

#[test]
fn notifications_date_a_follow_to_the_second_and_are_kept_after_it_ends() {
    let file = "NotificationsTimeline.DERIVED-from-twitterts-type.json";
    let env = envelope(
        "NotificationsTimeline",
        r#"{"timeline_type":"All","count":20}"#,
        "2026-11-22T10:00:00Z",
        &read_file(file),
    );
    let r = read_envelope(&Envelope::from_json(&env).unwrap()).unwrap();
    let notices: Vec<_> = r
        .observations
        .iter()
        .filter_map(|o| match o {
            Observation::FollowedYou {
                from, at_ms, alone, ..
            } => Some((from.to_string(), *at_ms, *alone)),
            _ => None,
        })
        .collect();
    assert_eq!(
        notices,
        [
            ("2085468248527532032".to_owned(), 1_795_000_000_123, true),
            ("2085459952357793792".to_owned(), 1_795_100_000_000, false),
            ("2085456873696776192".to_owned(), 1_795_100_000_000, false),
            ("2085455489597427712".to_owned(), 1_795_163_400_000, true),
        ],
        "the like is not a follow; the grouped notice is not exact"
    );
    let viewer = id(VIEWER);
    let mut l = Ledger::new();
    l.ingest(viewer, &r.observations).unwrap();
    let alone = id("2085468248527532032");
    let now = parse_rfc3339("2026-11-22T10:00:00Z").unwrap();
    let rec = l.track_record(viewer, alone, now);
    assert_eq!(rec.toward_you.follows_you.state, State::Yes);
    assert_eq!(rec.toward_you.follows_you.dated, Some(Dating::Notice));
    let v = l.verdict(viewer, alone, now, Lang::En);
    assert_eq!(
        v.text,
        "Follows you: followed at 2026-11-18 11:06:40 UTC (X's notification)"
    );
    // Grouped: kept, but it dates nothing (X's flag says it follows, that is all).
    let grouped = id("2085459952357793792");
    assert_eq!(
        l.dated_starts(grouped, viewer)[0].how,
        Dating::GroupedNotice
    );
    assert_eq!(l.dated_starts(grouped, viewer)[0].after, None);
    let g = l.track_record(viewer, grouped, now).toward_you.follows_you;
    assert_eq!((g.state, g.since_after, g.dated), (State::Yes, None, None));
    // It unfollows four days later (a profile seen without `followed_by`): the
    // stint is exact at its start, and the notice is still there.
    l.ingest(
        viewer,
        &[Observation::Account(reciprocity_core::AccountSighting {
            id: alone,
            at: now + DAY,
            follows_you: Some(false),
            ..Default::default()
        })],
    )
    .unwrap();
    let now = now + DAY;
    let rec = l.track_record(viewer, alone, now);
    let s = rec.toward_you.unfollowed_you.expect("an unfollow");
    assert_eq!(s.started.by, Time(1_795_000_000));
    assert_eq!(s.started.after, Some(Time(1_795_000_000 - 1)));
    assert!(s.is_quick());
    assert_eq!(
        l.verdict(viewer, alone, now, Lang::En).code,
        Code::UnfollowedYou
    );

    // The same notice read again, or in another order, changes nothing.
    let mut twice = Ledger::new();
    let mut obs = r.observations.clone();
    obs.reverse();
    twice.ingest(viewer, &obs).unwrap();
    twice.ingest(viewer, &r.observations).unwrap();
    let mut once = Ledger::new();
    once.ingest(viewer, &r.observations).unwrap();
    assert_eq!(once, twice);
}

/// A brand seen once on its Following page (60 follows since three days before),
/// its profile a week before and a week after.
fn one_look(after_count_file: &str) -> (Ledger, AccountId, Time) {
    let mut l = Ledger::new();
    let profile = |file: &str, at: &str| {
        let env = envelope(
            "UserByScreenName",
            r#"{"screen_name":"XDevelopers"}"#,
            at,
            &read_file(file),
        );
        read_envelope(&Envelope::from_json(&env).unwrap()).unwrap()
    };
    ingest(
        &mut l,
        VIEWER,
        &profile(
            "2025-03-07_user_by_login.DERIVED-following-500.json",
            "2025-02-28T12:00:00Z",
        ),
    );
    // Opening its Following list shows its profile first, as x.com does: that
    // sample starts after the dated follows and must not hide them.
    ingest(
        &mut l,
        VIEWER,
        &profile(
            "2025-03-07_user_by_login.DERIVED-following-500.json",
            "2025-03-07T11:59:00Z",
        ),
    );
    ingest(
        &mut l,
        VIEWER,
        &page(
            "2025-03-07_following.DERIVED-cursor-3-days-before.json",
            OWNER,
            "2025-03-07T12:00:00Z",
        ),
    );
    ingest(
        &mut l,
        VIEWER,
        &profile(after_count_file, "2025-03-14T12:00:00Z"),
    );
    (l, id(OWNER), parse_rfc3339("2025-03-14T13:00:00Z").unwrap())
}

#[test]
fn one_look_and_two_profile_sightings_bound_what_a_brand_dropped() {
    let (l, brand, now) = one_look("2025-03-07_user_by_login.DERIVED-following-500.json");
    let r = l.track_record(id(VIEWER), brand, now);
    let d = r.departures.expect("departures proven");
    // 60 follows dated since 2025-03-04; the top 20 of the first page may be a
    // fixed block and are not counted against it.
    assert_eq!(
        (d.joins, d.count_before, d.count_after, d.at_least),
        (40, 500, 500, 40)
    );
    let v = l.verdict(id(VIEWER), brand, now, Lang::En);
    assert_eq!(v.code, Code::FollowChurn);
    assert_eq!(
        v.text,
        "Followed at least 40 accounts between 2025-02-28 and 2025-03-14 while its following count did not move: at least 40 left its following (unfollowed, or the accounts were closed)"
    );
    let kinds: Vec<_> = v.evidence.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [
            "departures",
            "following_count",
            "following_look",
            "following_count"
        ]
    );
    assert!(
        v.evidence[2].text.contains("2025-03-07"),
        "{}",
        v.evidence[2].text
    );
    let fr = l.verdict(id(VIEWER), brand, now, Lang::Fr);
    assert!(
        fr.text.starts_with("A suivi au moins 40 comptes"),
        "{}",
        fr.text
    );

    // Its count rose by all it followed: nothing left, nothing said.
    let (l, brand, now) = one_look("2025-03-07_user_by_login.DERIVED-following-560.json");
    assert_eq!(l.track_record(id(VIEWER), brand, now).departures, None);
    assert_ne!(
        l.verdict(id(VIEWER), brand, now, Lang::En).code,
        Code::FollowChurn
    );
}

#[test]
fn a_brand_with_no_look_at_its_following_says_how_to_get_a_record() {
    let mut l = Ledger::new();
    let env = envelope(
        "UserByScreenName",
        r#"{"screen_name":"XDevelopers"}"#,
        "2026-08-07T12:00:00Z",
        &read_file("2026-08-07_user_by_login.json"),
    );
    ingest(
        &mut l,
        VIEWER,
        &read_envelope(&Envelope::from_json(&env).unwrap()).unwrap(),
    );
    let now = parse_rfc3339("2026-08-07T13:00:00Z").unwrap();
    let v = l.verdict(id(VIEWER), id(OWNER), now, Lang::En);
    let hints: Vec<_> = v
        .evidence
        .iter()
        .filter(|e| e.kind == "no_record")
        .collect();
    assert_eq!(hints.len(), 1);
    assert!(hints[0]
        .text
        .starts_with("No record yet: open its Following list"));
    // Once its Following was looked at, the hint goes.
    ingest(
        &mut l,
        VIEWER,
        &page("2026-05-21_following.json", OWNER, "2026-08-07T12:30:00Z"),
    );
    let v = l.verdict(id(VIEWER), id(OWNER), now, Lang::En);
    assert!(v.evidence.iter().all(|e| e.kind != "no_record"));
}

/// The dated Following page with the entries at `positions` taken out (a derived
/// copy, made here): a second look at which they are gone.
fn without_entries(file: &str, positions: &[usize]) -> Vec<u8> {
    let mut doc: serde_json::Value = serde_json::from_slice(&read_file(file)).unwrap();
    fn entries(v: &mut serde_json::Value) -> Option<&mut Vec<serde_json::Value>> {
        match v {
            serde_json::Value::Object(m) => {
                if m.get("type").and_then(|t| t.as_str()) == Some("TimelineAddEntries") {
                    return m.get_mut("entries").and_then(|e| e.as_array_mut());
                }
                m.values_mut().find_map(entries)
            }
            serde_json::Value::Array(a) => a.iter_mut().find_map(entries),
            _ => None,
        }
    }
    let list = entries(&mut doc).unwrap();
    let users: Vec<usize> = (0..list.len())
        .filter(|&i| {
            list[i]["entryId"]
                .as_str()
                .is_some_and(|e| e.starts_with("user-"))
        })
        .collect();
    let gone: Vec<usize> = positions.iter().map(|&p| users[p]).collect();
    let mut i = 0;
    list.retain(|_| {
        i += 1;
        !gone.contains(&(i - 1))
    });
    serde_json::to_vec(&doc).unwrap()
}

/// Two looks three days apart at a Following page dated three days before the
/// first: five accounts gone from the second were followed at most six days.
fn two_looks(gone: &[usize]) -> (Ledger, AccountId, Time) {
    let file = "2025-03-07_following.DERIVED-cursor-3-days-before.json";
    let vars = format!(r#"{{"userId":"{OWNER}","count":20}}"#);
    let mut l = Ledger::new();
    ingest(&mut l, VIEWER, &page(file, OWNER, "2025-03-07T12:00:00Z"));
    let second = envelope(
        "Following",
        &vars,
        "2025-03-10T12:00:00Z",
        &without_entries(file, gone),
    );
    ingest(
        &mut l,
        VIEWER,
        &read_envelope(&Envelope::from_json(&second).unwrap()).unwrap(),
    );
    (l, id(OWNER), parse_rfc3339("2025-03-10T13:00:00Z").unwrap())
}

#[test]
fn dated_follows_that_leave_soon_after_are_quick_drops() {
    let (l, brand, now) = two_looks(&[25, 27, 30, 33, 40]);
    let r = l.track_record(id(VIEWER), brand, now);
    assert_eq!(r.toward_others.left_list_seen, 5);
    assert_eq!(r.toward_others.quick_drops, 5);
    let v = l.verdict(id(VIEWER), brand, now, Lang::En);
    assert_eq!(v.code, Code::FlushesOthers);
    assert!(
        v.text
            .starts_with("Dropped 5 accounts from its following within 30 days"),
        "{}",
        v.text
    );
    // Each drop says when it followed and when it left.
    let drop = v.evidence.iter().find(|e| e.kind == "quick_drop").unwrap();
    assert_eq!(drop.value, Some(6), "at most six days: {}", drop.text);
    assert!(
        drop.text.ends_with("· followed after 2025-03-04"),
        "{}",
        drop.text
    );

    // The same drops at the top of the first page, where a fixed block may sit:
    // their start rests on X's order alone, and says nothing of how quick.
    let (l, brand, now) = two_looks(&[1, 3, 5, 7, 9]);
    let r = l.track_record(id(VIEWER), brand, now);
    assert_eq!(r.toward_others.left_list_seen, 5);
    assert_eq!(r.toward_others.quick_drops, 0);
    assert_ne!(
        l.verdict(id(VIEWER), brand, now, Lang::En).code,
        Code::FlushesOthers
    );
}
