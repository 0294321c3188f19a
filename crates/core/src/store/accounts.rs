//! The accounts section: each account's handles, names, counts and registers
//! (from format 2, what the viewer did to it), sorted by id and delta-coded. Its
//! writer and its reader side by side.

use super::codec::{ensure_sorted, Reader, TimeReader, Writer};
use super::StoreError;
use crate::account::{
    Account, BlockSighting, ByYou, CountSample, GoneSighting, Latest, Named, NotUnfollow,
};
use crate::ledger::Ledger;
use crate::model::{AccountId, OwnAction};

impl Writer {
    fn latest_bool(&mut self, v: &Option<Latest<bool>>) {
        match v {
            None => self.buf.push(0),
            Some(l) => {
                self.buf.push(1 + u8::from(l.value));
                self.time(l.at);
            }
        }
    }
    pub fn latest_str(&mut self, v: &Option<Latest<String>>) {
        match v {
            None => self.buf.push(0),
            Some(l) => {
                self.buf.push(1);
                self.time(l.at);
                self.str(&l.value);
            }
        }
    }
    pub fn named(&mut self, list: &[Named]) {
        self.uint(list.len() as u64);
        for n in list {
            self.str(&n.value);
            self.time(n.first);
            self.uint(u64::try_from(n.last - n.first).unwrap_or(0));
        }
    }
}

impl TimeReader {
    fn latest_bool(
        &self,
        r: &mut Reader,
        what: &'static str,
    ) -> Result<Option<Latest<bool>>, StoreError> {
        match r.byte(what)? {
            0 => Ok(None),
            tag @ (1 | 2) => Ok(Some(Latest {
                at: self.time(r, what)?,
                value: tag == 2,
            })),
            _ => Err(StoreError::Corrupt(format!("a bad tag in the {what}"))),
        }
    }
    pub fn latest_str(
        &self,
        r: &mut Reader,
        what: &'static str,
    ) -> Result<Option<Latest<String>>, StoreError> {
        match r.byte(what)? {
            0 => Ok(None),
            1 => Ok(Some(Latest {
                at: self.time(r, what)?,
                value: r.str(what)?,
            })),
            _ => Err(StoreError::Corrupt(format!("a bad tag in the {what}"))),
        }
    }
    pub fn named(&self, r: &mut Reader, what: &'static str) -> Result<Vec<Named>, StoreError> {
        let n = r.count(what)?;
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            let value = r.str(what)?;
            let first = self.time(r, what)?;
            let last = first.saturating_add(i64::try_from(r.uint(what)?).unwrap_or(i64::MAX));
            out.push(Named { value, first, last });
        }
        ensure_sorted(&out, |a, b| a.value < b.value, what)?;
        Ok(out)
    }
}

/// The DIDs section (format 5): the Bluesky accounts' DIDs, by account id
/// (ids delta-coded), after every other section.
pub(super) fn write_dids(w: &mut Writer, ledger: &Ledger) {
    let dids: Vec<(&AccountId, &String)> = ledger
        .accounts
        .iter()
        .filter_map(|(id, a)| a.did.as_ref().map(|d| (id, d)))
        .collect();
    w.uint(dids.len() as u64);
    let mut prev = 0u64;
    for (id, did) in dids {
        w.uint(id.0 - prev);
        prev = id.0;
        w.str(did);
    }
}

pub(super) fn read_dids(r: &mut Reader, ledger: &mut Ledger) -> Result<(), StoreError> {
    let n = r.count("DIDs")?;
    let mut id = 0u64;
    for _ in 0..n {
        id = id
            .checked_add(r.uint("DIDs")?)
            .ok_or_else(|| StoreError::Corrupt("a DID's account id out of range".into()))?;
        let did = r.str("DIDs")?;
        // Only the DID the account's id is the digest of, of an account kept.
        let account = ledger
            .accounts
            .get_mut(&AccountId(id))
            .filter(|_| AccountId::of_did(&did) == AccountId(id))
            .ok_or_else(|| StoreError::Corrupt("a DID of no account of the ledger".into()))?;
        account.did = Some(did);
    }
    Ok(())
}

