//! Jetstream's JSON events (`reciprocity ingest` of a `.jsonl` a feed keeper
//! saved): each follow record created or deleted, with its author, key and time.
//! A create gives the follow's start (its key's instant and its `createdAt`, the
//! earlier when plausible); a delete gives `time_us` and, through its key, the
//! start of the follow it ends — its subject only if its create was seen.
//! Everything else the stream carries is skipped.

use super::tid;
use reciprocity_core::time::{parse_rfc3339, Time};
use serde::Deserialize;
use serde_json::value::RawValue;

const FOLLOW: &str = "app.bsky.graph.follow";

/// One follow record's creation or deletion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FollowEvent {
    /// Who follows (the repository's DID).
    pub author: String,
    pub key: String,
    /// When the stream saw it (`time_us`, whole seconds).
    pub seen: Time,
    pub change: Change,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// A follow of `subject` began, at `started` if its key or record can say.
    Created {
        subject: String,
        started: Option<Time>,
    },
    /// The follow with this key ended at `seen`; it began at `started` if its
    /// key can say.
    Deleted { started: Option<Time> },
}

#[derive(Deserialize)]
struct WireRecord {
    subject: Option<String>,
    #[serde(rename = "createdAt")]
    created_at: Option<String>,
}

#[derive(Deserialize)]
struct WireCommit {
    operation: String,
    collection: String,
    rkey: String,
    // Read only for a follow: other collections' records have other shapes.
    record: Option<Box<RawValue>>,
}

#[derive(Deserialize)]
struct WireEvent {
    did: String,
    time_us: u64,
    kind: String,
    commit: Option<WireCommit>,
}

/// What one line says: a follow's creation or deletion, nothing (another kind of
/// event, another collection), or why it cannot be read.
pub fn read_line(line: &str) -> Result<Option<FollowEvent>, String> {
    let e: WireEvent =
        serde_json::from_str(line).map_err(|e| format!("not a Jetstream event: {e}"))?;
    let Some(c) = e
        .commit
        .filter(|c| e.kind == "commit" && c.collection == FOLLOW)
    else {
        return Ok(None);
    };
    let seen = Time::from_micros(e.time_us);
    let change = match c.operation.as_str() {
        "create" => {
            let raw = c.record.ok_or("a follow created without its record")?;
            let record: WireRecord =
                serde_json::from_str(raw.get()).map_err(|e| format!("not a follow record: {e}"))?;
            let subject = record
                .subject
                .ok_or("a follow record without its subject")?;
            let created_at = record.created_at.as_deref().and_then(parse_rfc3339);
            Change::Created {
                subject,
                started: tid::follow_started(&c.rkey, created_at, seen),
            }
        }
        "delete" => Change::Deleted {
            started: tid::follow_started(&c.rkey, None, seen),
        },
        // A follow record is never updated by Bluesky's clients; one that is says
        // nothing about when a follow began or ended.
        _ => return Ok(None),
    };
    Ok(Some(FollowEvent {
        author: e.did,
        key: c.rkey,
        seen,
        change,
    }))
}

/// Every follow event of a JSON Lines file, each with its line number, or what
/// is wrong with that line (the others are still read).
pub fn read_lines(text: &str) -> Vec<(usize, Result<FollowEvent, String>)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .filter_map(|(i, l)| read_line(l).transpose().map(|r| (i + 1, r)))
        .collect()
}
