//! The ledger at scale. Each figure has a baseline measured in the same run, so the
//! report can give ratios: the floor of the same work done with plain collections.
//!
//! `cargo bench -p reciprocity-core` (prints bytes per edge of the store too).

// Made-up sizes, ids and times, far inside every type's range.
#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_possible_wrap,
    clippy::cast_sign_loss,
    clippy::cast_precision_loss
)]

use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion};
use reciprocity_core::model::{
    AccountId, AccountSighting, ListKey, ListKind, ListPage, Observation, PageDating, PagePosition,
    Viewer,
};
use reciprocity_core::{Ledger, Store, Time};
use rustc_hash::FxHashMap;
use std::time::Duration;

const T0: Time = Time(1_790_000_000);
const VIEWER: AccountId = AccountId(1);

/// Deterministic pseudo-random X-like ids (large, spread out). Seeds `2k` and
/// `2k + 1` give the same ids.
fn ids(n: usize, seed: u64) -> Vec<AccountId> {
    let mut s = seed | 1;
    (0..n)
        .map(|_| {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            AccountId((s >> 2) | 1 << 60)
        })
        .collect()
}

fn whole_list(owner: AccountId, at: Time, entries: Vec<AccountId>) -> Observation {
    Observation::ListPage(ListPage {
        list: ListKey {
            owner,
            kind: ListKind::Followers,
        },
        at,
        position: PagePosition::Walk {
            cursor: None,
            next_cursor: None,
            is_last: true,
        },
        entries,
        dating: None,
    })
}

fn bench_ingest(c: &mut Criterion) {
    // 1,000,000 edge observations: 200,000 edges seen 5 times each, in captures of
    // 1,000 observations.
    let followers = ids(200_000, 7);
    let captures: Vec<Vec<Observation>> = (0..5)
        .flat_map(|day| {
            followers.chunks(1000).map(move |chunk| {
                chunk
                    .iter()
                    .map(|&from| Observation::Pair {
                        from,
                        to: VIEWER,
                        at: T0 + day * 86_400,
                        follows: day < 4,
                    })
                    .collect()
            })
        })
        .collect();
    let mut g = c.benchmark_group("ingest 1M edge observations");
    g.sample_size(10).measurement_time(Duration::from_secs(8));
    g.bench_function("ledger", |b| {
        b.iter(|| {
            let mut l = Ledger::new();
            for cap in &captures {
                l.ingest(VIEWER, cap).unwrap();
            }
            black_box(l.edge_count())
        });
    });
    g.bench_function("baseline: FxHashMap<(u64,u64), Vec<i64>> pushes", |b| {
        b.iter(|| {
            let mut m: FxHashMap<(u64, u64), Vec<i64>> = FxHashMap::default();
            for cap in &captures {
                for o in cap {
                    if let Observation::Pair { from, to, at, .. } = o {
                        m.entry((from.0, to.0)).or_default().push(at.0);
                    }
                }
            }
            black_box(m.len())
        });
    });
    g.finish();
}

fn bench_snapshot_merge(c: &mut Criterion) {
    // A complete 1,000,000-entry list, then the next walk of it: 1% gone, 1% new.
    let before = ids(1_000_000, 11);
    let added = ids(10_000, 13);
    let mut after: Vec<AccountId> = before[10_000..].to_vec();
    after.extend(&added);
    let mut base = Ledger::new();
    base.ingest(VIEWER, &[whole_list(VIEWER, T0, before.clone())])
        .unwrap();
    let next = whole_list(VIEWER, T0 + 86_400, after.clone());

    let mut g = c.benchmark_group("merge a 1M-entry complete list snapshot (1% added, 1% removed)");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    g.bench_function("ledger ingest of the new snapshot", |b| {
        b.iter_batched_ref(
            || base.clone(),
            |l| black_box(l.ingest(VIEWER, std::slice::from_ref(&next)).unwrap()),
            BatchSize::PerIteration,
        );
    });
    g.bench_function("baseline: sort both id lists and merge-diff them", |b| {
        b.iter_batched(
            || {
                (
                    before.iter().map(|a| a.0).collect::<Vec<u64>>(),
                    after.iter().map(|a| a.0).collect::<Vec<u64>>(),
                )
            },
            |(mut x, mut y)| {
                x.sort_unstable();
                y.sort_unstable();
                let (mut i, mut j, mut gone, mut new) = (0, 0, 0usize, 0usize);
                while i < x.len() && j < y.len() {
                    match x[i].cmp(&y[j]) {
                        std::cmp::Ordering::Less => {
                            gone += 1;
                            i += 1;
                        }
                        std::cmp::Ordering::Greater => {
                            new += 1;
                            j += 1;
                        }
                        std::cmp::Ordering::Equal => {
                            i += 1;
                            j += 1;
                        }
                    }
                }
                black_box((gone + x.len() - i, new + y.len() - j))
            },
            BatchSize::LargeInput,
        );
    });
    g.finish();

    // The unfollows the new snapshot reveals, read back from the ledger.
    let mut l = base.clone();
    l.ingest(VIEWER, std::slice::from_ref(&next)).unwrap();
    let gone = before[..10_000]
        .iter()
        .filter(|a| l.runs(**a, VIEWER).last().is_some_and(|r| !r.follows))
        .count();
    assert_eq!(gone, 10_000);
}

