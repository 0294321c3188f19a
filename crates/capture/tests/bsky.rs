//! The Bluesky readers on real recordings of bsky.app's reads (tests/fixtures/
//! bluesky, licences and sources there), and on derived copies for the cases they
//! lack (named so).

mod common;

use reciprocity_capture::bsky::{self, tid::Tid, Sort};
use reciprocity_core::model::ListKind;
use reciprocity_core::time::{parse_rfc3339, Time};
use serde_json::Value;
use std::path::PathBuf;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/bluesky")
}

/// A recording: its request URL, when it was recorded, and its body's bytes.
fn recording(file: &str) -> (String, Time, Vec<u8>) {
    let v: Value = serde_json::from_slice(&std::fs::read(dir().join(file)).unwrap()).unwrap();
    let url = v["_source"]["request"]["uri"]
        .as_str()
        .unwrap_or("https://bsky.social/xrpc/none")
        .to_owned();
    // "2025-05-19 17:41:25", UTC; the snapshots have none.
    let at = v["_source"]["recorded_at"]
        .as_str()
        .and_then(|s| parse_rfc3339(&format!("{}Z", s.replace(' ', "T"))))
        .unwrap_or(Time(1_747_676_485));
    (url, at, serde_json::to_vec(&v["body"]).unwrap())
}

fn time(s: &str) -> Time {
    parse_rfc3339(s).unwrap()
}

#[test]
fn a_profile_says_since_when_it_follows_you_from_its_follow_records_key() {
    let (url, at, body) = recording("01_getProfiles_2025-05_authed.json");
    assert_eq!(at, time("2025-05-19T17:41:25Z"));
    let r = bsky::read(&url, &body, at).unwrap();
    assert_eq!(r.operation, "app.bsky.actor.getProfiles");
    let a = &r.actors[0];
    assert_eq!(a.did, "did:plc:wpe35pganb6d4pg4ekmfy6u5");
    assert_eq!(a.handle.as_deref(), Some("chriskenny.bsky.social"));
    let rel = a.relation.as_ref().unwrap();
    // Its follow of the viewer: key 3kchl2sce7p2i, 2023-10-24T01:28:28.934325Z.
    let by = rel.followed_by.as_ref().unwrap();
    assert_eq!(
        (by.author.as_str(), by.key.as_str()),
        ("did:plc:wpe35pganb6d4pg4ekmfy6u5", "3kchl2sce7p2i")
    );
    assert_eq!(by.started, Some(time("2023-10-24T01:28:28Z")));
    // The viewer's follow of it: key 3lpcvwevybs2p, 2025-05-16T20:53:16.397816Z.
    let mine = rel.following.as_ref().unwrap();
    assert_eq!(mine.author, "did:plc:5c2r73erhng4bszmxlfdtscf");
    assert_eq!(mine.started, Some(time("2025-05-16T20:53:16Z")));
    assert!(!rel.blocked_by && !rel.blocking);
}

#[test]
fn a_latest_list_page_is_dated_by_its_cursor_and_a_top_one_is_not() {
    let (url, at, body) = recording("02_getFollowers_2025-05_other_actor.json");
    let r = bsky::read(&url, &body, at).unwrap();
    let page = r.list.as_ref().unwrap();
    assert_eq!(
        (page.owner.as_str(), page.kind, page.sort),
        (
            "did:plc:wpe35pganb6d4pg4ekmfy6u5",
            ListKind::Followers,
            Sort::Latest
        )
    );
    assert_eq!(page.entries.len(), 48);
    assert_eq!(page.next_cursor.as_deref(), Some("3lktasir3le2j"));
    // The first page: its rows followed between the next cursor's instant
    // (2025-03-20T17:44:35Z) and the moment it was seen.
    assert_eq!(page.dated, Some((time("2025-03-20T17:44:35Z"), at)));
    // The same page asked with `sort=top` (derived URL): ranked, nothing dated.
    let top = bsky::read(&format!("{url}&sort=top"), &body, at).unwrap();
    assert_eq!(top.list.as_ref().unwrap().sort, Sort::Top);
    assert_eq!(top.list.unwrap().dated, None);
    // A later page (derived URL: the cursor of a page asked for) is bounded above by it.
    let later = bsky::read(&format!("{url}&cursor=3lpcvwevybs2p"), &body, at).unwrap();
    assert_eq!(
        later.list.unwrap().dated,
        Some((time("2025-03-20T17:44:35Z"), time("2025-05-16T20:53:16Z")))
    );
    // Follows: the same shape, the other list.
    let (url, at, body) = recording("03_getFollows_2025-05_other_actor.json");
    let follows = bsky::read(&url, &body, at).unwrap().list.unwrap();
    assert_eq!(follows.kind, ListKind::Following);
    assert_eq!(
        follows.dated.map(|d| d.0),
        Some(time("2024-12-01T19:44:54Z"))
    );
}

#[test]
fn every_real_follow_notice_is_dated_within_two_seconds_of_its_record() {
    let (url, at, body) = recording("05_listNotifications_2025-05_with_follow_records.json");
    let r = bsky::read(&url, &body, at).unwrap();
    assert_eq!(r.follow_notices.len(), 17);
    for n in &r.follow_notices {
        let key = Tid::parse(&n.follow.key).unwrap().seconds();
        let created = n.created_at.unwrap();
        assert!(
            (key - created).abs() <= 2,
            "{}: key {key}, createdAt {created}",
            n.follow.uri
        );
        assert_eq!(n.follow.started, Some(key.min(created)));
        assert_eq!(n.follow.author, n.follower.did);
    }
}

#[test]
fn relationships_name_both_follow_records() {
    let (url, at, body) = recording("04_getRelationships_2025-05.json");
    let r = bsky::read(&url, &body, at).unwrap();
    let (of, other, following, followed_by) = &r.relationships[0];
    assert_eq!(
        (of.as_str(), other.as_str()),
        (
            "did:plc:wpe35pganb6d4pg4ekmfy6u5",
            "did:plc:5c2r73erhng4bszmxlfdtscf"
        )
    );
    assert_eq!(following.as_ref().unwrap().key, "3kchl2sce7p2i");
    assert_eq!(followed_by.as_ref().unwrap().key, "3lpcvwevybs2p");
}

