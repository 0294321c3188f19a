//! The store's primitives: LEB128 varints, zigzag integers, instants relative to
//! a ledger's base, strings; and their readers, which refuse rather than panic.

use super::StoreError;
use crate::time::Time;

#[derive(Default)]
pub(super) struct Writer {
    pub buf: Vec<u8>,
    pub base: Time,
}

impl Writer {
    pub fn uint(&mut self, mut v: u64) {
        while v >= 0x80 {
            // The low seven bits, and the flag that more follow.
            self.buf.push(v.to_le_bytes()[0] | 0x80);
            v >>= 7;
        }
        self.buf.push(v.to_le_bytes()[0]);
    }
    pub fn int(&mut self, v: i64) {
        // Zigzag: the sign in the lowest bit, so small negatives stay short.
        self.uint(((v << 1) ^ (v >> 63)).cast_unsigned());
    }
    pub fn time(&mut self, t: Time) {
        self.int(t - self.base);
    }
    pub fn str(&mut self, s: &str) {
        self.uint(s.len() as u64);
        self.buf.extend_from_slice(s.as_bytes());
    }
    pub fn opt_uint(&mut self, v: Option<u64>) {
        // 0 is "unknown"; a known count n is written n + 1.
        self.uint(v.map_or(0, |n| n.saturating_add(1)));
    }
}

pub(super) struct Reader<'a> {
    pub buf: &'a [u8],
    pub pos: usize,
}

impl Reader<'_> {
    pub fn truncated(&self, what: &'static str) -> StoreError {
        StoreError::Truncated {
            what,
            len: self.buf.len(),
        }
    }
    pub fn byte(&mut self, what: &'static str) -> Result<u8, StoreError> {
        let b = *self.buf.get(self.pos).ok_or_else(|| self.truncated(what))?;
        self.pos += 1;
        Ok(b)
    }
    pub fn uint(&mut self, what: &'static str) -> Result<u64, StoreError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte(what)?;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(StoreError::Corrupt(format!(
            "an over-long number in the {what}"
        )))
    }
    pub fn int(&mut self, what: &'static str) -> Result<i64, StoreError> {
        let u = self.uint(what)?;
        Ok((u >> 1).cast_signed() ^ -((u & 1).cast_signed()))
    }
    /// A count of items that are each at least one byte: never more than remain,
    /// so a corrupt count cannot make us allocate without bound.
    pub fn count(&mut self, what: &'static str) -> Result<usize, StoreError> {
        let n = self.uint(what)?;
        let left = self.buf.len() - self.pos;
        match usize::try_from(n) {
            Ok(n) if n <= left => Ok(n),
            _ => Err(StoreError::Corrupt(format!(
                "the {what} ({n}) exceeds the file"
            ))),
        }
    }
    pub fn bytes(&mut self, n: usize, what: &'static str) -> Result<&[u8], StoreError> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.buf.len());
        let end = end.ok_or_else(|| self.truncated(what))?;
        let s = &self.buf[self.pos..end];
        self.pos = end;
        Ok(s)
    }
    pub fn str(&mut self, what: &'static str) -> Result<String, StoreError> {
        let n = self.count(what)?;
        let b = self.bytes(n, what)?;
        String::from_utf8(b.to_vec())
            .map_err(|_| StoreError::Corrupt(format!("a {what} that is not UTF-8")))
    }
    pub fn u64le(&mut self, what: &'static str) -> Result<u64, StoreError> {
        let b = self.bytes(8, what)?;
        Ok(u64::from_le_bytes(b.try_into().expect("8 bytes")))
    }
}

/// A list key: its owner, then its kind as one byte (0 followers, 1 following).
pub(super) fn write_list_key(w: &mut Writer, key: crate::model::ListKey) {
    w.uint(key.owner.0);
    w.buf.push(match key.kind {
        crate::model::ListKind::Followers => 0,
        crate::model::ListKind::Following => 1,
    });
}

pub(super) fn read_list_key(
    r: &mut Reader,
    what: &'static str,
) -> Result<crate::model::ListKey, StoreError> {
    let owner = crate::model::AccountId(r.uint(what)?);
    let kind = match r.byte(what)? {
        0 => crate::model::ListKind::Followers,
        1 => crate::model::ListKind::Following,
        _ => return Err(StoreError::Corrupt("an unknown list kind".into())),
    };
    Ok(crate::model::ListKey { owner, kind })
}

pub(super) struct TimeReader {
    pub base: Time,
}

impl TimeReader {
    pub fn time(&self, r: &mut Reader, what: &'static str) -> Result<Time, StoreError> {
        let d = r.int(what)?;
        self.base
            .checked_add(d)
            .ok_or_else(|| StoreError::Corrupt(format!("an instant out of range in the {what}")))
    }
}

pub(super) fn ensure_sorted<T>(
    v: &[T],
    lt: impl Fn(&T, &T) -> bool,
    what: &str,
) -> Result<(), StoreError> {
    if v.windows(2).all(|w| lt(&w[0], &w[1])) {
        Ok(())
    } else {
        Err(StoreError::Corrupt(format!("the {what} are out of order")))
    }
}
