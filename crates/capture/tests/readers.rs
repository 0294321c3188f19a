//! The X readers on the real captures, and on derived and made cases they lack.

mod common;

use common::*;
use reciprocity_capture::{read_body, read_envelope, CaptureError, Envelope};
use reciprocity_core::model::{ListKind, Observation, PagePosition};
use serde_json::Value;
use std::collections::BTreeSet;

/// An independent walk of the JSON tree (not the streaming reader): the ids of every
/// user object, and of list entries whose user object is unavailable and id-less.
fn ids_by_tree_walk(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            let t = m.get("__typename").and_then(Value::as_str);
            if matches!(t, Some("User" | "UserUnavailable")) {
                if let Some(id) = m.get("rest_id").and_then(Value::as_str) {
                    out.insert(id.to_owned());
                }
            }
            if let Some(entry) = m
                .get("entryId")
                .and_then(Value::as_str)
                .and_then(|e| e.strip_prefix("user-"))
            {
                let item = m
                    .get("content")
                    .and_then(|c| c.get("itemContent"))
                    .and_then(|c| c.get("user_results"))
                    .and_then(|c| c.get("result"));
                if let Some(item) = item {
                    if item.get("__typename").and_then(Value::as_str) == Some("UserUnavailable")
                        && item.get("rest_id").is_none()
                    {
                        out.insert(entry.to_owned());
                    }
                }
            }
            m.values().for_each(|v| ids_by_tree_walk(v, out));
        }
        Value::Array(a) => a.iter().for_each(|v| ids_by_tree_walk(v, out)),
        _ => {}
    }
}

