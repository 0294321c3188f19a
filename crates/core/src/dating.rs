//! Follows dated by the platform itself: X's list cursors and its "followed you"
//! notifications.
//!
//! A look at a list gives order; the platform's own stamps give time:
//!
//! - **A list page's cursor.** The page's last entry's follow began at the
//!   cursor's time, exactly (to the second). Entries above it on the same page
//!   began at or after it: X lists follows newest first — below a possible fixed
//!   block at the top of the list, which one look cannot see. So a cursor's date
//!   is kept as a claim that the ledger checks against what it saw: where the
//!   edge was already seen following before the date, in the same run, the date
//!   is wrong for that entry (a block member, or an order we misread) and is
//!   dropped. A date never creates an unfollow.
//! - **A notification** names who followed the viewer and when: a notice naming
//!   one account dates that follow to the second, and proves the follow was new
//!   then (if the account was seen following before, that follow had ended). A
//!   grouped notice ("A and 3 others followed you") is kept as evidence only.
//!
//! Dates become derived sightings (`Ledger::sightings`): "not following" just
//! before the start, "following" at the start when it is exact. So events, stints
//! and track records use them with no special case, and rule 3 holds: they are a
//! function of the set of stored dates and explicit sightings.

use crate::model::{PageDating, PagePosition};
use crate::time::{Time, EARLIEST};
use serde::{Deserialize, Serialize};

/// Positions at the top of a list's first page where a fixed block may sit
/// (XDevelopers' Followers kept the same 20 accounts on top for years; its
/// Following, 10–17). Dates there rest on the order alone: they still date a
/// follow of the viewer, but never count against an account (departures).
pub const MAX_BLOCK: usize = 20;

/// How a follow's start was dated.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum Dating {
    /// X's "followed you" notification naming this account alone: exact.
    Notice,
    /// A notification naming it with others: a follow began by then.
    GroupedNotice,
    /// A list page's cursor, below the top of the first page.
    Cursor,
    /// A list page's cursor, in the top [`MAX_BLOCK`] entries of a first page.
    CursorTop,
    /// The key of the follow's own record (Bluesky: a TID the server wrote from
    /// its clock when the follow was made): exact.
    RecordKey,
}

impl Dating {
    pub fn code(self) -> u8 {
        match self {
            Dating::Notice => 0,
            Dating::GroupedNotice => 1,
            Dating::Cursor => 2,
            Dating::CursorTop => 3,
            Dating::RecordKey => 4,
        }
    }
    pub fn from_code(c: u8) -> Option<Self> {
        [
            Dating::Notice,
            Dating::GroupedNotice,
            Dating::Cursor,
            Dating::CursorTop,
            Dating::RecordKey,
        ]
        .into_iter()
        .find(|d| d.code() == c)
    }
    /// Dated by a list's order, not by an event: a sighting before it overrules it.
    pub fn from_order(self) -> bool {
        matches!(self, Dating::Cursor | Dating::CursorTop)
    }
}

/// When one follow began, as the platform dated it: strictly after `after` (when
/// known), at or before `by`. Kept per edge, as a set.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct DatedStart {
    pub by: Time,
    pub after: Option<Time>,
    pub how: Dating,
}

impl DatedStart {
    /// The follow began within the second `at` (a time in whole seconds covers
    /// that second).
    pub fn exact(at: Time, how: Dating) -> Self {
        DatedStart {
            by: at,
            after: Some(at - 1),
            how,
        }
    }
}

/// Why a page's cursor dates nothing.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Undated {
    /// Before X existed.
    TooEarly,
    /// After the page was captured.
    AfterCapture,
    /// Later than the page above it: down a list, times never rise.
    RisesDownTheList,
}

/// The second a page's cursor dates its last entry's follow to, if the cursor
/// passes the checks (after 2006, not after the capture, not rising down the
/// pages of one list).
pub fn cursor_time(d: &PageDating, captured: Time) -> Result<Time, Undated> {
    let t = Time::from_ms(d.last_ms);
    if t < EARLIEST {
        return Err(Undated::TooEarly);
    }
    if t > captured {
        return Err(Undated::AfterCapture);
    }
    if d.above_ms.is_some_and(|above| d.last_ms > above) {
        return Err(Undated::RisesDownTheList);
    }
    Ok(t)
}

/// The start of each entry of a page dated at `t`, in the page's order.
pub fn page_starts(
    entries: usize,
    t: Time,
    captured: Time,
    first_page: bool,
) -> impl Iterator<Item = (usize, DatedStart)> {
    (0..entries).map(move |i| {
        let how = if first_page && i < MAX_BLOCK {
            Dating::CursorTop
        } else {
            Dating::Cursor
        };
        let start = if i + 1 == entries {
            DatedStart::exact(t, how)
        } else {
            DatedStart {
                by: captured,
                after: Some(t - 1),
                how,
            }
        };
        (i, start)
    })
}

/// Whether a page was asked for without a cursor.
pub fn is_first_page(position: &PagePosition) -> bool {
    matches!(position, PagePosition::Walk { cursor: None, .. })
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: Time = Time(1_707_544_961); // 2024-02-10T06:02:41Z

    fn dating(last_ms: i64, above_ms: Option<i64>) -> PageDating {
        PageDating {
            last_ms,
            above_ms,
            first_page: above_ms.is_none(),
        }
    }

    #[test]
    fn a_cursor_dates_to_the_second_and_is_checked() {
        let d = dating(T.0 * 1000 + 149, None);
        assert_eq!(cursor_time(&d, T + 3600), Ok(T));
        assert_eq!(cursor_time(&d, T), Ok(T));
        assert_eq!(cursor_time(&d, T - 1), Err(Undated::AfterCapture));
        assert_eq!(cursor_time(&dating(1000, None), T), Err(Undated::TooEarly));
        assert_eq!(
            cursor_time(&dating(T.0 * 1000, Some(T.0 * 1000 - 1)), T + 5),
            Err(Undated::RisesDownTheList)
        );
        assert_eq!(
            cursor_time(&dating(T.0 * 1000, Some(T.0 * 1000)), T + 5),
            Ok(T)
        );
    }

    #[test]
    fn the_last_entry_is_exact_and_the_others_bounded() {
        let starts: Vec<_> = page_starts(25, T, T + 100, true).collect();
        assert_eq!(starts[24].1, DatedStart::exact(T, Dating::Cursor));
        assert_eq!(
            starts[0].1,
            DatedStart {
                by: T + 100,
                after: Some(T - 1),
                how: Dating::CursorTop
            }
        );
        assert_eq!(starts[MAX_BLOCK].1.how, Dating::Cursor);
        let later: Vec<_> = page_starts(3, T, T + 100, false).collect();
        assert!(later.iter().all(|(_, s)| s.how == Dating::Cursor));
    }
}
