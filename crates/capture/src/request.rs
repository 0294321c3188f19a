//! What a request's URL (or, for POST, its body) says: the operation, and the
//! variables that tell whose list a page is and which page it is.

use serde::Deserialize;

/// The endpoint a capture answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Endpoint {
    /// `…/graphql/<queryId>/<Operation>`: the operation's name (query ids change).
    GraphQl(String),
    /// `…/1.1/friendships/show.json`
    FriendshipsShow,
    /// `…/1.1/followers/ids.json`
    FollowerIds,
    /// `…/1.1/friends/ids.json`
    FriendIds,
    /// `…/1.1/friendships/destroy.json`: the viewer unfollows an account.
    FriendshipsDestroy,
    /// `…/1.1/blocks/create.json` and `…/blocks/destroy.json`.
    BlocksCreate,
    BlocksDestroy,
}

impl Endpoint {
    pub fn of_url(url: &str) -> Option<Endpoint> {
        let path = url.split(['?', '#']).next().unwrap_or(url);
        if let Some(i) = path.find("/graphql/") {
            let mut parts = path[i + "/graphql/".len()..].split('/');
            let (_query_id, op) = (parts.next()?, parts.next()?);
            if op.is_empty() {
                return None;
            }
            return Some(Endpoint::GraphQl(op.to_owned()));
        }
        if path.ends_with("/friendships/show.json") {
            Some(Endpoint::FriendshipsShow)
        } else if path.ends_with("/followers/ids.json") {
            Some(Endpoint::FollowerIds)
        } else if path.ends_with("/friends/ids.json") {
            Some(Endpoint::FriendIds)
        } else if path.ends_with("/friendships/destroy.json") {
            Some(Endpoint::FriendshipsDestroy)
        } else if path.ends_with("/blocks/create.json") {
            Some(Endpoint::BlocksCreate)
        } else if path.ends_with("/blocks/destroy.json") {
            Some(Endpoint::BlocksDestroy)
        } else {
            None
        }
    }

    pub fn name(&self) -> &str {
        match self {
            Endpoint::GraphQl(op) => op,
            Endpoint::FriendshipsShow => "friendships/show",
            Endpoint::FollowerIds => "followers/ids",
            Endpoint::FriendIds => "friends/ids",
            Endpoint::FriendshipsDestroy => "friendships/destroy",
            Endpoint::BlocksCreate => "blocks/create",
            Endpoint::BlocksDestroy => "blocks/destroy",
        }
    }
}

/// The URL's query parameters, percent-decoded.
pub fn query_params(url: &str) -> Vec<(String, String)> {
    let Some(q) = url
        .split('#')
        .next()
        .and_then(|u| u.split_once('?'))
        .map(|(_, q)| q)
    else {
        return Vec::new();
    };
    q.split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(s: &str) -> String {
    let s = s.replace('+', " ");
    percent_encoding::percent_decode_str(&s)
        .decode_utf8_lossy()
        .into_owned()
}

pub fn query_param(url: &str, name: &str) -> Option<String> {
    query_params(url)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

/// The GraphQL variables the readers use: whose list a page is, and which page.
/// Typed, so that everything else a request carries is skipped unread.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct Variables {
    #[serde(rename = "userId", default, deserialize_with = "text_or_number")]
    pub user_id: Option<String>,
    #[serde(default, deserialize_with = "text_or_number")]
    pub cursor: Option<String>,
    /// The account an action is about (`RemoveFollower`).
    #[serde(default, deserialize_with = "text_or_number")]
    pub target_user_id: Option<String>,
}

/// A POST body: `variables` is an object, or a string of one (read as it is,
/// then as what it is).
#[derive(Deserialize)]
struct PostBody<'a> {
    #[serde(default, borrow)]
    variables: Option<&'a serde_json::value::RawValue>,
}

/// GraphQL variables: from the URL's `variables` (GET) or the request body's
/// `variables` (POST). Unreadable variables are no variables.
pub fn graphql_variables(url: &str, request_body: Option<&str>) -> Variables {
    let from_url = query_param(url, "variables").and_then(|v| serde_json::from_str(&v).ok());
    let from_body = || {
        let body: PostBody = serde_json::from_str(request_body?).ok()?;
        let raw = body.variables?.get();
        if raw.starts_with('"') {
            serde_json::from_str(&serde_json::from_str::<String>(raw).ok()?).ok()
        } else {
            serde_json::from_str(raw).ok()
        }
    };
    from_url.or_else(from_body).unwrap_or_default()
}

/// A variable X sends as a string or as a number, as a string; empty is absent.
fn text_or_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    struct Visitor;
    impl serde::de::Visitor<'_> for Visitor {
        type Value = Option<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a string or a number")
        }
        fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Self::Value, E> {
            Ok((!s.is_empty()).then(|| s.to_owned()))
        }
        fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<Self::Value, E> {
            Ok(Some(n.to_string()))
        }
        fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<Self::Value, E> {
            Ok(Some(n.to_string()))
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
    }
    d.deserialize_any(Visitor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_and_variables_from_a_get() {
        let url = "https://x.com/i/api/graphql/OGScL-RC4DFMsRGOCjPR6g/Followers?variables=%7B%22userId%22%3A%222244994945%22%2C%22count%22%3A20%2C%22cursor%22%3A%221790%7C1756%22%7D&features=%7B%7D";
        assert_eq!(
            Endpoint::of_url(url),
            Some(Endpoint::GraphQl("Followers".into()))
        );
        let vars = graphql_variables(url, None);
        assert_eq!(vars.user_id.as_deref(), Some("2244994945"));
        assert_eq!(vars.cursor.as_deref(), Some("1790|1756"));
    }

    #[test]
    fn variables_from_a_post_body() {
        let url = "https://x.com/i/api/graphql/abc/Following";
        let body = r#"{"variables":{"userId":"12","count":20},"features":{},"queryId":"abc"}"#;
        assert_eq!(
            graphql_variables(url, Some(body)).user_id.as_deref(),
            Some("12")
        );
        let stringified = r#"{"variables":"{\"userId\":\"13\"}"}"#;
        assert_eq!(
            graphql_variables(url, Some(stringified)).user_id.as_deref(),
            Some("13")
        );
        let numeric = r#"{"variables":{"userId":14}}"#;
        assert_eq!(
            graphql_variables(url, Some(numeric)).user_id.as_deref(),
            Some("14")
        );
    }

    #[test]
    fn hostile_variables_are_no_variables() {
        let url = "https://x.com/i/api/graphql/abc/Following";
        for body in [
            r#"{"variables":{"userId":{"deep":[1,2,3]}}}"#,
            "not json",
            r#"{"variables":"{\"userId\":"}"#,
        ] {
            assert_eq!(
                graphql_variables(url, Some(body)),
                Variables::default(),
                "{body}"
            );
        }
    }

    #[test]
    fn rest_endpoints() {
        assert_eq!(
            Endpoint::of_url(
                "https://x.com/i/api/1.1/friendships/show.json?source_id=1&target_id=2"
            ),
            Some(Endpoint::FriendshipsShow)
        );
        assert_eq!(
            Endpoint::of_url("https://api.x.com/1.1/followers/ids.json"),
            Some(Endpoint::FollowerIds)
        );
        assert_eq!(Endpoint::of_url("https://x.com/home"), None);
        assert_eq!(
            query_param("https://x.com/a?cursor=-1&user_id=5", "user_id").as_deref(),
            Some("5")
        );
    }
}
