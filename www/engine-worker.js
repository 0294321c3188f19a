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
importScripts('messages.js', 'wasm/reciprocity_wasm.js');

// Its own scope: these names are not the other scripts'.
(() => {
  const { msg } = globalThis.Reciprocity;
  const encoder = new TextEncoder();
  const DB = 'reciprocity-dashboard';

  /** @template T @param {IDBRequest<T>} r @returns {Promise<T>} */
  const request = (r) => new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
  /** @param {IDBTransaction} tx @returns {Promise<void>} */
  const done = (tx) => new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new Error('transaction aborted'));
  });

  /** @type {Promise<IDBDatabase> | null} */
  let dbPromise = null;
  function db() {
    if (!dbPromise) {
      const r = indexedDB.open(DB, 1);
      r.onupgradeneeded = () => {
        r.result.createObjectStore('archives', { keyPath: 'key' });
        r.result.createObjectStore('pages', { autoIncrement: true }).createIndex('archive', 'archive');
        r.result.createObjectStore('actions', { autoIncrement: true });
      };
      dbPromise = request(r);
    }
    return dbPromise;
  }

  /** @type {wasm_bindgen.Engine} */
  let engine;

  /** The engine's own refusal (an EngineError), not a trap. @param {unknown} e */
  const refused = (e) => !!e && typeof e === 'object' && 'code' in e;

  /** A fresh engine from what the store holds: every archive's pages, then the
   * viewer's actions in the order they were taken. What the engine refuses is
   * skipped, not the whole store; returns how many were. */
  async function rebuild() {
    const d = await db();
    const tx = d.transaction(['archives', 'pages', 'actions'], 'readonly');
    const archives = /** @type {ArchiveRecord[]} */ (await request(tx.objectStore('archives').getAll()));
    const pages = /** @type {{ archive: string, text: string }[]} */ (await request(tx.objectStore('pages').getAll()));
    const actions = /** @type {Message[]} */ (await request(tx.objectStore('actions').getAll()));
    const kept = new Set(archives.map((a) => a.key));
    engine = new wasm_bindgen.Engine();
    // The engine refuses what is dated after this machine's clock.
    engine.set_clock(Date.now());
    let skipped = 0;
    /** @param {() => void} step */
    const replay = (step) => {
      try {
        step();
      } catch (e) {
        if (!refused(e)) throw e;
        skipped += 1;
      }
    };
    for (const p of pages) if (kept.has(p.archive)) replay(() => engine.ingest(encoder.encode(p.text)));
    for (const a of actions) replay(() => apply(a));
    return skipped;
  }

  /** A viewer's own action, applied to the engine (on arrival and on replay).
   * @param {any} m */
  function apply(m) {
    switch (m.type) {
      case msg.MARK:
        if (m.brand != null) engine.mark_brand(m.viewer, m.account, m.atMs, !!m.brand);
        if (m.allowlisted != null) engine.set_allowlisted(m.viewer, m.account, m.atMs, !!m.allowlisted);
        break;
      case msg.MARK_EVENT:
        engine.mark_not_unfollow(m.viewer, m.from, m.to, m.by);
        break;
      case msg.FORGET:
        engine.forget(m.viewer, m.account);
        break;
      case msg.IMPORT_JSON:
        engine.import_json(m.json);
        break;
    }
  }

  /** Keeps an action, then applies it. @param {any} m */
  async function act(m) {
    // Applied first: what the engine refuses is never kept.
    apply(m);
    const tx = (await db()).transaction('actions', 'readwrite');
    tx.objectStore('actions').add(m);
    await done(tx);
  }

  /** @param {any} m */
  async function archivePage(m) {
    const { viewer, at, page, archive } = m;
    const text = JSON.stringify({ platform: 'x-archive', viewer, at, method: 'GET', url: `archive:${page.list}`, status: 200, body: page });
    engine.set_clock(Date.now());
    const result = engine.ingest(encoder.encode(text));
    const d = await db();
    const tx = d.transaction(['archives', 'pages'], 'readwrite');
    const pages = tx.objectStore('pages');
    // The same archive imported again replaces its pages.
    if (page.list === 'followers' && page.part === 0) {
      for (const k of await request(pages.index('archive').getAllKeys(archive.key))) pages.delete(k);
    }
    pages.add({ archive: archive.key, text });
    // The archive is listed once its last page is in.
    if (page.list === 'following' && page.last) tx.objectStore('archives').put(archive);
    await done(tx);
    return result;
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

  /** @param {any} m @returns {Promise<unknown>} */
  async function handle(m) {
    engine.set_clock(Date.now());
    const lang = typeof m.lang === 'string' ? m.lang : navigator.language;
    switch (m.type) {
      case msg.VIEWERS:
        return { ok: true, viewers: engine.viewers().map((id) => ({ id, handle: engine.who(id, [id])[0]?.handle ?? null })) };
      case msg.SUMMARY:
        return { ok: true, summary: engine.summary(m.viewer, lang, Number.isInteger(m.limit) && m.limit > 0 ? m.limit : undefined) };
      case msg.TIMELINE:
        return { ok: true, timeline: engine.timeline(m.viewer, m.account, lang) };
      case msg.VIEWER_SERIES:
        return { ok: true, series: engine.viewer_series(m.viewer) };
      case msg.ARCHIVE_PAGE:
        return { ok: true, result: await archivePage(m) };
      case msg.ARCHIVES: {
        const d = await db();
        return { ok: true, archives: await request(d.transaction('archives', 'readonly').objectStore('archives').getAll()) };
      }
      case msg.REMOVE_ARCHIVE:
        await removeArchive(String(m.key));
        return { ok: true };
      case msg.MARK:
        await act({ ...m, atMs: Date.now() });
        return { ok: true };
      case msg.MARK_EVENT:
      case msg.FORGET:
        await act(m);
        return { ok: true };
      case msg.IMPORT_JSON: {
        const json = m.file instanceof Blob ? await m.file.text() : String(m.json);
        await act({ type: msg.IMPORT_JSON, json });
        return { ok: true };
      }
      case msg.EXPORT:
        return { ok: true, json: engine.export_json() };
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
      return 'what was kept here could not be read: ' + String(e && typeof e === 'object' && 'message' in e ? e.message : e);
    }
  })();

  self.onmessage = async (/** @type {MessageEvent<{ id: number, message: any }>} */ event) => {
    const { id, message } = event.data;
    let reply;
    try {
      const problem = await ready;
      reply = await handle(message);
      if (problem && message.type === msg.VIEWERS) reply = { .../** @type {object} */ (reply), problem };
    } catch (e) {
      // The engine's own errors carry a code; anything else is a trap, after which
      // this instance is not trusted: the page starts a new worker, which replays.
      const trap = !(e && typeof e === 'object' && 'code' in e);
      const code = trap ? 'trapped' : String(/** @type {{ code: unknown }} */ (e).code);
      reply = { ok: false, code, error: e && typeof e === 'object' && 'message' in e ? String(e.message) : String(e) };
      if (trap) {
        self.postMessage({ id, reply });
        self.close();
        return;
      }
    }
    self.postMessage({ id, reply });
  };
})();