#[test]
fn every_user_object_in_every_real_capture_is_found() {
    let mut total = 0;
    for (name, bytes) in real_captures() {
        let tree: Value = serde_json::from_slice(&bytes).unwrap();
        let mut expected = BTreeSet::new();
        ids_by_tree_walk(&tree, &mut expected);
        let users = read_body(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        let found: BTreeSet<String> = users.iter().map(|u| u.id.clone()).collect();
        assert_eq!(found, expected, "{name}");
        assert_eq!(found.len(), users.len(), "{name}: each account once");
        assert!(!users.is_empty(), "{name}");
        total += users.len();
    }
    assert!(total > 400, "only {total} accounts in all captures");
}

#[test]
fn every_real_capture_reads_as_an_envelope() {
    for (name, bytes) in real_captures() {
        let op = operation_of(&name);
        let vars = format!(r#"{{"userId":"{OWNER}","count":20}}"#);
        let env =
            Envelope::from_json(&envelope(op, &vars, "2026-11-26T01:02:03Z", &bytes)).unwrap();
        let reading = read_envelope(&env).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(reading.operation, op);
        assert!(
            reading
                .observations
                .iter()
                .any(|o| matches!(o, Observation::Account(_))),
            "{name}"
        );
        let lists = matches!(op, "Followers" | "Following" | "BlueVerifiedFollowers");
        assert_eq!(reading.page().is_some(), lists, "{name}");
    }
}

#[test]
fn the_workers_envelope_of_every_real_capture_reads_as_the_hooks_record_does() {
    for (name, bytes) in real_captures() {
        let op = operation_of(&name);
        let vars = format!(r#"{{"userId":"{OWNER}","count":20}}"#);
        let by_hand =
            Envelope::from_json(&envelope(op, &vars, "2026-11-26T01:02:03Z", &bytes)).unwrap();
        let head = reciprocity_capture::envelope::Head {
            platform: "x",
            viewer: VIEWER,
            at: "2026-11-26T01:02:03Z",
            method: "GET",
            url: &by_hand.url,
            request_body: None,
            status: 200,
        };
        let written = Envelope::from_json(&head.with_body(&String::from_utf8_lossy(&bytes)))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(written, by_hand, "{name}");
    }
    // An empty body is a null one: read, and refused by the reader, not the envelope.
    let head = reciprocity_capture::envelope::Head {
        platform: "x",
        viewer: VIEWER,
        at: "2026-11-26T01:02:03Z",
        method: "POST",
        url: "https://x.com/i/api/1.1/friendships/create.json",
        request_body: Some("user_id=12&a=\"quoted\""),
        status: 200,
    };
    let env = Envelope::from_json(&head.with_body("  ")).unwrap();
    assert!(env.body.is_empty());
    assert_eq!(env.request_body.as_deref(), Some("user_id=12&a=\"quoted\""));
}

#[test]
fn an_archive_page_envelope_reads_back_as_its_page() {
    use reciprocity_capture::archive::{page_envelope, read_page_envelope, ArchivePage};
    let page = ArchivePage {
        list: ListKind::Following,
        part: 2,
        last: true,
        complete: true,
        handle: Some("someone".into()),
        name: Some("Some \"One\"".into()),
        followers: 3,
        following: 2,
        ids: vec!["12".parse().unwrap(), "13".parse().unwrap()],
    };
    let env = Envelope::from_json(&page_envelope(VIEWER, "2026-11-26T01:02:03Z", &page)).unwrap();
    assert_eq!(env.url, "archive:following");
    assert_eq!(
        serde_json::from_slice::<ArchivePage>(&env.body).unwrap(),
        page
    );
    let reading = read_page_envelope(&env).unwrap();
    assert_eq!(reading.operation, "archive");
    assert!(reading.page().is_some());
}

fn profile(file: &str) -> reciprocity_capture::XUser {
    let bytes = std::fs::read(fixtures_dir().join(file))
        .or_else(|_| std::fs::read(data_dir().join("derived").join(file)))
        .unwrap();
    let users = read_body(&bytes).unwrap();
    users.into_iter().find(|u| u.id == "2244994945").unwrap()
}

#[test]
fn newest_layout_profile() {
    let u = profile("2026-08-07_user_by_login.json");
    assert_eq!(u.handle.as_deref(), Some("XDevelopers"));
    assert_eq!(u.name.as_deref(), Some("Developers"));
    assert_eq!((u.followers, u.following), (Some(695_695), Some(762)));
    assert_eq!((u.you_follow, u.follows_you), (Some(true), Some(false)));
    assert_eq!(u.verified_type.as_deref(), Some("Business"));
    assert_eq!(u.professional_type.as_deref(), Some("Business"));
    assert_eq!(
        (u.blue_verified, u.protected, u.brand),
        (Some(true), Some(false), true)
    );
    assert_eq!(u.gone, None);
}

#[test]
fn mid_layout_profile_reads_counts_from_legacy() {
    let u = profile("2026-05-21_user_by_login.json");
    assert_eq!(u.handle.as_deref(), Some("XDevelopers"));
    assert_eq!((u.followers, u.following), (Some(683_277), Some(759)));
    assert_eq!((u.you_follow, u.follows_you), (Some(true), Some(false)));
    assert!(u.brand);
}

#[test]
fn old_layout_with_following_reads_absent_followed_by_as_false() {
    let u = profile("2025-03-07_user_by_login.json");
    assert_eq!(u.handle.as_deref(), Some("XDevelopers"));
    assert_eq!((u.followers, u.following), (Some(700_242), Some(746)));
    assert_eq!((u.you_follow, u.follows_you), (Some(false), Some(false)));
    let derived = profile("2025-03-07_user_by_login.DERIVED-followed_by-true.json");
    assert_eq!(derived.follows_you, Some(true));
}

#[test]
fn oldest_layout_has_no_relationship_flags() {
    let u = profile("2024-02-10_user_by_login.json");
    assert_eq!(u.handle.as_deref(), Some("XDevelopers"));
    assert!(u.followers.is_some());
    assert_eq!((u.you_follow, u.follows_you), (None, None));
}

#[test]
fn derived_follows_you_and_blocked_you() {
    let u = profile("2026-08-07_user_by_login.DERIVED-followed_by-true.json");
    assert_eq!(u.follows_you, Some(true));
    let b = profile("2026-08-07_user_by_login.DERIVED-blocked_by-true.json");
    assert_eq!(b.blocked_you, Some(true));
}

#[test]
fn professional_rest_id_is_not_the_users() {
    let bytes = std::fs::read(fixtures_dir().join("2026-08-07_user_by_login.json")).unwrap();
    let users = read_body(&bytes).unwrap();
    assert_eq!(users.len(), 1);
    assert!(users.iter().all(|u| u.id != "1516891231749517312"));
}

#[test]
fn unavailable_accounts_are_gone_not_dropped() {
    // A real one: a retweeter whose entry holds an id-less UserUnavailable.
    let bytes = std::fs::read(fixtures_dir().join("2026-05-21_retweeters.json")).unwrap();
    let users = read_body(&bytes).unwrap();
    let gone: Vec<_> = users.iter().filter(|u| u.gone.is_some()).collect();
    assert_eq!(gone.len(), 1);
    assert_eq!(gone[0].id, "1748684313057538048");
    assert_eq!(gone[0].gone.as_deref(), Some("NoReason"));
    // A derived profile answer for a suspended account.
    let u = read_body(
        &std::fs::read(data_dir().join("derived/2026-08-07_user_by_login.DERIVED-suspended.json"))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(u[0].gone.as_deref(), Some("Suspended"));
}

fn list_reading(file: &str, vars: &str) -> reciprocity_capture::Reading {
    let bytes = std::fs::read(fixtures_dir().join(file))
        .or_else(|_| std::fs::read(data_dir().join("derived").join(file)))
        .unwrap();
    let op = operation_of(file);
    read_envelope(
        &Envelope::from_json(&envelope(op, vars, "2026-11-26T01:02:03Z", &bytes)).unwrap(),
    )
    .unwrap()
}

#[test]
fn a_first_followers_page_is_a_walk_start_not_an_end() {
    let r = list_reading(
        "2026-05-21_followers.json",
        &format!(r#"{{"userId":"{OWNER}","count":20}}"#),
    );
    let (key, pos, n) = r.page().unwrap();
    assert_eq!(key.kind, ListKind::Followers);
    assert_eq!(key.owner.to_string(), OWNER);
    assert_eq!(n, 70);
    assert_eq!(
        pos,
        &PagePosition::Walk {
            cursor: None,
            next_cursor: Some("1865750338301202669|2057276729935790008".into()),
            is_last: false
        }
    );
}

#[test]
fn a_later_page_carries_its_cursor_and_following_lists_their_owner_edges() {
    let r = list_reading(
        "2025-03-07_following.json",
        &format!(r#"{{"userId":"{OWNER}","count":20,"cursor":"1790|1756"}}"#),
    );
    let (key, pos, n) = r.page().unwrap();
    assert_eq!(key.kind, ListKind::Following);
    assert!(n >= 50);
    assert!(
        matches!(pos, PagePosition::Walk { cursor: Some(c), is_last: false, .. } if c == "1790|1756")
    );
}

#[test]
fn only_the_end_cursor_ends_a_walk() {
    let vars = format!(r#"{{"userId":"{OWNER}","cursor":"x"}}"#);
    let last = |file: &str| {
        matches!(
            list_reading(file, &vars).page().unwrap().1,
            PagePosition::Walk { is_last: true, .. }
        )
    };
    assert!(last("2026-08-07_followers.DERIVED-last-page.json"));
    assert!(last("2026-08-07_followers.DERIVED-empty-last-page.json"));
    // An empty page whose bottom cursor goes on (a failed or forged page) proves
    // nothing: were it the end, every account of the list would have "left" it.
    assert!(!last("2026-08-07_followers.DERIVED-empty-page.json"));
}

#[test]
fn verified_followers_pages_are_partial() {
    let r = list_reading(
        "2026-05-21_verified_followers.json",
        &format!(r#"{{"userId":"{OWNER}"}}"#),
    );
    assert_eq!(r.page().unwrap().1, &PagePosition::Partial);
}

#[test]
fn post_requests_carry_variables_in_their_body() {
    let bytes = std::fs::read(fixtures_dir().join("2026-08-07_followers.json")).unwrap();
    let text = format!(
        r#"{{"platform":"x","viewer":"{VIEWER}","at":"2026-11-26T01:02:03Z","method":"POST","url":"https://x.com/i/api/graphql/Q/Followers","request_body":"{{\"variables\":{{\"userId\":\"{OWNER}\"}}}}","status":200,"body":{}}}"#,
        String::from_utf8_lossy(&bytes)
    );
    let r = read_envelope(&Envelope::from_json(&text).unwrap()).unwrap();
    assert_eq!(r.page().unwrap().0.owner.to_string(), OWNER);
}

#[test]
fn a_body_sent_as_a_string_is_unwrapped() {
    let bytes = std::fs::read(fixtures_dir().join("2026-08-07_user_by_login.json")).unwrap();
    let as_string = serde_json::to_string(&String::from_utf8(bytes).unwrap()).unwrap();
    let env = Envelope::from_json(&envelope(
        "UserByScreenName",
        "{}",
        "2026-11-26T01:02:03Z",
        as_string.as_bytes(),
    ))
    .unwrap();
    assert_eq!(
        read_envelope(&env).unwrap().users[0].handle.as_deref(),
        Some("XDevelopers")
    );
}

// ----- bad input: each a typed error naming the operation and what was wrong -----

fn read_op(
    op: &str,
    vars: &str,
    body: &[u8],
) -> Result<reciprocity_capture::Reading, CaptureError> {
    read_envelope(&Envelope::from_json(&envelope(op, vars, "2026-11-26T01:02:03Z", body)).unwrap())
}

#[test]
fn an_unknown_layout_is_named() {
    let bytes = std::fs::read(
        data_dir().join("derived/2026-08-07_user_by_login.DERIVED-unknown-layout.json"),
    )
    .unwrap();
    let e = read_op("UserByScreenName", "{}", &bytes).unwrap_err();
    assert!(
        matches!(&e, CaptureError::UnknownLayout { operation, .. } if operation == "UserByScreenName"),
        "{e}"
    );
    assert!(e.to_string().contains("screen_name"), "{e}");
    let e = read_op(
        "Followers",
        &format!(r#"{{"userId":"{OWNER}"}}"#),
        br#"{"data":{"user":{"result":{"__typename":"User","stream":[]}}}}"#,
    )
    .unwrap_err();
    assert!(e.to_string().contains("instructions"), "{e}");
}

#[test]
fn a_truncated_body_and_a_non_json_body_are_errors() {
    let bytes = std::fs::read(fixtures_dir().join("2026-08-07_followers.json")).unwrap();
    let truncated = &bytes[..bytes.len() / 2];
    let text = format!(
        r#"{{"at":"2026-11-26T01:02:03Z","url":"https://x.com/i/api/graphql/Q/Followers","body":{}}}"#,
        serde_json::to_string(&String::from_utf8_lossy(truncated)).unwrap()
    );
    let e = read_envelope(&Envelope::from_json(&text).unwrap()).unwrap_err();
    assert!(
        matches!(&e, CaptureError::Json { operation, .. } if operation == "Followers"),
        "{e}"
    );
    let e = read_body(b"<html>rate limited</html>").unwrap_err();
    assert!(matches!(e, CaptureError::Json { .. }));
}

#[test]
fn error_status_and_x_errors_are_named() {
    let text = r#"{"at":"2026-11-26T01:02:03Z","url":"https://x.com/i/api/graphql/Q/UserByScreenName","status":429,"body":{"errors":[{"message":"Rate limit exceeded"}]}}"#;
    let e = read_envelope(&Envelope::from_json(text).unwrap()).unwrap_err();
    assert_eq!(
        e,
        CaptureError::Status {
            operation: "UserByScreenName".into(),
            status: 429
        }
    );
    let e = read_op(
        "UserByScreenName",
        "{}",
        br#"{"errors":[{"message":"Authorization: Denied"}]}"#,
    )
    .unwrap_err();
    assert!(
        matches!(&e, CaptureError::XErrors { messages, .. } if messages.contains("Denied")),
        "{e}"
    );
}

#[test]
fn a_list_page_without_its_owner_is_refused() {
    let bytes = std::fs::read(fixtures_dir().join("2026-08-07_followers.json")).unwrap();
    let e = read_op("Followers", r#"{"count":20}"#, &bytes).unwrap_err();
    assert!(matches!(e, CaptureError::MissingVariable { .. }), "{e}");
}

#[test]
fn bad_envelopes_are_named() {
    for (text, needle) in [
        ("{}", "missing field"),
        (r#"{"at":"yesterday","url":"u","body":{}}"#, "RFC 3339"),
        (
            r#"{"at":"2026-11-26T01:02:03Z","viewer":"me","url":"u","body":{}}"#,
            "viewer",
        ),
        (
            r#"{"platform":"mastodon","at":"2026-11-26T01:02:03Z","url":"u","body":{}}"#,
            "platform",
        ),
    ] {
        let e = Envelope::from_json(text).unwrap_err();
        assert!(e.to_string().contains(needle), "{text}: {e}");
    }
    let env = Envelope::from_json(
        r#"{"at":"2026-11-26T01:02:03Z","url":"https://x.com/home","body":{}}"#,
    )
    .unwrap();
    assert!(matches!(
        read_envelope(&env),
        Err(CaptureError::UnsupportedEndpoint { .. })
    ));
}

#[test]
fn only_the_listed_operations_of_x_itself_are_collected() {
    use reciprocity_capture::collected;
    for url in [
        "https://x.com/i/api/graphql/q/Followers?variables=%7B%7D",
        "https://twitter.com/i/api/graphql/q/UserByScreenName",
        "https://x.com/i/api/graphql/q/TweetDetail",
        "https://x.com/i/api/1.1/friendships/show.json?source_id=1&target_id=2",
        "https://api.x.com/1.1/followers/ids.json",
    ] {
        assert!(collected(url), "{url}");
    }
    for url in [
        // Mutations and other operations: their bodies and variables are never kept.
        "https://x.com/i/api/graphql/q/CreateTweet",
        "https://x.com/i/api/graphql/q/DeleteTweet",
        "https://x.com/i/api/graphql/q/DMInboxTimeline",
        // Other hosts, look-alikes and plain pages.
        "https://x.com.example.org/i/api/graphql/q/Followers",
        "https://x.com@example.org/i/api/graphql/q/Followers",
        "http://x.com/i/api/graphql/q/Followers",
        "https://example.org/i/api/graphql/q/Followers",
        "https://x.com/home",
        "",
    ] {
        assert!(!collected(url), "{url}");
    }
}

#[test]
fn an_operation_not_collected_is_refused_and_named() {
    let env = reciprocity_capture::Envelope::from_json(
        r#"{"platform":"x","viewer":"1","at":"2026-11-01T00:00:00Z","method":"POST",
            "url":"https://x.com/i/api/graphql/q/CreateTweet","request_body":"{\"variables\":{\"tweet_text\":\"private\"}}",
            "status":200,"body":{"data":{}}}"#,
    )
    .unwrap();
    let err = reciprocity_capture::read_envelope(&env).unwrap_err();
    assert!(matches!(
        err,
        reciprocity_capture::CaptureError::NotCollected { .. }
    ));
}

#[test]
fn the_page_hook_copies_exactly_the_operations_collected() {
    use reciprocity_capture::graphql::{LISTS, PROFILES, SIGHTINGS};
    let in_hook = common::hook_list("OPERATIONS");
    let mut in_engine: Vec<&str> = LISTS
        .iter()
        .map(|(op, _, _)| *op)
        .chain(PROFILES.iter().copied())
        .chain(SIGHTINGS.iter().copied())
        .collect();
    in_engine.sort_unstable();
    assert_eq!(in_hook, in_engine);
}

#[test]
fn the_viewers_own_actions_become_what_they_end_and_nothing_else() {
    use reciprocity_core::model::OwnAction;
    let env = |url: &str, body: &str| {
        reciprocity_capture::Envelope::from_json(
            &serde_json::json!({"platform":"x","viewer":"1","at":"2026-11-02T00:00:00Z","method":"POST",
                "url":url,"request_body":body,"status":200,"body":{}})
            .to_string(),
        )
        .unwrap()
    };
    let cases = [
        (
            "https://x.com/i/api/1.1/friendships/destroy.json",
            "include_profile_interstitial_type=1&user_id=42",
            OwnAction::Unfollow,
            vec![(1, 42)],
        ),
        (
            "https://x.com/i/api/1.1/blocks/create.json",
            "user_id=42",
            OwnAction::Block,
            vec![(1, 42), (42, 1)],
        ),
        (
            "https://x.com/i/api/1.1/blocks/destroy.json",
            "user_id=42",
            OwnAction::Unblock,
            vec![],
        ),
        (
            "https://x.com/i/api/graphql/q/RemoveFollower",
            r#"{"variables":{"target_user_id":"42"}}"#,
            OwnAction::RemoveFollower,
            vec![(42, 1)],
        ),
    ];
    for (url, body, action, ended) in cases {
        assert!(reciprocity_capture::collected(url), "{url}");
        let r = reciprocity_capture::read_envelope(&env(url, body)).unwrap();
        let mut pairs = Vec::new();
        for o in &r.observations {
            match o {
                Observation::Account(s) => {
                    assert_eq!((s.id.0, s.by_you), (42, Some(action)));
                    assert!(s.handle.is_none() && s.follows_you.is_none());
                }
                Observation::Pair {
                    from,
                    to,
                    follows: false,
                    ..
                } => pairs.push((from.0, to.0)),
                other => panic!("{url}: {other:?}"),
            }
        }
        assert_eq!(pairs, ended, "{url}");
        // The two facts the hook hands over read exactly as the request did.
        let from_facts =
            reciprocity_capture::action_envelope("1", "2026-11-02T00:00:00Z", url, "42", 200)
                .unwrap_or_else(|| panic!("{url}"));
        let from_facts = reciprocity_capture::Envelope::from_json(&from_facts).unwrap();
        assert_eq!(
            reciprocity_capture::read_envelope(&from_facts).unwrap(),
            r,
            "{url}"
        );
    }
    // Anything else is no action: another operation, a target that is no id.
    let unfollow = "https://x.com/i/api/1.1/friendships/destroy.json";
    for (url, target) in [
        ("https://x.com/i/api/graphql/q/Followers", "42"),
        (
            "https://evil.example/i/api/1.1/friendships/destroy.json",
            "42",
        ),
        (unfollow, "42&user_id=43"),
        (unfollow, ""),
        (unfollow, "123456789012345678901"),
    ] {
        let made =
            reciprocity_capture::action_envelope("1", "2026-11-02T00:00:00Z", url, target, 200);
        assert!(made.is_none(), "{url} {target}");
    }
    // Without the account acted on, nothing is recorded.
    let unfollow = "https://x.com/i/api/1.1/friendships/destroy.json";
    let e = reciprocity_capture::read_envelope(&env(unfollow, "user_id=")).unwrap_err();
    assert!(matches!(
        e,
        reciprocity_capture::CaptureError::MissingVariable { .. }
    ));
}

#[test]
fn the_page_hook_hands_over_exactly_the_actions_read() {
    let hook = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../extension/content/hook.js"),
    )
    .unwrap();
    let list = hook
        .split_once("const ACTIONS = [")
        .and_then(|(_, rest)| rest.split_once("];"))
        .map(|(list, _)| list)
        .expect("hook.js declares `const ACTIONS = [...]`");
    let in_hook: Vec<&str> = list
        .split(',')
        .map(|s| s.trim().trim_matches('\''))
        .filter(|s| !s.is_empty())
        .collect();
    assert_eq!(in_hook, reciprocity_capture::graphql::ACTIONS);
}

/// A real list page read as the worker would at `at`, into a ledger.
fn look(l: &mut reciprocity_core::Ledger, file: &str, at: &str) {
    let bytes = std::fs::read(fixtures_dir().join(file))
        .or_else(|_| std::fs::read(data_dir().join("derived").join(file)))
        .unwrap();
    let vars = format!(r#"{{"userId":"{OWNER}","count":20}}"#);
    let r = read_envelope(
        &Envelope::from_json(&envelope(operation_of(file), &vars, at, &bytes)).unwrap(),
    )
    .unwrap();
    l.ingest(reciprocity_core::AccountId(1), &r.observations)
        .unwrap();
}

#[test]
fn real_following_pages_years_apart_keep_their_order_and_show_joins_and_leaves() {
    use reciprocity_core::{AccountId, EventKind, ListKey};
    let mut l = reciprocity_core::Ledger::new();
    look(&mut l, "2024-02-10_following.json", "2024-02-10T12:00:00Z");
    look(&mut l, "2025-03-07_following.json", "2025-03-07T12:00:00Z");
    look(&mut l, "2026-05-21_following.json", "2026-05-21T12:00:00Z");
    let owner: AccountId = OWNER.parse().unwrap();
    let log = l
        .list(ListKey {
            owner,
            kind: ListKind::Following,
        })
        .unwrap();
    assert_eq!(log.segments().inversions, 0, "X keeps the relative order");
    // New follows arrive between the block at the top and the older follows:
    // joins, each bounded by the two looks around it.
    let mut joins = 0;
    for &to in l.followees_of(owner) {
        for e in l.events(owner, to, AccountId(1)) {
            if e.kind == EventKind::Follow {
                assert!(e.bounds.after.is_some());
                joins += 1;
            }
        }
    }
    assert!(joins > 0, "follows seen arriving between looks");
}

#[test]
fn an_account_gone_from_the_middle_of_a_real_list_and_back_did_not_leave() {
    use reciprocity_core::{AccountId, EventKind};
    let mut l = reciprocity_core::Ledger::new();
    look(&mut l, "2025-03-07_following.json", "2025-03-07T12:00:00Z");
    look(
        &mut l,
        "2025-03-07_following.DERIVED-one-entry-gone.json",
        "2025-03-14T12:00:00Z",
    );
    look(&mut l, "2025-03-07_following.json", "2025-03-21T12:00:00Z");
    let owner: AccountId = OWNER.parse().unwrap();
    let events = l.events(owner, AccountId(589419748), AccountId(1));
    // The page's cursor dates the follow (after 2020-07-13, from X's order); the
    // gap in the middle is a return, not a leave.
    let kinds: Vec<_> = events.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [EventKind::Follow, EventKind::Returned],
        "{events:?}"
    );
    assert_eq!(
        events[0].bounds.after,
        Some(reciprocity_core::Time(1_594_656_485))
    );
    let r = l.track_record(AccountId(1), owner, reciprocity_core::Time(1_800_000_000));
    assert_eq!(
        r.toward_others.left_list_seen + r.toward_others.unfollows_seen,
        0
    );
}

/// FxEmbed's real profile answers: the layout without `legacy`, and unavailable
/// users whose id sits in the wrapper beside the result.
#[test]
fn fxembeds_real_profile_answers_read_whole() {
    let read = |file: &str| {
        let bytes = std::fs::read(fxembed_dir().join(file)).unwrap();
        read_body(&bytes).unwrap()
    };
    for file in ["UserResultByScreenName_x.json", "UserByScreenName_x.json"] {
        let users = read(file);
        assert_eq!(users.len(), 1, "{file}");
        let x = &users[0];
        assert_eq!(
            (x.id.as_str(), x.handle.as_deref()),
            ("783214", Some("X")),
            "{file}"
        );
        assert_eq!(x.following, Some(1), "{file}");
        assert!(x.followers.unwrap() > 60_000_000, "{file}");
        assert_eq!(
            x.blue_verified,
            Some(true),
            "{file}: verification.is_blue_verified"
        );
        assert!(x.brand, "{file}");
        assert!(x.gone.is_none(), "{file}");
    }
    // `relationship_perspectives` with `following` alone: whether X follows you is
    // not said, so it stays unknown.
    let x = &read("UserResultByScreenName_x.json")[0];
    assert_eq!((x.you_follow, x.follows_you), (Some(true), None));
    for file in [
        "UserResultByScreenName_testsuspendeduser.json", // `unavailable_reason`
        "UserByScreenName_testsuspendeduser.json",       // `reason`
    ] {
        let users = read(file);
        assert_eq!(users.len(), 1, "{file}");
        assert_eq!(
            users[0].id, "2040364845615173632",
            "{file}: the wrapper's id"
        );
        assert_eq!(users[0].gone.as_deref(), Some("Suspended"), "{file}");
    }
}

#[test]
fn a_profile_withheld_beside_xs_errors_is_a_failed_request_not_a_new_layout() {
    let bytes = std::fs::read(
        data_dir()
            .join("derived")
            .join("UserByScreenName_x.DERIVED-stripped-with-errors.json"),
    )
    .unwrap();
    let vars = r#"{"screen_name":"X"}"#;
    let env = Envelope::from_json(&envelope(
        "UserByScreenName",
        vars,
        "2026-11-26T01:02:03Z",
        &bytes,
    ))
    .unwrap();
    let e = read_envelope(&env).unwrap_err();
    assert!(matches!(e, CaptureError::XErrors { .. }), "{e}");
    assert!(e.to_string().contains("Authorization"), "{e}");
}

/// A list page larger than X serves is refused whole; one X could serve is read,
/// its unavailable entries each named once (a linear check, see the bench).
#[test]
fn a_list_page_larger_than_x_serves_is_refused() {
    let vars = format!(r#"{{"userId":"{OWNER}","count":20}}"#);
    let read = |n: usize| {
        let env = envelope(
            "Following",
            &vars,
            "2026-11-01T00:00:00Z",
            &unavailable_page(n),
        );
        read_envelope(&Envelope::from_json(&env).unwrap())
    };
    let max = reciprocity_capture::graphql::MAX_PAGE_ENTRIES;
    let r = read(max).unwrap();
    assert_eq!(r.page().unwrap().2, max);
    assert_eq!(r.users.len(), max, "each unavailable entry named once");
    match read(max + 1) {
        Err(e @ reciprocity_capture::CaptureError::PageTooLarge { .. }) => {
            assert!(e.to_string().contains("more than X serves"), "{e}");
        }
        other => panic!("{other:?}"),
    }
}
