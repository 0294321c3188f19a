// @ts-check
/* The background worker: owns the wasm engine and the store. Listeners are
 * registered synchronously at the top (an MV3 worker must not await before it);
 * the engine starts lazily and every handler waits for it.
 *
 * Nothing from a page is trusted. A capture is checked before anything is kept:
 * its sender (an x.com tab's top frame), its size, its URL (an operation on the
 * collected list), its rate; it is dated by this worker's clock, never by the
 * page's. The engine throws typed `EngineError`s ({code, message}) for bad input;
 * anything else it throws is a trap, after which it is re-created from fresh
 * glue and the capture that caused it is set aside, never replayed. */
// The engine's code is fetched and compiled first, while the scripts below load:
// after the browser stops the worker, it is a start's longest wait (a megabyte
// read from the extension's files). Every start of this worker, a restart after
// a trap included, instantiates this one module. Null where it cannot be
// compiled here; the glue then fetches it itself.
const WASM_URL = (globalThis.chrome ?? globalThis.browser).runtime.getURL('www/wasm/reciprocity_wasm_bg.wasm');
const engineCode = WebAssembly.compileStreaming(fetch(WASM_URL)).catch(() => null);
if (typeof importScripts === 'function') {
  importScripts(
    'messages.js',
    'platform.js',
    'www/wasm/reciprocity_wasm.js',
    'www/engine-service.js',
    'store.js',
    'background/checks.js',
    'background/capture.js',
  );
}

const { msg, keys, LIMITS } = Reciprocity;
const { errorMessage } = ReciprocityPlatform;
const api = /** @type {typeof chrome} */ (ReciprocityPlatform.api);
const Store = ReciprocityStore;
const Service = ReciprocityEngineService;
const encoder = new TextEncoder();
const OWN_ORIGIN = new URL(api.runtime.getURL('')).origin;

const COMPACT_EVERY = 25;
const COMPACT_IDLE_MS = 2000;

/** The glue instance and the engine in it; both replaced after a trap. */
let wasm = wasm_bindgen;
/** Set by the first start, before any handler runs (they wait for it). */
let engine = /** @type {wasm_bindgen.Engine} */ (/** @type {unknown} */ (null));
let firstStart = true;
/** @type {IDBValidKey | null} */
let lastJournalKey = null;
let sinceCompaction = 0;
/** @type {ReturnType<typeof setTimeout> | undefined} */
let compactTimer;
/** @type {{ kind: 'corrupt' | 'cannot_save' | 'engine_failed', detail: string } | null} */
let storeProblem = null;
const started = performance.now();
/** @type {number | null} */
let readyMs = null;
/** @type {number | null} */
let completeMs = null;
/** Which start is current (a trap starts another). */
let generation = 0;
/** Store parts read per transaction while loading: small batches, so that a
 * badge asked meanwhile waits for one batch at most. */
const PARTS_PER_READ = 32;
/** How long a start waits for the message that woke it before loading the
 * rest of the store (it can arrive after the store's index is read). */
const WAKE_GRACE_MS = 50;
/** @type {() => void} */
let sawMessage = () => {};
/** Resolved by the first message this worker receives. */
const firstMessage = new Promise((resolve) => {
  sawMessage = () => resolve(undefined);
});
/** Whether badges may be answered before the whole store is in, and whether
 * some were. */
let early = false;
let answeredEarly = false;
/** Whether the current engine holds the whole store and its journal. */
let whole = false;
/** The parts the current start loads, and how many are in. */
let partsTotal = 0;
let partsLoaded = 0;
/** Badges being answered from a few parts right now. */
let badgesAnswering = 0;
/** What damaged parts held, by the index. */
let lostParts = { parts: 0, accounts: 0, edges: 0 };
/** The last compaction: how many parts and bytes it wrote. */
let lastSave = { parts: 0, bytes: 0 };
/** The engine's memory (what its ledger takes, and what it grew to: wasm memory
 * never shrinks, so its size is the engine's peak). @type {WebAssembly.Memory | null} */