/// 100,000 described accounts and 1,000,000 edges with two sightings each.
fn big_store() -> Store {
    let mut store = Store::new();
    let v = Viewer::x(VIEWER.0);
    let l = store.ledger_mut(v);
    let accounts = ids(100_000, 17);
    let sightings: Vec<Observation> = accounts
        .iter()
        .enumerate()
        .map(|(i, &id)| {
            Observation::Account(AccountSighting {
                id,
                at: T0,
                handle: Some(format!("account_{i}")),
                name: Some(format!("Account {i}")),
                followers: Some(1000 + i as u64),
                following: Some(200 + (i % 100) as u64),
                follows_you: Some(i % 3 == 0),
                you_follow: Some(i % 5 == 0),
                ..Default::default()
            })
        })
        .collect();
    l.ingest(VIEWER, &sightings).unwrap();
    // Ten lists of 100,000 followers each, walked twice.
    for (k, owner) in accounts.iter().take(10).enumerate() {
        let entries: Vec<AccountId> = ids(100_000, 100 + k as u64)
            .into_iter()
            .filter(|e| e != owner)
            .collect();
        for day in 0..2 {
            l.ingest(
                VIEWER,
                &[whole_list(*owner, T0 + day * 86_400, entries.clone())],
            )
            .unwrap();
        }
    }
    store
}

fn bench_store(c: &mut Criterion) {
    let store = big_store();
    let bytes = store.to_bytes();
    let l = store.ledger(Viewer::x(VIEWER.0)).unwrap();
    let edges = l.edge_count();
    println!(
        "store: {} accounts, {} edges, {} sightings → {} bytes, {:.2} bytes per edge",
        l.accounts().count(),
        edges,
        l.sighting_count(),
        bytes.len(),
        bytes.len() as f64 / edges as f64
    );
    let mut g = c.benchmark_group("store of 100k accounts and 1M edges");
    g.sample_size(10).measurement_time(Duration::from_secs(8));
    g.bench_function("save", |b| b.iter(|| black_box(store.to_bytes().len())));
    g.bench_function("load", |b| {
        b.iter(|| black_box(Store::from_bytes(&bytes).unwrap()));
    });
    g.bench_function("baseline: memcpy of the store bytes", |b| {
        b.iter(|| black_box(bytes.clone()));
    });
    g.finish();
}

fn bench_annotate(c: &mut Criterion) {
    let store = big_store();
    let l = store.ledger(Viewer::x(VIEWER.0)).unwrap();
    let target = l.accounts().nth(12_345).map(|(id, _)| id).unwrap();
    let now = l.latest_instant().unwrap();
    let mut g = c.benchmark_group("annotate one account (ledger of 1M edges)");
    g.bench_function("annotate", |b| {
        b.iter(|| black_box(l.annotate(VIEWER, target, now, reciprocity_core::Lang::En)));
    });
    g.bench_function("annotate as JSON", |b| {
        b.iter(|| {
            black_box(
                serde_json::to_string(&l.annotate(VIEWER, target, now, reciprocity_core::Lang::En))
                    .unwrap(),
            )
        });
    });
    g.bench_function("baseline: find_handle lookup", |b| {
        b.iter(|| black_box(l.find_handle("account_12345")));
    });
    g.finish();
}

/// A first page of a brand's Following: `entries` as X lists them.
fn first_page(owner: AccountId, at: Time, entries: Vec<AccountId>) -> Observation {
    Observation::ListPage(ListPage {
        list: ListKey {
            owner,
            kind: ListKind::Following,
        },
        at,
        position: PagePosition::Walk {
            cursor: None,
            next_cursor: Some(format!("more-{at}")),
            is_last: false,
        },
        entries,
        dating: None,
    })
}

