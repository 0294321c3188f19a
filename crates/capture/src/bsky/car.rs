//! A Bluesky repository export (settings → export: a CARv1 file): the user's
//! own follows, each with its record key and `createdAt` — Bluesky's archive.
//!
//! A CARv1 file is a varint-prefixed DAG-CBOR header (its version and roots),
//! then blocks, each a varint length, a CID and the block's bytes. The framing
//! is read here with every length checked (a crate that did it panicked on a
//! changed byte); CIDs are `cid`'s, hashes `sha2`'s, records DAG-CBOR
//! (`serde_ipld_dagcbor`). The commit (the CAR's root) names the
//! repository's DID, its revision (a TID: when the repository last changed, so
//! when the export was true) and the root of its Merkle search tree, whose
//! entries are keyed `<collection>/<record key>` with each key stored as the
//! length it shares with the entry before it plus the rest.
//!
//! An export is every follow of the user's at its revision: a complete list, so
//! two exports over time show the user's unfollows of others exactly as far as
//! their revisions bound them. Caps as for an X archive: a file, its blocks and
//! the tree's depth are bounded, and a cycle in the tree is walked once.

use super::tid::{self, Tid};
use crate::{CaptureError, Reading};
use ipld_core::cid::Cid;
use reciprocity_core::model::{
    AccountSighting, ListKey, ListKind, ListPage, Observation, PagePosition, Platform,
};
use reciprocity_core::time::{parse_rfc3339, Time};
use reciprocity_core::AccountId;
use serde::Deserialize;
use sha2::Digest;
use std::collections::{HashMap, HashSet};

/// Larger files are refused: a repository holds records, not media (a heavy
/// user's is tens of megabytes).
pub const MAX_CAR_BYTES: usize = 512 * 1024 * 1024;
/// More blocks than this are refused.
pub const MAX_BLOCKS: usize = 8_000_000;
/// A deeper tree than this is refused (a real one is a handful of levels).
pub const MAX_DEPTH: usize = 64;

const FOLLOW: &str = "app.bsky.graph.follow/";

/// The platform name of an envelope that carries a [`RepoExport`] (as JSON): how
/// the dashboard's imports of exports are journaled and replayed.
pub const ENVELOPE_PLATFORM: &str = "bsky-repo";

/// One follow record of the export.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, Deserialize)]
pub struct RepoFollow {
    /// Its record key (a TID when the server chose it).
    pub key: String,
    /// The DID followed.
    pub subject: String,
    #[serde(with = "rfc3339_opt")]
    pub created_at: Option<Time>,
}

/// Instants as RFC 3339 text in an envelope.
mod rfc3339_opt {
    use reciprocity_core::time::{parse_rfc3339, to_rfc3339, Time};
    use serde::{Deserialize, Deserializer, Serializer};

    #[allow(clippy::ref_option)] // serde's `with` passes a reference
    pub fn serialize<S: Serializer>(t: &Option<Time>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => s.serialize_str(&to_rfc3339(*t)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Time>, D::Error> {
        Ok(Option::<String>::deserialize(d)?
            .as_deref()
            .and_then(parse_rfc3339))
    }
}

/// What a repository export says of its owner's follows.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, Deserialize)]
pub struct RepoExport {
    pub did: String,
    /// The repository's revision (a TID).
    pub rev: String,
    /// Every follow record, in key order.
    pub follows: Vec<RepoFollow>,
}

impl RepoExport {
    /// When the export was true: its revision's instant, when that is a TID no
    /// earlier than the network (a later one than this machine's clock is the
    /// engine's and the CLI's to refuse, as for any file).
    pub fn at(&self) -> Option<Time> {
        Tid::parse(&self.rev)
            .map(Tid::seconds)
            .filter(|&t| t >= tid::EARLIEST_FOLLOW)
    }
}

#[derive(Deserialize)]
struct CarHeader {
    version: u64,
    roots: Vec<Cid>,
}

/// An unsigned LEB128 varint at `*pos`, moved past it.
fn varint(bytes: &[u8], pos: &mut usize) -> Option<u64> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *bytes.get(*pos)?;
        *pos += 1;
        value |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            return Some(value);
        }
    }
    None
}