#[test]
fn the_reference_appviews_shapes_read_and_date_nothing_they_cannot() {
    // Snapshots: DIDs are `user(n)`, URIs `record(n)`, times zeroed.
    for (file, nsid) in [
        (
            "07_refappview_getFollowers_snapshot.json",
            "app.bsky.graph.getFollowers",
        ),
        (
            "09_refappview_getProfile_with_follow_snapshot.json",
            "app.bsky.actor.getProfile",
        ),
    ] {
        let (_, _, body) = recording(file);
        let r = bsky::read(
            &format!("https://pds.example.org/xrpc/{nsid}?actor=x"),
            &body,
            Time(1_790_000_000),
        )
        .unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(!r.actors.is_empty(), "{file}");
        for a in &r.actors {
            let rel = a.relation.clone().unwrap_or_default();
            // `record(n)` is no AT-URI: no follow, no date.
            assert!(
                rel.followed_by.is_none() && rel.following.is_none(),
                "{file}"
            );
        }
    }
}

#[test]
fn a_session_gives_its_did_and_handle_and_nothing_of_its_tokens() {
    // Derived: the shape of a refreshSession response, with made-up tokens.
    let body = br#"{"did":"did:plc:5c2r73erhng4bszmxlfdtscf","handle":"bskyr.bsky.social","accessJwt":"eyJ-SECRET-ACCESS","refreshJwt":"eyJ-SECRET-REFRESH","email":"x@example.org","active":true}"#;
    let r = bsky::read(
        "https://morel.us-east.host.bsky.network/xrpc/com.atproto.server.refreshSession",
        body,
        Time(1_790_000_000),
    )
    .unwrap();
    assert_eq!(
        r.session,
        Some((
            "did:plc:5c2r73erhng4bszmxlfdtscf".into(),
            Some("bskyr.bsky.social".into())
        ))
    );
    let kept = format!("{r:?}");
    assert!(
        !kept.contains("SECRET") && !kept.contains("example.org"),
        "{kept}"
    );
}

#[test]
fn only_the_listed_reads_are_collected_whatever_the_host() {
    for url in [
        "https://bsky.social/xrpc/app.bsky.actor.getProfile?actor=a",
        "https://public.api.bsky.app/xrpc/app.bsky.graph.getFollows?actor=a&limit=30",
        "https://pds.my-own-domain.example/xrpc/app.bsky.notification.listNotifications",
        "https://bsky.social/xrpc/app.bsky.feed.getTimeline",
        "https://bsky.social/xrpc/app.bsky.feed.searchPosts?q=a",
    ] {
        assert!(bsky::collected(url), "{url}");
    }
    for url in [
        "https://bsky.social/xrpc/app.bsky.feed.getActorLikes",
        "https://bsky.social/xrpc/com.atproto.repo.createRecord",
        "http://bsky.social/xrpc/app.bsky.actor.getProfile",
        "https://bsky.social/app.bsky.actor.getProfile",
        "https://bsky.social/xrpc/app.bsky.actor.getProfile/extra",
    ] {
        assert!(!bsky::collected(url), "{url}");
        assert!(
            bsky::read(url, b"{}", Time(1_790_000_000)).is_err(),
            "{url}"
        );
    }
}

#[test]
fn a_malformed_response_is_an_error_not_a_panic() {
    for body in [
        &b""[..],
        b"{",
        b"[]",
        br#"{"profiles":[{"handle":"no did"}]}"#,
        br#"{"notifications":7}"#,
    ] {
        for nsid in bsky::from_the_page().chain(bsky::SESSIONS) {
            let _ = bsky::read(
                &format!("https://bsky.social/xrpc/{nsid}"),
                body,
                Time(1_790_000_000),
            );
        }
    }
    assert!(bsky::read(
        "https://bsky.social/xrpc/app.bsky.actor.getProfiles",
        b"{",
        Time(1)
    )
    .is_err());
}

#[test]
fn a_real_jetstream_feed_gives_its_one_follow_and_skips_the_rest() {
    use reciprocity_capture::bsky::jetstream::{read_lines, Change};
    let text = std::fs::read_to_string(dir().join("jetstream/jetstream_golden_v1.jsonl")).unwrap();
    let events = read_lines(&text);
    assert_eq!(events.len(), 1, "{events:?}");
    let (line, e) = &events[0];
    let e = e.as_ref().unwrap();
    assert_eq!(*line, 4);
    assert_eq!(
        (e.author.as_str(), e.key.as_str()),
        ("did:plc:mxwlsvdgs6tn75lq6jrr2vp7", "3mmoojocxvr2s")
    );
    let Change::Created { subject, started } = &e.change else {
        panic!("{e:?}")
    };
    assert_eq!(subject, "did:plc:anc6s2kher6ltrhhglxrzxsa");
    // createdAt 2026-05-25T14:23:27.319Z; its key's instant is within a second.
    let started = started.unwrap();
    assert!(
        (time("2026-05-25T14:23:26Z")..=time("2026-05-25T14:23:27Z")).contains(&started),
        "{started}"
    );
    // Derived: the same follow deleted a week later ends it, dated by the stream.
    let deleted = r#"{"did":"did:plc:mxwlsvdgs6tn75lq6jrr2vp7","time_us":1780323809000000,"kind":"commit","commit":{"rev":"3mmzzz","operation":"delete","collection":"app.bsky.graph.follow","rkey":"3mmoojocxvr2s"}}"#;
    let events = read_lines(&format!("{text}{deleted}\nnot json\n"));
    assert_eq!(events.len(), 3);
    let end = events[1].1.as_ref().unwrap();
    assert_eq!(end.seen, Time(1_780_323_809));
    assert!(matches!(end.change, Change::Deleted { started: Some(s) } if s == started));
    assert!(events[2].1.is_err() && events[2].0 == 12);
}

// ----- into the ledger -----

use reciprocity_capture::{read_envelope, Envelope};
use reciprocity_core::dating::Dating;
use reciprocity_core::{AccountId, Code, Lang, Ledger};

/// The viewer of the recordings (bskyr) and the account it looks at.
const BSKYR: &str = "did:plc:5c2r73erhng4bszmxlfdtscf";
const CHRIS: &str = "did:plc:wpe35pganb6d4pg4ekmfy6u5";

