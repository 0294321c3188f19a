//! atproto TIDs ("timestamp identifiers"), the keys of follow records: 13
//! characters of base32-sortable (`234567abcdefghijklmnopqrstuvwxyz`) for a 64-bit
//! integer whose top bit is 0, whose next 53 bits are microseconds since the Unix
//! epoch and whose last 10 a clock identifier (atproto's `specs/tid`, and
//! `packages/common-web/src/tid.ts`: the first 11 characters are the time, the
//! last 2 the clock).
//!
//! The server that wrote a follow chose its key from its clock, so the key dates
//! the follow to about a second — but a client may choose its own key, so a key
//! is a date only when it is a TID and a plausible one ([`follow_started`]).

use reciprocity_core::time::Time;

const ALPHABET: &[u8; 32] = b"234567abcdefghijklmnopqrstuvwxyz";

/// The first record keys of the network: nothing follows before its launch.
/// 2022-11-01T00:00:00Z, a little before the first records of 2022-11.
pub const EARLIEST_FOLLOW: Time = Time(1_667_260_800);

/// A clock a little ahead is tolerated; a key further in the future than this,
/// past the moment it was seen, dates nothing.
pub const AHEAD_TOLERATED: i64 = 5 * 60;

/// A TID: microseconds since the epoch and a clock identifier.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Tid(u64);

fn digit(c: u8) -> Option<u64> {
    ALPHABET.iter().position(|&a| a == c).map(|i| i as u64)
}

impl Tid {
    /// Reads a record key as a TID: 13 characters of the alphabet, the first of
    /// its first half (the top bit is 0). Anything else is not a TID.
    pub fn parse(key: &str) -> Option<Tid> {
        let bytes = key.as_bytes();
        if bytes.len() != 13 || digit(bytes[0])? >= 16 {
            return None;
        }
        bytes
            .iter()
            .try_fold(0u64, |n, &c| Some(n << 5 | digit(c)?))
            .map(Tid)
    }

    /// The TID of an instant (microseconds) and a clock identifier (10 bits).
    pub fn new(micros: u64, clock: u16) -> Tid {
        Tid((micros & ((1 << 53) - 1)) << 10 | u64::from(clock & 0x3ff))
    }

    /// Microseconds since the Unix epoch.
    pub fn micros(self) -> u64 {
        self.0 >> 10
    }

    /// The clock identifier.
    pub fn clock(self) -> u16 {
        u16::try_from(self.0 & 0x3ff).unwrap_or(0)
    }

    /// Whole seconds since the Unix epoch (53 bits of microseconds: it fits).
    pub fn seconds(self) -> Time {
        Time::from_micros(self.micros())
    }
}

impl std::fmt::Display for Tid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text: String = (0..13)
            .rev()
            .map(|i| char::from(ALPHABET[usize::try_from((self.0 >> (5 * i)) & 31).unwrap_or(0)]))
            .collect();
        f.write_str(&text)
    }
}

/// The record key of an AT-URI (`at://<did>/<collection>/<rkey>`) and its author.
pub fn key_of(uri: &str) -> Option<(&str, &str)> {
    let rest = uri.strip_prefix("at://")?;
    let mut parts = rest.split('/');
    let (author, _collection, key) = (parts.next()?, parts.next()?, parts.next()?);
    (parts.next().is_none() && !author.is_empty() && !key.is_empty()).then_some((author, key))
}

/// When a follow began, as far as its record says: its key's instant, or its
/// `createdAt` if earlier (a client's clock can run behind its server's), each
/// only if plausible — after the network began, and no later than `seen` (when
/// the record was seen) by more than a clock's tolerance. `None`: its key and
/// its `createdAt` date nothing.
pub fn follow_started(key: &str, created_at: Option<Time>, seen: Time) -> Option<Time> {
    let plausible = |t: Time| (EARLIEST_FOLLOW..=seen.saturating_add(AHEAD_TOLERATED)).contains(&t);
    let from_key = Tid::parse(key).map(Tid::seconds).filter(|&t| plausible(t));
    let from_record = created_at.filter(|&t| plausible(t));
    match (from_key, from_record) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_worked_example_of_the_notes_decodes() {
        // at://did:plc:jdkidgpdxi5hfz5i6aoys5pq/app.bsky.graph.follow/3lpdgrapzsx2i
        let tid = Tid::parse("3lpdgrapzsx2i").unwrap();
        assert_eq!(tid.micros(), 1_747_446_877_847_325);
        assert_eq!(tid.clock(), 14);
        assert_eq!(tid.to_string(), "3lpdgrapzsx2i");
    }

    #[test]
    fn what_is_not_a_tid_is_refused() {
        for key in [
            "",
            "3lpdgrapzsx2",
            "3lpdgrapzsx2ii",
            "klpdgrapzsx2i",
            "3lpdgrapzsx21",
            "3LPDGRAPZSX2I",
            "self",
        ] {
            assert_eq!(Tid::parse(key), None, "{key}");
        }
    }

    proptest! {
        #[test]
        fn a_tid_reads_back_as_written(micros in 0u64..(1 << 53), clock in 0u16..1024) {
            let tid = Tid::new(micros, clock);
            let text = tid.to_string();
            prop_assert_eq!(text.len(), 13);
            prop_assert_eq!(Tid::parse(&text), Some(tid));
            prop_assert_eq!((tid.micros(), tid.clock()), (micros, clock));
        }

        #[test]
        fn tids_sort_as_their_text(a in 0u64..(1 << 53), b in 0u64..(1 << 53)) {
            let (x, y) = (Tid::new(a, 0), Tid::new(b, 0));
            prop_assert_eq!(x.cmp(&y), x.to_string().cmp(&y.to_string()));
        }

        #[test]
        fn an_implausible_key_dates_nothing(
            secs in prop_oneof![0i64..EARLIEST_FOLLOW.0, 1_800_000_000i64..4_000_000_000],
        ) {
            let seen = Time(1_790_000_000);
            let key = Tid::new(u64::try_from(secs).unwrap() * 1_000_000, 0).to_string();
            prop_assert_eq!(follow_started(&key, None, seen), None);
            // A plausible `createdAt` still dates it.
            prop_assert_eq!(follow_started(&key, Some(seen - 10), seen), Some(seen - 10));
        }
    }

    #[test]
    fn the_earlier_of_key_and_record_is_the_start() {
        let seen = Time(1_790_000_000);
        let key = Tid::new(1_747_446_877_847_325, 14).to_string();
        assert_eq!(follow_started(&key, None, seen), Some(Time(1_747_446_877)));
        assert_eq!(
            follow_started(&key, Some(Time(1_747_446_876)), seen),
            Some(Time(1_747_446_876))
        );
        assert_eq!(
            follow_started(&key, Some(Time(1_747_446_999)), seen),
            Some(Time(1_747_446_877))
        );
        assert_eq!(follow_started("not-a-tid", None, seen), None);
        assert_eq!(
            key_of("at://did:plc:jdkidgpdxi5hfz5i6aoys5pq/app.bsky.graph.follow/3lpdgrapzsx2i"),
            Some(("did:plc:jdkidgpdxi5hfz5i6aoys5pq", "3lpdgrapzsx2i"))
        );
        assert_eq!(key_of("https://bsky.app/profile/x"), None);
    }
}
