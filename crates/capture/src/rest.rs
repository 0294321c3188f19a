//! X's REST relationship endpoints (`/1.1/…`), which the web client still calls.

use crate::request::{query_param, Endpoint};
use crate::user::XUser;
use crate::{CaptureError, Envelope, Reading};
use reciprocity_core::model::{
    AccountSighting, ListKey, ListKind, ListPage, Observation, OwnAction, PagePosition,
};
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
        dids: Vec::new(),
        platform: reciprocity_core::model::Platform::X,
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
        dids: Vec::new(),
        platform: reciprocity_core::model::Platform::X,
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
            dating: None,
        })],
    })
}

/// The viewer's own REST action (unfollow, block, unblock): the account is the
/// request's `user_id`.
pub fn own_action_of(endpoint: &Endpoint, env: &Envelope) -> Result<Reading, CaptureError> {
    let action = match endpoint {
        Endpoint::FriendshipsDestroy => OwnAction::Unfollow,
        Endpoint::BlocksCreate => OwnAction::Block,
        _ => OwnAction::Unblock,
    };
    let body = env.request_body.as_deref().unwrap_or("");
    let target = crate::request::query_params(&format!("?{body}"))
        .into_iter()
        .chain(crate::request::query_params(&env.url))
        .find(|(k, _)| k == "user_id")
        .map(|(_, v)| v);
    own_action(endpoint.name(), action, target.as_deref(), env)
}

/// What an action of the viewer's says: the action on the account, and the edges
/// it ends (an unfollow ends yours; a block ends both; a removal ends theirs).
pub fn own_action(
    op: &str,
    action: OwnAction,
    target: Option<&str>,
    env: &Envelope,
) -> Result<Reading, CaptureError> {
    let viewer = env.viewer.ok_or_else(|| CaptureError::MissingVariable {
        operation: op.to_owned(),
        what: "who acted (the envelope's `viewer`)",
    })?;
    let target: AccountId = target
        .and_then(|t| t.parse().ok())
        .filter(|t: &AccountId| t.0 != 0 && *t != viewer)
        .ok_or_else(|| CaptureError::MissingVariable {
            operation: op.to_owned(),
            what: "the account acted on (`user_id` or `target_user_id`)",
        })?;
    let at = env.at;
    let mut observations = vec![Observation::Account(AccountSighting {
        id: target,
        at,
        by_you: Some(action),
        ..AccountSighting::default()
    })];
    let ends = |from, to| Observation::Pair {
        from,
        to,
        at,
        follows: false,
    };
    match action {
        OwnAction::Unfollow => observations.push(ends(viewer, target)),
        OwnAction::Block => {
            observations.push(ends(viewer, target));
            observations.push(ends(target, viewer));
        }
        OwnAction::RemoveFollower => observations.push(ends(target, viewer)),
        OwnAction::Unblock => {}
    }
    Ok(Reading {
        dids: Vec::new(),
        platform: reciprocity_core::model::Platform::X,
        operation: op.to_owned(),
        at,
        viewer: Some(viewer),
        users: Vec::new(),
        observations,
    })
}