/// A recording as the worker would journal it: a `bsky` envelope.
fn envelope_of(file: &str, edit: impl Fn(&mut Value)) -> (Envelope, Time) {
    let v: Value = serde_json::from_slice(&std::fs::read(dir().join(file)).unwrap()).unwrap();
    let (url, at, _) = recording(file);
    let mut body = v["body"].clone();
    edit(&mut body);
    let text = serde_json::json!({
        "platform": "bsky", "viewer": BSKYR, "at": reciprocity_core::time::to_rfc3339(at),
        "method": "GET", "url": url, "status": 200, "body": body,
    })
    .to_string();
    (Envelope::from_json(&text).unwrap(), at)
}

fn ingest(ledger: &mut Ledger, env: &Envelope) {
    let r = read_envelope(env).unwrap();
    assert_eq!(r.platform, reciprocity_core::model::Platform::Bsky);
    assert_eq!(r.viewer, Some(AccountId::of_did(BSKYR)));
    ledger
        .ingest(AccountId::of_did(BSKYR), &r.observations)
        .unwrap();
}

#[test]
fn a_profile_that_follows_you_says_since_when_to_the_second() {
    let (env, at) = envelope_of("01_getProfiles_2025-05_authed.json", |_| {});
    let mut l = Ledger::new();
    ingest(&mut l, &env);
    let (me, chris) = (AccountId::of_did(BSKYR), AccountId::of_did(CHRIS));
    let rec = l.track_record(me, chris, at);
    assert_eq!(
        rec.toward_you.follows_you.since,
        Some(time("2023-10-24T01:28:28Z"))
    );
    assert_eq!(
        rec.toward_you.follows_you.since_after,
        Some(time("2023-10-24T01:28:27Z"))
    );
    assert_eq!(rec.toward_you.follows_you.dated, Some(Dating::RecordKey));
    let v = l.verdict(me, chris, at, Lang::En);
    assert_eq!(v.code, Code::Mutual);
    // The evidence says the second; the badge beside "Follows you", the day.
    let line = serde_json::to_string(&l.annotate(me, chris, at, Lang::En)).unwrap();
    assert!(
        line.contains("Followed you: at 2023-10-24 01:28:28 UTC"),
        "{line}"
    );
    let badge = serde_json::to_string(&l.badge(me, chris, at, Lang::En)).unwrap();
    assert!(badge.contains("Since 2023-10-24"), "{badge}");
    // Named by its DID or its handle.
    assert_eq!(l.resolve(CHRIS), Some(chris));
    assert_eq!(l.resolve("@chriskenny.bsky.social"), Some(chris));
}

#[test]
fn a_follow_gone_a_week_later_is_an_unfollow_with_its_exact_start() {
    let (seen, first) = envelope_of("01_getProfiles_2025-05_authed.json", |_| {});
    // Derived: the same profile a week later, its follow of the viewer gone.
    let (mut gone, _) = envelope_of("01_getProfiles_2025-05_authed.json", |b| {
        b["profiles"][0]["viewer"]
            .as_object_mut()
            .unwrap()
            .remove("followedBy");
    });
    gone.at = first + 7 * reciprocity_core::time::DAY;
    let mut l = Ledger::new();
    // In either order, the same ledger.
    ingest(&mut l, &gone);
    ingest(&mut l, &seen);
    let (me, chris) = (AccountId::of_did(BSKYR), AccountId::of_did(CHRIS));
    let v = l.verdict(me, chris, gone.at, Lang::En);
    assert_eq!(v.code, Code::UnfollowedYou);
    let rec = l.track_record(me, chris, gone.at);
    let stint = rec.toward_you.unfollowed_you.unwrap();
    assert_eq!(stint.started.by, time("2023-10-24T01:28:28Z"));
    assert_eq!((stint.ended.after, stint.ended.by), (Some(first), gone.at));
}

#[test]
fn a_jetstream_feed_and_the_live_reads_give_the_same_follow() {
    // Derived from the recordings: chriskenny's follow of bskyr (key
    // 3kchl2sce7p2i) as Jetstream would carry its creation, then its deletion.
    let create = format!(
        r#"{{"did":"{CHRIS}","time_us":1698110909500000,"kind":"commit","commit":{{"rev":"3kchl2sce7p2i","operation":"create","collection":"app.bsky.graph.follow","rkey":"3kchl2sce7p2i","record":{{"$type":"app.bsky.graph.follow","createdAt":"2023-10-24T01:28:28.900Z","subject":"{BSKYR}"}},"cid":"bafy"}}}}"#
    );
    let me = AccountId::of_did(BSKYR);
    let chris = AccountId::of_did(CHRIS);
    let mut fed = Ledger::new();
    for (_, r) in reciprocity_capture::bsky::jetstream::readings(&create, me) {
        fed.ingest(me, &r.unwrap().observations).unwrap();
    }
    let (env, at) = envelope_of("01_getProfiles_2025-05_authed.json", |_| {});
    let mut live = Ledger::new();
    ingest(&mut live, &env);
    assert_eq!(fed.dated_starts(chris, me), live.dated_starts(chris, me));
    assert_eq!(
        fed.track_record(me, chris, at).toward_you.follows_you.since,
        live.track_record(me, chris, at)
            .toward_you
            .follows_you
            .since
    );
    // Deleted a week later (rev 3kcv…, a TID of that instant): an unfollow, exact
    // to its commit's second.
    let week_later = Tid::new((1_698_110_908_u64 + 7 * 86_400) * 1_000_000, 0).to_string();
    let delete = format!(
        r#"{{"did":"{CHRIS}","time_us":{},"kind":"commit","commit":{{"rev":"{week_later}","operation":"delete","collection":"app.bsky.graph.follow","rkey":"3kchl2sce7p2i"}}}}"#,
        (1_698_110_908_u64 + 7 * 86_400 + 2) * 1_000_000
    );
    let mut both = Ledger::new();
    for (_, r) in
        reciprocity_capture::bsky::jetstream::readings(&format!("{delete}\n{create}\n"), me)
    {
        both.ingest(me, &r.unwrap().observations).unwrap();
    }
    let now = Time(1_698_110_908 + 30 * 86_400);
    let stint = both
        .track_record(me, chris, now)
        .toward_you
        .unfollowed_you
        .unwrap();
    assert_eq!(stint.started.by, time("2023-10-24T01:28:28Z"));
    assert_eq!(stint.ended.by, Time(1_698_110_908 + 7 * 86_400));
    assert_eq!(
        stint.ended.after,
        Some(Time(1_698_110_908 + 7 * 86_400 - 1))
    );
    assert_eq!(
        both.verdict(me, chris, now, Lang::En).code,
        Code::UnfollowedYou
    );
}

