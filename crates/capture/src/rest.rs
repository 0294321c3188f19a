//! X's REST relationship endpoints (`/1.1/…`), which the web client still calls.

use crate::request::{query_param, Endpoint};
use crate::user::XUser;
use crate::{CaptureError, Envelope, Reading};
use reciprocity_core::model::{ListKey, ListKind, ListPage, Observation, PagePosition};
use reciprocity_core::AccountId;
use serde::Deserialize;

#[derive(Deserialize)]
struct Show {
    relationship: Relationship,
}

#[derive(Deserialize)]
struct Relationship {
    source: Side,
    target: Side,
}

#[derive(Deserialize)]
struct Side {
    id_str: String,
    screen_name: Option<String>,
    following: Option<bool>,
    followed_by: Option<bool>,
    blocked_by: Option<bool>,
}

fn json_error(op: &str, e: serde_json::Error) -> CaptureError {
    CaptureError::Json {
        operation: op.to_owned(),
        detail: e.to_string(),
    }
}

fn id_of(op: &str, s: &str) -> Result<AccountId, CaptureError> {
    s.parse().map_err(|_| CaptureError::UnknownLayout {
        operation: op.to_owned(),
        missing: "a numeric `id_str`",
    })
}

/// `friendships/show.json`: the definitive state of both edges between source and
/// target. When the source is the viewer, the target's flags toward the viewer.
pub fn friendships_show(env: &Envelope) -> Result<Reading, CaptureError> {
    let op = "friendships/show";
    let show: Show = serde_json::from_slice(&env.body).map_err(|e| json_error(op, e))?;
    let (s, t) = (&show.relationship.source, &show.relationship.target);
    let (source, target) = (id_of(op, &s.id_str)?, id_of(op, &t.id_str)?);
    if source == target {
        return Err(CaptureError::UnknownLayout {
            operation: op.into(),
            missing: "two distinct accounts",
        });
    }
    let mut observations = Vec::new();
    if let Some(f) = s.following {
        observations.push(Observation::Pair {
            from: source,
            to: target,
            at: env.at,
            follows: f,
        });
    }
    if let Some(f) = s.followed_by {
        observations.push(Observation::Pair {
            from: target,
            to: source,
            at: env.at,
            follows: f,
        });
    }
    let mut users = Vec::new();
    for (side, id) in [(s, source), (t, target)] {
        let mut u = XUser {
            id: id.to_string(),
            handle: side.screen_name.clone(),
            ..XUser::default()
        };
        // `blocked_by` on the source side: the target blocks the source.
        if id == target && env.viewer == Some(source) {
            u.blocked_you = s.blocked_by;
            u.follows_you = s.followed_by;
            u.you_follow = s.following;
        }
        observations.push(Observation::Account(u.sighting(env.at)));
        users.push(u);
    }
    Ok(Reading {
        operation: op.into(),
        at: env.at,
        viewer: env.viewer,
        users,
        observations,
    })
}

#[derive(Deserialize)]
struct IdsPage {
    ids: Vec<IdValue>,
    next_cursor_str: Option<String>,
    next_cursor: Option<i64>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum IdValue {
    Num(u64),
    Str(String),
}

/// `followers/ids.json` and `friends/ids.json`: one page of ids of a list. The
/// first page has no cursor (or `-1`); `next_cursor_str` `"0"` is the end.
pub fn ids_page(endpoint: &Endpoint, env: &Envelope) -> Result<Reading, CaptureError> {
    let op = endpoint.name();
    let kind = match endpoint {
        Endpoint::FriendIds => ListKind::Following,
        _ => ListKind::Followers,
    };
    let page: IdsPage = serde_json::from_slice(&env.body).map_err(|e| json_error(op, e))?;
    let owner = query_param(&env.url, "user_id")
        .and_then(|s| s.parse::<AccountId>().ok())
        .ok_or_else(|| CaptureError::MissingVariable {
            operation: op.to_owned(),
            what: "whose list it is (`user_id`)",
        })?;
    let mut entries = Vec::with_capacity(page.ids.len());
    for v in page.ids {
        let id = match v {
            IdValue::Num(n) => n,
            IdValue::Str(s) => s.parse().map_err(|_| CaptureError::UnknownLayout {
                operation: op.to_owned(),
                missing: "numeric ids",
            })?,
        };
        if id != 0 && id != owner.0 {
            entries.push(AccountId(id));
        }
    }
    let next = page
        .next_cursor_str
        .or(page.next_cursor.map(|n| n.to_string()));
    let cursor = query_param(&env.url, "cursor").filter(|c| c != "-1" && !c.is_empty());
    let is_last = next.as_deref().is_some_and(|c| c == "0");
    Ok(Reading {
        operation: op.to_owned(),
        at: env.at,
        viewer: env.viewer,
        users: Vec::new(),
        observations: vec![Observation::ListPage(ListPage {
            list: ListKey { owner, kind },
            at: env.at,
            position: PagePosition::Walk {
                cursor,
                next_cursor: next.filter(|c| c != "0"),
                is_last,
            },
            entries,
        })],
    })
}