let engineMemory = null;

// Settings, as last read from storage and kept current by `storage.onChanged`.
let paused = false;
let recordPrivate = false;
api.storage.onChanged.addListener((changes, area) => {
  if (area !== 'local') return;
  if (keys.PAUSED in changes) paused = changes[keys.PAUSED].newValue === true;
  if (keys.RECORD_PRIVATE in changes) recordPrivate = changes[keys.RECORD_PRIVATE].newValue === true;
});

const { isTrap } = Service;
const engineError = Service.failure;
const { failureOf, urlOf } = ReciprocityChecks;

/** A fresh engine: new glue, the store's index (or an older version's whole
 * snapshot), then its parts and the journal. It replaces the current one as soon
 * as its index is read: badges are answered from the parts they need
 * (`answerEarly`) while the rest loads; everything else waits for `engineWhole`.
 * A trap while loading is not corruption: the part it came from is set aside and
 * the start begins again; a snapshot that traps stays where it is, and nothing is
 * compacted over it. */
async function startEngine() {
  // A later start (after a trap) abandons this one.
  const gen = ++generation;
  // The first start uses the glue the worker loaded; every later one a new copy.
  let glue = firstStart ? wasm_bindgen : reciprocityEngineModule();
  firstStart = false;
  // The store is read while the wasm compiles.
  const [instance, { snapshot, index, journal, inProgress }] = await Promise.all([instantiate(glue), Store.load()]);
  engineMemory = /** @type {{ memory?: WebAssembly.Memory }} */ (instance).memory ?? null;
  if (gen !== generation) return;
  let fresh = new glue.Engine();
  let allNames = null;
  if (index) {
    try {
      fresh = glue.Engine.from_index(new Uint8Array(index));
    } catch (e) {
      // The parts say what they are: all of them are read, and the next save
      // writes a new index.
      storeProblem = { kind: 'corrupt', detail: engineError(e).error };
      await Store.keepIndexAside(index, engineError(e).error);
      allNames = await Store.partNames();
    }
  } else if (snapshot) {
    try {
      fresh = glue.Engine.load(new Uint8Array(snapshot));
    } catch (e) {
      const why = engineError(e);
      if (isTrap(e)) {
        storeProblem = { kind: 'engine_failed', detail: why.error };
        glue = reciprocityEngineModule();
        engineMemory = /** @type {{ memory?: WebAssembly.Memory }} */ (await instantiate(glue)).memory ?? null;
        fresh = new glue.Engine();
      } else {
        // Kept aside for a bug report, never overwritten; the journal still replays.
        storeProblem = { kind: 'corrupt', detail: why.error };
        await Store.keepAside(snapshot, why.error);
      }
    }
  }
  // The engine refuses what is dated after this clock.
  fresh.set_clock(Date.now());
  wasm = glue;
  engine = fresh;
  whole = false;
  lostParts = { parts: 0, accounts: 0, edges: 0 };
  // Badges may be answered from parts alone only when nothing waits in the journal.
  early = journal.length === 0 && inProgress.length === 0;
  partsTotal = allNames ? allNames.length : engine.missing_part_count();
  partsLoaded = 0;
  markReady();
  // The rest of the store loads behind the badges asked meanwhile, once the
  // message that woke the worker is in (a badge waits for a batch in flight, and
  // its answer reads what is loaded).
  if (early) {
    await Promise.race([firstMessage, new Promise((resolve) => setTimeout(resolve, WAKE_GRACE_MS))]);
    await badgesFirst();
  }
  if (allNames) {
    if (!(await loadParts(allNames, true))) return startEngine();
  } else if (!(await loadParts(engine.missing_parts(), true))) {
    return startEngine();
  }
  if (gen !== generation) return;
  engine.finish_loading();
  let last = null;
  for (const entry of journal) {
    if (gen !== generation) return;
    const text = entry.text;
    if (inProgress.some((k) => indexedDB.cmp(entry.key, k) === 0)) {
      // The engine died inside this one last time: never again.
      await Store.setAside(entry.key, failureOf(urlOf(text), text, { code: 'quarantined', error: 'stopped the engine; set aside' }));
      continue;
    }
    await Store.markInProgress(entry.key);
    try {
      engine.ingest(encoder.encode(text));
      await Store.clearInProgress(entry.key);
    } catch (e) {
      await Store.setAside(entry.key, failureOf(urlOf(text), text, isTrap(e) ? { code: 'trapped', error: errorMessage(e) } : engineError(e)));
      if (isTrap(e)) return startEngine();
      continue;
    }
    last = entry.key;
  }
  lastJournalKey = last;
  sinceCompaction = journal.length;
  whole = true;
  completeMs = performance.now() - started;
  // Badges answered from a few parts are refreshed now that all of it is in.
  if (answeredEarly) announceChange({ changed: [], handles: [], refresh_all: true }, undefined);
  answeredEarly = false;
  if (engine.is_dirty()) scheduleCompaction();
}