#[test]
fn a_top_sorted_list_dates_nothing_and_proves_no_order() {
    // How many of a page's rows the ledger dated a follow of the owner for.
    let dated_rows = |env: &Envelope| {
        let r = read_envelope(env).unwrap();
        let mut l = Ledger::new();
        l.ingest(AccountId::of_did(BSKYR), &r.observations).unwrap();
        let page = r
            .observations
            .iter()
            .find_map(|o| match o {
                reciprocity_core::Observation::ListPage(p) => Some(p.clone()),
                _ => None,
            })
            .unwrap();
        let n = page
            .entries
            .iter()
            // The viewer's own follow of the owner is dated by its record, not the page.
            .filter(|&&e| e != AccountId::of_did(BSKYR))
            .filter(|&&e| !l.dated_starts(e, page.list.owner).is_empty())
            .count();
        (page, n)
    };
    let (mut env, _) = envelope_of("02_getFollowers_2025-05_other_actor.json", |_| {});
    env.url.push_str("&sort=top");
    let (page, dated) = dated_rows(&env);
    assert_eq!(
        page.position,
        reciprocity_core::model::PagePosition::Partial
    );
    assert_eq!(page.dating, None);
    assert_eq!(dated, 0);
    // Under `latest`, the same page is a walk page whose cursor dates its rows.
    let (env, _) = envelope_of("02_getFollowers_2025-05_other_actor.json", |_| {});
    let (page, dated) = dated_rows(&env);
    assert!(matches!(
        page.position,
        reciprocity_core::model::PagePosition::Walk { .. }
    ));
    assert!(dated > 0, "{dated}");
}

#[test]
fn a_page_whose_cursors_fail_their_checks_dates_nothing() {
    let dated = |url_tail: &str, edit: &dyn Fn(&mut Value)| {
        let (mut env, _) = envelope_of("02_getFollowers_2025-05_other_actor.json", edit);
        env.url.push_str(url_tail);
        let r = read_envelope(&env).unwrap();
        r.observations.iter().find_map(|o| match o {
            reciprocity_core::Observation::ListPage(p) => Some(p.dating),
            _ => None,
        })
    };
    // The real page: dated by its next cursor, a plausible key.
    assert!(dated("", &|_| {}).unwrap().is_some());
    // Derived: a next cursor whose key says 2010 (before the network), or one
    // in the future, dates nothing.
    for next in [
        Tid::new(1_262_304_000_000_000, 0).to_string(),
        Tid::new(1_900_000_000_000_000, 0).to_string(),
    ] {
        let edit = move |b: &mut Value| b["cursor"] = Value::from(next.clone());
        assert_eq!(dated("", &edit), Some(None));
    }
    // Derived: asked with a cursor that is no record key: no bound above, so no date.
    assert_eq!(dated("&cursor=not-a-key", &|_| {}), Some(None));
}

#[test]
fn a_list_page_far_larger_than_any_is_refused() {
    // Derived: a real page's rows repeated to 600 (a followers list, the likes
    // of a post, and a search's posts: the last two read for their accounts).
    for (file, rows) in [
        ("02_getFollowers_2025-05_other_actor.json", "followers"),
        ("12_getLikes_2025-05.json", "likes"),
        ("15_searchPosts_2025-05.json", "posts"),
    ] {
        let (env, _) = envelope_of(file, |b| {
            let real = b[rows].as_array().unwrap().clone();
            b[rows] = Value::from(
                (0..600)
                    .map(|i| real[i % real.len()].clone())
                    .collect::<Vec<_>>(),
            );
        });
        assert!(
            matches!(
                read_envelope(&env),
                Err(reciprocity_capture::CaptureError::PageTooLarge { .. })
            ),
            "{file}"
        );
    }
}

#[test]
fn an_unfollow_of_a_follow_the_feed_does_not_hold_teaches_nothing_and_is_not_refused() {
    // Derived: a delete whose create came before the file.
    let delete = format!(
        r#"{{"did":"{CHRIS}","time_us":1698715710000000,"kind":"commit","commit":{{"rev":"3kchl2sce7p2i","operation":"delete","collection":"app.bsky.graph.follow","rkey":"3kchl2sce7p2i"}}}}"#
    );
    let read = reciprocity_capture::bsky::jetstream::readings(&delete, AccountId::of_did(BSKYR));
    assert_eq!(read.len(), 1);
    let r = read[0].1.as_ref().unwrap();
    assert!(r.observations.is_empty(), "{r:?}");
    assert!(r.operation.contains("whom: unknown"));
}

#[test]
fn the_page_hook_copies_exactly_the_reads_the_worker_keeps_and_never_a_session() {
    let mut in_worker: Vec<&str> = bsky::from_the_page().collect();
    in_worker.sort_unstable();
    assert_eq!(common::hook_list("BSKY_OPERATIONS"), in_worker);
    for nsid in bsky::from_the_page() {
        assert!(bsky::is_read(nsid), "{nsid} has a reader");
        assert!(bsky::collected_from_page(&format!(
            "https://morel.us-east.host.bsky.network/xrpc/{nsid}?x=1"
        )));
    }
    for session in bsky::SESSIONS {
        let url = format!("https://bsky.social/xrpc/{session}");
        assert!(
            bsky::collected(&url),
            "the CLI reads {session}'s did and handle"
        );
        assert!(
            !bsky::collected_from_page(&url),
            "a tab's {session} is never kept"
        );
    }
    assert!(bsky::is_list_page(
        "https://public.api.bsky.app/xrpc/app.bsky.graph.getFollowers?actor=a&limit=30&sort=top"
    ));
    assert!(!bsky::is_list_page(
        "https://public.api.bsky.app/xrpc/app.bsky.actor.getProfile?actor=a"
    ));
}

// ----- repository exports (.car) -----

fn repo_car() -> Vec<u8> {
    std::fs::read(dir().join("jetstream/jetstream_corpus_repo.car")).unwrap()
}

