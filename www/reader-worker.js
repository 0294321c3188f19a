// @ts-check
/* The archive reader: a dedicated Worker holding a wasm instance and no store. It
 * reads the user's File by its zip directory (FileReaderSync over Blob.slice: only
 * the manifest and the follower/following files, never the media), reports the
 * bytes read as it goes, and answers with the lists in pages for the engine; or a
 * Bluesky repository export (`repo: true`), whose follows it answers with. The
 * page terminates it to cancel; a trap here takes nothing else with it. */
importScripts('wasm/reciprocity_wasm.js');

// Its own scope: these names are not the other scripts'.
(() => {
  /** @type {Promise<unknown> | null} */
  let ready = null;

  self.onmessage = async (/** @type {MessageEvent<{ file: Blob, idsPerPage: number, repo?: boolean }>} */ event) => {
    const { file, idsPerPage, repo } = event.data;
    try {
      ready ??= wasm_bindgen({ module_or_path: new URL('wasm/reciprocity_wasm_bg.wasm', location.href) });
      const exports = /** @type {{ memory?: WebAssembly.Memory }} */ (await ready);
      if (repo) {
        self.postMessage({ ok: true, repo: wasm_bindgen.read_repo_export(file) });
        return;
      }
      let last = 0;
      const archive = wasm_bindgen.read_archive(file, idsPerPage, (/** @type {number} */ done, /** @type {number} */ total) => {
        const now = performance.now();
        if (now - last > 50 || done === total) {
          last = now;
          self.postMessage({ progress: { done, total } });
        }
      });
      // The instance's memory after reading, for the benchmark harness.
      self.postMessage({ ok: true, archive, wasmBytes: exports.memory ? exports.memory.buffer.byteLength : null });
    } catch (e) {
      const code = e && typeof e === 'object' && 'code' in e ? String(e.code) : 'trapped';
      const error = e && typeof e === 'object' && 'message' in e ? String(e.message) : String(e);
      self.postMessage({ ok: false, code, error });
    }
  };
})();
