//! The edges section: a dictionary of the distinct instants sightings start at,
//! then every edge (sorted by followee, then follower, delta-coded) with its
//! sightings as indexes into that dictionary. Its writer and its reader side by side.

use super::codec::{Reader, Writer};
use super::StoreError;
use crate::history::{History, Sighting};
use crate::ledger::Ledger;
use crate::model::AccountId;
use crate::time::Time;

pub(super) fn write(w: &mut Writer, ledger: &Ledger, base: Time) {
    // Edges sorted by followee first: a list's entries then sit together and
    // delta-code to a byte or two.
    let mut edges: Vec<(&(AccountId, AccountId), &History)> = ledger.edges.iter().collect();
    edges.sort_unstable_by_key(|(&(from, to), _)| (to, from));
    // Sightings mostly share their instants (a list page, an archive, a walk): a
    // dictionary of distinct instants makes each sighting a small index.
    let mut instants: Vec<Time> = ledger
        .edges
        .values()
        .flat_map(|h| h.sightings().iter().map(|s| s.from))
        .collect();
    instants.sort_unstable();
    instants.dedup();
    w.uint(instants.len() as u64);
    let mut prev = base;
    for &t in &instants {
        w.int(t - prev);
        prev = t;
    }
    w.uint(edges.len() as u64);
    let (mut prev_to, mut prev_from) = (0u64, 0u64);
    for (&(from, to), history) in edges {
        w.uint(to.0 - prev_to);
        if to.0 != prev_to {
            prev_from = 0;
        }
        w.uint(from.0 - prev_from);
        prev_to = to.0;
        prev_from = from.0;
        let sightings = history.sightings();
        w.uint(sightings.len() as u64);
        for s in sightings {
            // index << 2 | has-span << 1 | follows, then the span if any.
            let index = instants.binary_search(&s.from).expect("collected above") as u64;
            let span = u64::try_from(s.to - s.from).unwrap_or(0);
            w.uint(index << 2 | u64::from(span > 0) << 1 | u64::from(s.follows));
            if span > 0 {
                w.uint(span);
            }
        }
    }
}

pub(super) fn read(r: &mut Reader, base: Time, ledger: &mut Ledger) -> Result<(), StoreError> {
    let ni = r.count("instant count")?;
    let mut instants = Vec::with_capacity(ni);
    let mut prev = base;
    for _ in 0..ni {
        prev = prev
            .checked_add(r.int("instants")?)
            .ok_or_else(|| StoreError::Corrupt("an instant out of range".into()))?;
        instants.push(prev);
    }
    let n = r.count("edge count")?;
    ledger.edges.reserve(n);
    let (mut to, mut from) = (0u64, 0u64);
    for _ in 0..n {
        let dt = r.uint("edge")?;
        if dt != 0 {
            from = 0;
        }
        to = to
            .checked_add(dt)
            .ok_or_else(|| StoreError::Corrupt("an edge id out of range".into()))?;
        from = from
            .checked_add(r.uint("edge")?)
            .ok_or_else(|| StoreError::Corrupt("an edge id out of range".into()))?;
        let k = r.count("sighting count")?;
        let mut sightings = History::default();
        for _ in 0..k {
            let v = r.uint("sighting")?;
            let from = *instants
                .get((v >> 2) as usize)
                .ok_or_else(|| StoreError::Corrupt("a sighting names an unknown instant".into()))?;
            let span = if v & 2 != 0 {
                r.uint("sighting span")?
            } else {
                0
            };
            let s = Sighting {
                from,
                to: from.saturating_add(i64::try_from(span).unwrap_or(i64::MAX)),
                follows: v & 1 == 1,
            };
            if sightings.sightings().last().is_some_and(|last| *last >= s) {
                return Err(StoreError::Corrupt("the sightings are out of order".into()));
            }
            sightings.insert(s);
        }
        if ledger
            .edges
            .insert((AccountId(from), AccountId(to)), sightings)
            .is_some()
        {
            return Err(StoreError::Corrupt("an edge stored twice".into()));
        }
    }
    Ok(())
}
