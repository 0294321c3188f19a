//! What a request's URL (or, for POST, its body) says: the operation, and the
//! variables that tell whose list a page is and which page it is.

use serde_json::{Map, Value};

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

/// GraphQL variables: from the URL's `variables` (GET) or the request body's
/// `variables` (POST; an object, or a string of one).
pub fn graphql_variables(url: &str, request_body: Option<&str>) -> Map<String, Value> {
    let from_url =
        query_param(url, "variables").and_then(|v| serde_json::from_str::<Value>(&v).ok());
    let from_body = request_body
        .and_then(|b| serde_json::from_str::<Value>(b).ok())
        .and_then(|b| match b.get("variables") {
            Some(Value::String(s)) => serde_json::from_str::<Value>(s).ok(),
            Some(v) => Some(v.clone()),
            None => None,
        });
    match from_url.or(from_body) {
        Some(Value::Object(m)) => m,
        _ => Map::new(),
    }
}

/// A variable as a string, whether X sent it as a string or a number.
pub fn var_str(vars: &Map<String, Value>, name: &str) -> Option<String> {
    match vars.get(name)? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
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
        assert_eq!(var_str(&vars, "userId").as_deref(), Some("2244994945"));
        assert_eq!(var_str(&vars, "cursor").as_deref(), Some("1790|1756"));
        assert_eq!(var_str(&vars, "count").as_deref(), Some("20"));
    }

    #[test]
    fn variables_from_a_post_body() {
        let url = "https://x.com/i/api/graphql/abc/Following";
        let body = r#"{"variables":{"userId":"12","count":20},"features":{},"queryId":"abc"}"#;
        assert_eq!(
            var_str(&graphql_variables(url, Some(body)), "userId").as_deref(),
            Some("12")
        );
        let stringified = r#"{"variables":"{\"userId\":\"13\"}"}"#;
        assert_eq!(
            var_str(&graphql_variables(url, Some(stringified)), "userId").as_deref(),
            Some("13")
        );
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