/// The follow records the corpus lists beside its CAR: (record key, CID).
fn expected_follows() -> Vec<String> {
    std::fs::read_to_string(dir().join("jetstream/jetstream_corpus_car_expected_records.tsv"))
        .unwrap()
        .lines()
        .filter_map(|l| l.strip_prefix("app.bsky.graph.follow/"))
        .map(|l| l.split('\t').next().unwrap().to_owned())
        .collect()
}

#[test]
fn a_real_repository_export_gives_its_owners_follows_with_their_keys_and_dates() {
    use bsky::car;
    let export = car::read_repo(&repo_car()).unwrap();
    assert_eq!(export.did, "did:plc:53iucmf5ldftgqyf2ac7hmhd");
    let keys: Vec<&str> = export.follows.iter().map(|f| f.key.as_str()).collect();
    assert_eq!(keys, expected_follows());
    assert_eq!(
        export.follows[0].subject,
        "did:plc:z72i7hdynmk6r22z27h6tvur"
    );
    assert_eq!(
        export.follows[0].created_at,
        Some(time("2025-05-29T11:49:08Z"))
    );
    // Its revision is a TID: when the export was true.
    let at = export.at().expect("a TID revision");
    assert!(at > time("2025-07-07T21:08:00Z"), "{at:?}");
    // A revision from before the network (a derived copy) dates nothing.
    let mut early = export.clone();
    early.rev = Tid::new(1_600_000_000_000_000, 0).to_string();
    assert_eq!(early.at(), None);
    // The owner's whole following list, and each follow dated from its record.
    let r = car::repo_reading(&export, at);
    let owner = reciprocity_core::AccountId::of_did(&export.did);
    assert_eq!(r.viewer, Some(owner));
    let (list, pos, n) = r.page().unwrap();
    assert_eq!((list.owner, list.kind, n), (owner, ListKind::Following, 3));
    assert!(matches!(
        pos,
        reciprocity_core::model::PagePosition::Walk {
            cursor: None,
            is_last: true,
            ..
        }
    ));
    let starts: Vec<Time> = r
        .observations
        .iter()
        .filter_map(|o| match o {
            reciprocity_core::model::Observation::FollowRecord { started, .. } => Some(*started),
            _ => None,
        })
        .collect();
    assert_eq!(starts.len(), 3);
    assert_eq!(
        starts[0],
        Tid::parse("3lqcnlemwy22g")
            .unwrap()
            .seconds()
            .min(time("2025-05-29T11:49:08Z"))
    );
}

#[test]
fn a_damaged_or_truncated_export_is_an_error_never_a_panic() {
    use bsky::car;
    let good = repo_car();
    // Every block's hash is checked: one flipped byte anywhere in a block fails.
    for at in [good.len() / 3, good.len() / 2, good.len() - 10] {
        let mut bad = good.clone();
        bad[at] ^= 0x55;
        let _ = car::read_repo(&bad);
    }
    let mut bad = good.clone();
    let last = bad.len() - 1;
    bad[last] ^= 0x01;
    assert!(car::read_repo(&bad).is_err(), "a damaged block is refused");
    for cut in [0, 1, 10, good.len() / 2, good.len() - 1] {
        assert!(car::read_repo(&good[..cut]).is_err(), "cut at {cut}");
    }
    assert!(car::read_repo(b"not a car at all").is_err());
}

/// The owner of the corpus export, its follows as bsky.app would show them live
/// (each followed account's profile, its `viewer.following` the record's URI),
/// and as a Jetstream feed carries their creation: derived from the export, so
/// that the three say the same facts.
#[test]
fn a_repository_export_a_jetstream_file_and_live_reads_give_the_same_follows() {
    use bsky::car;
    use reciprocity_core::{AccountId, Ledger};
    let export = car::read_repo(&repo_car()).unwrap();
    let at = export.at().unwrap();
    let owner = AccountId::of_did(&export.did);
    let ledger_of = |readings: Vec<reciprocity_capture::Reading>| {
        let mut l = Ledger::new();
        for r in readings {
            l.ingest(owner, &r.observations).unwrap();
        }
        l
    };
    let from_car = ledger_of(vec![car::repo_reading(&export, at)]);
    let jsonl: String = export
        .follows
        .iter()
        .map(|f| {
            serde_json::json!({
                "did": export.did,
                "time_us": Tid::parse(&f.key).unwrap().micros(),
                "kind": "commit",
                "commit": {
                    "rev": f.key, "operation": "create", "collection": "app.bsky.graph.follow",
                    "rkey": f.key,
                    "record": {
                        "$type": "app.bsky.graph.follow",
                        "createdAt": reciprocity_core::time::to_rfc3339(f.created_at.unwrap()),
                        "subject": f.subject,
                    },
                },
            })
            .to_string()
                + "\n"
        })
        .collect();
    let from_feed = ledger_of(
        bsky::jetstream::readings(&jsonl, owner)
            .into_iter()
            .map(|(_, r)| r.unwrap())
            .collect(),
    );
    let from_live = ledger_of(
        export
            .follows
            .iter()
            .map(|f| {
                let body = serde_json::json!({
                    "did": f.subject, "handle": "someone.bsky.social",
                    "viewer": {
                        "muted": false, "blockedBy": false,
                        "following": format!("at://{}/app.bsky.graph.follow/{}", export.did, f.key),
                    },
                });
                let url = format!(
                    "https://morel.us-east.host.bsky.network/xrpc/app.bsky.actor.getProfile?actor={}",
                    f.subject
                );
                let env = reciprocity_capture::Envelope {
                    platform: "bsky".into(),
                    viewer: Some(owner),
                    viewer_did: Some(export.did.clone()),
                    at,
                    method: "GET".into(),
                    url,
                    request_body: None,
                    status: 200,
                    body: serde_json::to_vec(&body).unwrap(),
                };
                reciprocity_capture::read_envelope(&env).unwrap()
            })
            .collect(),
    );
    for f in &export.follows {
        let to = AccountId::of_did(&f.subject);
        let car = from_car.dated_starts(owner, to);
        assert_eq!(car.len(), 1, "{}", f.key);
        assert_eq!(from_feed.dated_starts(owner, to), car, "{}", f.key);
        // A live read has the key alone, no `createdAt`: the same second here.
        assert_eq!(from_live.dated_starts(owner, to), car, "{}", f.key);
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]
    /// Any byte of a real export changed: refused, or (a byte no block's hash
    /// covers, such as padding in the header) the same follows — never others,
    /// never a panic.
    #[test]
    fn a_changed_byte_anywhere_is_refused_or_changes_nothing(at in 0usize..8117, byte in 0u8..=255) {
        let good = repo_car();
        let want = bsky::car::read_repo(&good).unwrap();
        let mut bad = good.clone();
        let at = at % bad.len();
        bad[at] = byte;
        if let Ok(got) = bsky::car::read_repo(&bad) {
            proptest::prop_assert_eq!(got.follows, want.follows);
        }
    }
}

