//! The engine the extension's worker and the dashboard call: a thin façade over
//! `reciprocity-core` and `reciprocity-capture`.
//!
//! One typed seam: bytes in as `Uint8Array`, typed values out, built by
//! serde-wasm-bindgen's JSON-compatible serializer (so shapes are the documented
//! JSON ones) and declared to TypeScript by tsify where each type is defined.
//! Every failure is thrown as an [`EngineError`] with a [`ErrorCode`]; nothing
//! panics across the boundary, and callers act on codes, never on message text.

use reciprocity_capture::archive;
use reciprocity_core::model::ListKind;
use reciprocity_core::Lang;
use tsify::Ts;
use wasm_bindgen::prelude::*;

mod engine;
mod error;
mod number;
mod parts;
mod reader;

pub use engine::*;
use error::{fail, typed};
pub use error::{EngineError, ErrorCode};
pub use reader::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = r#"
/** Languages the engine speaks: a BCP 47 tag such as "en", "fr" or "fr-CA". */
export type LangTag = string;
"#;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(typescript_type = "(Badge | null)[]")]
    pub type Badges;
}

/// Every badge, its words and what it means (the first-run page's legend).
#[wasm_bindgen]
pub fn legend(lang: &str) -> Result<Vec<Ts<reciprocity_core::words::LegendEntry>>, JsValue> {
    reciprocity_core::words::legend(Lang::from_tag(lang))
        .iter()
        .map(typed)
        .collect()
}

/// A capture's envelope, dated `at` (RFC 3339) by the worker that keeps it: the
/// hook's record and the response body as it came, on `platform` (`x` or `bsky`,
/// which the worker knows from the tab that sent it, never from the page).
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn capture_envelope(
    platform: &str,
    viewer: &str,
    at: &str,
    method: &str,
    url: &str,
    request_body: Option<String>,
    status: u16,
    body: &str,
) -> Result<String, JsValue> {
    let platform = network(platform)?;
    Ok(reciprocity_capture::envelope::Head {
        platform,
        viewer,
        at,
        method,
        url,
        request_body: request_body.as_deref(),
        status,
    }
    .with_body(body))
}

/// The networks a tab may capture on, by the names envelopes carry.
fn network(platform: &str) -> Result<&'static str, JsValue> {
    match platform {
        "x" => Ok("x"),
        "bsky" => Ok("bsky"),
        _ => Err(fail(
            ErrorCode::NotACapture,
            format!("not a network Reciprocity reads: {platform:?}"),
        )),
    }
}

/// The envelope of an action of the viewer's (the hook hands over its URL and
/// the account acted on); `undefined` for anything that is not one.
#[wasm_bindgen]
pub fn action_envelope(
    viewer: &str,
    at: &str,
    url: &str,
    target: &str,
    status: u16,
) -> Option<String> {
    reciprocity_capture::action_envelope(viewer, at, url, target, status)
}

/// The `x-archive` envelope of one page the archive reader made, from its list
/// (`followers` or `following`) and its JSON, wrapped as it is.
#[wasm_bindgen]
pub fn archive_envelope(viewer: &str, at: &str, list: &str, page: &str) -> Result<String, JsValue> {
    let list = match list {
        "followers" => ListKind::Followers,
        "following" => ListKind::Following,
        _ => {
            return Err(fail(
                ErrorCode::NotACapture,
                format!("not a list of an archive: {list:?}"),
            ))
        }
    };
    Ok(archive::page_envelope_text(viewer, at, list, page))
}

/// The `bsky-repo` envelope of a Bluesky repository export the reader read
/// (`RepoRead.json`), true at `at`, its viewer the export's owner (a DID).
#[wasm_bindgen]
pub fn repo_envelope(viewer: &str, at: &str, json: &str) -> Result<String, JsValue> {
    if !viewer.starts_with("did:") {
        return Err(fail(
            ErrorCode::NotACapture,
            format!("not a Bluesky account: {viewer:?}"),
        ));
    }
    Ok(reciprocity_capture::bsky::car::repo_envelope_text(
        viewer, at, json,
    ))
}

/// Whether `url` asks for a page of a follow list on `platform` (the worker's
/// list rate).
#[wasm_bindgen]
pub fn is_list_page(platform: &str, url: &str) -> bool {
    match platform {
        "x" => reciprocity_capture::is_list_page(url),
        "bsky" => reciprocity_capture::bsky::is_list_page(url),
        _ => false,
    }
}

/// Whether a response from `url`, sent by a tab of `platform`, is one
/// Reciprocity collects: on X an API URL of x.com or twitter.com for an
/// operation on the list; on Bluesky an XRPC read on its list, from any host
/// (never a session's). The worker keeps nothing else.
#[wasm_bindgen]
pub fn collected(platform: &str, url: &str) -> bool {
    match platform {
        "x" => reciprocity_capture::collected(url),
        "bsky" => reciprocity_capture::bsky::collected_from_page(url),
        _ => false,
    }
}

/// Benchmark-only exports: built into `target/wasm-bench` by `cargo xtask bench`,
/// never into `dist/`.
#[cfg(feature = "bench")]
mod bench;