/** Instantiates the engine's module in a glue instance.
 * @param {typeof wasm_bindgen} glue */
async function instantiate(glue) {
  return glue({ module_or_path: (await engineCode) ?? WASM_URL });
}

/** Lets the badges being answered from a few parts go first: a turn of the
 * event loop (a message that woke the worker is handled in it), then as long
 * as some are in progress. */
async function badgesFirst() {
  do await new Promise((resolve) => setTimeout(resolve, 0));
  while (badgesAnswering > 0);
}

/** Loads parts by name, a batch per transaction; a part that fails its checks
 * goes aside alone and what it held is counted as lost. False after a trap
 * (the part that caused it is aside: the caller starts again). `behind`: the
 * whole store's load, which gives way to badges between batches.
 * @param {string[]} names @param {boolean} [behind]
 * @param {(names: string[]) => ReturnType<typeof Store.parts>} [read] a batch's read */
async function loadParts(names, behind = false, read = Store.parts) {
  for (let i = 0; i < names.length; i += PARTS_PER_READ) {
    if (behind && i) await badgesFirst();
    for (const { name, bytes } of await read(names.slice(i, i + PARTS_PER_READ))) {
      if (behind) partsLoaded += 1;
      try {
        if (!bytes) throw { code: 'corrupt_store', message: `part ${name} is missing` };
        engine.load_part(name, new Uint8Array(bytes));
      } catch (e) {
        const why = engineError(e);
        await Store.keepPartAside(name, bytes, why.error);
        if (isTrap(e)) return false;
        const lost = engine.lose_part(name);
        lostParts.parts += 1;
        lostParts.accounts += lost.accounts;
        lostParts.edges += lost.edges;
      }
    }
  }
  return true;
}

/** Badges before the whole store is in: the parts they need first (a handle's
 * part, then its account's), then the engine's answer.
 * @param {string} viewer @param {string[]} accounts @param {string} lang */
async function answerEarly(viewer, accounts, lang) {
  badgesAnswering += 1;
  try {
    // The handles a part names are kept as it loads: the indexes are built once,
    // after the last round.
    let loaded = false;
    const read = Store.partsReader();
    for (let round = 0; round < 3 && !whole; round++) {
      const need = await guarded(() => engine.parts_needed(viewer, accounts));
      if (!need.length) break;
      // A trap: the engine is gone (its restart is under way), nothing to index.
      loaded = await loadParts(need, false, read);
      if (!loaded) break;
    }
    if (loaded && !whole) engine.reindex_viewer(viewer);
    answeredEarly = true;
    return await guarded(() => Service.answer(wasm, engine, { type: msg.ANNOTATE, viewer, accounts }, lang));
  } finally {
    badgesAnswering -= 1;
  }
}