/// The bytes from `*pos` that a varint length before them says, moved past.
fn framed<'a>(bytes: &'a [u8], pos: &mut usize) -> Option<&'a [u8]> {
    let len = usize::try_from(varint(bytes, pos)?).ok()?;
    let end = pos.checked_add(len).filter(|&end| end <= bytes.len())?;
    let out = &bytes[*pos..end];
    *pos = end;
    Some(out)
}

/// Multihash code of SHA2-256, the hash of every block of a repository.
const SHA2_256: u64 = 0x12;

/// A CAR file's blocks, by CID, borrowed from the file.
type Blocks<'a> = HashMap<Cid, &'a [u8]>;

/// A CARv1 file's roots and blocks, each block's hash checked.
fn car_blocks(bytes: &[u8]) -> Result<(Vec<Cid>, Blocks<'_>), CaptureError> {
    let truncated = || bad("a damaged or truncated file");
    let mut pos = 0;
    let header: CarHeader =
        serde_ipld_dagcbor::from_slice(framed(bytes, &mut pos).ok_or_else(truncated)?)
            .map_err(|_| bad("not a CAR file (its header)"))?;
    if header.version != 1 {
        return Err(bad(format!(
            "CAR version {}: not one Bluesky exports",
            header.version
        )));
    }
    let mut blocks = HashMap::new();
    while pos < bytes.len() {
        if blocks.len() >= MAX_BLOCKS {
            return Err(bad(format!("more than {MAX_BLOCKS} blocks")));
        }
        let mut block = framed(bytes, &mut pos).ok_or_else(truncated)?;
        let cid = Cid::read_bytes(&mut block).map_err(|_| bad("a block's CID is damaged"))?;
        let hash = cid.hash();
        if hash.code() != SHA2_256 {
            return Err(bad("a block is hashed in a way no repository is"));
        }
        if sha2::Sha256::digest(block).as_slice() != hash.digest() {
            return Err(bad("a block fails its hash check (the file is damaged)"));
        }
        blocks.insert(cid, block);
    }
    Ok((header.roots, blocks))
}

#[derive(Deserialize)]
struct Commit {
    did: String,
    rev: String,
    data: Cid,
}

#[derive(Deserialize)]
struct Node {
    l: Option<Cid>,
    e: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    p: usize,
    #[serde(with = "serde_bytes")]
    k: Vec<u8>,
    v: Cid,
    t: Option<Cid>,
}

#[derive(Deserialize)]
struct FollowRecord {
    subject: String,
    #[serde(rename = "createdAt")]
    created_at: Option<String>,
}

fn bad(what: impl std::fmt::Display) -> CaptureError {
    CaptureError::Archive(format!("repository export: {what}"))
}

/// Reads a repository export's follows. Every block's hash is checked; a follow
/// record that is not one (no subject) is skipped, a damaged tree refused.
pub fn read_repo(bytes: &[u8]) -> Result<RepoExport, CaptureError> {
    if bytes.len() > MAX_CAR_BYTES {
        return Err(bad(format!(
            "{} MiB, more than the {} MiB a repository holds",
            bytes.len() >> 20,
            MAX_CAR_BYTES >> 20
        )));
    }
    let (roots, blocks) = car_blocks(bytes)?;
    let block = |cid: &Cid| {
        blocks
            .get(cid)
            .copied()
            .ok_or_else(|| bad("a block the tree names is missing"))
    };
    let root = roots.first().ok_or_else(|| bad("no root"))?;
    let commit: Commit =
        serde_ipld_dagcbor::from_slice(block(root)?).map_err(|e| bad(format!("commit: {e}")))?;
    // The tree, depth first and in key order; each node once.
    let mut follows = Vec::new();
    let mut seen = HashSet::new();
    let mut stack: Vec<(Cid, usize)> = vec![(commit.data, 0)];
    let mut records: Vec<(String, Cid)> = Vec::new();
    while let Some((cid, depth)) = stack.pop() {
        if depth > MAX_DEPTH {
            return Err(bad(format!("a tree deeper than {MAX_DEPTH}")));
        }
        if !seen.insert(cid) {
            continue;
        }
        let node: Node = serde_ipld_dagcbor::from_slice(block(&cid)?)
            .map_err(|e| bad(format!("a tree node: {e}")))?;
        // Pushed in reverse, so that the left subtree is walked first, then
        // each entry's key and its right subtree.
        let mut key: Vec<u8> = Vec::new();
        let mut later: Vec<(Cid, usize)> = Vec::new();
        later.extend(node.l.map(|l| (l, depth + 1)));
        for e in &node.e {
            if e.p > key.len() {
                return Err(bad("a tree node's key shares more than the key before it"));
            }
            key.truncate(e.p);
            key.extend_from_slice(&e.k);
            let k = String::from_utf8(key.clone()).map_err(|_| bad("a key is not text"))?;
            records.push((k, e.v));
            later.extend(e.t.map(|t| (t, depth + 1)));
        }
        stack.extend(later.into_iter().rev());
    }
    records.sort_unstable();
    for (key, cid) in records {
        let Some(rkey) = key.strip_prefix(FOLLOW) else {
            continue;
        };
        // A follow the tree names but the file lacks: damage, refused (the
        // export is taken as the whole list, so a follow dropped here would
        // read as an unfollow).
        let bytes = block(&cid)?;
        // A record that is no follow (a client may write anything): not one.
        let Ok(record) = serde_ipld_dagcbor::from_slice::<FollowRecord>(bytes) else {
            continue;
        };
        if !record.subject.starts_with("did:") {
            continue;
        }
        follows.push(RepoFollow {
            key: rkey.to_owned(),
            subject: record.subject,
            created_at: record.created_at.as_deref().and_then(parse_rfc3339),
        });
    }
    Ok(RepoExport {
        did: commit.did,
        rev: commit.rev,
        follows,
    })
}

