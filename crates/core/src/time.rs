//! Instants as whole seconds since the Unix epoch, UTC.
//!
//! The core never reads a clock (docs/design.md rule 5): every instant is handed in by the
//! caller, and "now" is a parameter wherever it matters.

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// Seconds since 1970-01-01T00:00:00Z.
pub type Time = i64;

pub const MINUTE: Time = 60;
pub const HOUR: Time = 60 * MINUTE;
pub const DAY: Time = 24 * HOUR;

/// The span of instants the ledger accepts: X was founded in 2006, and nothing we
/// read can come from far in the future. Anything outside is a malformed input.
pub const EARLIEST: Time = 1_136_073_600; // 2006-01-01T00:00:00Z
pub const LATEST: Time = 4_102_444_800; // 2100-01-01T00:00:00Z

/// Formats an instant as RFC 3339 (`2026-11-26T01:02:03Z`).
pub fn to_rfc3339(t: Time) -> String {
    match OffsetDateTime::from_unix_timestamp(t).map(|d| d.format(&Rfc3339)) {
        Ok(Ok(s)) => s,
        // Only reachable for instants outside what `time` represents; the ledger
        // never holds such a value (see `EARLIEST`/`LATEST`), so say it plainly.
        _ => format!("@{t}"),
    }
}

/// Parses RFC 3339 (any offset, optional fraction; the fraction is dropped).
pub fn parse_rfc3339(s: &str) -> Option<Time> {
    OffsetDateTime::parse(s.trim(), &Rfc3339)
        .ok()
        .map(time::OffsetDateTime::unix_timestamp)
}

/// Whole days in a span of seconds, rounded down.
pub fn whole_days(span: Time) -> i64 {
    span.div_euclid(DAY)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn formats_and_parses_known_instants() {
        assert_eq!(to_rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(to_rfc3339(1_795_654_923), "2026-11-26T01:02:03Z");
        assert_eq!(parse_rfc3339("2026-11-26T01:02:03Z"), Some(1_795_654_923));
        assert_eq!(
            parse_rfc3339("2026-11-26T02:02:03.456+01:00"),
            Some(1_795_654_923)
        );
        assert_eq!(parse_rfc3339("26 Nov 2026"), None);
    }

    proptest! {
        #[test]
        fn rfc3339_round_trips(t in EARLIEST..LATEST) {
            prop_assert_eq!(parse_rfc3339(&to_rfc3339(t)), Some(t));
        }
    }
}