/** Restarts the engine after a trap; every handler waits for it. */
function restartEngine() {
  engineWhole = newStart();
  return engineWhole;
}

/** A start: `engineReady` once the index is read, `engineWhole` once every part
 * and the journal are in. */
function newStart() {
  // Whoever waited for an earlier start's index is let through with this one's.
  const earlier = markReady;
  engineReady = new Promise((resolve) => {
    markReady = () => {
      readyMs ??= performance.now() - started;
      resolve(undefined);
      earlier();
    };
  });
  const whole = startEngine();
  // A start that fails before its index is read still lets handlers through.
  whole.finally(() => markReady()).catch(() => {}); // its failure is the handlers' to report
  return whole;
}

/** Resolves `engineReady` (set by each start). @type {() => void} */
let markReady = () => {};
/** @type {Promise<unknown>} */
let engineReady = new Promise((resolve) => {
  markReady = () => resolve(undefined);
});
/** @type {Promise<unknown>} The settings are read while the engine starts. */
let engineWhole = Promise.all([
  (async () => {
    const got = await api.storage.local.get([keys.PAUSED, keys.RECORD_PRIVATE, keys.REFUSED]);
    paused = got[keys.PAUSED] === true;
    recordPrivate = got[keys.RECORD_PRIVATE] === true;
    Object.assign(refused, got[keys.REFUSED] || {});
  })(),
  newStart(),
]);

function scheduleCompaction() {
  clearTimeout(compactTimer);
  if (sinceCompaction >= COMPACT_EVERY) {
    compact();
  } else {
    compactTimer = setTimeout(compact, COMPACT_IDLE_MS);
  }
}

async function compact() {
  clearTimeout(compactTimer);
  // A snapshot the engine could not load is never overwritten by a smaller one;
  // a store still loading is never saved (a part not in would be written empty).
  if (!engine || !whole || (storeProblem && storeProblem.kind === 'engine_failed')) return;
  if (sinceCompaction === 0 && !engine.is_dirty()) return;
  const upTo = lastJournalKey;
  const count = sinceCompaction;
  const saved = /** @type {SavedParts | null} */ (engine.save_parts());
  if (!saved) return;
  try {
    await Store.compact(saved, upTo);
    sinceCompaction -= count;
    lastSave = { parts: saved.parts.length, bytes: saved.bytes };
    if (storeProblem && storeProblem.kind === 'cannot_save') storeProblem = null; // space came back
  } catch (e) {
    // What this save took is written by the next one, whole.
    engine.save_failed();
    storeProblem = { kind: 'cannot_save', detail: `could not save: ${errorMessage(e)}` };
  }
}

/** A question or action of the engine service's, with what this host adds: a
 * file or transfer read first, a mark dated now, a compaction after an action,
 * large replies handed over through IndexedDB (runtime messages stop at 64 MiB).
 * @param {EngineMessage} message @param {string} lang */
async function answerFromEngine(message, lang) {
  /** @type {EngineMessage} */
  let m = message;
  if (m.type === msg.IMPORT_JSON) {
    const json = typeof m.transfer === 'number' ? await ReciprocityPlatform.transfer.take(m.transfer) : m.json;
    m = { type: m.type, json: json instanceof Blob ? await json.text() : String(json) };
  } else if (m.type === msg.MARK) {
    m = { ...m, atMs: Date.now() };
  } else if (m.type === msg.EXPORT) {
    // The export holds what the store holds: the journal compacted in first.
    await compact();
  }
  const reply = await guarded(() => Service.answer(wasm, engine, m, lang));
  if (Service.changes(m.type)) {
    sinceCompaction += 1;
    await compact();
  }
  if (reply.ok && 'json' in reply) return { ok: true, transfer: await ReciprocityPlatform.transfer.put(reply.json) };
  // The dashboard's summary can list 100,000 accounts (tens of MB).
  if (reply.ok && 'summary' in reply && m.type === msg.SUMMARY && m.transfer === true) {
    return { ok: true, transfer: await ReciprocityPlatform.transfer.put(reply.summary) };
  }
  return reply;
}

