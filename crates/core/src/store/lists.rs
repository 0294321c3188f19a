//! The lists section: each walkable list's pages (instant, hashed cursors, last
//! page flag, and from format 2 the number of entries). Its writer and its reader
//! side by side.

use super::codec::{ensure_sorted, Reader, TimeReader, Writer};
use super::StoreError;
use crate::ledger::Ledger;
use crate::lists::{ListLog, PageMeta};
use crate::model::{AccountId, ListKey, ListKind};

pub(super) fn write(w: &mut Writer, ledger: &Ledger) {
    w.uint(ledger.lists.len() as u64);
    for (key, log) in &ledger.lists {
        w.uint(key.owner.0);
        w.buf.push(match key.kind {
            ListKind::Followers => 0,
            ListKind::Following => 1,
        });
        w.uint(log.pages.len() as u64);
        for p in &log.pages {
            w.time(p.at);
            let flags = p.cursor.is_some() as u8
                | (p.next_cursor.is_some() as u8) << 1
                | (p.is_last as u8) << 2;
            w.buf.push(flags);
            for c in [p.cursor, p.next_cursor].into_iter().flatten() {
                w.buf.extend_from_slice(&c.to_le_bytes());
            }
            w.opt_uint(p.entries.map(u64::from));
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
        let owner = AccountId(r.uint("list owner")?);
        let kind = match r.byte("list kind")? {
            0 => ListKind::Followers,
            1 => ListKind::Following,
            _ => return Err(StoreError::Corrupt("an unknown list kind".into())),
        };
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
        ledger.lists.insert(
            ListKey { owner, kind },
            ListLog {
                pages,
                walks: Vec::new(),
            },
        );
    }
    Ok(())
}
