//! The X data archive (made fixtures in X's shape) and the REST endpoints.

mod common;

use common::*;
use reciprocity_capture::archive;
use reciprocity_capture::{read_envelope, CaptureError, Envelope};
use reciprocity_core::model::{ListKind, Observation, PagePosition};
use reciprocity_core::AccountId;
use std::collections::BTreeMap;
use std::io::Write;

fn archive_files(date: &str) -> BTreeMap<String, String> {
    let dir = data_dir().join("archive").join(date).join("data");
    std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            let name = format!("data/{}", p.file_name().unwrap().to_string_lossy());
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

fn zip_of(files: &BTreeMap<String, String>, prefix: &str) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, text) in files {
        w.start_file(format!("{prefix}{name}"), opts).unwrap();
        w.write_all(text.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn entries(r: &reciprocity_capture::Reading, kind: ListKind) -> Vec<u64> {
    r.observations
        .iter()
        .find_map(|o| match o {
            Observation::ListPage(p) if p.list.kind == kind => {
                Some(p.entries.iter().map(|e| e.0).collect())
            }
            _ => None,
        })
        .unwrap()
}

#[test]
fn an_archive_is_a_dated_complete_snapshot_of_the_viewer() {
    let r = archive::read(&mut archive_files("2026-11-01")).unwrap();
    assert_eq!(r.viewer, Some(AccountId(900_000_000_000_000_001)));
    assert_eq!(
        reciprocity_core::time::to_rfc3339(r.at),
        "2026-11-01T09:30:00Z"
    );
    // Followers come in two parts, as the manifest lists them.
    assert_eq!(
        entries(&r, ListKind::Followers),
        vec![783214, 1_500_000_000_000_000_002, 1_600_000_000_000_000_003]
    );
    assert_eq!(
        entries(&r, ListKind::Following),
        vec![2244994945, 12, 783214]
    );
    assert!(r.observations.iter().all(|o| match o {
        Observation::ListPage(p) =>
            p.position
                == PagePosition::Walk {
                    cursor: None,
                    next_cursor: None,
                    is_last: true
                },
        _ => true,
    }));
    assert_eq!(r.users[0].handle.as_deref(), Some("reciprocity_viewer"));
}

#[test]
fn a_zip_reads_the_same_with_or_without_a_top_folder() {
    let files = archive_files("2026-10-01");
    let loose = archive::read(&mut files.clone()).unwrap();
    for prefix in ["", "twitter-2026-10-01-abc/"] {
        let r = archive::read_zip(&zip_of(&files, prefix)).unwrap();
        assert_eq!(r, loose, "prefix {prefix:?}");
    }
}

#[test]
fn an_archive_with_a_file_missing_says_which() {
    let mut files = archive_files("2026-11-01");
    files.remove("data/follower-part1.js");
    let e = archive::read(&mut files).unwrap_err();
    assert!(
        e.to_string().contains("data/follower-part1.js is missing"),
        "{e}"
    );
    let mut files = archive_files("2026-11-01");
    files.remove("data/manifest.js");
    let e = archive::read(&mut files).unwrap_err();
    assert!(e.to_string().contains("manifest.js is missing"), "{e}");
    let e = archive::read_zip(b"PK\x03\x04 not really").unwrap_err();
    assert!(matches!(e, CaptureError::Archive(_)), "{e}");
}

#[test]
fn a_broken_archive_file_is_named() {
    let mut files = archive_files("2026-10-01");
    files.insert(
        "data/following.js".into(),
        "window.YTD.following.part0 = [{\"following\":{}}]".into(),
    );
    let e = archive::read(&mut files).unwrap_err();
    assert!(e.to_string().contains("data/following.js: item 0"), "{e}");
    let e = archive::read(&mut BTreeMap::<String, String>::new()).unwrap_err();
    assert!(e.to_string().contains("is this an X data archive?"), "{e}");
}

fn rest_envelope(url: &str, file: &str) -> Envelope {
    let body = std::fs::read_to_string(data_dir().join("rest").join(file)).unwrap();
    Envelope::from_json(&format!(
        r#"{{"platform":"x","viewer":"{VIEWER}","at":"2026-11-26T01:02:03Z","method":"GET","url":"{url}","status":200,"body":{body}}}"#
    ))
    .unwrap()
}

#[test]
fn friendships_show_gives_both_edges() {
    let env = rest_envelope(
        "https://x.com/i/api/1.1/friendships/show.json?source_id=900000000000000001&target_screen_name=XDevelopers",
        "friendships_show.MADE.json",
    );
    let r = read_envelope(&env).unwrap();
    let viewer = AccountId(900_000_000_000_000_001);
    let brand = AccountId(2244994945);
    assert!(r.observations.contains(&Observation::Pair {
        from: viewer,
        to: brand,
        at: r.at,
        follows: true
    }));
    assert!(r.observations.contains(&Observation::Pair {
        from: brand,
        to: viewer,
        at: r.at,
        follows: true
    }));
    assert_eq!(r.users[1].handle.as_deref(), Some("XDevelopers"));
}

#[test]
fn ids_pages_chain_to_a_last_page() {
    let p1 = read_envelope(&rest_envelope(
        "https://x.com/i/api/1.1/followers/ids.json?user_id=900000000000000001&cursor=-1&count=5000",
        "followers_ids.page1.MADE.json",
    ))
    .unwrap();
    let (key, pos, n) = p1.page().unwrap();
    assert_eq!((key.kind, n), (ListKind::Followers, 3));
    assert_eq!(
        pos,
        &PagePosition::Walk {
            cursor: None,
            next_cursor: Some("1374004777531007833".into()),
            is_last: false
        }
    );
    let p2 = read_envelope(&rest_envelope(
        "https://x.com/i/api/1.1/friends/ids.json?user_id=900000000000000001&cursor=1374004777531007833",
        "followers_ids.page2.MADE.json",
    ))
    .unwrap();
    let (key, pos, n) = p2.page().unwrap();
    assert_eq!((key.kind, n), (ListKind::Following, 2));
    assert_eq!(
        pos,
        &PagePosition::Walk {
            cursor: Some("1374004777531007833".into()),
            next_cursor: None,
            is_last: true
        }
    );
    let mut no_owner = rest_envelope(
        "https://x.com/i/api/1.1/followers/ids.json?screen_name=x",
        "followers_ids.page1.MADE.json",
    );
    no_owner.viewer = None;
    assert!(matches!(
        read_envelope(&no_owner),
        Err(CaptureError::MissingVariable { .. })
    ));
}

#[test]
fn a_part_file_the_manifest_repeats_is_read_once() {
    use reciprocity_capture::archive::read;
    use std::collections::BTreeMap;
    let manifest = |parts: &str| {
        format!(
            r#"window.__THAR_CONFIG = {{"userInfo":{{"accountId":"900000000000000001"}},
            "archiveInfo":{{"generationDate":"2026-11-01T00:00:00.000Z"}},
            "dataTypes":{{"follower":{{"files":[{parts}]}},"following":{{"files":[]}}}}}}"#
        )
    };
    let part = r#"{"fileName":"data/follower.js"}"#;
    let mut files = BTreeMap::new();
    files.insert(
        "data/manifest.js".to_owned(),
        manifest(&[part; 1000].join(",")),
    );
    files.insert(
        "data/follower.js".to_owned(),
        r#"window.YTD.follower.part0 = [{"follower":{"accountId":"12","userLink":"x"}}]"#
            .to_owned(),
    );
    files.insert(
        "data/following.js".to_owned(),
        "window.YTD.following.part0 = []".to_owned(),
    );
    let r = read(&mut files).unwrap();
    let (_, _, n) = r.page().unwrap();
    assert_eq!(n, 1, "a part listed a thousand times is read once");
}