fn bench_segments(c: &mut Criterion) {
    use reciprocity_core::lists::PageMeta;
    use reciprocity_core::segments::{derive, OrderedPage};
    // Two looks at a 1M-entry list: 1% new at the top, 1% gone from the middle.
    let n = 1_000_000;
    let before = ids(n, 11);
    let mut after: Vec<AccountId> = ids(n / 100, 12);
    after.extend(
        before
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 100 != 50)
            .map(|(_, e)| *e),
    );
    let page = |at: Time, entries: Vec<AccountId>| OrderedPage {
        meta: PageMeta {
            at,
            cursor: None,
            next_cursor: Some(at.0 as u64),
            is_last: false,
            entries: Some(entries.len() as u32),
        },
        entries,
    };
    let looks = [page(T0, before.clone()), page(T0 + 86_400, after.clone())];
    let found = derive(&looks);
    println!(
        "segments of two 1M-entry looks: {} absences, {} inversions",
        found.absences.len(),
        found.inversions
    );
    let mut g = c.benchmark_group("two looks at a 1M-entry list");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    g.bench_function("segments (absences and joins)", |b| {
        b.iter(|| black_box(derive(&looks).absences.len()));
    });
    g.bench_function("baseline: sorted u64 set difference", |b| {
        b.iter(|| {
            let mut x: Vec<u64> = before.iter().map(|a| a.0).collect();
            let mut y: Vec<u64> = after.iter().map(|a| a.0).collect();
            x.sort_unstable();
            y.sort_unstable();
            let (mut i, mut j, mut gone) = (0, 0, 0usize);
            while i < x.len() && j < y.len() {
                match x[i].cmp(&y[j]) {
                    std::cmp::Ordering::Less => {
                        gone += 1;
                        i += 1;
                    }
                    std::cmp::Ordering::Greater => j += 1,
                    std::cmp::Ordering::Equal => {
                        i += 1;
                        j += 1;
                    }
                }
            }
            black_box(gone + x.len() - i)
        });
    });
    g.finish();

    // A brand's first page (50 entries), seen for the 6th week, into a ledger of
    // 1M edges; and what a kept page entry costs in the store.
    let store = big_store();
    let mut l = store.ledger(Viewer::x(VIEWER.0)).unwrap().clone();
    let brand = AccountId(77);
    let weekly = |w: i64| -> Vec<AccountId> {
        let mut e = ids(20, 100 + w as u64);
        e.extend(ids(30, 99));
        e
    };
    for w in 0..5 {
        l.ingest(VIEWER, &[first_page(brand, T0 + w * 7 * 86_400, weekly(w))])
            .unwrap();
    }
    let mut g = c.benchmark_group("a first page into a ledger of 1M edges");
    g.sample_size(20);
    g.bench_function("ingest the 6th weekly look (segments re-derived)", |b| {
        b.iter_batched(
            || l.clone(),
            |mut l| {
                l.ingest(VIEWER, &[first_page(brand, T0 + 35 * 86_400, weekly(5))])
                    .unwrap()
            },
            BatchSize::LargeInput,
        );
    });
    g.bench_function("baseline: clone only", |b| {
        b.iter_batched(
            || l.clone(),
            |l| black_box(l.edge_count()),
            BatchSize::LargeInput,
        );
    });
    g.finish();
    // The same looks as partial pages (same edges, no page kept): the difference
    // is what keeping the pages in order costs.
    let mut partial = store.ledger(Viewer::x(VIEWER.0)).unwrap().clone();
    for w in 0..5 {
        partial
            .ingest(
                VIEWER,
                &[Observation::ListPage(ListPage {
                    list: ListKey {
                        owner: brand,
                        kind: ListKind::Following,
                    },
                    at: T0 + w * 7 * 86_400,
                    position: PagePosition::Partial,
                    entries: weekly(w),
                    dating: None,
                })],
            )
            .unwrap();
    }
    let size = |l: &Ledger| {
        let mut s = Store::new();
        *s.ledger_mut(Viewer::x(VIEWER.0)) = l.clone();
        s.to_bytes().len()
    };
    let kept: usize = (0..5).map(|w| weekly(w).len()).sum();
    let extra = size(&l) - size(&partial);
    println!(
        "pages kept in order: {kept} entries in 5 looks cost {extra} bytes in the store: {:.1} bytes per page entry",
        extra as f64 / kept as f64
    );
}

