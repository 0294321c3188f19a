//! Reciprocity's ledger: who follows whom, since when, and who follows only to
//! unfollow. Pure Rust: no I/O, no clock, no web (docs/design.md rule 5).
//!
//! - [`model`]: accounts, lists and the observations captures make;
//! - [`history`]: one edge's sightings, runs and time bounds;
//! - [`account`]: what is known of one account;
//! - [`lists`]: list pages and the complete walks they make;
//! - [`events`]: changes on an edge, classified;
//! - [`ledger`]: one viewer's ledger, ingest and queries;
//! - [`record`]: track records and verdicts;
//! - [`words`]: everything said to people, in English or French;
//! - [`store`] and [`export`]: the binary store and the JSON export.

pub mod account;
pub mod annotate;
pub mod dating;
pub mod events;
pub mod export;
pub mod history;
pub mod ledger;
pub mod lists;
pub mod model;
pub mod record;
pub mod segments;
mod sort;
pub mod store;
pub mod summary;
pub mod time;
pub mod verdict;
pub mod vocab;
pub mod words;

pub use account::Account;
pub use annotate::{Annotation, Badge, Timeline, Who};
pub use events::Event;
pub use history::{Bounds, Sighting, Span};
pub use ledger::{Learned, Ledger};
pub use model::{
    AccountId, AccountSighting, ListKey, ListKind, ListPage, Observation, PagePosition, Platform,
    Viewer,
};
pub use record::TrackRecord;
pub use store::{Store, StoreError};
pub use summary::{SeriesPoint, Summary};
pub use time::Time;
pub use verdict::Verdict;
pub use vocab::EventKind;
pub use vocab::{Code, Confidence, Severity};
pub use words::Lang;

/// An observation the ledger refuses; nothing of the capture it came with is kept.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LedgerError {
    #[error("the {what} has id 0, which no account has")]
    ZeroId { what: &'static str },
    #[error("the {what} is dated {at} (seconds since 1970), outside 2006–2100")]
    TimeOutOfRange { what: &'static str, at: Time },
    #[error("the capture describes {0}")]
    Invalid(&'static str),
    #[error("the {what} is dated {at}, after this machine's clock ({now}): refused")]
    AfterClock {
        what: &'static str,
        at: String,
        now: String,
    },
}
