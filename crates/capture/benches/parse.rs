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
        })
    });
    g.bench_function("baseline: serde_json::Value", |b| {
        b.iter(|| {
            all.iter()
                .map(|body| {
                    black_box(serde_json::from_slice::<serde_json::Value>(body).unwrap())
                        .is_object() as usize
                })
                .sum::<usize>()
        })
    });
    g.bench_function("baseline: serde_json IgnoredAny (validate only)", |b| {
        b.iter(|| {
            for body in &all {
                black_box(serde_json::from_slice::<serde::de::IgnoredAny>(body).unwrap());
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