pub(super) fn write(w: &mut Writer, ledger: &Ledger) {
    w.uint(ledger.accounts.len() as u64);
    let mut prev = 0u64;
    for (id, a) in &ledger.accounts {
        w.uint(id.0 - prev);
        prev = id.0;
        w.named(&a.handles);
        w.named(&a.names);
        w.uint(a.counts.len() as u64);
        for c in &a.counts {
            w.time(c.at);
            w.opt_uint(c.followers);
            w.opt_uint(c.following);
        }
        w.latest_bool(&a.protected);
        w.latest_str(&a.verified_type);
        w.latest_bool(&a.blue_verified);
        w.latest_str(&a.professional_type);
        w.uint(a.gone.len() as u64);
        for g in &a.gone {
            w.time(g.at);
            w.str(&g.reason);
        }
        w.uint(a.blocked_you.len() as u64);
        for b in &a.blocked_you {
            w.time(b.at);
            w.buf.push(u8::from(b.blocked));
        }
        match a.last_active {
            None => w.buf.push(0),
            Some(t) => {
                w.buf.push(1);
                w.time(t);
            }
        }
        w.latest_bool(&a.brand_mark);
        w.latest_bool(&a.allowlisted);
        w.uint(a.by_you.len() as u64);
        for b in &a.by_you {
            w.time(b.at);
            w.buf.push(b.action.code());
        }
        w.uint(a.not_unfollows.len() as u64);
        for n in &a.not_unfollows {
            w.uint(n.to.0);
            w.time(n.at);
        }
    }
}

pub(super) fn read(
    r: &mut Reader,
    tr: &TimeReader,
    ledger: &mut Ledger,
    version: u16,
) -> Result<(), StoreError> {
    let n = r.count("account count")?;
    let mut id = 0u64;
    for _ in 0..n {
        id = id
            .checked_add(r.uint("account id")?)
            .ok_or_else(|| StoreError::Corrupt("an account id out of range".into()))?;
        let handles = tr.named(r, "handles")?;
        let names = tr.named(r, "names")?;
        let nc = r.count("count samples")?;
        let mut counts = Vec::with_capacity(nc);
        for _ in 0..nc {
            let at = tr.time(r, "count samples")?;
            let f = r.uint("count samples")?;
            let g = r.uint("count samples")?;
            counts.push(CountSample {
                at,
                followers: f.checked_sub(1),
                following: g.checked_sub(1),
            });
        }
        ensure_sorted(&counts, |a, b| a < b, "count samples")?;
        let protected = tr.latest_bool(r, "protected flag")?;
        let verified_type = tr.latest_str(r, "verification type")?;
        let blue_verified = tr.latest_bool(r, "blue flag")?;
        let professional_type = tr.latest_str(r, "professional type")?;
        let ng = r.count("gone sightings")?;
        let mut gone = Vec::with_capacity(ng);
        for _ in 0..ng {
            gone.push(GoneSighting {
                at: tr.time(r, "gone sightings")?,
                reason: r.str("gone sightings")?,
            });
        }
        ensure_sorted(&gone, |a, b| a < b, "gone sightings")?;
        let nb = r.count("block sightings")?;
        let mut blocked_you = Vec::with_capacity(nb);
        for _ in 0..nb {
            let at = tr.time(r, "block sightings")?;
            let blocked = r.byte("block sightings")? != 0;
            blocked_you.push(BlockSighting { at, blocked });
        }
        ensure_sorted(&blocked_you, |a, b| a < b, "block sightings")?;
        let last_active = match r.byte("last active")? {
            0 => None,
            _ => Some(tr.time(r, "last active")?),
        };
        let brand_mark = tr.latest_bool(r, "brand mark")?;
        let allowlisted = tr.latest_bool(r, "allowlist")?;
        // Format 2 keeps what the viewer did to each account.
        let mut by_you = Vec::new();
        if version >= 2 {
            let nb = r.count("own actions")?;
            by_you.reserve(nb);
            for _ in 0..nb {
                let at = tr.time(r, "own actions")?;
                let action = OwnAction::from_code(r.byte("own actions")?)
                    .ok_or_else(|| StoreError::Corrupt("an unknown own action".into()))?;
                by_you.push(ByYou { at, action });
            }
            ensure_sorted(&by_you, |a, b| a < b, "own actions")?;
        }
        let mut not_unfollows = Vec::new();
        if version >= 2 {
            let nn = r.count("ends said not to be unfollows")?;
            for _ in 0..nn {
                let to = AccountId(r.uint("ends said not to be unfollows")?);
                let at = tr.time(r, "ends said not to be unfollows")?;
                not_unfollows.push(NotUnfollow { to, at });
            }
            ensure_sorted(
                &not_unfollows,
                |a, b| a < b,
                "ends said not to be unfollows",
            )?;
        }
        ledger.accounts.insert(
            AccountId(id),
            Account {
                handles,
                names,
                counts,
                protected,
                verified_type,
                blue_verified,
                professional_type,
                gone,
                blocked_you,
                by_you,
                not_unfollows,
                last_active,
                brand_mark,
                allowlisted,
                did: None,
            },
        );
    }
    Ok(())
}
