// @ts-check
/* The dashboard's engine as a static site: a dedicated Worker holding the wasm
 * engine and its own IndexedDB store, so a long import never freezes the page and
 * a trap never takes the page with it. It answers the same messages the
 * extension's worker answers the options page (messages.js).
 *
 * The store keeps what was imported, not a snapshot: each archive's pages (the
 * `x-archive` envelopes) and the viewer's own actions (marks, forgets, merged
 * exports), replayed in order on start. Removing an archive is deleting its pages
 * and replaying the rest. */
importScripts('messages.js', 'platform.js', 'wasm/reciprocity_wasm.js', 'engine-service.js');

// Its own scope: these names are not the other scripts'.
(() => {
  const { msg } = Reciprocity;
  const Service = ReciprocityEngineService;
  const { request, done } = ReciprocityPlatform.idb;
  const encoder = new TextEncoder();
  const db = ReciprocityPlatform.idb.opener('reciprocity-dashboard', 1, (d) => {
    d.createObjectStore('archives', { keyPath: 'key' });
    d.createObjectStore('pages', { autoIncrement: true }).createIndex('archive', 'archive');
    d.createObjectStore('actions', { autoIncrement: true });
  });

  /** @type {wasm_bindgen.Engine} */
  let engine;

  /** A fresh engine from what the store holds: every archive's pages, then the
   * viewer's actions in the order they were taken. What the engine refuses is
   * skipped, not the whole store; returns how many were. */
  async function rebuild() {
    const d = await db();
    const tx = d.transaction(['archives', 'pages', 'actions'], 'readonly');
    const archives = /** @type {ArchiveRecord[]} */ (await request(tx.objectStore('archives').getAll()));
    const pages = /** @type {{ archive: string, text: string }[]} */ (await request(tx.objectStore('pages').getAll()));
    const actions = /** @type {EngineMessage[]} */ (await request(tx.objectStore('actions').getAll()));
    const kept = new Set(archives.map((a) => a.key));
    engine = new wasm_bindgen.Engine();
    // The engine refuses what is dated after this machine's clock.
    engine.set_clock(Date.now());
    let skipped = 0;
    /** @param {() => unknown} step */
    const replay = (step) => {
      try {
        step();
      } catch (e) {
        if (Service.isTrap(e)) throw e;
        skipped += 1;
      }
    };
    for (const p of pages) if (kept.has(p.archive)) replay(() => engine.ingest(encoder.encode(p.text)));
    for (const a of actions) replay(() => Service.answer(wasm_bindgen, engine, a, navigator.language));
    return skipped;
  }

  /** An action of the viewer's: applied first (what the engine refuses is never
   * kept), then kept, to be replayed in order on every start.
   * @param {EngineMessage} m @param {string} lang */
  async function act(m, lang) {
    const reply = Service.answer(wasm_bindgen, engine, m, lang);
    const tx = (await db()).transaction('actions', 'readwrite');
    tx.objectStore('actions').add(m);
    await done(tx);
    return reply;
  }

  /** @param {MessageOf<'archive-page'>} m @returns {Promise<ReplyTo<'archive-page'>>} */
  async function archivePage(m) {
    const { viewer, at, list, part, last, page, archive } = m;
    if (!archive) return { ok: false, code: 'not_a_capture', error: 'an archive page names its archive here' };
    const repo = m.network === 'bsky';
    const text = repo ? wasm_bindgen.repo_envelope(viewer, at, page) : wasm_bindgen.archive_envelope(viewer, at, list, page);
    const result = engine.ingest(encoder.encode(text));
    const d = await db();
    const tx = d.transaction(['archives', 'pages'], 'readwrite');
    const pages = tx.objectStore('pages');
    // The same archive imported again replaces its pages.
    if ((list === 'followers' || repo) && part === 0) {
      for (const k of await request(pages.index('archive').getAllKeys(archive.key))) pages.delete(k);
    }
    pages.add({ archive: archive.key, text });
    // The archive is listed once its last page is in.
    if (list === 'following' && last) tx.objectStore('archives').put(archive);
    await done(tx);
    return { ok: true, result };
  }

  /** @param {string} key */
  async function removeArchive(key) {
    const d = await db();
    const tx = d.transaction(['archives', 'pages'], 'readwrite');
    tx.objectStore('archives').delete(key);
    const pages = tx.objectStore('pages');
    const keys = await request(pages.index('archive').getAllKeys(key));
    for (const k of keys) pages.delete(k);
    await done(tx);
    await rebuild();
  }

  async function forgetEverything() {
    const d = await db();
    const tx = d.transaction(['archives', 'pages', 'actions'], 'readwrite');
    for (const name of ['archives', 'pages', 'actions']) tx.objectStore(name).clear();
    await done(tx);
    engine = new wasm_bindgen.Engine();
  }

  /** @param {Message} m @returns {Promise<unknown>} */
  async function handle(m) {
    engine.set_clock(Date.now());
    const lang = 'lang' in m && typeof m.lang === 'string' ? m.lang : navigator.language;
    if (Service.answers(m.type)) {
      const asked = /** @type {EngineMessage} */ (m);
      if (!Service.changes(asked.type)) return Service.answer(wasm_bindgen, engine, asked, lang);
      // Kept as applied: a mark with its date, an import with its text.
      if (asked.type === msg.MARK) return act({ ...asked, atMs: Date.now() }, lang);
      if (asked.type === msg.IMPORT_JSON) {
        return act({ type: msg.IMPORT_JSON, json: asked.file instanceof Blob ? await asked.file.text() : String(asked.json) }, lang);
      }
      return act(asked, lang);
    }
    switch (m.type) {
      case msg.ARCHIVE_PAGE:
        return archivePage(m);
      case msg.ARCHIVES: {
        const d = await db();
        return { ok: true, archives: await request(d.transaction('archives', 'readonly').objectStore('archives').getAll()) };
      }
      case msg.REMOVE_ARCHIVE:
        await removeArchive(String(m.key));
        return { ok: true };
      case msg.FORGET_ALL:
        await forgetEverything();
        return { ok: true };
      default:
        return { ok: false, code: 'unknown_message', error: 'unknown message' };
    }
  }

  const ready = (async () => {
    await wasm_bindgen({ module_or_path: new URL('wasm/reciprocity_wasm_bg.wasm', location.href) });
    try {
      const skipped = await rebuild();
      return skipped ? `${skipped} of the items kept here could not be read again and were skipped` : null;
    } catch (e) {
      // The store could not be read at all: start empty, and say why.
      engine = new wasm_bindgen.Engine();
      return `what was kept here could not be read: ${ReciprocityPlatform.errorMessage(e)}`;
    }
  })();

  self.onmessage = async (/** @type {MessageEvent<{ id: number, message: Message }>} */ event) => {
    const { id, message } = event.data;
    let reply;
    try {
      const problem = await ready;
      reply = await handle(message);
      if (problem && message.type === msg.VIEWERS) reply = { .../** @type {object} */ (reply), problem };
    } catch (e) {
      // A trap leaves this instance untrusted: the page starts a new worker,
      // which replays the store.
      const trap = Service.isTrap(e);
      const why = Service.failure(e);
      reply = { ok: false, code: trap ? 'trapped' : why.code, error: why.error };
      if (trap) {
        self.postMessage({ id, reply });
        self.close();
        return;
      }
    }
    self.postMessage({ id, reply });
  };
})();
