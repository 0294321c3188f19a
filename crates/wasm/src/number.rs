//! Numbers crossing between JavaScript and the engine. JavaScript's numbers are
//! doubles: a count goes out exact below 2^53 (capped there, as the core caps
//! what it shows), and a time or a size comes in as a double, read saturating.

use reciprocity_core::record::MAX_SAFE_INTEGER;

/// A count as a JavaScript number: exact, capped at 2^53 − 1.
#[allow(clippy::cast_precision_loss)] // below 2^53 every integer is a double
pub(crate) fn js_count(n: u64) -> f64 {
    n.min(MAX_SAFE_INTEGER) as f64
}

/// A whole number of seconds from JavaScript's milliseconds (`Date.now()`).
pub(crate) fn seconds_of_ms(ms: f64) -> i64 {
    whole(ms / 1000.0)
}

/// A size in bytes from JavaScript (`Blob.size`); 0 for anything not a size.
pub(crate) fn bytes_of(size: f64) -> u64 {
    u64::try_from(whole(size)).unwrap_or(0)
}

/// A double as an integer: truncated toward zero, saturating at the ends; NaN is 0.
#[allow(clippy::cast_possible_truncation)] // `as` saturates and maps NaN to 0: what is wanted
fn whole(v: f64) -> i64 {
    v as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_cross_saturating_and_exact() {
        // Exact: the same double, bit for bit.
        assert_eq!(js_count(5).to_bits(), 5f64.to_bits());
        assert_eq!(
            js_count(u64::MAX).to_bits(),
            9_007_199_254_740_991f64.to_bits()
        );
        assert_eq!(seconds_of_ms(1_790_000_000_999.0), 1_790_000_000);
        assert_eq!(seconds_of_ms(f64::NAN), 0);
        assert_eq!(seconds_of_ms(f64::INFINITY), i64::MAX);
        assert_eq!(bytes_of(-1.0), 0);
        assert_eq!(bytes_of(2_500_000_000.0), 2_500_000_000);
    }
}
