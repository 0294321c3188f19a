//! Benchmark-only exports (feature `bench`).

use crate::engine::{known, Engine};
use reciprocity_core::{AccountId, Lang};
use wasm_bindgen::prelude::*;

impl Engine {
    /// What `each` says of each asked account the ledger knows, as JSON text.
    fn as_json<T: serde::Serialize>(
        &self,
        viewer: &str,
        accounts: &[String],
        lang: &str,
        each: impl Fn(
            &reciprocity_core::Ledger,
            AccountId,
            AccountId,
            reciprocity_core::Time,
            Lang,
        ) -> T,
    ) -> Result<String, JsValue> {
        let lang = Lang::from_tag(lang);
        self.ledger_of(viewer, |v, l, now| {
            let found: Vec<_> = known(l, accounts)
                .map(|id| id.map(|id| each(l, v, id, now, lang)))
                .collect();
            serde_json::to_string(&found).map_err(|e| JsValue::from_str(&e.to_string()))
        })
    }
}

#[wasm_bindgen]
impl Engine {
    /// The hover path before the seam was typed: whole annotations as JSON
    /// text, for `JSON.parse` on the JS side.
    pub fn annotate_json(
        &self,
        viewer: &str,
        accounts: Vec<String>,
        lang: &str,
    ) -> Result<String, JsValue> {
        self.as_json(viewer, &accounts, lang, |l, v, id, now, lang| {
            l.annotate(v, id, now, lang)
        })
    }

    /// The same badges as `badges`, as JSON text: typed values against JSON
    /// for the same payload.
    pub fn badges_json(
        &self,
        viewer: &str,
        accounts: Vec<String>,
        lang: &str,
    ) -> Result<String, JsValue> {
        self.as_json(viewer, &accounts, lang, |l, v, id, now, lang| {
            l.badge(v, id, now, lang)
        })
    }
}

/// How many accounts a bare response body shows (the reader's whole work).
#[wasm_bindgen]
pub fn read_body(body: &[u8]) -> usize {
    reciprocity_capture::read_body(body).map_or(0, |users| users.len())
}

/// The baseline for `read_body`: a `serde_json::Value` of the same bytes.
#[wasm_bindgen]
pub fn parse_value_baseline(body: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(body).is_ok()
}
