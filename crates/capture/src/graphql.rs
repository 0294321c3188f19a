//! X's GraphQL responses. Operations are matched by name (query ids change); the
//! tables below say what each kind of operation proves.

use crate::request::graphql_variables;
use crate::user::{merge_users, XUser};
use crate::walk::{walk_body, Found};
use crate::{CaptureError, Envelope, Reading};
use reciprocity_core::model::{ListKey, ListKind, ListPage, Observation, PageDating, PagePosition};
use reciprocity_core::AccountId;

/// Follow lists: the operation, whose list it is, and whether a walk of it from
/// first page to last is the whole list (filtered lists never are).
pub const LISTS: &[(&str, ListKind, bool)] = &[
    ("Followers", ListKind::Followers, true),
    ("Following", ListKind::Following, true),
    ("BlueVerifiedFollowers", ListKind::Followers, false),
    ("VerifiedFollowers", ListKind::Followers, false),
    ("FollowersYouKnow", ListKind::Followers, false),
];

/// The most accounts a list page may hold (X serves a few dozen; its largest
/// page sizes are a hundred or two).
pub const MAX_PAGE_ENTRIES: usize = 500;

/// Timelines whose users give sightings (an account seen, its counts and flags).
pub const SIGHTINGS: &[&str] = &[
    "UserTweets",
    "UserTweetsAndReplies",
    "UserMedia",
    "UserHighlightsTweets",
    "Likes",
    "TweetDetail",
    "SearchTimeline",
    "HomeTimeline",
    "HomeLatestTimeline",
    "ListLatestTweetsTimeline",
    "ListMembers",
    "Retweeters",
    "Favoriters",
    "NotificationsTimeline",
];

/// Operations that answer with one or more profiles: finding none means the layout
/// is not one we know.
pub const PROFILES: &[&str] = &[
    "UserByScreenName",
    "UserByRestId",
    "UsersByRestIds",
    "UserResultByScreenName",
];

pub(crate) fn users_of(found: &Found) -> Vec<XUser> {
    let listed = found.users.iter().filter_map(XUser::from_raw);
    let unavailable = found
        .unavailable_entries
        .iter()
        .map(|(id, reason)| XUser::unavailable(*id, reason.clone()));
    merge_users(listed.chain(unavailable))
}

pub fn read(op: &str, env: &Envelope) -> Result<Reading, CaptureError> {
    if op == "RemoveFollower" {
        let vars = graphql_variables(&env.url, env.request_body.as_deref());
        return crate::rest::own_action(
            op,
            reciprocity_core::model::OwnAction::RemoveFollower,
            vars.target_user_id.as_deref(),
            env,
        );
    }
    let found = walk_body(&env.body).map_err(|e| CaptureError::Json {
        operation: op.to_owned(),
        detail: e.to_string(),
    })?;
    if !found.has_data {
        return Err(if found.error_messages.is_empty() {
            CaptureError::UnknownLayout {
                operation: op.to_owned(),
                missing: "`data`",
            }
        } else {
            CaptureError::XErrors {
                operation: op.to_owned(),
                messages: found.error_messages.join("; "),
            }
        });
    }
    let users = users_of(&found);
    let mut observations: Vec<Observation> = users
        .iter()
        .map(|u| Observation::Account(u.sighting(env.at)))
        .collect();

    if PROFILES.contains(&op) {
        if users.is_empty() && found.error_messages.is_empty() {
            return Err(CaptureError::UnknownLayout {
                operation: op.to_owned(),
                missing: "a user object (`__typename` User with `rest_id`)",
            });
        }
        if users.iter().any(|u| u.gone.is_none() && u.handle.is_none()) {
            // A user stripped to its ids beside X's errors was withheld, not moved.
            if !found.error_messages.is_empty() {
                return Err(CaptureError::XErrors {
                    operation: op.to_owned(),
                    messages: found.error_messages.join("; "),
                });
            }
            return Err(CaptureError::UnknownLayout {
                operation: op.to_owned(),
                missing: "the handle (`core.screen_name` or `legacy.screen_name`)",
            });
        }
    }

    if let Some(&(_, kind, walkable)) = LISTS.iter().find(|(name, _, _)| *name == op) {
        let vars = graphql_variables(&env.url, env.request_body.as_deref());
        let owner = vars
            .user_id
            .as_deref()
            .and_then(|s| s.parse::<AccountId>().ok())
            .ok_or_else(|| CaptureError::MissingVariable {
                operation: op.to_owned(),
                what: "whose list it is (`variables.userId`)",
            })?;
        if !found.has_instructions {
            return Err(CaptureError::UnknownLayout {
                operation: op.to_owned(),
                missing: "the timeline `instructions`",
            });
        }
        let mut entries: Vec<AccountId> = found
            .users
            .iter()
            .filter(|u| u.entry)
            .filter_map(XUser::from_raw)
            .map(|u| u.account_id())
            .chain(
                found
                    .unavailable_entries
                    .iter()
                    .map(|(id, _)| AccountId(*id)),
            )
            .filter(|id| *id != owner && id.0 != 0)
            .collect();
        entries.dedup();
        // X serves a few dozen accounts a page (a hundred at most): a page of
        // 100,000s is not X's, and would cost every later start.
        if entries.len() > MAX_PAGE_ENTRIES {
            return Err(CaptureError::PageTooLarge {
                operation: op.to_owned(),
                entries: entries.len(),
                max: MAX_PAGE_ENTRIES,
            });
        }
        let bottom = found
            .cursors
            .iter()
            .find(|(t, _)| t == "Bottom")
            .map(|(_, v)| v.as_str());
        let dating = page_dating(bottom, vars.cursor.as_deref());
        let position = if walkable {
            let next_cursor = found
                .cursors
                .iter()
                .find(|(t, _)| t == "Bottom")
                .map(|(_, v)| v.clone());
            // Only X's own end-of-list cursor ends a walk: an empty page without it
            // proves nothing (a forged or failed page must not empty a list).
            let is_last = next_cursor.as_deref().is_some_and(|c| c.starts_with("0|"));
            PagePosition::Walk {
                cursor: vars.cursor.clone(),
                next_cursor,
                is_last,
            }
        } else {
            PagePosition::Partial
        };
        observations.push(Observation::ListPage(ListPage {
            list: ListKey { owner, kind },
            at: env.at,
            position,
            entries,
            dating,
        }));
    }

    if op == "NotificationsTimeline" {
        observations.extend(follow_notices(&found, &users, env.at));
    }

    Ok(Reading {
        dids: Vec::new(),
        platform: reciprocity_core::model::Platform::X,
        operation: op.to_owned(),
        at: env.at,
        viewer: env.viewer,
        users,
        observations,
    })
}

