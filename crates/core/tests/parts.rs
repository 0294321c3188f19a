//! The store in parts (docs/design.md, "The store in parts"): a ledger saved in
//! parts loads back equal; a save of what changed is as good as a whole save; a
//! damaged part costs only what it held; a badge asked by handle needs few parts.

mod common;
use common::*;
use proptest::prelude::*;
use reciprocity_core::model::*;
use reciprocity_core::store::parts::{Kind, Layout, PartKey, Written, SLOTS};
use reciprocity_core::{Lang, Store};
use std::collections::BTreeMap;

const V: Viewer = Viewer {
    platform: Platform::X,
    id: VIEWER,
};

/// What IndexedDB holds: the parts by name, and the index.
#[derive(Default, Clone)]
struct Db {
    parts: BTreeMap<String, Vec<u8>>,
    index: Vec<u8>,
}

impl Db {
    fn apply(&mut self, w: Written) {
        for name in w.removed {
            self.parts.remove(&name);
        }
        self.parts.extend(w.parts);
        self.index = w.index;
    }

    /// A worker start: the index, then every part.
    fn load(&self) -> Store {
        let mut layout = Layout::from_index(&self.index).unwrap();
        let mut store = Store::new();
        for (name, bytes) in &self.parts {
            layout.load_part(&mut store, name, bytes).unwrap();
        }
        assert!(layout.is_complete());
        layout.finish(&mut store);
        store
    }
}

/// Accounts `ids` follow the viewer, each with a handle `user<id>`.
fn followers(ids: std::ops::Range<u64>) -> Vec<Observation> {
    ids.map(|i| {
        Observation::Account(AccountSighting {
            id: AccountId(i),
            at: T0,
            handle: Some(format!("user{i}")),
            follows_you: Some(true),
            ..Default::default()
        })
    })
    .collect()
}

