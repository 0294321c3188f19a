//! Platform payloads → Reciprocity observations.
//!
//! Everything X-specific lives here, so that X's next format change is one module
//! and one fixture: the GraphQL reader ([`graphql`], on a single streaming pass,
//! [`walk`]) in all three user layouts ([`user`]), the REST relationship endpoints
//! ([`rest`]), and the X data archive ([`archive`]).

pub mod archive;
pub mod bsky;
pub mod envelope;
pub mod graphql;
pub mod request;
pub mod rest;
pub mod user;
pub mod walk;

pub use envelope::{envelopes_in, looks_like_envelope, Envelope};
pub use user::XUser;

use reciprocity_core::model::{ListKey, Observation, PagePosition, Platform};
use reciprocity_core::{AccountId, Time};
use request::Endpoint;
use thiserror::Error;

/// Why a capture could not be read. Each names the operation and what was wrong.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum CaptureError {
    #[error("not a capture envelope: {0}")]
    Envelope(String),
    #[error("{url}: not an endpoint Reciprocity reads")]
    UnsupportedEndpoint { url: String },
    #[error("{operation}: the response is not valid JSON ({detail})")]
    Json { operation: String, detail: String },
    #[error("{operation}: the request failed with HTTP status {status}")]
    Status { operation: String, status: u16 },
    #[error("{operation}: X answered with errors and no data: {messages}")]
    XErrors { operation: String, messages: String },
    #[error("{operation}: unknown layout: {missing} not found (X may have changed its format; export the capture for a bug report)")]
    UnknownLayout {
        operation: String,
        missing: &'static str,
    },
    #[error("{operation}: the request does not say {what}")]
    MissingVariable {
        operation: String,
        what: &'static str,
    },
    #[error("archive: {0}")]
    Archive(String),
    #[error("{url}: not an operation Reciprocity collects (nothing of it is kept)")]
    NotCollected { url: String },
    #[error("{operation}: a list page of {entries} accounts, more than X serves in a page (at most {max} are read): refused")]
    PageTooLarge {
        operation: String,
        entries: usize,
        max: usize,
    },
}

/// What one capture said.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reading {
    /// The GraphQL operation, the REST endpoint, `archive`, or `body` (a bare body).
    pub operation: String,
    pub at: Time,
    /// The network its accounts are on: whose ledger it goes to.
    pub platform: Platform,
    pub viewer: Option<AccountId>,
    /// Accounts found, each once (sightings merged), in order of appearance.
    pub users: Vec<XUser>,
    /// Bluesky: the DIDs of the accounts it described, list rows included
    /// (badges are asked by DID as well as by handle). Empty on X.
    pub dids: Vec<String>,
    /// What the ledger learns from it.
    pub observations: Vec<Observation>,
}

impl Reading {
    /// The list page in this reading, if it is one.
    pub fn page(&self) -> Option<(ListKey, &PagePosition, usize)> {
        self.observations.iter().find_map(|o| match o {
            Observation::ListPage(p) => Some((p.list, &p.position, p.entries.len())),
            _ => None,
        })
    }
}

/// The hosts whose API responses are read: x.com's and twitter.com's own.
const HOSTS: &[&str] = &["x.com", "twitter.com", "api.x.com", "api.twitter.com"];

/// Whether this URL asks for a page of a follow list (collected, and one of the
/// operations in [`graphql::LISTS`] or the REST id lists): the worker gives
/// those their own, larger rate budget.
pub fn is_list_page(url: &str) -> bool {
    collected(url)
        && match Endpoint::of_url(url) {
            Some(Endpoint::GraphQl(op)) => graphql::LISTS.iter().any(|(name, _, _)| *name == op),
            Some(Endpoint::FollowerIds | Endpoint::FriendIds) => true,
            _ => false,
        }
}

/// Whether a response from this URL is one the readers collect: an API URL of
/// x.com or twitter.com, for an operation on the explicit list
/// ([`graphql::collects`]) or a REST endpoint the readers read. The browser
/// keeps nothing else.
pub fn collected(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("https://") else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if !HOSTS.contains(&host) {
        return false;
    }
    match Endpoint::of_url(url) {
        Some(Endpoint::GraphQl(op)) => graphql::collects(&op),
        Some(_) => true,
        None => false,
    }
}

/// The envelope of an action of the viewer's that X accepted, from the two facts
/// the page hook hands over: the action's URL (without its query) and the account
/// acted on. The request body is written here as X's own request carries the
/// account, so the action reads exactly as its captured request would; `None`
/// when the URL is not an action the readers read or the account is not an id.
pub fn action_envelope(
    viewer: &str,
    at: &str,
    url: &str,
    target: &str,
    status: u16,
) -> Option<String> {
    let valid =
        !target.is_empty() && target.len() <= 20 && target.bytes().all(|b| b.is_ascii_digit());
    if !valid || !collected(url) {
        return None;
    }
    let request_body = match Endpoint::of_url(url)? {
        Endpoint::GraphQl(op) if op == "RemoveFollower" => {
            format!(r#"{{"variables":{{"target_user_id":"{target}"}}}}"#)
        }
        Endpoint::FriendshipsDestroy | Endpoint::BlocksCreate | Endpoint::BlocksDestroy => {
            format!("user_id={target}")
        }
        _ => return None,
    };
    let head = envelope::Head {
        platform: "x",
        viewer,
        at,
        method: "POST",
        url,
        request_body: Some(&request_body),
        status,
    };
    Some(head.with_body("{}"))
}

/// Reads one capture envelope (or one page of an archive, `x-archive`).
pub fn read_envelope(env: &Envelope) -> Result<Reading, CaptureError> {
    if env.platform == archive::ENVELOPE_PLATFORM {
        return archive::read_page_envelope(env);
    }
    if env.platform == bsky::car::ENVELOPE_PLATFORM {
        return bsky::car::read_repo_envelope(env);
    }
    if env.platform == "bsky" {
        if !(200..300).contains(&env.status) {
            return Err(CaptureError::Status {
                operation: bsky::nsid_of(&env.url).unwrap_or("xrpc").to_owned(),
                status: env.status,
            });
        }
        return bsky::read_envelope(env, env.viewer_did.as_deref());
    }
    let endpoint = Endpoint::of_url(&env.url).ok_or_else(|| CaptureError::UnsupportedEndpoint {
        url: env.url.clone(),
    })?;
    if let Endpoint::GraphQl(op) = &endpoint {
        if !graphql::collects(op) {
            return Err(CaptureError::NotCollected {
                url: env.url.clone(),
            });
        }
    }
    let operation = endpoint.name().to_owned();
    if !(200..300).contains(&env.status) {
        return Err(CaptureError::Status {
            operation,
            status: env.status,
        });
    }
    match endpoint {
        Endpoint::GraphQl(op) => graphql::read(&op, env),
        Endpoint::FriendshipsShow => rest::friendships_show(env),
        Endpoint::FollowerIds | Endpoint::FriendIds => rest::ids_page(&endpoint, env),
        Endpoint::FriendshipsDestroy | Endpoint::BlocksCreate | Endpoint::BlocksDestroy => {
            rest::own_action_of(&endpoint, env)
        }
    }
}

/// Reads a bare response body (no envelope): the accounts it shows, nothing more.
pub fn read_body(bytes: &[u8]) -> Result<Vec<XUser>, CaptureError> {
    let found = walk::walk_body(bytes).map_err(|e| CaptureError::Json {
        operation: "body".into(),
        detail: e.to_string(),
    })?;
    Ok(graphql::users_of(&found))
}
