//! Real X archives: the two snapshots of one account (tests/fixtures/x-archive, MIT),
//! read loose, as zips among media entries, and in pages; caps and partial archives.
mod common;
use reciprocity_capture::archive::{self, ArchiveContents, Caps, ZipSource};
use reciprocity_capture::{read_envelope, Envelope};
use reciprocity_core::model::{ListKind, Observation, PagePosition};
use reciprocity_core::{time::to_rfc3339, AccountId, Lang, Ledger};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Read, Seek, SeekFrom, Write};
use std::path::PathBuf;

fn snapshot_dir(name: &str) -> PathBuf {
    PathBuf::from(env!("RECIPROCITY_FIXTURES"))
        .join("x-archive")
        .join(name)
}

fn snapshot(name: &str) -> BTreeMap<String, String> {
    std::fs::read_dir(snapshot_dir(name).join("data"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            let file = format!("data/{}", p.file_name().unwrap().to_string_lossy());
            (file, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

/// The ids of a real list file, read the slow, obvious way (a `Value`), to check
/// the streaming reader against.
fn ids_by_value(text: &str, kind: &str) -> Vec<u64> {
    let json = &text[text.find('=').unwrap() + 1..];
    let items: serde_json::Value = serde_json::from_str(json.trim().trim_end_matches(';')).unwrap();
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i[kind]["accountId"].as_str().unwrap().parse().unwrap())
        .collect()
}

/// A zip of these files under a top folder, with `media` bytes of stored
/// zero-filled "photos" before them, as a real archive is laid out.
fn zip_with_media(files: &BTreeMap<String, String>, media: usize) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let photo = vec![0u8; 1 << 20];
    for i in 0..media.div_ceil(photo.len()) {
        w.start_file(format!("twitter-archive/data/tweets_media/{i}.jpg"), stored)
            .unwrap();
        w.write_all(&photo).unwrap();
    }
    for (name, text) in files {
        w.start_file(format!("twitter-archive/{name}"), deflated)
            .unwrap();
        w.write_all(text.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// A reader that counts what is read of it.
struct Counting<R> {
    inner: R,
    read: u64,
}
impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        Ok(n)
    }
}
impl<R: Seek> Seek for Counting<R> {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        self.inner.seek(pos)
    }
}

#[test]
fn the_real_snapshots_read_whole_with_the_manifests_counts() {
    for (name, followers, following) in [
        ("milahu104-2026-02-10", 55, 114),
        ("milahu104-2026-02-20", 53, 140),
    ] {
        let files = snapshot(name);
        let c = archive::scan(&mut files.clone(), &Caps::ARCHIVE, &mut |_, _| {}).unwrap();
        assert_eq!(c.viewer, AccountId(1964312974236991488), "{name}");
        assert_eq!(c.handle.as_deref(), Some("milahu104"));
        let ids = |l: &archive::ArchiveList| l.ids.iter().map(|a| a.0).collect::<Vec<_>>();
        assert_eq!(
            ids(&c.followers),
            ids_by_value(&files["data/follower.js"], "follower")
        );
        assert_eq!(
            ids(&c.following),
            ids_by_value(&files["data/following.js"], "following")
        );
        assert_eq!(
            (c.followers.ids.len(), c.following.ids.len()),
            (followers, following)
        );
        // The manifest's counts agree and the archive is not partial: whole lists.
        assert!(c.followers.complete && c.following.complete, "{name}");
    }
}

#[test]
fn a_zip_is_read_by_its_directory_and_the_media_is_never_read() {
    let files = snapshot("milahu104-2026-02-20");
    let loose = archive::read(&mut files.clone()).unwrap();
    let zip = zip_with_media(&files, 24 << 20);
    let mut counting = Counting {
        inner: Cursor::new(&zip[..]),
        read: 0,
    };
    let mut source = ZipSource::new(&mut counting).unwrap();
    let mut reports = Vec::new();
    let from_zip = archive::scan(&mut source, &Caps::ARCHIVE, &mut |done, total| {
        reports.push((done, total));
    })
    .unwrap();
    drop(source);
    assert_eq!(archive::read_zip(&zip).unwrap(), loose);
    assert_eq!(from_zip.followers.ids.len(), 53);
    // 24 MiB of photos, and well under one of them is read: the central directory
    // and the three files.
    assert!(counting.read < 512 * 1024, "read {} bytes", counting.read);
    // Progress ends at its total, which is the lists' decompressed size.
    let total = (files["data/follower.js"].len() + files["data/following.js"].len()) as u64;
    assert_eq!(reports.last(), Some(&(total, total)));
}

/// A ledger fed these archives, each in pages of `per` ids.
fn ledger_of(archives: &[&ArchiveContents], per: usize) -> Ledger {
    let mut ledger = Ledger::new();
    for c in archives {
        for page in c.pages(per) {
            let r = archive::page_reading(c.viewer, c.at, &page);
            ledger.ingest(c.viewer, &r.observations).unwrap();
        }
    }
    ledger
}

fn unfollowers(ledger: &Ledger, viewer: AccountId) -> BTreeSet<u64> {
    let now = reciprocity_core::time::parse_rfc3339("2026-03-01T00:00:00Z").unwrap();
    ledger
        .summary(viewer, now, Lang::En)
        .unfollowed_you
        .iter()
        .map(|u| u.account.0)
        .collect()
}

#[test]
fn two_real_snapshots_give_the_real_unfollowers_in_any_page_size() {
    let read = |name| archive::scan(&mut snapshot(name), &Caps::ARCHIVE, &mut |_, _| {}).unwrap();
    let (feb10, feb20) = (read("milahu104-2026-02-10"), read("milahu104-2026-02-20"));
    let before: BTreeSet<u64> = feb10.followers.ids.iter().map(|a| a.0).collect();
    let after: BTreeSet<u64> = feb20.followers.ids.iter().map(|a| a.0).collect();
    let expected: BTreeSet<u64> = before.difference(&after).copied().collect();
    assert!(!expected.is_empty(), "the real snapshots differ");
    for per in [usize::MAX, 10, 1] {
        let ledger = ledger_of(&[&feb10, &feb20], per);
        assert_eq!(
            unfollowers(&ledger, feb10.viewer),
            expected,
            "pages of {per}"
        );
    }
}

#[test]
fn an_import_cut_short_proves_nothing() {
    let read = |name| archive::scan(&mut snapshot(name), &Caps::ARCHIVE, &mut |_, _| {}).unwrap();
    let (feb10, feb20) = (read("milahu104-2026-02-10"), read("milahu104-2026-02-20"));
    let mut ledger = ledger_of(&[&feb10], 10);
    // The later archive's follower pages, all but the last.
    let pages: Vec<_> = feb20
        .pages(10)
        .into_iter()
        .filter(|p| p.list == ListKind::Followers && !p.last)
        .collect();
    assert!(pages.len() > 2);
    for page in &pages {
        let r = archive::page_reading(feb20.viewer, feb20.at, page);
        ledger.ingest(feb20.viewer, &r.observations).unwrap();
    }
    assert_eq!(unfollowers(&ledger, feb10.viewer), BTreeSet::new());
}

#[test]
fn a_partial_archive_or_counts_that_disagree_prove_presence_only() {
    let mut partial = snapshot("milahu104-2026-02-20");
    let manifest = partial["data/manifest.js"].replace(
        "\"isPartialArchive\" : false",
        "\"isPartialArchive\" : true",
    );
    assert_ne!(manifest, partial["data/manifest.js"]);
    partial.insert("data/manifest.js".into(), manifest);
    let mut miscounted = snapshot("milahu104-2026-02-20");
    let manifest =
        miscounted["data/manifest.js"].replace("\"count\" : \"53\"", "\"count\" : \"54\"");
    assert_ne!(manifest, miscounted["data/manifest.js"]);
    miscounted.insert("data/manifest.js".into(), manifest);

    let feb10 = archive::scan(
        &mut snapshot("milahu104-2026-02-10"),
        &Caps::ARCHIVE,
        &mut |_, _| {},
    )
    .unwrap();
    for (what, mut files, following_whole) in [
        ("partial", partial, false),
        ("miscounted", miscounted, true),
    ] {
        let c = archive::scan(&mut files, &Caps::ARCHIVE, &mut |_, _| {}).unwrap();
        assert!(!c.followers.complete, "{what}");
        assert_eq!(c.following.complete, following_whole, "{what}");
        let r = archive::read(&mut files).unwrap();
        assert!(r.observations.iter().any(|o| matches!(o,
            Observation::ListPage(p) if p.list.kind == ListKind::Followers && p.position == PagePosition::Partial)));
        // Who is missing from a list that may not be whole is no unfollower.
        let ledger = ledger_of(&[&feb10, &c], 20);
        assert_eq!(unfollowers(&ledger, c.viewer), BTreeSet::new(), "{what}");
    }
}

#[test]
fn caps_on_size_and_count_are_clear_errors() {
    let files = snapshot("milahu104-2026-02-20");
    let small = Caps {
        file_bytes: 4096,
        list_items: 1_000_000,
    };
    let e = archive::scan(&mut files.clone(), &small, &mut |_, _| {}).unwrap_err();
    // Refused by the size the zip declares, before anything is decompressed.
    assert!(
        e.to_string()
            .contains("data/follower.js: 7958 bytes once decompressed, more than the 4096 bytes"),
        "{e}"
    );
    let few = Caps {
        file_bytes: 1 << 20,
        list_items: 100,
    };
    let e = archive::scan(&mut files.clone(), &few, &mut |_, _| {}).unwrap_err();
    assert!(
        e.to_string()
            .contains("data/following.js: more than 100 accounts in one list"),
        "{e}"
    );

    // A zip entry that inflates beyond what it declares is cut at the cap too.
    struct Lying(BTreeMap<String, String>);
    impl archive::ArchiveSource for Lying {
        fn open(
            &mut self,
            path: &str,
        ) -> Result<Option<archive::ArchiveFile<'_>>, reciprocity_capture::CaptureError> {
            let mut f = self.0.open(path)?;
            if let Some(f) = f.as_mut() {
                f.size = 10;
            }
            Ok(f)
        }
        fn size(&mut self, _: &str) -> Option<u64> {
            Some(10)
        }
    }
    let e = archive::scan(&mut Lying(files), &small, &mut |_, _| {}).unwrap_err();
    assert!(
        e.to_string()
            .contains("more than 4096 bytes once decompressed"),
        "{e}"
    );
}

#[test]
fn hostile_archives_get_a_clear_message() {
    let mut no_lists = snapshot("milahu104-2026-02-20");
    no_lists.remove("data/follower.js");
    no_lists.remove("data/following.js");
    let e = archive::read(&mut no_lists).unwrap_err();
    assert!(
        e.to_string()
            .contains("holds no follower or following data"),
        "{e}"
    );
    let e = archive::read_zip(&zip_with_media(&BTreeMap::new(), 1)).unwrap_err();
    assert!(e.to_string().contains("data/manifest.js is missing"), "{e}");
    let mut zip = zip_with_media(&snapshot("milahu104-2026-02-20"), 1);
    let n = zip.len();
    zip[n - 30..].fill(0xff);
    let e = archive::read_zip(&zip).unwrap_err();
    assert!(e.to_string().contains("not a readable .zip"), "{e}");
}

#[test]
fn a_page_travels_as_an_x_archive_envelope() {
    let c = archive::scan(
        &mut snapshot("milahu104-2026-02-20"),
        &Caps::ARCHIVE,
        &mut |_, _| {},
    )
    .unwrap();
    let pages = c.pages(20);
    assert_eq!(
        pages
            .iter()
            .filter(|p| p.list == ListKind::Followers)
            .count(),
        3
    );
    let page = &pages[1];
    let text = format!(
        r#"{{"platform":"x-archive","viewer":"{}","at":"{}","url":"archive:follower","body":{}}}"#,
        c.viewer,
        to_rfc3339(c.at),
        serde_json::to_string(page).unwrap()
    );
    let r = read_envelope(&Envelope::from_json(&text).unwrap()).unwrap();
    assert_eq!(r, archive::page_reading(c.viewer, c.at, page));
    // Ids cross as strings.
    assert!(text.contains(&format!("\"ids\":[\"{}\"", page.ids[0])));
    let forged = text.replace("\"ids\":[\"", "\"ids\":[\"x");
    assert!(read_envelope(&Envelope::from_json(&forged).unwrap()).is_err());
}
