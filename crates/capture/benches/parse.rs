//! Parse throughput of the X reader over the real captures, beside building a
//! `serde_json::Value` of the same bytes in the same run (the baseline).
//!
//! `cargo bench -p reciprocity-capture`

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use std::path::PathBuf;

fn captures() -> Vec<Vec<u8>> {
    let dir = PathBuf::from(env!("RECIPROCITY_FIXTURES")).join("x-graphql");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("the real captures")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| {
            // As X sends them: whitespace stripped.
            let v: serde_json::Value = serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap();
            serde_json::to_vec(&v).unwrap()
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let all = captures();
    let total: usize = all.iter().map(Vec::len).sum();
    let mut g = c.benchmark_group("read all real captures");
    g.throughput(Throughput::Bytes(total as u64));
    g.bench_function("reciprocity reader (users found)", |b| {
        b.iter(|| {
            all.iter()
                .map(|body| reciprocity_capture::read_body(body).unwrap().len())
                .sum::<usize>()
        });
    });
    g.bench_function("baseline: serde_json::Value", |b| {
        b.iter(|| {
            all.iter()
                .map(|body| {
                    usize::from(
                        black_box(serde_json::from_slice::<serde_json::Value>(body).unwrap())
                            .is_object(),
                    )
                })
                .sum::<usize>()
        });
    });
    g.bench_function("baseline: serde_json IgnoredAny (validate only)", |b| {
        b.iter(|| {
            for body in &all {
                black_box(serde_json::from_slice::<serde::de::IgnoredAny>(body).unwrap());
            }
        });
    });
    g.finish();
}

/// The hostile page of 160,000 `UserUnavailable` entries without ids (about 16
/// MiB less a little, under the worker's cap): the reader against validating the
/// same bytes. Twice the entries should cost twice the time (it used to be 4×).
fn bench_worst_page(c: &mut Criterion) {
    let page = |n: usize| -> Vec<u8> {
        let entries: Vec<String> = (0..n)
            .map(|i| format!(r#"{{"entryId":"user-{}","content":{{"itemContent":{{"user_results":{{"result":{{"__typename":"UserUnavailable","reason":"Suspended"}}}}}}}}}}"#, 1_000_000 + i))
            .collect();
        format!(r#"{{"data":{{"user":{{"result":{{"timeline":{{"timeline":{{"instructions":[{{"type":"TimelineAddEntries","entries":[{}]}}]}}}}}}}}}}}}"#, entries.join(",")).into_bytes()
    };
    let mut g = c.benchmark_group("a hostile page of unavailable entries");
    g.sample_size(10);
    for n in [80_000usize, 160_000] {
        let body = page(n);
        g.throughput(Throughput::Bytes(body.len() as u64));
        g.bench_function(format!("reader, {n} entries"), |b| {
            b.iter(|| black_box(reciprocity_capture::read_body(&body).unwrap().len()));
        });
        g.bench_function(format!("baseline: IgnoredAny, {n} entries"), |b| {
            b.iter(|| black_box(serde_json::from_slice::<serde::de::IgnoredAny>(&body).unwrap()));
        });
    }
    g.finish();
}

criterion_group!(benches, bench, bench_worst_page);
criterion_main!(benches);