/** @param {unknown} raw @param {chrome.runtime.MessageSender} sender
 * @returns {Promise<unknown>} */
async function handle(raw, sender) {
  // Whatever arrived, it is read as an object: a missing field is undefined, and
  // the engine service makes each field it reads a string or a number.
  const message = /** @type {Message} */ (raw && typeof raw === 'object' ? raw : {});
  const type = message.type;
  const extensionId = api.runtime.id;
  const fromPage = ReciprocityChecks.fromExtensionPage(sender, extensionId, OWN_ORIGIN);
  if (!fromPage && !(FROM_TABS.has(type) && ReciprocityChecks.networkOfTopFrame(sender, extensionId))) {
    return { ok: false, code: 'not_allowed', error: 'not allowed from here' };
  }
  const lang = 'lang' in message && typeof message.lang === 'string' ? message.lang : ReciprocityPlatform.uiLanguage();
  // How far the store's load is, without waiting for it (the pages say so).
  if (type === msg.LOADING) {
    await engineReady;
    return { ok: true, whole, loaded: partsLoaded, total: partsTotal };
  }
  // A badge may be answered from the parts it needs; everything else waits for
  // the whole store.
  if (message.type === msg.ANNOTATE) {
    await engineReady;
    if (early && !whole) {
      const accounts = Array.isArray(message.accounts) ? message.accounts.slice(0, 500).map(String) : [];
      return answerEarly(String(message.viewer), accounts, lang);
    }
  }
  await engineWhole;
  if (Service.answers(message.type)) return answerFromEngine(/** @type {EngineMessage} */ (message), lang);
  switch (message.type) {
    case msg.CAPTURE:
      return onCapture(message, sender);
    case msg.ACTION:
      return onAction(message, sender);
    case msg.STATUS:
      return statusReply();
    case msg.SET_PAUSED:
      paused = !!message.paused;
      await api.storage.local.set({ [keys.PAUSED]: paused });
      return { ok: true, paused };
    case msg.SET_RECORD_PRIVATE:
      recordPrivate = !!message.on;
      await api.storage.local.set({ [keys.RECORD_PRIVATE]: recordPrivate });
      return { ok: true, recordPrivate };
    case msg.ARCHIVE_PAGE:
      return onArchivePage(message);
    case msg.EXPORT_RAW:
      return { ok: true, raw: await Store.rawExport() };
    case msg.EXPORT_FAILURES:
      return { ok: true, failures: await Store.failures(Date.now()) };
    case msg.CLEAR_FAILURES:
      await Store.clearFailures();
      return { ok: true };
    case msg.FORGET_ALL:
      engine.forget_everything();
      await Store.clearAll();
      lastJournalKey = null;
      sinceCompaction = 0;
      storeProblem = null;
      refused.tooLarge = refused.rateLimited = 0;
      await api.storage.local.remove(keys.REFUSED);
      return { ok: true };
    default:
      return { ok: false, code: 'unknown_message', error: 'unknown message' };
  }
}

// The first-run page, once: on install, never on an update or a browser start
// (nor when a browser reports an install again for a profile that has it: an
// extension loaded from a folder is "installed" at every start).
api.runtime.onInstalled.addListener(async ({ reason }) => {
  if (reason !== 'install') return;
  const seen = await api.storage.local.get(keys.WELCOMED);
  if (seen[keys.WELCOMED]) return;
  await api.storage.local.set({ [keys.WELCOMED]: true });
  await api.tabs.create({ url: api.runtime.getURL(globalThis.Reciprocity.PAGES.WELCOME) }).catch(() => {});
});

api.runtime.onMessage.addListener((message, sender, sendResponse) => {
  sawMessage();
  handle(message, sender).then(sendResponse, (e) => sendResponse({ ok: false, ...engineError(e) }));
  return true;
});