#[test]
fn the_store_keeps_each_accounts_did_and_a_page_cannot_rename_one() {
    use reciprocity_core::model::{AccountSighting, Observation};
    use reciprocity_core::{AccountId, Store, Viewer};
    let (url, at, body) = recording("01_getProfiles_2025-05_authed.json");
    let viewer_did = "did:plc:5c2r73erhng4bszmxlfdtscf";
    let chris = "did:plc:wpe35pganb6d4pg4ekmfy6u5";
    let viewer = AccountId::of_did(viewer_did);
    let r = bsky::read(&url, &body, at).unwrap();
    let mut store = Store::new();
    let ledger = store.ledger_mut(Viewer::bsky(viewer));
    ledger
        .ingest(viewer, &bsky::observations(&r, viewer))
        .unwrap();
    // A forged sighting names another DID for the same account: not kept.
    let forged = Observation::Account(AccountSighting {
        id: AccountId::of_did(chris),
        at,
        did: Some("did:plc:aaaaaaaaaaaaaaaaaaaaaaaa".into()),
        ..AccountSighting::default()
    });
    ledger.ingest(viewer, &[forged]).unwrap();
    let who = |s: &Store| {
        s.ledger(Viewer::bsky(viewer))
            .unwrap()
            .who(AccountId::of_did(chris))
    };
    assert_eq!(who(&store).did.as_deref(), Some(chris));
    // Saved and loaded whole, in parts, and through the JSON export: the same.
    let loaded = Store::from_bytes(&store.to_bytes()).unwrap();
    assert_eq!(who(&loaded).did.as_deref(), Some(chris));
    let json = store.to_json();
    let doc: Value = serde_json::from_str(&json).unwrap();
    let dids: Vec<&str> = doc["viewers"][0]["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["did"].as_str())
        .collect();
    assert!(dids.contains(&chris), "the export names the DID: {dids:?}");
    assert_eq!(Store::from_json(&json).unwrap(), store);
}

/// Two exports of one repository, the later one (a derived copy: the real one
/// with its last follow deleted, a month on) lacking a follow: the owner's
/// unfollow, between the two revisions.
#[test]
fn two_exports_over_time_give_the_owners_unfollow_of_another_between_them() {
    use bsky::car;
    use reciprocity_core::vocab::EventKind;
    use reciprocity_core::{AccountId, Ledger};
    let first = car::read_repo(&repo_car()).unwrap();
    let at1 = first.at().unwrap();
    let mut later = first.clone();
    let dropped = later.follows.pop().unwrap();
    let at2 = at1 + 30 * 86_400;
    let owner = AccountId::of_did(&first.did);
    let gone = AccountId::of_did(&dropped.subject);
    // In either order: the same ledger (rule 3).
    let ledger = |readings: [&reciprocity_capture::Reading; 2]| {
        let mut l = Ledger::new();
        for r in readings {
            l.ingest(owner, &r.observations).unwrap();
        }
        l
    };
    let (r1, r2) = (
        car::repo_reading(&first, at1),
        car::repo_reading(&later, at2),
    );
    let l = ledger([&r1, &r2]);
    assert_eq!(l, ledger([&r2, &r1]));
    let ends: Vec<_> = l
        .events(owner, gone, owner)
        .into_iter()
        .filter(|e| e.kind == EventKind::Unfollow)
        .collect();
    assert_eq!(ends.len(), 1, "{:?}", l.events(owner, gone, owner));
    assert_eq!((ends[0].bounds.after, ends[0].bounds.by), (Some(at1), at2));
    // The follows kept are still followed, from their records' dates.
    let kept = AccountId::of_did(&later.follows[0].subject);
    assert!(l
        .events(owner, kept, owner)
        .iter()
        .all(|e| e.kind == EventKind::Follow));
}

/// A post as the AppView shows it, by `author` (a recorded profile view), its
/// record holding a profile-shaped object as any author could write one.
fn post_by(author: &Value, rkey: &str, extra: Value) -> Value {
    let forged = forged_profile();
    let mut post = serde_json::json!({
        "uri": format!("at://{}/app.bsky.feed.post/{rkey}", author["did"].as_str().unwrap()),
        "cid": "bafyreia",
        "author": author,
        "record": { "$type": "app.bsky.feed.post", "text": "hello", "createdAt": "2025-05-19T12:00:00.000Z", "by": forged, "embed": { "record": forged } },
        "indexedAt": "2025-05-19T12:00:00.000Z",
    });
    if let (Some(p), Some(e)) = (post.as_object_mut(), extra.as_object()) {
        p.extend(e.clone());
    }
    post
}

/// An account that says it follows the viewer, as a post's author may write
/// it into the post's record.
fn forged_profile() -> Value {
    serde_json::json!({
        "did": "did:plc:forgedforgedforgedforged",
        "handle": "forged.bsky.social",
        "viewer": { "followedBy": "at://did:plc:forgedforgedforgedforged/app.bsky.graph.follow/3kchl2sce7p2i" },
    })
}

/// Real profile views: Chris's (he follows the viewer) and a recorded list's rows.
fn recorded_profiles() -> (Value, Vec<Value>) {
    let (_, _, body) = recording("01_getProfiles_2025-05_authed.json");
    let chris = serde_json::from_slice::<Value>(&body).unwrap()["profiles"][0].clone();
    let (_, _, body) = recording("02_getFollowers_2025-05_other_actor.json");
    let rows = serde_json::from_slice::<Value>(&body).unwrap()["followers"]
        .as_array()
        .unwrap()
        .clone();
    (chris, rows)
}

/// Since when an account follows the viewer, by its follow's key.
fn since(a: &bsky::Actor) -> Option<Time> {
    a.relation
        .as_ref()
        .and_then(|rel| rel.followed_by.as_ref())
        .and_then(|f| f.started)
}

fn dids(r: &bsky::BskyReading) -> Vec<&str> {
    r.actors.iter().map(|a| a.did.as_str()).collect()
}

#[test]
fn a_feed_gives_its_posts_accounts_and_never_what_a_record_holds() {
    // A timeline derived here from the recordings' profile views: a post, a
    // repost, a reply whose root is blocked, and a quote.
    let (chris, rows) = recorded_profiles();
    let did = |v: &Value| v["did"].as_str().unwrap().to_owned();
    let feed = serde_json::json!({ "feed": [
        { "post": post_by(&chris, "3lpaaaaaaaa22", serde_json::json!({})) },
        { "post": post_by(&rows[0], "3lpaaaaaaab22", serde_json::json!({})),
          "reason": { "$type": "app.bsky.feed.defs#reasonRepost", "by": rows[2], "indexedAt": "2025-05-19T12:00:00.000Z" } },
        { "post": post_by(&rows[3], "3lpaaaaaaac22", serde_json::json!({})),
          "reply": {
            "root": { "$type": "app.bsky.feed.defs#blockedPost", "uri": "at://did:plc:blockedblockedblockedbloc/app.bsky.feed.post/3lp", "blocked": true,
                      "author": { "did": "did:plc:blockedblockedblockedbloc", "viewer": { "blockedBy": true } } },
            "parent": post_by(&rows[4], "3lpaaaaaaad22", serde_json::json!({})) } },
        { "post": post_by(&chris, "3lpaaaaaaae22", serde_json::json!({ "embed": {
            "$type": "app.bsky.embed.record#view",
            "record": { "$type": "app.bsky.embed.record#viewRecord", "uri": "at://x/app.bsky.feed.post/3lp", "cid": "bafyreia",
                        "author": rows[5], "value": { "by": forged_profile() }, "indexedAt": "2025-05-19T12:00:00.000Z" } } })) },
    ], "cursor": "2025-05-19T12:00:00.000Z" });
    let at = time("2025-05-19T17:41:25Z");
    let url = "https://morel.us-east.host.bsky.network/xrpc/app.bsky.feed.getTimeline?limit=30";
    let r = bsky::read(url, &serde_json::to_vec(&feed).unwrap(), at).unwrap();
    // Each account once, in order; the blocked root's author (no handle) and
    // the records' forged account never.
    assert_eq!(
        dids(&r),
        [
            did(&chris),
            did(&rows[0]),
            did(&rows[2]),
            did(&rows[3]),
            did(&rows[4]),
            did(&rows[5])
        ]
    );
    // Chris's follow of the viewer, from a post's author as from his profile.
    assert_eq!(since(&r.actors[0]), Some(time("2023-10-24T01:28:28Z")));
    let starts: Vec<_> = bsky::observations(&r, reciprocity_core::AccountId::of_did(BSKYR))
        .into_iter()
        .filter_map(|o| match o {
            reciprocity_core::model::Observation::FollowRecord { from, started, .. } => {
                Some((from, started))
            }
            _ => None,
        })
        .collect();
    assert!(
        starts.contains(&(
            reciprocity_core::AccountId::of_did(&did(&chris)),
            time("2023-10-24T01:28:28Z")
        )),
        "{starts:?}"
    );
    assert!(starts.iter().all(|(from, _)| *from
        != reciprocity_core::AccountId::of_did("did:plc:forgedforgedforgedforged")));
}

#[test]
fn a_thread_gives_its_posts_accounts_up_and_down() {
    let (chris, rows) = recorded_profiles();
    let did = |v: &Value| v["did"].as_str().unwrap().to_owned();
    let thread = serde_json::json!({ "thread": {
        "$type": "app.bsky.feed.defs#threadViewPost",
        "post": post_by(&rows[6], "3lpaaaaaaaf22", serde_json::json!({})),
        "parent": { "$type": "app.bsky.feed.defs#threadViewPost", "post": post_by(&chris, "3lpaaaaaaag22", serde_json::json!({})),
                    "parent": { "$type": "app.bsky.feed.defs#notFoundPost", "uri": "at://x/app.bsky.feed.post/3lp", "notFound": true } },
        "replies": [
            { "$type": "app.bsky.feed.defs#threadViewPost", "post": post_by(&rows[7], "3lpaaaaaaah22", serde_json::json!({})),
              "replies": [ { "$type": "app.bsky.feed.defs#threadViewPost", "post": post_by(&rows[8], "3lpaaaaaaai22", serde_json::json!({})) } ] },
            { "$type": "app.bsky.feed.defs#blockedPost", "uri": "at://x/app.bsky.feed.post/3lq", "blocked": true,
              "author": { "did": "did:plc:blockedblockedblockedbloc", "viewer": { "blockedBy": true } } },
        ] } });
    let url =
        "https://morel.us-east.host.bsky.network/xrpc/app.bsky.feed.getPostThread?uri=at%3A%2F%2Fx";
    let r = bsky::read(
        url,
        &serde_json::to_vec(&thread).unwrap(),
        time("2025-05-19T17:41:25Z"),
    )
    .unwrap();
    assert_eq!(
        dids(&r),
        [did(&rows[6]), did(&chris), did(&rows[7]), did(&rows[8])]
    );
    // Not a feed's shape: a clear error, not an empty reading.
    assert!(bsky::read(url, br#"{"feed": []}"#, time("2025-05-19T17:41:25Z")).is_err());
}

// ----- lists of accounts that are nobody's follows -----

/// The recordings of a search's typeahead, suggestions, a post's likes and
/// reposts: (file, how many accounts, the first one's DID and handle).
const PROFILE_LISTS: [(&str, usize, &str, &str); 6] = [
    (
        "10_searchActorsTypeahead_2025-05.json",
        10,
        "did:plc:xzzesxndb6f3xsp2phcfhb5n",
        "bjpols.bsky.social",
    ),
    (
        "11_getSuggestions_2025-05.json",
        50,
        "did:plc:bii5oena6gcqubtxd3ai3dwy",
        "kokomiyara.bsky.social",
    ),
    (
        "12_getLikes_2025-05.json",
        4,
        "did:plc:uzthbl6ktojhxfpzb4hrvilk",
        "fkjoeller.bsky.social",
    ),
    (
        "13_getRepostedBy_2025-05.json",
        1,
        "did:plc:jyolltxtyl2yq2jamky6mwjn",
        "jaeyeonkim.bsky.social",
    ),
    (
        "14_getSuggestedFollowsByActor_2025-05.json",
        12,
        "did:plc:bii5oena6gcqubtxd3ai3dwy",
        "kokomiyara.bsky.social",
    ),
    // A curated list: its creator first, then its 8 members.
    (
        "17_getList_2025-05.json",
        9,
        "did:plc:ragtjsm2j2vknwkz3zp4oxrd",
        "pfrazee.com",
    ),
];

#[test]
fn a_search_suggestions_likes_and_reposts_give_their_accounts_with_what_they_say_of_you() {
    for (file, count, did, handle) in PROFILE_LISTS {
        let (url, at, body) = recording(file);
        let r = bsky::read(&url, &body, at).unwrap();
        assert!(
            bsky::PROFILE_LISTS.contains(&r.operation.as_str()),
            "{file}"
        );
        assert_eq!(r.actors.len(), count, "{file}");
        assert_eq!(
            (r.actors[0].did.as_str(), r.actors[0].handle.as_deref()),
            (did, Some(handle)),
            "{file}"
        );
        // Each with the viewer's view of it: none of them follows the recording's
        // viewer, nor does the viewer follow them.
        for a in &r.actors {
            let rel = a.relation.as_ref().expect("a viewer object");
            assert!(
                rel.followed_by.is_none() && rel.following.is_none(),
                "{file}"
            );
        }
        // Never a list: nobody's follows, and one missing proves nothing.
        assert!(r.list.is_none(), "{file}");
        let obs = bsky::observations(&r, AccountId::of_did(BSKYR));
        assert_eq!(obs.len(), count, "{file}: one sighting per account");
        assert!(obs.iter().all(|o| matches!(
            o,
            reciprocity_core::model::Observation::Account(s) if s.follows_you == Some(false)
        )));
    }
}

#[test]
fn a_typeahead_row_that_follows_you_says_since_when_to_the_second() {
    // Derived: the recorded typeahead, its first account following the viewer
    // with a record made 2024-03-01T12:00:00Z.
    let key = Tid::new(1_709_294_400_000_000, 7).to_string();
    let (env, at) = envelope_of("10_searchActorsTypeahead_2025-05.json", |b| {
        b["actors"][0]["viewer"]["followedBy"] = Value::from(format!(
            "at://did:plc:xzzesxndb6f3xsp2phcfhb5n/app.bsky.graph.follow/{key}"
        ));
    });
    let mut l = Ledger::new();
    ingest(&mut l, &env);
    let me = AccountId::of_did(BSKYR);
    let journal = AccountId::of_did("did:plc:xzzesxndb6f3xsp2phcfhb5n");
    let rec = l.track_record(me, journal, at);
    assert_eq!(
        rec.toward_you.follows_you.since,
        Some(time("2024-03-01T12:00:00Z"))
    );
    assert_eq!(rec.toward_you.follows_you.dated, Some(Dating::RecordKey));
    assert_eq!(l.verdict(me, journal, at, Lang::En).code, Code::FollowsYou);
    assert_eq!(l.resolve("@bjpols.bsky.social"), Some(journal));
    // The others are known, and said not to follow you.
    let other = AccountId::of_did("did:plc:vlx4qfwltlkhhgxavhe6a4iq");
    assert_eq!(l.verdict(me, other, at, Lang::En).code, Code::NoRelation);
}

/// A recording read: its operation, how many accounts it gives, the first one.
fn accounts_of(file: &str, operation: &str, count: usize, first: &str) -> bsky::BskyReading {
    let (url, at, body) = recording(file);
    let r = bsky::read(&url, &body, at).unwrap();
    assert_eq!(
        (
            r.operation.as_str(),
            r.actors.len(),
            r.actors[0].did.as_str()
        ),
        (operation, count, first),
        "{file}"
    );
    r
}

#[test]
fn a_search_of_posts_and_a_posts_quotes_give_their_authors_and_the_quoted_ones() {
    // Real: 25 posts by 19 accounts (two quote other posts), none of them
    // following the recording's viewer.
    let r = accounts_of(
        "15_searchPosts_2025-05.json",
        "app.bsky.feed.searchPosts",
        19,
        "did:plc:kkergqgbhb56ptpwj2wenkje",
    );
    assert!(r.list.is_none());
    // Real: two quotes of one of the viewer's posts (one with media), by
    // accounts that follow the viewer, and the quoted post's author, the viewer.
    let (url, at, body) = recording("16_getQuotes_2025-05.json");
    let r = bsky::read(&url, &body, at).unwrap();
    assert_eq!(
        dids(&r),
        [
            "did:plc:3ixxligsafp4u6ghljcoetnm",
            BSKYR,
            "did:plc:wpe35pganb6d4pg4ekmfy6u5"
        ]
    );
    // Keys 3lc6h77kuzl2f and 3kchl2sce7p2i: when each follow of the viewer began.
    let key = |k: &str| Tid::parse(k).unwrap().seconds();
    assert_eq!(since(&r.actors[0]), Some(key("3lc6h77kuzl2f")));
    assert_eq!(since(&r.actors[2]), Some(time("2023-10-24T01:28:28Z")));
    // The viewer's own account: no relation with itself.
    let obs = bsky::observations(&r, AccountId::of_did(BSKYR));
    assert!(obs.iter().all(|o| !matches!(
        o,
        reciprocity_core::model::Observation::FollowRecord { from, to, .. } if from == to
    )));
}

#[test]
fn a_starter_pack_gives_its_creator_and_its_sample_and_never_its_record() {
    // Real: Chris's starter pack (he follows the recording's viewer), its sample
    // of 12 with Chris among them: 12 accounts, Chris's follow dated by its key.
    let file = "18_getStarterPack_2025-05.json";
    let r = accounts_of(file, "app.bsky.graph.getStarterPack", 12, CHRIS);
    assert_eq!(since(&r.actors[0]), Some(time("2023-10-24T01:28:28Z")));
    // Derived: a profile-shaped object in the pack's record (what its creator
    // wrote) is never read.
    let (url, at, body) = recording(file);
    let mut v: Value = serde_json::from_slice(&body).unwrap();
    v["starterPack"]["record"]["by"] = forged_profile();
    let r = bsky::read(&url, &serde_json::to_vec(&v).unwrap(), at).unwrap();
    assert!(!dids(&r).contains(&"did:plc:forgedforgedforgedforged"));
}