/// What dates cost on the hover path: the track record of a brand whose 1,000
/// follows are on 20 first pages of its Following (50 each), dated by their
/// cursors, against the same pages undated; and what a date costs in the store.
fn bench_dated(c: &mut Criterion) {
    let brand = AccountId(77);
    let looks = |dated: bool| -> Ledger {
        let mut l = Ledger::new();
        for w in 0..20i64 {
            let at = T0 + w * 86_400;
            let Observation::ListPage(mut page) =
                first_page(brand, at, ids(50, 500 + 2 * w as u64))
            else {
                unreachable!()
            };
            if dated {
                page.dating = Some(PageDating {
                    last_ms: (at - 3_600).0 * 1000,
                    above_ms: None,
                    first_page: true,
                });
            }
            l.ingest(VIEWER, &[Observation::ListPage(page)]).unwrap();
        }
        l
    };
    let (dated, plain) = (looks(true), looks(false));
    let size = |l: &Ledger| {
        let mut s = Store::new();
        *s.ledger_mut(Viewer::x(VIEWER.0)) = l.clone();
        s.to_bytes().len()
    };
    println!(
        "1,000 dated follows cost {} bytes in the store: {:.1} bytes per date",
        size(&dated) - size(&plain),
        (size(&dated) - size(&plain)) as f64 / 1000.0
    );
    let now = T0 + 21 * 86_400;
    let mut g = c.benchmark_group("track record of a brand with 1,000 follows on 20 looks");
    g.bench_function("dated by their cursors", |b| {
        b.iter(|| black_box(dated.track_record(VIEWER, brand, now)));
    });
    g.bench_function("baseline: the same pages undated", |b| {
        b.iter(|| black_box(plain.track_record(VIEWER, brand, now)));
    });
    g.finish();

    // A heavy brand: 20,000 dated follows on 400 daily looks, its following count
    // seen 40 times on each side of them: departures weigh every pair of samples.
    let mut heavy = Ledger::new();
    let count = |at: Time| {
        Observation::Account(AccountSighting {
            id: brand,
            at,
            following: Some(5_000),
            ..Default::default()
        })
    };
    for i in 0..40i64 {
        heavy
            .ingest(VIEWER, &[count(T0 - (i + 1) * 3_600)])
            .unwrap();
        heavy
            .ingest(VIEWER, &[count(T0 + 401 * 86_400 + i * 3_600)])
            .unwrap();
    }
    let mut undated = heavy.clone();
    for w in 0..400i64 {
        let at = T0 + w * 86_400;
        let Observation::ListPage(mut page) = first_page(brand, at, ids(50, 5_000 + 2 * w as u64))
        else {
            unreachable!()
        };
        undated
            .ingest(VIEWER, &[Observation::ListPage(page.clone())])
            .unwrap();
        page.dating = Some(PageDating {
            last_ms: (at - 3_600).0 * 1000,
            above_ms: None,
            first_page: true,
        });
        heavy
            .ingest(VIEWER, &[Observation::ListPage(page)])
            .unwrap();
    }
    let now = T0 + 402 * 86_400;
    let d = heavy.track_record(VIEWER, brand, now).departures;
    println!(
        "heavy brand: departures {:?}",
        d.map(|d| (d.joins, d.at_least))
    );
    let mut g = c.benchmark_group("track record of a brand with 20,000 dated follows");
    g.sample_size(20);
    g.bench_function("dated by their cursors, 40 + 40 count samples", |b| {
        b.iter(|| black_box(heavy.track_record(VIEWER, brand, now)));
    });
    g.bench_function("baseline: the same pages undated", |b| {
        b.iter(|| black_box(undated.track_record(VIEWER, brand, now)));
    });
    g.finish();
}

/// What settling costs: a brand's 65th weekly look, which drops the oldest and
/// keeps what only it proved, against its 64th, which drops nothing.
fn bench_retention(c: &mut Criterion) {
    let brand = AccountId(77);
    let weekly = |w: i64| -> Vec<AccountId> {
        let mut e = ids(20, 100 + w as u64);
        e.extend(ids(30, 99));
        e
    };
    let looks = |n: i64| {
        let mut l = Ledger::new();
        for w in 0..n {
            l.ingest(VIEWER, &[first_page(brand, T0 + w * 7 * 86_400, weekly(w))])
                .unwrap();
        }
        l
    };
    let (l63, l64) = (looks(63), looks(64));
    let mut g = c.benchmark_group("a brand's weekly look at its Following's first page");
    g.sample_size(20);
    g.bench_function("the 65th (the oldest look settled, then dropped)", |b| {
        b.iter_batched(
            || l64.clone(),
            |mut l| {
                l.ingest(
                    VIEWER,
                    &[first_page(brand, T0 + 64 * 7 * 86_400, weekly(64))],
                )
                .unwrap()
            },
            BatchSize::LargeInput,
        );
    });
    g.bench_function("baseline: the 64th (nothing dropped)", |b| {
        b.iter_batched(
            || l63.clone(),
            |mut l| {
                l.ingest(
                    VIEWER,
                    &[first_page(brand, T0 + 63 * 7 * 86_400, weekly(63))],
                )
                .unwrap()
            },
            BatchSize::LargeInput,
        );
    });
    g.finish();
}

