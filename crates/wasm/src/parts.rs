//! The store in parts, for the worker (see `reciprocity_core::store::parts`):
//! start from the index, load the parts a badge needs, then the rest; save the
//! parts a change touched.

use crate::engine::Engine;
use crate::error::{fail, parse_viewer, typed, ErrorCode};
use reciprocity_core::store::parts::{Layout, PartKey};
use reciprocity_core::Store;
use serde::Serialize;
use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;

/// What a part that could not be read held, by the index: said to the user.
#[derive(Serialize, Tsify)]
pub struct LostPart {
    pub name: String,
    pub accounts: f64,
    pub edges: f64,
}

#[wasm_bindgen]
impl Engine {
    /// An engine on a store kept in parts: its index read, no part loaded yet
    /// (badges may be answered once the parts they need are in; everything else
    /// waits for `finish_loading`). Throws `corrupt_store`.
    pub fn from_index(index: &[u8]) -> Result<Engine, JsValue> {
        let layout =
            Layout::from_index(index).map_err(|e| fail(ErrorCode::CorruptStore, e.to_string()))?;
        Ok(Engine {
            store: Store::new(),
            clock: None,
            layout,
        })
    }

    /// The parts the index lists that are not loaded yet.
    pub fn missing_parts(&self) -> Vec<String> {
        self.layout.missing().iter().map(PartKey::name).collect()
    }

    /// How many parts the index lists that are not loaded yet (without naming
    /// them: a start counts them before the first badge).
    pub fn missing_part_count(&self) -> u32 {
        u32::try_from(self.layout.missing().len()).unwrap_or(u32::MAX)
    }

    /// The parts a badge for each asked account (handle or id) still needs. Ask
    /// again after loading them (a handle's part names the account's).
    pub fn parts_needed(
        &self,
        viewer: &str,
        accounts: Vec<String>,
    ) -> Result<Vec<String>, JsValue> {
        let v = parse_viewer(viewer)?;
        Ok(self
            .layout
            .needed(&self.store, v, &accounts)
            .iter()
            .map(PartKey::name)
            .collect())
    }

    /// Folds one part in. Throws `corrupt_store` for a part that fails its
    /// checks: keep its bytes aside and call `lose_part`.
    pub fn load_part(&mut self, name: &str, bytes: &[u8]) -> Result<(), JsValue> {
        self.layout
            .load_part(&mut self.store, name, bytes)
            .map(|_| ())
            .map_err(|e| fail(ErrorCode::CorruptStore, format!("part {name}: {e}")))
    }

    /// A part that could not be read: what it held (by the index) is lost; the
    /// next save writes its slot from what is in memory.
    pub fn lose_part(&mut self, name: &str) -> Result<Ts<LostPart>, JsValue> {
        let key = PartKey::parse(name)
            .ok_or_else(|| fail(ErrorCode::CorruptStore, format!("{name:?} is not a part")))?;
        let info = self.layout.lose(key).unwrap_or_default();
        typed(&LostPart {
            name: name.to_owned(),
            accounts: crate::number::js_count(info.accounts),
            edges: crate::number::js_count(info.edges),
        })
    }

    /// Builds one viewer's indexes from the parts loaded so far (a badge's
    /// answer before the rest is in).
    pub fn reindex_viewer(&mut self, viewer: &str) -> Result<(), JsValue> {
        let v = parse_viewer(viewer)?;
        self.store.reindex(v);
        Ok(())
    }

    /// Every part is in: the store is whole.
    pub fn finish_loading(&mut self) {
        self.layout.finish(&mut self.store);
    }

    pub fn is_complete(&self) -> bool {
        self.layout.is_complete()
    }

    /// A save that could not be written (a full disk): the next one writes
    /// every part, whatever the last one took.
    pub fn save_failed(&mut self) {
        self.layout.touch_everything();
    }

    /// Whether anything changed since the last save.
    pub fn is_dirty(&self) -> bool {
        self.layout.is_dirty()
    }

    /// The parts that changed since the last save, and the index: `{ index,
    /// parts: [name, bytes][], removed: name[] }`, written in one transaction
    /// with the journal's trim. `null` while parts are still loading.
    pub fn save_parts(&mut self) -> JsValue {
        let Some(w) = self.layout.save(&self.store) else {
            return JsValue::NULL;
        };
        let out = js_sys::Object::new();
        let parts = js_sys::Array::new();
        for (name, bytes) in &w.parts {
            let pair = js_sys::Array::new();
            pair.push(&JsValue::from_str(name));
            pair.push(&js_sys::Uint8Array::from(bytes.as_slice()));
            parts.push(&pair);
        }
        let removed: js_sys::Array = w.removed.iter().map(|n| JsValue::from_str(n)).collect();
        let _ = js_sys::Reflect::set(
            &out,
            &"index".into(),
            &js_sys::Uint8Array::from(w.index.as_slice()),
        );
        let _ = js_sys::Reflect::set(&out, &"parts".into(), &parts);
        let _ = js_sys::Reflect::set(&out, &"removed".into(), &removed);
        let _ = js_sys::Reflect::set(
            &out,
            &"bytes".into(),
            &crate::number::js_count(u64::try_from(w.bytes()).unwrap_or(u64::MAX)).into(),
        );
        out.into()
    }
}
