//! Reading an X archive's lists: 100 000 followers and 100 000 following in X's
//! layout (about 28 MB of text, deflated), by `archive::scan`, beside only
//! inflating the same entries in the same run (the baseline: no parsing at all).
//!
//! `cargo bench -p reciprocity-capture --bench archive`

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use reciprocity_capture::archive::{self, Caps, ZipSource};
use std::io::{Cursor, Write};

fn list(kind: &str, base: u64, n: u64) -> String {
    let items: Vec<String> = (0..n)
        .map(|i| {
            let id = base + i;
            format!("  {{\n    \"{kind}\" : {{\n      \"accountId\" : \"{id}\",\n      \"userLink\" : \"https://twitter.com/intent/user?user_id={id}\"\n    }}\n  }}")
        })
        .collect();
    format!("window.YTD.{kind}.part0 = [\n{}\n]", items.join(",\n"))
}

fn archive_zip() -> (Vec<u8>, u64) {
    let manifest = r#"window.__THAR_CONFIG = {"userInfo":{"accountId":"1964312974236991488","userName":"milahu104"},"archiveInfo":{"generationDate":"2026-11-01T09:00:00.000Z","isPartialArchive":false},"dataTypes":{"follower":{"files":[{"fileName":"data/follower.js","count":"100000"}]},"following":{"files":[{"fileName":"data/following.js","count":"100000"}]}}}"#;
    let files = [
        ("data/manifest.js", manifest.to_owned()),
        ("data/follower.js", list("follower", 1_000_000_000, 100_000)),
        (
            "data/following.js",
            list("following", 2_000_000_000, 100_000),
        ),
    ];
    let text: u64 = files[1..].iter().map(|(_, t)| t.len() as u64).sum();
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, text) in &files {
        w.start_file(*name, opts).unwrap();
        w.write_all(text.as_bytes()).unwrap();
    }
    (w.finish().unwrap().into_inner(), text)
}

fn bench(c: &mut Criterion) {
    let (zip, text) = archive_zip();
    let mut g = c.benchmark_group("archive lists, 100k + 100k");
    g.throughput(Throughput::Bytes(text));
    g.sample_size(20);
    g.bench_function("reciprocity scan (ids)", |b| {
        b.iter(|| {
            let mut src = ZipSource::new(Cursor::new(&zip[..])).unwrap();
            let c = archive::scan(&mut src, &Caps::ARCHIVE, &mut |_, _| {}).unwrap();
            black_box(c.followers.ids.len() + c.following.ids.len())
        });
    });
    g.bench_function("baseline: inflate the same entries", |b| {
        b.iter(|| {
            let mut z = zip::ZipArchive::new(Cursor::new(&zip[..])).unwrap();
            let mut n = 0u64;
            for name in ["data/follower.js", "data/following.js"] {
                let mut f = z.by_name(name).unwrap();
                n += std::io::copy(&mut f, &mut std::io::sink()).unwrap();
            }
            black_box(n)
        });
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
