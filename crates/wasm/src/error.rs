//! Every failure as an [`EngineError`] with an [`ErrorCode`]; values out as
//! serde-wasm-bindgen's JSON-compatible shapes.

use reciprocity_capture::CaptureError;
use reciprocity_core::{AccountId, LedgerError};
use serde::Serialize;
use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;

/// What went wrong, as a name callers can act on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Tsify)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The capture has no signed-in viewer: nothing is recorded, nothing is wrong.
    NoViewer,
    /// Not a capture envelope (bad JSON, missing fields, not UTF-8).
    NotACapture,
    /// A URL the readers do not read.
    UnsupportedEndpoint,
    /// An operation that is not on the list of those collected: nothing is kept.
    NotCollected,
    /// The response body is not JSON.
    BadJson,
    /// The request failed (HTTP status) or X answered with errors only.
    RequestFailed,
    /// X's format changed: the capture is kept for a bug report.
    UnknownLayout,
    /// The request does not say whose list it is.
    MissingVariable,
    /// The archive cannot be read.
    BadArchive,
    /// The ledger refused an observation (a zero id, a date out of range…).
    Refused,
    /// A viewer or account id that is not a number.
    BadId,
    /// The ledger knows nothing of this account.
    UnknownAccount,
    /// A saved store that cannot be read.
    CorruptStore,
    /// A JSON export that cannot be read.
    BadExport,
    /// A value could not cross to JavaScript.
    Internal,
}

/// The one shape every failure has.
#[derive(Clone, Debug, Serialize, Tsify)]
pub struct EngineError {
    pub code: ErrorCode,
    pub message: String,
}

pub(crate) fn fail(code: ErrorCode, message: impl Into<String>) -> JsValue {
    let e = EngineError {
        code,
        message: message.into(),
    };
    // An object of two strings always serializes; the fallback is never reached.
    e.serialize(&json_compatible())
        .unwrap_or_else(|_| JsValue::from_str(&e.message))
}

pub(crate) fn json_compatible() -> serde_wasm_bindgen::Serializer {
    serde_wasm_bindgen::Serializer::json_compatible()
}

pub(crate) fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&json_compatible())
        .map_err(|e| fail(ErrorCode::Internal, e.to_string()))
}

pub(crate) fn typed<T: Tsify + Serialize>(value: &T) -> Result<Ts<T>, JsValue> {
    to_js(value).map(Ts::new_unchecked)
}

pub(crate) fn capture_error(e: &CaptureError) -> JsValue {
    let code = match e {
        CaptureError::Envelope(_) => ErrorCode::NotACapture,
        CaptureError::UnsupportedEndpoint { .. } => ErrorCode::UnsupportedEndpoint,
        CaptureError::Json { .. } => ErrorCode::BadJson,
        CaptureError::Status { .. } | CaptureError::XErrors { .. } => ErrorCode::RequestFailed,
        CaptureError::UnknownLayout { .. } => ErrorCode::UnknownLayout,
        CaptureError::MissingVariable { .. } => ErrorCode::MissingVariable,
        CaptureError::Archive(_) => ErrorCode::BadArchive,
        CaptureError::NotCollected { .. } => ErrorCode::NotCollected,
        CaptureError::PageTooLarge { .. } => ErrorCode::Refused,
    };
    fail(code, e.to_string())
}

pub(crate) fn ledger_error(e: &LedgerError) -> JsValue {
    fail(ErrorCode::Refused, e.to_string())
}

/// Whose ledger: an X account's id, a Bluesky account's DID, or `bsky:<number>`
/// (how `viewers` names a Bluesky viewer: the store keeps numbers, not DIDs).
pub(crate) fn parse_viewer(s: &str) -> Result<reciprocity_core::Viewer, JsValue> {
    let s = s.trim();
    if let Some(n) = s.strip_prefix("bsky:") {
        return Ok(reciprocity_core::Viewer::bsky(parse_id(n, "viewer")?));
    }
    let id = parse_id(s, "viewer")?;
    Ok(if s.starts_with("did:") {
        reciprocity_core::Viewer::bsky(id)
    } else {
        reciprocity_core::Viewer::x(id.0)
    })
}

pub(crate) fn parse_id(s: &str, what: &str) -> Result<AccountId, JsValue> {
    // A Bluesky account is named by its DID, or as `viewers()` names a viewer.
    if s.trim().starts_with("did:") {
        return Ok(AccountId::of_did(s));
    }
    let s = s.trim().strip_prefix("bsky:").unwrap_or(s);
    s.parse()
        .ok()
        .filter(|id: &AccountId| id.0 != 0)
        .ok_or_else(|| fail(ErrorCode::BadId, format!("not an {what} id: {s:?}")))
}
