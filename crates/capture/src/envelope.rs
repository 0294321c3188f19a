//! The capture envelope (docs/design.md): what the page hook records and the CLI reads.

use crate::CaptureError;
use reciprocity_core::time::parse_rfc3339;
use reciprocity_core::{AccountId, Time};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

#[derive(Deserialize)]
struct Wire<'a> {
    #[serde(default)]
    platform: Option<String>,
    #[serde(default)]
    viewer: Option<String>,
    at: String,
    #[serde(default)]
    method: Option<String>,
    url: String,
    #[serde(default, borrow)]
    request_body: Option<&'a RawValue>,
    #[serde(default)]
    status: Option<u16>,
    #[serde(borrow)]
    body: &'a RawValue,
}

/// One capture.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Envelope {
    pub platform: String,
    /// The signed-in account: X's numeric id, or (Bluesky) the number of its DID.
    pub viewer: Option<AccountId>,
    /// Bluesky: the viewer's DID as the envelope names it.
    pub viewer_did: Option<String>,
    pub at: Time,
    pub method: String,
    pub url: String,
    /// The request body as text (for POST, the JSON holding `variables`).
    pub request_body: Option<String>,
    pub status: u16,
    /// The response body's bytes (a body sent as a JSON string is unwrapped).
    pub body: Vec<u8>,
}

fn unwrap_text(raw: &RawValue) -> Result<Option<String>, serde_json::Error> {
    let text = raw.get().trim_start();
    if text.starts_with('"') {
        serde_json::from_str::<String>(raw.get()).map(Some)
    } else if text == "null" {
        Ok(None)
    } else {
        Ok(Some(raw.get().to_owned()))
    }
}

impl Envelope {
    pub fn from_json(text: &str) -> Result<Envelope, CaptureError> {
        let w: Wire =
            serde_json::from_str(text).map_err(|e| CaptureError::Envelope(e.to_string()))?;
        let platform = w.platform.unwrap_or_else(|| "x".into());
        let repo = crate::bsky::car::ENVELOPE_PLATFORM;
        if platform != "x"
            && platform != "bsky"
            && platform != repo
            && platform != crate::archive::ENVELOPE_PLATFORM
        {
            return Err(CaptureError::Envelope(format!(
                "platform {platform:?} is not one Reciprocity reads yet"
            )));
        }
        let at = parse_rfc3339(&w.at).ok_or_else(|| {
            CaptureError::Envelope(format!("`at` is not an RFC 3339 time: {:?}", w.at))
        })?;
        // Bluesky's envelopes (reads and repository exports) name DIDs.
        let on_bsky = platform == "bsky" || platform == repo;
        let viewer_did = on_bsky
            .then(|| w.viewer.as_deref().map(str::trim).filter(|v| !v.is_empty()))
            .flatten()
            .map(str::to_owned);
        if let Some(did) = viewer_did.as_deref().filter(|d| !d.starts_with("did:")) {
            return Err(CaptureError::Envelope(format!(
                "`viewer` is not a DID: {did:?}"
            )));
        }
        let viewer = match w.viewer.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(did) if on_bsky => Some(AccountId::of_did(did)),
            Some(v) => Some(v.parse::<AccountId>().map_err(|_| {
                CaptureError::Envelope(format!("`viewer` is not an account id: {v:?}"))
            })?),
        };
        let request_body = match w.request_body {
            None => None,
            Some(raw) => unwrap_text(raw)
                .map_err(|e| CaptureError::Envelope(format!("request_body: {e}")))?,
        };
        let body = unwrap_text(w.body)
            .map_err(|e| CaptureError::Envelope(format!("body: {e}")))?
            .unwrap_or_default()
            .into_bytes();
        Ok(Envelope {
            platform,
            viewer,
            viewer_did,
            at,
            method: w
                .method
                .unwrap_or_else(|| "GET".into())
                .to_ascii_uppercase(),
            url: w.url,
            request_body,
            status: w.status.unwrap_or(200),
            body,
        })
    }
}

/// What an envelope says of a response besides its body: the hook's record,
/// dated by whoever keeps it (the extension's worker, never the page).
#[derive(Clone, Debug, Serialize)]
pub struct Head<'a> {
    pub platform: &'a str,
    pub viewer: &'a str,
    /// RFC 3339.
    pub at: &'a str,
    pub method: &'a str,
    pub url: &'a str,
    pub request_body: Option<&'a str>,
    pub status: u16,
}

impl Head<'_> {
    /// The envelope's JSON text, the response body embedded as it came: a body
    /// that is not JSON is refused when the envelope is read, and set aside then
    /// (a capture is journaled before it is read).
    pub fn with_body(&self, body: &str) -> String {
        // A struct of strings and numbers always serializes.
        let head = serde_json::to_string(self).unwrap_or_default();
        let body = if body.trim().is_empty() { "null" } else { body };
        let mut text = String::with_capacity(head.len() + body.len() + 9);
        text.push_str(head.strip_suffix('}').unwrap_or(&head));
        text.push_str(",\"body\":");
        text.push_str(body);
        text.push('}');
        text
    }
}

/// The envelopes of a file: one JSON envelope (pretty-printed or not), or JSON
/// Lines of them. Each item is the envelope or why it could not be read, with its
/// line number (1-based) for JSON Lines.
pub fn envelopes_in(text: &str) -> Vec<(usize, Result<Envelope, CaptureError>)> {
    if let Ok(env) = Envelope::from_json(text) {
        return vec![(1, Ok(env))];
    }
    let lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty())
        .collect();
    if lines.len() <= 1 {
        return vec![(1, Envelope::from_json(text))];
    }
    lines
        .into_iter()
        .map(|(n, l)| (n, Envelope::from_json(l)))
        .collect()
}

/// Whether text looks like an envelope rather than a bare response body.
pub fn looks_like_envelope(text: &str) -> bool {
    let head: String = text.chars().take(4096).collect();
    head.contains("\"url\"") && head.contains("\"body\"") && head.contains("\"at\"")
}