/// The icon of X's "followed you" notifications.
pub const FOLLOW_ICON: &str = "person_icon";

/// "Followed you" notifications: each named follower, with the notice's time. A
/// notice is the follower's own (`alone`) when it names one user and its text,
/// that user's name aside, holds no figure ("and 3 others"); otherwise grouped.
fn follow_notices(
    found: &crate::walk::Found,
    users: &[XUser],
    seen: reciprocity_core::Time,
) -> Vec<Observation> {
    let mut out = Vec::new();
    for n in found.notices.iter().filter(|n| n.icon == FOLLOW_ICON) {
        let Some(at_ms) = notice_ms(&n.timestamp) else {
            continue;
        };
        let alone = match n.from_users.as_slice() {
            [only] => {
                let name = users
                    .iter()
                    .find(|u| u.account_id().0 == *only)
                    .and_then(|u| u.name.as_deref());
                let rest = match (n.text.as_deref(), name) {
                    (Some(t), Some(name)) => t.replace(name, ""),
                    (Some(t), None) => t.to_owned(),
                    (None, _) => String::new(),
                };
                !rest.chars().any(|c| c.is_ascii_digit())
            }
            _ => false,
        };
        out.extend(n.from_users.iter().map(|&id| Observation::FollowedYou {
            from: AccountId(id),
            at_ms,
            alone,
            seen,
        }));
    }
    out
}

/// A notification's `timestamp_ms`: milliseconds (a number or a string of one),
/// or an RFC 3339 date in some responses.
fn notice_ms(ts: &crate::walk::Scalar) -> Option<i64> {
    if let Some(ms) = ts.as_u64() {
        return i64::try_from(ms).ok();
    }
    let s = ts.as_str()?;
    reciprocity_core::time::parse_rfc3339(s).map(|t| t.seconds() * 1000)
}

/// The time a list cursor `A|B` carries: `A >> 20` is the Unix time in
/// milliseconds of the follow the page ends on (X's sort index of the edge). The
/// top cursor (`-1|…`), the end (`0|…`) and anything else carry none.
pub fn cursor_ms(cursor: &str) -> Option<i64> {
    let (a, _) = cursor.split_once('|')?;
    let a: i64 = a.parse().ok()?;
    (a > 0).then_some(a >> 20)
}

/// What a list page's cursors say of time: the bottom cursor dates its last
/// entry; the request's cursor, the page above it. A page fetched upward (the
/// request carried a top cursor) dates nothing.
pub fn page_dating(bottom: Option<&str>, request: Option<&str>) -> Option<PageDating> {
    let last_ms = cursor_ms(bottom?)?;
    if request.is_some_and(|c| c.starts_with('-')) {
        return None;
    }
    Some(PageDating {
        last_ms,
        above_ms: request.and_then(cursor_ms),
        first_page: request.is_none(),
    })
}

/// The viewer's own actions, kept as {action, account, time} and nothing else.
pub const ACTIONS: &[&str] = &["RemoveFollower"];

/// Whether the readers collect this GraphQL operation. Nothing else is kept: not
/// the body of a mutation (a tweet being posted), not any other timeline.
pub fn collects(op: &str) -> bool {
    LISTS.iter().any(|(name, _, _)| *name == op)
        || PROFILES.contains(&op)
        || SIGHTINGS.contains(&op)
        || ACTIONS.contains(&op)
}
