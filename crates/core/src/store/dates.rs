//! The dates section (format 3): follows the platform dated (per edge, sorted by
//! edge, each start's `by`, `after` when known, and how it was dated), then the
//! pages whose cursor dated nothing, then how many edges of others' lists were
//! dropped to keep the ledger under its cap. Its writer and its reader side by side.

use super::codec::{ensure_sorted, read_list_key, write_list_key, Reader, TimeReader, Writer};
use super::StoreError;
use crate::dating::{DatedStart, Dating};
use crate::ledger::Ledger;
use crate::model::AccountId;

/// The `how` byte's high bit: an `after` follows.
const HAS_AFTER: u8 = 0x80;

pub(super) fn write(w: &mut Writer, ledger: &Ledger) {
    let mut edges: Vec<_> = ledger
        .starts
        .iter()
        .filter(|(_, s)| !s.is_empty())
        .collect();
    edges.sort_unstable_by_key(|(edge, _)| **edge);
    w.uint(edges.len() as u64);
    for (&(from, to), starts) in edges {
        w.uint(from.0);
        w.uint(to.0);
        w.uint(starts.len() as u64);
        for s in starts {
            w.buf
                .push(s.how.code() | if s.after.is_some() { HAS_AFTER } else { 0 });
            w.time(s.by);
            if let Some(a) = s.after {
                w.time(a);
            }
        }
    }
    w.uint(ledger.undated.len() as u64);
    for (key, at, ms) in &ledger.undated {
        write_list_key(w, *key);
        w.time(*at);
        w.int(*ms);
    }
    w.uint(ledger.trimmed);
}

pub(super) fn read(r: &mut Reader, tr: &TimeReader, ledger: &mut Ledger) -> Result<(), StoreError> {
    let n = r.count("dated edge count")?;
    let mut prev: Option<(AccountId, AccountId)> = None;
    for _ in 0..n {
        let edge = (
            AccountId(r.uint("dated edge")?),
            AccountId(r.uint("dated edge")?),
        );
        if prev.is_some_and(|p| p >= edge) {
            return Err(StoreError::Corrupt(
                "the dated edges are out of order".into(),
            ));
        }
        prev = Some(edge);
        let ns = r.count("dated starts")?;
        let mut starts = smallvec::SmallVec::with_capacity(ns);
        for _ in 0..ns {
            let flags = r.byte("dated start")?;
            let how = Dating::from_code(flags & !HAS_AFTER)
                .ok_or_else(|| StoreError::Corrupt("an unknown way of dating a follow".into()))?;
            let by = tr.time(r, "dated start")?;
            let after = if flags & HAS_AFTER != 0 {
                Some(tr.time(r, "dated start")?)
            } else {
                None
            };
            starts.push(DatedStart { by, after, how });
        }
        ensure_sorted(&starts, |a, b| a < b, "dated starts")?;
        ledger.starts.insert(edge, starts);
    }
    let nu = r.count("undated page count")?;
    for _ in 0..nu {
        let key = read_list_key(r, "undated page")?;
        let at = tr.time(r, "undated page")?;
        let ms = r.int("undated page")?;
        ledger.undated.insert((key, at, ms));
    }
    ledger.trimmed = r.uint("trimmed edge count")?;
    Ok(())
}
