//! The settled section (format 4): per list whose dropped looks proved
//! something, what they proved (see `segments::Settled`): how many looks, the
//! first one's instant, whether the block is known, then the absences, returns
//! and block, each sorted. Its writer and its reader side by side.

use super::codec::{ensure_sorted, read_list_key, write_list_key, Reader, TimeReader, Writer};
use super::StoreError;
use crate::ledger::Ledger;
use crate::model::AccountId;
use crate::segments::Settled;

pub(super) fn write(w: &mut Writer, ledger: &Ledger) {
    let lists: Vec<_> = ledger
        .lists
        .iter()
        .filter(|(_, log)| !log.settled().is_empty())
        .collect();
    w.uint(lists.len() as u64);
    for (key, log) in lists {
        let s = log.settled();
        write_list_key(w, *key);
        w.uint(u64::from(s.looks));
        w.buf
            .push(u8::from(s.block_known) | u8::from(s.first_look.is_some()) << 1);
        if let Some(t) = s.first_look {
            w.time(t);
        }
        w.uint(s.absences.len() as u64);
        for &(e, a, b) in &s.absences {
            w.uint(e.0);
            w.time(a);
            w.time(b);
        }
        w.uint(s.returns.len() as u64);
        for &(e, f, t, back) in &s.returns {
            w.uint(e.0);
            w.time(f);
            w.time(t);
            w.time(back);
        }
        w.uint(s.block.len() as u64);
        for e in &s.block {
            w.uint(e.0);
        }
    }
}

pub(super) fn read(r: &mut Reader, tr: &TimeReader, ledger: &mut Ledger) -> Result<(), StoreError> {
    let n = r.count("settled list count")?;
    for _ in 0..n {
        let key = read_list_key(r, "settled list")?;
        let looks = u32::try_from(r.uint("settled looks")?)
            .map_err(|_| StoreError::Corrupt("more settled looks than a list holds".into()))?;
        let flags = r.byte("settled list")?;
        let first_look = if flags & 2 != 0 {
            Some(tr.time(r, "settled first look")?)
        } else {
            None
        };
        let mut s = Settled {
            looks,
            first_look,
            block_known: flags & 1 != 0,
            ..Settled::default()
        };
        for _ in 0..r.count("settled absences")? {
            let e = AccountId(r.uint("settled absence")?);
            let a = tr.time(r, "settled absence")?;
            let b = tr.time(r, "settled absence")?;
            s.absences.push((e, a, b));
        }
        ensure_sorted(&s.absences, |a, b| a < b, "settled absences")?;
        for _ in 0..r.count("settled returns")? {
            let e = AccountId(r.uint("settled return")?);
            let f = tr.time(r, "settled return")?;
            let t = tr.time(r, "settled return")?;
            let back = tr.time(r, "settled return")?;
            s.returns.push((e, f, t, back));
        }
        ensure_sorted(&s.returns, |a, b| a < b, "settled returns")?;
        for _ in 0..r.count("settled block")? {
            s.block.push(AccountId(r.uint("settled block")?));
        }
        ensure_sorted(&s.block, |a, b| a < b, "settled block")?;
        ledger.lists.entry(key).or_default().settled = s;
    }
    Ok(())
}