/// The store in parts at a million edges: the first badge after a start (the
/// index and the few parts it needs) against loading the whole store; a
/// compaction after one capture against a whole save; a whole save in parts.
fn bench_parts(c: &mut Criterion) {
    use reciprocity_core::store::parts::Layout;
    use std::collections::BTreeMap;
    let v = Viewer::x(VIEWER.0);
    let mut store = big_store();
    let whole = store.to_bytes();
    let mut layout = Layout::fresh();
    let written = layout.save(&store).unwrap();
    let mut db: BTreeMap<String, Vec<u8>> = written.parts.iter().cloned().collect();
    let index = written.index.clone();
    println!(
        "store in parts: {} parts, {} bytes in all (the whole store: {} bytes)",
        db.len(),
        written.bytes(),
        whole.len()
    );
    let now = T0 + 3 * 86_400;
    let asked = vec!["@account_77".to_string()];
    let first_badge = || {
        let mut layout = Layout::from_index(&index).unwrap();
        let mut partial = Store::new();
        loop {
            let need = layout.needed(&partial, v, &asked);
            if need.is_empty() {
                break;
            }
            for key in need {
                let name = key.name();
                layout.load_part(&mut partial, &name, &db[&name]).unwrap();
            }
            partial.reindex(v);
        }
        let l = partial.ledger(v).unwrap();
        let id = l.resolve(&asked[0]).unwrap();
        l.badge(VIEWER, id, now, reciprocity_core::Lang::En)
    };
    let full = store.ledger(v).unwrap();
    let id = full.resolve(&asked[0]).unwrap();
    assert_eq!(
        first_badge(),
        full.badge(VIEWER, id, now, reciprocity_core::Lang::En)
    );
    let mut g = c.benchmark_group("store in parts, 100k accounts and 1M edges");
    g.sample_size(10).measurement_time(Duration::from_secs(8));
    g.bench_function(
        "first badge after a start: the index and the parts it needs",
        |b| b.iter(|| black_box(first_badge())),
    );
    g.bench_function("baseline: first badge after loading the whole store", |b| {
        b.iter(|| {
            let s = Store::from_bytes(&whole).unwrap();
            black_box(
                s.ledger(v)
                    .unwrap()
                    .badge(VIEWER, id, now, reciprocity_core::Lang::En),
            )
        });
    });
    // One capture: a brand's first Following page and its 20 accounts.
    let brand = ids(1, 17)[0];
    let entries = ids(20, 900);
    let mut capture: Vec<Observation> = entries
        .iter()
        .map(|&e| {
            Observation::Account(AccountSighting {
                id: e,
                at: now,
                handle: Some(format!("new_{}", e.0 % 100_000)),
                ..Default::default()
            })
        })
        .collect();
    capture.push(first_page(brand, now, entries));
    store.ledger_mut(v).ingest(VIEWER, &capture).unwrap();
    layout.touch_observations(v, &capture);
    let once = layout.clone().save(&store).unwrap();
    println!(
        "a compaction after one capture (a list page, 20 accounts): {} parts, {} bytes written",
        once.parts.len(),
        once.bytes()
    );
    for (name, bytes) in once.parts {
        db.insert(name, bytes);
    }
    g.bench_function("compaction after one capture: the parts it touched", |b| {
        b.iter_batched(
            || layout.clone(),
            |mut l| black_box(l.save(&store).unwrap().bytes()),
            BatchSize::SmallInput,
        );
    });
    g.bench_function("baseline: a whole save", |b| {
        b.iter(|| black_box(store.to_bytes().len()));
    });
    g.bench_function("a whole save in parts", |b| {
        b.iter(|| black_box(Layout::fresh().save(&store).unwrap().bytes()));
    });
    g.finish();
}

criterion_group!(
    benches,
    bench_parts,
    bench_retention,
    bench_dated,
    bench_ingest,
    bench_snapshot_merge,
    bench_store,
    bench_annotate,
    bench_segments
);
criterion_main!(benches);
