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
    /// When its commit was made, by the commit's revision (a TID the server
    /// wrote), when plausible: the exact second of an unfollow.
    pub committed: Option<Time>,
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
    rev: Option<String>,
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
    let committed = c
        .rev
        .as_deref()
        .and_then(|rev| tid::follow_started(rev, None, seen));
    Ok(Some(FollowEvent {
        author: e.did,
        key: c.rkey,
        seen,
        committed,
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

/// Whether a text is Jetstream's JSON Lines (its first event has `time_us`
/// and `kind`), not capture envelopes.
pub fn looks_like_jetstream(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .and_then(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .is_some_and(|v| {
            v.get("time_us").is_some() && v.get("kind").is_some() && v.get("url").is_none()
        })
}

/// Whom each follow a feed created follows, by (author, key): what a delete,
/// which names no subject, is read against.
pub type Subjects = std::collections::HashMap<(String, String), String>;

/// The subjects of the follows `events` create.
pub fn subjects<'a>(events: impl IntoIterator<Item = &'a FollowEvent>) -> Subjects {
    events
        .into_iter()
        .filter_map(|e| match &e.change {
            Change::Created { subject, .. } => {
                Some(((e.author.clone(), e.key.clone()), subject.clone()))
            }
            Change::Deleted { .. } => None,
        })
        .collect()
}

/// What the ledger of `viewer` (a Bluesky account's number) learns from a Jetstream file, line by line: a
/// create is the follow, from its start; a delete ends the follow its key names
/// — whose subject is known only from a create of the same file (a delete names
/// no subject). Read whole before anything is applied, so the lines' order
/// changes nothing. (The CLI reads a file twice instead, line by line: its
/// creates' subjects, then each event with [`reading_of`].)
pub fn readings(
    text: &str,
    viewer: reciprocity_core::AccountId,
) -> Vec<(usize, Result<crate::Reading, String>)> {
    let events = read_lines(text);
    let subjects = subjects(events.iter().filter_map(|(_, e)| e.as_ref().ok()));
    events
        .into_iter()
        .map(|(line, e)| (line, e.and_then(|e| reading_of(&e, viewer, &subjects))))
        .collect()
}

/// What the ledger of `viewer` learns from one follow event, its deletes read
/// against the `subjects` of the feed's creates.
pub fn reading_of(
    e: &FollowEvent,
    viewer: reciprocity_core::AccountId,
    subjects: &Subjects,
) -> Result<crate::Reading, String> {
    use reciprocity_core::model::{Observation, Platform};
    use reciprocity_core::AccountId;
    let from = AccountId::of_did(&e.author);
    let (subject, follows, started) = match &e.change {
        Change::Created { subject, started } => (subject.as_str(), true, *started),
        Change::Deleted { started } => {
            let Some(subject) = subjects.get(&(e.author.clone(), e.key.clone())) else {
                // Most of a feed's unfollows end follows made before it:
                // read, and said to teach nothing, not refused.
                return Ok(crate::Reading {
                    dids: Vec::new(),
                    operation:
                        "jetstream unfollow of a follow this file does not hold (whom: unknown)"
                            .into(),
                    at: e.seen,
                    platform: Platform::Bsky,
                    viewer: Some(viewer),
                    users: Vec::new(),
                    observations: Vec::new(),
                });
            };
            (subject.as_str(), false, *started)
        }
    };
    let to = AccountId::of_did(subject);
    if from == to {
        return Err("an account following itself".to_owned());
    }
    // An unfollow is exact to its commit's second: the record was there the
    // second before, gone at it.
    let at = if follows {
        e.seen
    } else {
        e.committed.unwrap_or(e.seen)
    };
    let mut observations = vec![Observation::Pair {
        from,
        to,
        at,
        follows,
    }];
    if !follows && e.committed.is_some() {
        observations.push(Observation::Pair {
            from,
            to,
            at: at - 1,
            follows: true,
        });
    }
    // A create dates the follow; a delete dates the one it ends.
    if let Some(started) = started {
        observations.push(Observation::FollowRecord {
            from,
            to,
            started,
            seen: if follows { e.seen } else { started },
        });
    }
    Ok(crate::Reading {
        dids: Vec::new(),
        operation: format!("jetstream {}", if follows { "follow" } else { "unfollow" }),
        at: e.seen,
        platform: Platform::Bsky,
        viewer: Some(viewer),
        users: Vec::new(),
        observations,
    })
}
