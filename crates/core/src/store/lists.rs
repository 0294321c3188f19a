//! The lists section: each walkable list's pages (instant, hashed cursors, last
//! page flag, and from format 2 the number of entries), then from format 2 the
//! pages kept with their entries in order. Its writer and its reader side by side.

use super::codec::{ensure_sorted, read_list_key, write_list_key, Reader, TimeReader, Writer};
use super::StoreError;
use crate::ledger::Ledger;
use crate::lists::{ListLog, PageMeta};
use crate::model::AccountId;
use crate::segments::OrderedPage;

pub(super) fn write(w: &mut Writer, ledger: &Ledger) {
    w.uint(ledger.lists.len() as u64);
    for (key, log) in &ledger.lists {
        write_list_key(w, *key);
        w.uint(log.pages.len() as u64);
        for p in &log.pages {
            w.time(p.at);
            let flags = u8::from(p.cursor.is_some())
                | u8::from(p.next_cursor.is_some()) << 1
                | u8::from(p.is_last) << 2;
            w.buf.push(flags);
            for c in [p.cursor, p.next_cursor].into_iter().flatten() {
                w.buf.extend_from_slice(&c.to_le_bytes());
            }
            w.opt_uint(p.entries.map(u64::from));
        }
        // The pages kept in order: which page, then its entries as they came
        // (zigzag deltas: ids are not sorted here).
        w.uint(log.ordered.len() as u64);
        for o in &log.ordered {
            let index = log.pages.binary_search(&o.meta).unwrap_or(0);
            w.uint(index as u64);
            w.uint(o.entries.len() as u64);
            let mut prev = 0u64;
            for e in &o.entries {
                // The difference as the reader adds it back (ids are below 2^63).
                w.int(e.0.wrapping_sub(prev).cast_signed());
                prev = e.0;
            }
        }
    }
}

pub(super) fn read(
    r: &mut Reader,
    tr: &TimeReader,
    ledger: &mut Ledger,
    version: u16,
) -> Result<(), StoreError> {
    let n = r.count("list count")?;
    for _ in 0..n {
        let key = read_list_key(r, "list")?;
        let np = r.count("page count")?;
        let mut pages = Vec::with_capacity(np);
        for _ in 0..np {
            let at = tr.time(r, "page")?;
            let flags = r.byte("page")?;
            let cursor = if flags & 1 != 0 {
                Some(r.u64le("page cursor")?)
            } else {
                None
            };
            let next_cursor = if flags & 2 != 0 {
                Some(r.u64le("page cursor")?)
            } else {
                None
            };
            let entries = if version >= 2 {
                let n = r.uint("page entries")?;
                match n.checked_sub(1) {
                    None => None,
                    Some(n) => Some(u32::try_from(n).map_err(|_| {
                        StoreError::Corrupt("a page with more entries than a page holds".into())
                    })?),
                }
            } else {
                None
            };
            pages.push(PageMeta {
                at,
                cursor,
                next_cursor,
                is_last: flags & 4 != 0,
                entries,
            });
        }
        ensure_sorted(&pages, |a, b| a < b, "list pages")?;
        let mut ordered = Vec::new();
        if version >= 2 {
            let no = r.count("ordered pages")?;
            for _ in 0..no {
                let meta = *pages
                    .get(usize::try_from(r.uint("ordered page")?).unwrap_or(usize::MAX))
                    .ok_or_else(|| StoreError::Corrupt("an ordered page of no page".into()))?;
                let ne = r.count("ordered page entries")?;
                let mut entries = Vec::with_capacity(ne);
                let mut prev = 0i128;
                for _ in 0..ne {
                    prev += i128::from(r.int("ordered page entries")?);
                    let id = u64::try_from(prev)
                        .map_err(|_| StoreError::Corrupt("an entry id out of range".into()))?;
                    entries.push(AccountId(id));
                }
                ordered.push(OrderedPage { meta, entries });
            }
            ensure_sorted(&ordered, |a, b| a < b, "ordered pages")?;
        }
        ledger.lists.insert(
            key,
            ListLog {
                pages,
                ordered,
                ..ListLog::default()
            },
        );
    }
    Ok(())
}