/// What the ledger of the export's owner learns from it, true at `at` (its
/// revision's instant when it has one): the owner's whole following list, as a
/// walk of one page, and each follow's start from its record.
pub fn repo_reading(export: &RepoExport, at: Time) -> Reading {
    let viewer = AccountId::of_did(&export.did);
    let following: Vec<AccountId> = export
        .follows
        .iter()
        .map(|f| AccountId::of_did(&f.subject))
        .filter(|s| *s != viewer)
        .collect();
    let mut observations = vec![
        Observation::Account(AccountSighting {
            id: viewer,
            at,
            following: Some(following.len() as u64),
            did: Some(export.did.clone()),
            ..AccountSighting::default()
        }),
        Observation::ListPage(ListPage {
            list: ListKey {
                owner: viewer,
                kind: ListKind::Following,
            },
            at,
            position: PagePosition::Walk {
                cursor: None,
                next_cursor: None,
                is_last: true,
            },
            entries: following,
            dating: None,
        }),
    ];
    observations.extend(export.follows.iter().filter_map(|f| {
        let started = tid::follow_started(&f.key, f.created_at, at)?;
        Some(Observation::FollowRecord {
            from: viewer,
            to: AccountId::of_did(&f.subject),
            started,
            seen: at,
        })
    }));
    let mut dids: Vec<String> = export.follows.iter().map(|f| f.subject.clone()).collect();
    dids.push(export.did.clone());
    dids.sort_unstable();
    dids.dedup();
    Reading {
        operation: "repo".into(),
        at,
        platform: Platform::Bsky,
        viewer: Some(viewer),
        users: Vec::new(),
        dids,
        observations,
    }
}

impl RepoExport {
    /// The export as the JSON a `bsky-repo` envelope carries.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// The `bsky-repo` envelope of an export read by the dashboard, true at `at`
/// (RFC 3339), its viewer the export's owner.
pub fn repo_envelope_text(viewer_did: &str, at: &str, json: &str) -> String {
    crate::envelope::Head {
        platform: ENVELOPE_PLATFORM,
        viewer: viewer_did,
        at,
        method: "GET",
        url: "https://bsky.app/settings/account#export",
        request_body: None,
        status: 200,
    }
    .with_body(json)
}

/// Reads a `bsky-repo` envelope: its owner must be the envelope's viewer.
pub fn read_repo_envelope(env: &crate::Envelope) -> Result<Reading, CaptureError> {
    let export: RepoExport =
        serde_json::from_slice(&env.body).map_err(|e| bad(format!("not an export's JSON: {e}")))?;
    if env.viewer_did.as_deref() != Some(export.did.as_str()) {
        return Err(bad(format!(
            "the export is {}'s, not the viewer's",
            export.did
        )));
    }
    Ok(repo_reading(&export, env.at))
}
