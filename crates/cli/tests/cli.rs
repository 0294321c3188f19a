//! The `reciprocity` command end to end, on envelopes built from the real captures.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const VIEWER: &str = "900000000000000001";

fn fixtures() -> PathBuf {
    PathBuf::from(env!("RECIPROCITY_FIXTURES")).join("x-graphql")
}
fn derived(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../capture/tests/data/derived")
        .join(name)
}
fn archive(date: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../capture/tests/data/archive")
        .join(date)
}

fn workdir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_reciprocity"))
        .args(args)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The verdict code the store gives @XDevelopers for the viewer.
fn brand_verdict(store: &Path) -> String {
    let o = run(&[
        "annotate",
        "--store",
        store.to_str().unwrap(),
        "--viewer",
        VIEWER,
        "@XDevelopers",
    ]);
    let a: Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    a["verdict"]["code"].as_str().unwrap_or_default().to_owned()
}

/// One envelope line around a body file.
fn envelope(op: &str, at: &str, body: &Path) -> String {
    let body = std::fs::read_to_string(body).unwrap();
    let body: Value = serde_json::from_str(&body).unwrap();
    serde_json::json!({
        "platform": "x", "viewer": VIEWER, "at": at, "method": "GET",
        "url": format!("https://x.com/i/api/graphql/G3KGOASz96M-Qu0nwmGXNg/{op}?variables=%7B%22screen_name%22%3A%22XDevelopers%22%7D"),
        "request_body": null, "status": 200, "body": body,
    })
    .to_string()
}

/// Three days of captures: the brand follows the viewer on Nov 1 and Nov 4, and
/// no longer on Nov 13 (the real capture, where `followed_by` is false).
fn three_days(dir: &Path) -> Vec<PathBuf> {
    let follows = derived("2026-08-07_user_by_login.DERIVED-followed_by-true.json");
    let real = fixtures().join("2026-08-07_user_by_login.json");
    let days = [
        ("day1.jsonl", "2026-11-01T10:00:00Z", &follows),
        ("day4.jsonl", "2026-11-04T18:30:00Z", &follows),
        ("day13.jsonl", "2026-11-13T08:15:00Z", &real),
    ];
    days.iter()
        .map(|(name, at, body)| {
            let p = dir.join(name);
            std::fs::write(&p, envelope("UserByScreenName", at, body) + "\n").unwrap();
            p
        })
        .collect()
}

#[test]
fn a_brand_that_unfollows_is_called_out_with_both_dates() {
    let dir = workdir("unfollows");
    let store = dir.join("store.rcpr");
    let store_s = store.to_str().unwrap();
    for file in three_days(&dir) {
        let o = run(&["ingest", "--store", store_s, file.to_str().unwrap()]);
        assert!(
            o.status.success(),
            "{}{}",
            stdout(&o),
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(
            stdout(&o).contains("UserByScreenName at 2026-11-"),
            "{}",
            stdout(&o)
        );
    }
    let o = run(&[
        "annotate",
        "--store",
        store_s,
        "--viewer",
        VIEWER,
        "@XDevelopers",
        "2244994945",
    ]);
    assert!(o.status.success());
    let text = stdout(&o);
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0], lines[1], "a handle and an id of the same account");
    let a = &lines[0];
    assert_eq!(a["account"]["id"], "2244994945");
    assert_eq!(a["account"]["handle"], "XDevelopers");
    assert_eq!(a["account"]["brand"], true);
    assert_eq!(a["follows_you"]["state"], "no");
    assert_eq!(a["you_follow"]["state"], "yes");
    assert_eq!(a["verdict"]["code"], "unfollowed_you");
    let ev = a["verdict"]["evidence"].as_array().unwrap();
    let unfollow = ev.iter().find(|e| e["kind"] == "unfollowed_you").unwrap();
    assert_eq!(unfollow["after"], "2026-11-04T18:30:00Z");
    assert_eq!(unfollow["by"], "2026-11-13T08:15:00Z");
    let followed = ev.iter().find(|e| e["kind"] == "followed_you").unwrap();
    assert_eq!(followed["by"], "2026-11-01T10:00:00Z");
    assert!(a["verdict"]["text"]
        .as_str()
        .unwrap()
        .contains("between 2026-11-04 and 2026-11-13"));
    assert_eq!(a["verdict"]["label"], "Unfollowed you");
    assert_eq!(a["verdict"]["severity"], "alert");

    // Asked in French, the engine says it in French, dates and all.
    let fr = run(&[
        "annotate",
        "--store",
        store_s,
        "--viewer",
        VIEWER,
        "--lang",
        "fr",
        "@XDevelopers",
    ]);
    let fr: Value = serde_json::from_str(stdout(&fr).trim()).unwrap();
    assert!(fr["verdict"]["text"]
        .as_str()
        .unwrap()
        .contains("entre le 2026-11-04 et le 2026-11-13"));
    assert_eq!(fr["verdict"]["label"], "Vous a lâché");

    // The same ledger gives byte-identical output.
    let again = run(&[
        "annotate",
        "--store",
        store_s,
        "--viewer",
        VIEWER,
        "@XDevelopers",
        "2244994945",
    ]);
    assert_eq!(again.stdout, o.stdout);

    // Ingesting the same captures again, in another order, changes nothing.
    let before = std::fs::read(&store).unwrap();
    let mut files = three_days(&dir);
    files.reverse();
    let mut args = vec!["ingest", "--store", store_s];
    args.extend(files.iter().map(|f| f.to_str().unwrap()));
    let o = run(&args);
    assert!(o.status.success());
    assert!(stdout(&o).contains("nothing new"), "{}", stdout(&o));
    assert_eq!(std::fs::read(&store).unwrap(), before);

    let o = run(&["report", "--store", store_s, "--viewer", VIEWER]);
    assert!(o.status.success());
    let r = stdout(&o);
    assert!(
        r.contains(
            "Unfollowed you (1):\n  @XDevelopers (Developers) — between 2026-11-04 and 2026-11-13"
        ),
        "{r}"
    );
    assert!(r.contains("You follow, they don't follow back (1):"), "{r}");
}

