//! Helpers shared by the capture tests: where the real captures are, and envelopes
//! built around them.
#![allow(dead_code)]

use std::path::PathBuf;

/// The real captures: `x-graphql/` under the fixtures folder that
/// `.cargo/config.toml` names.
pub fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("RECIPROCITY_FIXTURES")).join("x-graphql")
}

/// FxEmbed's real responses (the layout without `legacy`, unavailable users).
pub fn fxembed_dir() -> PathBuf {
    PathBuf::from(env!("RECIPROCITY_FIXTURES")).join("x-graphql-fxembed")
}

pub fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

/// Every real capture: (file name, bytes).
pub fn real_captures() -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<_> = std::fs::read_dir(fixtures_dir())
        .expect("the real captures (tests/fixtures/x-graphql) are present")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect();
    out.sort();
    assert!(
        out.len() >= 20,
        "expected the real captures, found {}",
        out.len()
    );
    out
}

/// The operation a fixture's kind answers (SOURCES.md).
pub fn operation_of(file: &str) -> &'static str {
    let kind = file.split_once('_').map_or(file, |(_, k)| k);
    let kind = kind.split('.').next().unwrap();
    match kind {
        "followers" => "Followers",
        "following" => "Following",
        "verified_followers" => "BlueVerifiedFollowers",
        "user_by_login" => "UserByScreenName",
        "user_tweets" => "UserTweets",
        "tweet_details" => "TweetDetail",
        "search" => "SearchTimeline",
        "retweeters" => "Retweeters",
        other => panic!("unknown fixture kind {other}"),
    }
}

pub const OWNER: &str = "2244994945";
pub const VIEWER: &str = "900000000000000001";

/// An envelope around a body, as the page hook would write it.
pub fn envelope(op: &str, vars: &str, at: &str, body: &[u8]) -> String {
    let url = format!(
        "https://x.com/i/api/graphql/QUERYID/{op}?variables={}",
        percent(vars)
    );
    format!(
        r#"{{"platform":"x","viewer":"{VIEWER}","at":"{at}","method":"GET","url":"{url}","request_body":null,"status":200,"body":{}}}"#,
        String::from_utf8_lossy(body)
    )
}

fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A Following page of `n` entries whose users are `UserUnavailable` without an
/// id (the entry's id names each): the shape of a hostile page, made here.
pub fn unavailable_page(n: usize) -> Vec<u8> {
    let entries: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"entryId":"user-{}","sortIndex":"{}","content":{{"entryType":"TimelineTimelineItem","itemContent":{{"itemType":"TimelineUser","user_results":{{"result":{{"__typename":"UserUnavailable","reason":"Suspended"}}}}}}}}}}"#,
                1_000_000 + i,
                2_000_000_000 - i
            )
        })
        .collect();
    format!(
        r#"{{"data":{{"user":{{"result":{{"timeline":{{"timeline":{{"instructions":[{{"type":"TimelineAddEntries","entries":[{}]}}]}}}}}}}}}}}}"#,
        entries.join(",")
    )
    .into_bytes()
}

/// The names a list in the page hook declares (`const <name> = [...]`), as the
/// hook holds them.
pub fn hook_list(name: &str) -> Vec<String> {
    let hook = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../extension/content/hook.js"),
    )
    .unwrap();
    let list = hook
        .split_once(&format!("const {name} = ["))
        .and_then(|(_, rest)| rest.split_once("];"))
        .map_or_else(
            || panic!("hook.js declares `const {name} = [...]`"),
            |(list, _)| list,
        );
    let mut names: Vec<String> = list
        .split(',')
        .map(|s| s.trim().trim_matches('\'').to_owned())
        .filter(|s| !s.is_empty())
        .collect();
    names.sort_unstable();
    names
}