fn store_of(observations: &[Observation]) -> Store {
    let mut store = Store::new();
    for o in observations {
        store
            .ledger_mut(V)
            .ingest(VIEWER, std::slice::from_ref(o))
            .unwrap();
    }
    store
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn a_store_in_parts_loads_back_equal(obs in prop::collection::vec(observation(), 0..40)) {
        let store = store_of(&obs);
        let mut db = Db::default();
        db.apply(Layout::fresh().save(&store).unwrap());
        prop_assert_eq!(db.load(), store);
    }

    /// The parts a change touched, written over the old ones, give the same
    /// store as writing everything: nothing a capture changes is left unsaved.
    #[test]
    fn a_save_of_what_changed_is_a_whole_save(
        before in prop::collection::vec(observation(), 0..30),
        after in prop::collection::vec(prop::collection::vec(observation(), 1..4), 1..6),
    ) {
        let mut store = store_of(&before);
        let mut layout = Layout::fresh();
        let mut db = Db::default();
        db.apply(layout.save(&store).unwrap());
        for capture in &after {
            store.ledger_mut(V).ingest(VIEWER, capture).unwrap();
            layout.touch_observations(V, capture);
            db.apply(layout.save(&store).unwrap());
            prop_assert!(!layout.is_dirty());
        }
        prop_assert_eq!(db.load(), store.clone());
        // Byte for byte what a whole save writes, the handle index included.
        let mut whole = Db::default();
        whole.apply(Layout::fresh().save(&store).unwrap());
        prop_assert_eq!(&db.parts, &whole.parts);
        prop_assert_eq!(&db.index, &whole.index);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The CLI's file: every part in one, read back equal; any byte changed is
    /// refused with the part it hit named, never a store with a part missing.
    #[test]
    fn a_store_in_parts_in_one_file(obs in prop::collection::vec(observation(), 1..30), hit in any::<prop::sample::Index>()) {
        let store = store_of(&obs);
        let file = store.to_parts_file();
        prop_assert!(Store::is_parts_file(&file));
        prop_assert_eq!(Store::from_bytes(&file).unwrap(), store);
        let mut bad = file.clone();
        let i = 10 + hit.index(file.len() - 10);
        bad[i] ^= 0x20;
        prop_assert!(Store::from_bytes(&bad).is_err());
    }
}

#[test]
fn a_damaged_part_costs_only_what_it_held() {
    // Forty accounts follow the viewer, each with a handle.
    let obs = followers(2..42);
    let store = store_of(&obs);
    let mut db = Db::default();
    db.apply(Layout::fresh().save(&store).unwrap());
    let (victim, bytes) = db
        .parts
        .iter()
        .find(|(n, _)| PartKey::parse(n).is_some_and(|k| k.kind == Kind::Accounts))
        .map(|(n, b)| (n.clone(), b.clone()))
        .unwrap();
    let mut damaged = bytes.clone();
    let middle = damaged.len() / 2;
    damaged[middle] ^= 0x40;
    db.parts.insert(victim.clone(), damaged);

    let mut layout = Layout::from_index(&db.index).unwrap();
    let mut loaded = Store::new();
    let mut lost = Vec::new();
    for (name, bytes) in &db.parts {
        if layout.load_part(&mut loaded, name, bytes).is_err() {
            lost.push(layout.lose(PartKey::parse(name).unwrap()).unwrap());
        }
    }
    layout.finish(&mut loaded);
    assert_eq!(lost.len(), 1, "one part refused");
    let l = loaded.ledger(V).unwrap();
    let whole = store.ledger(V).unwrap();
    assert_eq!(
        l.edge_count() as u64 + lost[0].edges,
        whole.edge_count() as u64
    );
    assert!(lost[0].edges >= 1 && lost[0].accounts >= 1);
    // Every other account still has its record and its edge with the viewer.
    let slot = PartKey::parse(&victim).unwrap().slot;
    for i in 2..42 {
        let id = AccountId(i);
        let kept = l.edges().any(|e| e == (id, VIEWER));
        assert_eq!(
            kept,
            reciprocity_core::store::parts::slot(id) != slot,
            "account {i}"
        );
    }
    // The next save rewrites the lost slot from what is left: it loads.
    db.apply(layout.save(&loaded).unwrap());
    assert_eq!(db.load(), loaded);
}

#[test]
fn a_badge_asked_by_handle_needs_few_parts_and_says_what_the_whole_says() {
    // A viewer with 300 followers; a brand among them follows 50 accounts.
    let brand = AccountId(5000);
    let mut obs = followers(2..302);
    obs.push(Observation::Account(AccountSighting {
        id: brand,
        at: T0 + 3600,
        handle: Some("SomeBrand".into()),
        follows_you: Some(true),
        verified_type: Some("Business".into()),
        following: Some(50),
        ..Default::default()
    }));
    obs.push(Observation::Account(AccountSighting {
        id: brand,
        at: T0 + 9 * 86_400,
        follows_you: Some(false),
        ..Default::default()
    }));
    let store = store_of(&obs);
    let mut db = Db::default();
    db.apply(Layout::fresh().save(&store).unwrap());
    let now = T0 + 10 * 86_400;
    let whole = store.ledger(V).unwrap().badge(VIEWER, brand, now, Lang::En);

    let mut layout = Layout::from_index(&db.index).unwrap();
    let mut partial = Store::new();
    let asked = vec!["@SomeBrand".to_string()];
    let mut rounds = 0;
    loop {
        let need = layout.needed(&partial, V, &asked);
        if need.is_empty() {
            break;
        }
        rounds += 1;
        for key in need {
            let name = key.name();
            layout
                .load_part(&mut partial, &name, &db.parts[&name])
                .unwrap();
        }
        partial.reindex(V);
    }
    let total = db.parts.len();
    let loaded = total - layout.missing().len();
    assert!(rounds <= 2, "{rounds} rounds");
    assert!(loaded <= 5, "{loaded} of {total} parts loaded");
    assert!(total > 300, "{total} parts in all");
    let l = partial.ledger(V).unwrap();
    let id = l.resolve("@SomeBrand").unwrap();
    assert_eq!(id, brand);
    assert_eq!(l.badge(VIEWER, brand, now, Lang::En), whole);
}

#[test]
fn a_store_of_the_first_layout_loads_and_is_cut_again_into_todays_slots() {
    // The first layout: 256 slots, its index without a slot count.
    let mut obs = followers(2..402);
    obs.push(Observation::Pair {
        from: AccountId(7),
        to: AccountId(9),
        at: T0,
        follows: true,
    });
    let store = store_of(&obs);
    let mut db = Db::default();
    db.apply(Layout::fresh_in(256).save(&store).unwrap());
    assert!(db.index.starts_with(b"RCPRINDX"), "the first index form");
    let first: Vec<String> = db.parts.keys().cloned().collect();
    assert!(first.iter().all(|n| PartKey::parse(n).unwrap().slot < 256));
    // A start reads it as it is.
    let layout = Layout::from_index(&db.index).unwrap();
    assert_eq!(layout.slot_count(), 256);
    // Nothing changed, yet a save is due: the cut is not today's.
    assert!(layout.is_dirty());
    let loaded = db.load();
    assert_eq!(loaded, store);
    // Whole in memory, the next save cuts it again: every part of today's cut
    // written, every part of the old one that holds nothing now removed.
    let mut layout = Layout::from_index(&db.index).unwrap();
    let mut again = Store::new();
    for (name, bytes) in &db.parts {
        layout.load_part(&mut again, name, bytes).unwrap();
    }
    layout.finish(&mut again);
    let w = layout.save(&again).unwrap();
    assert_eq!(layout.slot_count(), SLOTS);
    assert!(!layout.is_dirty());
    db.apply(w);
    assert!(db.index.starts_with(b"RCPRINDS"), "today's index form");
    assert!(db
        .parts
        .keys()
        .any(|n| PartKey::parse(n).unwrap().slot >= 256));
    assert_eq!(db.load(), store);
    // And a badge finds its parts in today's cut.
    let fresh = Layout::from_index(&db.index).unwrap();
    let need = fresh.needed(&Store::new(), V, &["@user77".to_string()]);
    assert!(need
        .iter()
        .all(|k| db.parts.contains_key(&k.name()) || k.kind != Kind::Handles));
}