#[test]
fn refused_captures_are_named_and_the_rest_is_kept() {
    let dir = workdir("refusals");
    let store = dir.join("store.rcpr");
    let good = envelope(
        "UserByScreenName",
        "2026-11-01T10:00:00Z",
        &fixtures().join("2026-08-07_user_by_login.json"),
    );
    let unknown = envelope(
        "UserByScreenName",
        "2026-11-01T10:00:00Z",
        &derived("2026-08-07_user_by_login.DERIVED-unknown-layout.json"),
    );
    let file = dir.join("mixed.jsonl");
    std::fs::write(&file, format!("{good}\n{{not json\n{unknown}\n")).unwrap();
    let o = run(&[
        "ingest",
        "--store",
        store.to_str().unwrap(),
        file.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "some captures were refused");
    let out = stdout(&o);
    assert!(
        out.contains("mixed.jsonl:1: UserByScreenName at 2026-11-01T10:00:00Z: 1 account(s)"),
        "{out}"
    );
    assert!(
        out.contains("mixed.jsonl:2: refused: not a capture envelope"),
        "{out}"
    );
    assert!(
        out.contains("mixed.jsonl:3: refused: UserByScreenName: unknown layout"),
        "{out}"
    );
    assert!(out.contains("1 capture(s) read, 2 refused"), "{out}");
    let o = run(&[
        "annotate",
        "--store",
        store.to_str().unwrap(),
        "--viewer",
        VIEWER,
        "xdevelopers",
    ]);
    assert!(o.status.success(), "the good capture was kept");

    // An envelope with no viewer needs --viewer.
    let anonymous = good.replace(&format!("\"viewer\":\"{VIEWER}\""), "\"viewer\":null");
    std::fs::write(&file, anonymous).unwrap();
    let o = run(&[
        "ingest",
        "--store",
        store.to_str().unwrap(),
        file.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("no viewer"), "{}", stdout(&o));
    let o = run(&[
        "ingest",
        "--store",
        store.to_str().unwrap(),
        "--viewer",
        VIEWER,
        file.to_str().unwrap(),
    ]);
    assert!(o.status.success());
}

#[test]
fn a_corrupt_store_is_reported_and_never_overwritten() {
    let dir = workdir("corrupt");
    let store = dir.join("store.rcpr");
    let file = three_days(&dir).remove(0);
    assert!(run(&[
        "ingest",
        "--store",
        store.to_str().unwrap(),
        file.to_str().unwrap()
    ])
    .status
    .success());
    let mut bytes = std::fs::read(&store).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0xff;
    std::fs::write(&store, &bytes).unwrap();
    let o = run(&[
        "ingest",
        "--store",
        store.to_str().unwrap(),
        file.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("corrupt") && err.contains("left untouched"),
        "{err}"
    );
    assert_eq!(std::fs::read(&store).unwrap(), bytes, "not overwritten");

    std::fs::write(&store, &bytes[..bytes.len() / 3]).unwrap();
    let o = run(&[
        "report",
        "--store",
        store.to_str().unwrap(),
        "--viewer",
        VIEWER,
    ]);
    assert_eq!(o.status.code(), Some(2));
    let mut newer = std::fs::read(&store).unwrap();
    newer[8] = 0x7f;
    std::fs::write(&store, &newer).unwrap();
    let o = run(&["export", "--store", store.to_str().unwrap()]);
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("newer version"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn export_imports_back_to_the_same_store_and_archives_ingest() {
    let dir = workdir("export");
    let store = dir.join("store.rcpr");
    let s = store.to_str().unwrap();
    let mut args = vec!["ingest", "--store", s];
    let files = three_days(&dir);
    args.extend(files.iter().map(|f| f.to_str().unwrap()));
    let older = archive("2026-10-01");
    let newer = archive("2026-11-01");
    args.push(older.to_str().unwrap());
    args.push(newer.to_str().unwrap());
    let o = run(&args);
    assert!(o.status.success(), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("archive at 2026-10-01T09:30:00Z"),
        "{}",
        stdout(&o)
    );
    let export = run(&["export", "--store", s]);
    assert!(export.status.success());
    let json = dir.join("export.json");
    std::fs::write(&json, &export.stdout).unwrap();
    let copy = dir.join("copy.rcpr");
    let o = run(&[
        "import",
        "--store",
        copy.to_str().unwrap(),
        json.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        std::fs::read(&copy).unwrap(),
        std::fs::read(&store).unwrap()
    );
    // Between the archives, account 1500000000000000002 stayed and the brand left
    // the viewer's followers (the Nov 1 archive); the captures said so too.
    let o = run(&["report", "--store", s, "--viewer", VIEWER, "--json"]);
    let summary: Value = serde_json::from_slice(&o.stdout).unwrap();
    let unfollowers: Vec<&str> = summary["unfollowed_you"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["account"].as_str().unwrap())
        .collect();
    assert_eq!(unfollowers, vec!["2244994945"]);
}

#[test]
fn parse_prints_one_line_per_account_with_the_documented_keys() {
    let o = run(&[
        "parse",
        fixtures()
            .join("2026-05-21_followers.json")
            .to_str()
            .unwrap(),
    ]);
    assert!(o.status.success());
    let lines: Vec<Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 70);
    let keys = [
        "id",
        "handle",
        "name",
        "followers",
        "following",
        "follows_you",
        "you_follow",
        "protected",
        "verified_type",
        "blue_verified",
        "professional_type",
        "brand",
        "gone",
    ];
    for l in &lines {
        let obj = l.as_object().unwrap();
        assert_eq!(obj.len(), keys.len(), "{l}");
        for k in keys {
            assert!(obj.contains_key(k), "{k} in {l}");
        }
        assert!(l["id"].is_string() && l["followers"].is_u64());
    }
    let o = run(&["parse", "/nonexistent/file.json"]);
    assert_eq!(o.status.code(), Some(1));
    let o = run(&["--help"]);
    assert!(stdout(&o).contains("ingest") && stdout(&o).contains("annotate"));
    for cmd in ["ingest", "annotate", "report", "export", "import", "parse"] {
        let o = run(&[cmd, "--help"]);
        assert!(o.status.success(), "{cmd} --help");
    }
}

#[test]
fn runs_on_one_store_take_turns_and_lose_no_update() {
    let dir = workdir("concurrent");
    let store = dir.join("s.rcpr");
    let days = three_days(&dir);
    // Each run ingests one day; started together, they must not overwrite each
    // other (load, change, save is held under the store's lock).
    let children: Vec<_> = days
        .iter()
        .map(|day| {
            Command::new(env!("CARGO_BIN_EXE_reciprocity"))
                .args(["ingest", "--store"])
                .arg(&store)
                .arg(day)
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    assert_eq!(
        brand_verdict(&store),
        "unfollowed_you",
        "all three days kept"
    );
}

#[cfg(unix)]
#[test]
fn the_store_is_never_written_through_a_planted_link_and_keeps_its_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = workdir("planted");
    let store = dir.join("s.rcpr");
    let victim = dir.join("victim");
    std::fs::write(&victim, "keep me").unwrap();
    // The name a predictable writer would use, pointing elsewhere.
    std::os::unix::fs::symlink(&victim, dir.join(".s.rcpr.tmp")).unwrap();
    let days = three_days(&dir);
    let o = run(&[
        "ingest",
        "--store",
        store.to_str().unwrap(),
        days[0].to_str().unwrap(),
    ]);
    assert!(o.status.success());
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&store), 0o600, "a new store is the user's alone");
    std::fs::set_permissions(&store, std::fs::Permissions::from_mode(0o640)).unwrap();
    let o = run(&[
        "ingest",
        "--store",
        store.to_str().unwrap(),
        days[1].to_str().unwrap(),
    ]);
    assert!(o.status.success());
    assert_eq!(mode(&store), 0o640, "an existing store keeps its own mode");
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .collect();
    assert!(leftovers.is_empty(), "no file left aside");
}

#[test]
fn a_closed_pipe_ends_quietly_after_saving() {
    use std::process::Stdio;
    let dir = workdir("pipe");
    let store = dir.join("s.rcpr");
    let days = three_days(&dir);
    let mut child = Command::new(env!("CARGO_BIN_EXE_reciprocity"))
        .args(["ingest", "--store"])
        .arg(&store)
        .args(&days)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The reader goes away before reading a byte (`… | head -c 0`).
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    assert_eq!(
        brand_verdict(&store),
        "unfollowed_you",
        "the store was saved"
    );
}

#[test]
fn events_prints_each_change_with_its_bounds_and_confidence() {
    let dir = workdir("events");
    let store = dir.join("s.rcpr");
    let days = three_days(&dir);
    let mut args = vec!["ingest", "--store", store.to_str().unwrap()];
    args.extend(days.iter().map(|d| d.to_str().unwrap()));
    assert!(run(&args).status.success());
    let o = run(&[
        "events",
        "--store",
        store.to_str().unwrap(),
        "--viewer",
        VIEWER,
        "@XDevelopers",
    ]);
    assert!(o.status.success());
    let lines: Vec<Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let unfollow = lines
        .iter()
        .find(|e| e["kind"] == "unfollow")
        .expect("the unfollow");
    assert_eq!(unfollow["from"], "2244994945");
    assert_eq!(unfollow["to"], VIEWER);
    assert_eq!(unfollow["after"], "2026-11-04T18:30:00Z");
    assert_eq!(unfollow["by"], "2026-11-13T08:15:00Z");
    assert_eq!(unfollow["confidence"], "high");
    for e in &lines {
        for key in ["from", "to", "kind", "after", "by", "confidence"] {
            assert!(e.get(key).is_some(), "{key} in {e}");
        }
    }
}

#[test]
fn events_date_each_follower_of_a_first_page_by_its_cursor() {
    let dir = workdir("dated");
    let store = dir.join("s.rcpr");
    // XDevelopers' real Followers page, as the page hook records it.
    let body: Value = serde_json::from_str(
        &std::fs::read_to_string(fixtures().join("2026-08-07_followers.json")).unwrap(),
    )
    .unwrap();
    let capture = dir.join("followers.jsonl");
    let line = serde_json::json!({
        "platform": "x", "viewer": VIEWER, "at": "2026-08-06T21:13:31Z", "method": "GET",
        "url": "https://x.com/i/api/graphql/Q/Followers?variables=%7B%22userId%22%3A%222244994945%22%2C%22count%22%3A20%7D",
        "request_body": null, "status": 200, "body": body,
    });
    std::fs::write(&capture, format!("{line}\n")).unwrap();
    let s = store.to_str().unwrap();
    assert!(run(&["ingest", "--store", s, capture.to_str().unwrap()])
        .status
        .success());
    let follow_of = |account: &str| -> Value {
        let o = run(&["events", "--store", s, "--viewer", VIEWER, account]);
        assert!(o.status.success());
        let lines: Vec<Value> = stdout(&o)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .filter(|e: &Value| e["kind"] == "follow" && e["to"] == "2244994945")
            .collect();
        assert_eq!(lines.len(), 1, "{lines:?}");
        lines[0].clone()
    };
    // The last follower: the cursor's second (14:30:59.130), exactly.
    let last = follow_of("2085371120388030464");
    assert_eq!(last["after"], "2026-08-06T14:30:58Z");
    assert_eq!(last["by"], "2026-08-06T14:30:59Z");
    assert_eq!(last["confidence"], "high");
    // One above it: from the cursor's time to the capture.
    let above = follow_of("2085468248527532032");
    assert_eq!(above["after"], "2026-08-06T14:30:58Z");
    assert_eq!(above["by"], "2026-08-06T21:13:31Z");
    assert_eq!(above["confidence"], "medium", "it rests on X's order");
}

#[test]
fn an_archive_or_a_ledger_file_from_the_future_is_refused() {
    let dir = workdir("future");
    let store = dir.join("s.rcpr");
    let s = store.to_str().unwrap();
    // A derived copy of the test archive, its manifest dated 2099.
    let future = dir.join("archive-2099/data");
    std::fs::create_dir_all(&future).unwrap();
    for entry in std::fs::read_dir(archive("2026-11-01").join("data")).unwrap() {
        let entry = entry.unwrap();
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let text = text.replace("2026-11-01T09:30:00.000Z", "2099-11-01T09:30:00.000Z");
        std::fs::write(future.join(entry.file_name()), text).unwrap();
    }
    let o = run(&[
        "ingest",
        "--store",
        s,
        future.parent().unwrap().to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    let out = stdout(&o);
    assert!(
        out.contains("dated 2099-11-01T09:30:00Z, after this machine's clock"),
        "{out}"
    );
    // Nothing of it was kept: the store holds no viewer.
    let o = run(&["export", "--store", s]);
    let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(doc["viewers"].as_array().map(Vec::len), Some(0), "{doc}");

    // The same archive dated as it is imports; its export moved to 2099 does not.
    assert!(run(&[
        "ingest",
        "--store",
        s,
        archive("2026-11-01").to_str().unwrap()
    ])
    .status
    .success());
    let export = stdout(&run(&["export", "--store", s]));
    let moved = dir.join("moved.json");
    std::fs::write(
        &moved,
        export.replace("\"2026-11-01T09:30:00Z\"", "\"2099-11-01T09:30:00Z\""),
    )
    .unwrap();
    let o = run(&["import", "--store", s, moved.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("after this machine's clock"));
}

#[test]
fn a_jetstream_file_and_a_bluesky_read_reach_the_viewers_own_ledger() {
    let dir = workdir("bluesky");
    let store = dir.join("store.rcp");
    let bsky = PathBuf::from(env!("RECIPROCITY_FIXTURES")).join("bluesky");
    let feed = bsky.join("jetstream/jetstream_golden_v1.jsonl");
    // The feed's one follow: mxwlsvdgs6tn75lq6jrr2vp7 → anc6s2kher6ltrhhglxrzxsa.
    let viewer = "did:plc:anc6s2kher6ltrhhglxrzxsa";
    let follower = "did:plc:mxwlsvdgs6tn75lq6jrr2vp7";
    // A feed names no viewer: without one it is refused, and nothing is kept.
    let o = run(&[
        "ingest",
        "--store",
        store.to_str().unwrap(),
        feed.to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    assert!(stdout(&o).contains("pass --viewer DID"), "{}", stdout(&o));
    let o = run(&[
        "ingest",
        "--store",
        store.to_str().unwrap(),
        "--viewer",
        viewer,
        feed.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("1 capture(s) read, 0 refused"),
        "{}",
        stdout(&o)
    );
    // Each account's annotation, as the command prints it.
    let annotate = |viewer: &str, accounts: &[&str]| -> Vec<Value> {
        let mut args = vec![
            "annotate",
            "--store",
            store.to_str().unwrap(),
            "--viewer",
            viewer,
        ];
        args.extend_from_slice(accounts);
        stdout(&run(&args))
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    };
    let a = &annotate(viewer, &[follower])[0];
    assert_eq!(a["follows_you"]["state"], "yes", "{a}");
    assert_eq!(a["follows_you"]["dated"], "record_key", "{a}");
    let since = a["follows_you"]["since"].as_str().unwrap();
    assert!(since.starts_with("2026-05-25T14:23:2"), "{since}");
    // The same viewer as an X id is another ledger: nothing mixes.
    let a = &annotate(VIEWER, &[follower])[0];
    assert_ne!(a["follows_you"]["state"], "yes", "{a}");
    // A bsky.app read as an envelope: its viewer is a DID, its accounts too.
    let read: Value = serde_json::from_str(
        &std::fs::read_to_string(bsky.join("01_getProfiles_2025-05_authed.json")).unwrap(),
    )
    .unwrap();
    let env = serde_json::json!({
        "platform": "bsky", "viewer": "did:plc:5c2r73erhng4bszmxlfdtscf", "at": "2025-05-19T17:41:25Z",
        "method": "GET", "url": read["_source"]["request"]["uri"], "status": 200, "body": read["body"],
    });
    let path = dir.join("profile.json");
    std::fs::write(&path, env.to_string()).unwrap();
    let o = run(&[
        "ingest",
        "--store",
        store.to_str().unwrap(),
        path.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stdout(&o));
    let lines = annotate(
        "did:plc:5c2r73erhng4bszmxlfdtscf",
        &[
            "@chriskenny.bsky.social",
            "did:plc:wpe35pganb6d4pg4ekmfy6u5",
        ],
    );
    assert_eq!(lines.len(), 2);
    for a in &lines {
        assert_eq!(a["follows_you"]["since"], "2023-10-24T01:28:28Z", "{a}");
    }
}

#[test]
fn a_bluesky_repository_export_gives_the_owners_follows_with_their_dates() {
    let dir = workdir("bluesky-car");
    let store = dir.join("store.rcp");
    let car = PathBuf::from(env!("RECIPROCITY_FIXTURES"))
        .join("bluesky/jetstream/jetstream_corpus_repo.car");
    let owner = "did:plc:53iucmf5ldftgqyf2ac7hmhd";
    // Another account's export is not the viewer's.
    let o = run(&[
        "ingest",
        "--store",
        store.to_str().unwrap(),
        "--viewer",
        "did:plc:5c2r73erhng4bszmxlfdtscf",
        car.to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    assert!(stdout(&o).contains("not the viewer's"), "{}", stdout(&o));
    // A file larger than any repository is refused by its size (a sparse file).
    let huge = dir.join("huge.DERIVED.car");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(600 << 20)
        .unwrap();
    let o = run(&[
        "ingest",
        "--store",
        store.to_str().unwrap(),
        huge.to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    assert!(stdout(&o).contains("600 MiB"), "{}", stdout(&o));
    std::fs::remove_file(&huge).unwrap();
    let o = run(&[
        "ingest",
        "--store",
        store.to_str().unwrap(),
        car.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stdout(&o));
    assert!(stdout(&o).contains("the whole list"), "{}", stdout(&o));
    let o = run(&[
        "annotate",
        "--store",
        store.to_str().unwrap(),
        "--viewer",
        owner,
        "did:plc:z72i7hdynmk6r22z27h6tvur",
    ]);
    let a: Value = serde_json::from_str(stdout(&o).lines().next().unwrap()).unwrap();
    assert_eq!(a["you_follow"]["state"], "yes", "{a}");
    assert_eq!(a["you_follow"]["dated"], "record_key", "{a}");
    let since = a["you_follow"]["since"].as_str().unwrap();
    assert!(since.starts_with("2025-05-29T11:49:0"), "{since}");
}

#[test]
fn a_jetstream_file_is_read_line_by_line_and_a_delete_before_its_create_still_ends_it() {
    let dir = workdir("jetstream-stream");
    let store = dir.join("store.rcp");
    let me = "did:plc:53iucmf5ldftgqyf2ac7hmhd";
    let them = "did:plc:z72i7hdynmk6r22z27h6tvur";
    // A derived feed: the delete (a week later) written before the create.
    let create = serde_json::json!({"did": me, "time_us": 1_748_519_349_000_000u64, "kind": "commit",
        "commit": {"rev": "3lqcnlemwy22g", "operation": "create", "collection": "app.bsky.graph.follow",
        "rkey": "3lqcnlemwy22g", "record": {"$type": "app.bsky.graph.follow",
        "createdAt": "2025-05-29T11:49:08.696Z", "subject": them}}});
    let delete = serde_json::json!({"did": me, "time_us": 1_749_124_149_000_000u64, "kind": "commit",
        "commit": {"operation": "delete", "collection": "app.bsky.graph.follow", "rkey": "3lqcnlemwy22g"}});
    let feed = dir.join("feed.DERIVED.jsonl");
    std::fs::write(&feed, format!("{delete}\n\n{create}\n")).unwrap();
    let o = run(&[
        "ingest",
        "--store",
        store.to_str().unwrap(),
        "--viewer",
        me,
        feed.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("feed.DERIVED.jsonl:3"),
        "lines keep their numbers: {}",
        stdout(&o)
    );
    let o = run(&[
        "annotate",
        "--store",
        store.to_str().unwrap(),
        "--viewer",
        me,
        them,
    ]);
    let a: Value = serde_json::from_str(stdout(&o).lines().next().unwrap()).unwrap();
    assert_ne!(a["you_follow"]["state"], "yes", "the delete ended it: {a}");
}
