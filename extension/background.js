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
if (typeof importScripts === 'function') {
  importScripts('messages.js', 'platform.js', 'www/wasm/reciprocity_wasm.js', 'www/engine-service.js', 'store.js');
}

const { msg, keys, LIMITS, MESSAGES } = Reciprocity;
const { errorMessage } = ReciprocityPlatform;
const api = /** @type {typeof chrome} */ (ReciprocityPlatform.api);
const Store = ReciprocityStore;
const Service = ReciprocityEngineService;
const encoder = new TextEncoder();
const WASM_URL = api.runtime.getURL('www/wasm/reciprocity_wasm_bg.wasm');
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
const PARTS_PER_READ = 8;
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

// Settings, as last read from storage and kept current by `storage.onChanged`.
let paused = false;
let recordPrivate = false;
api.storage.onChanged.addListener((changes, area) => {
  if (area !== 'local') return;
  if (keys.PAUSED in changes) paused = changes[keys.PAUSED].newValue === true;
  if (keys.RECORD_PRIVATE in changes) recordPrivate = changes[keys.RECORD_PRIVATE].newValue === true;
});

// Captures refused before anything was kept, counted for the popup (written at
// most once a second, whatever a flood does).
const refused = { tooLarge: 0, rateLimited: 0 };
/** @type {ReturnType<typeof setTimeout> | undefined} */
let refusedTimer;
/** @param {'tooLarge' | 'rateLimited'} why */
function countRefused(why) {
  refused[why] += 1;
  refusedTimer ??= setTimeout(() => {
    refusedTimer = undefined;
    api.storage.local.set({ [keys.REFUSED]: { ...refused } }).catch(() => {});
  }, 1000);
}

const { isTrap } = Service;
const engineError = Service.failure;

/** What may be kept of a capture that failed: the JSON's shape (keys, types,
 * array lengths) with no string or number in it, capped.
 * @param {string} body */
function shapeOf(body) {
  /** @param {unknown} v @param {number} depth @returns {unknown} */
  const shape = (v, depth) => {
    if (depth > 12) return '…';
    if (typeof v === 'string') return '';
    if (typeof v === 'number') return 0;
    if (Array.isArray(v)) return [...v.slice(0, 3).map((x) => shape(x, depth + 1)), ...(v.length > 3 ? [`…${v.length}`] : [])];
    if (v && typeof v === 'object') {
      /** @type {Record<string, unknown>} */
      const out = {};
      for (const [k, x] of Object.entries(v).slice(0, 50)) out[/^\d+$/.test(k) ? '<id>' : k] = shape(x, depth + 1);
      return out;
    }
    return v;
  };
  try {
    return JSON.stringify(shape(JSON.parse(body), 0)).slice(0, 4096);
  } catch (_) {
    return '(not JSON)';
  }
}

/** @param {string} url */
const operationOf = (url) => {
  try {
    return new URL(url).pathname.split('/').filter(Boolean).slice(-1)[0] || '';
  } catch (_) {
    return '';
  }
};

/** A failure as kept: no body, no query string, no string values.
 * @param {string} url @param {string} body @param {{ code: string, error: string }} why
 * @returns {FailedCapture} */
function failureOf(url, body, why) {
  return {
    at: new Date(Date.now()).toISOString(),
    operation: operationOf(url),
    code: why.code,
    error: why.error.replace(/\?[^\s"]*/g, '?…').slice(0, 500),
    shape: shapeOf(body),
  };
}

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
  await glue({ module_or_path: WASM_URL });
  const { snapshot, index, journal, inProgress } = await Store.load();
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
        await glue({ module_or_path: WASM_URL });
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
  partsTotal = allNames ? allNames.length : engine.missing_parts().length;
  partsLoaded = 0;
  markReady();
  // The rest of the store loads behind the badges asked meanwhile.
  if (early) await badgesFirst();
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
 * @param {string[]} names @param {boolean} [behind] */
async function loadParts(names, behind = false) {
  for (let i = 0; i < names.length; i += PARTS_PER_READ) {
    if (behind && i) await badgesFirst();
    for (const { name, bytes } of await Store.parts(names.slice(i, i + PARTS_PER_READ))) {
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
    for (let round = 0; round < 3 && !whole; round++) {
      const need = await guarded(() => engine.parts_needed(viewer, accounts));
      if (!need.length) break;
      if (!(await loadParts(need))) break;
      if (!whole) engine.reindex_viewer(viewer);
    }
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

/** The URL an envelope's text names. @param {string} text */
function urlOf(text) {
  const m = /"url":"((?:[^"\\]|\\.)*)"/.exec(text.slice(0, LIMITS.url + 200));
  return m ? m[1] : '';
}

/** Resolves `engineReady` (set by each start). @type {() => void} */
let markReady = () => {};
/** @type {Promise<unknown>} */
let engineReady = new Promise((resolve) => {
  markReady = () => resolve(undefined);
});
let engineWhole = (async () => {
  const got = await api.storage.local.get([keys.PAUSED, keys.RECORD_PRIVATE, keys.REFUSED]);
  paused = got[keys.PAUSED] === true;
  recordPrivate = got[keys.RECORD_PRIVATE] === true;
  Object.assign(refused, got[keys.REFUSED] || {});
})().then(() => newStart());

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
    storeProblem = { kind: 'cannot_save', detail: 'could not save: ' + errorMessage(e) };
  }
}

// Other x.com tabs refresh the badges a capture may have changed (the tab that
// sent it refreshes by itself). Batched: one message per burst.
/** @type {ReturnType<typeof setTimeout> | undefined} */
let broadcastTimer;
/** @type {{ changed: Set<string>, handles: Set<string>, refresh_all: boolean, except: Set<number> }} */
let pending = { changed: new Set(), handles: new Set(), refresh_all: false, except: new Set() };

/** @param {Pick<wasm_bindgen.Ingested, 'changed' | 'handles' | 'refresh_all'>} result
 * @param {number | undefined} senderTab */
function announceChange(result, senderTab) {
  result.changed.forEach((id) => pending.changed.add(id));
  result.handles.forEach((h) => pending.handles.add(h));
  pending.refresh_all ||= result.refresh_all;
  if (senderTab != null) pending.except.add(senderTab);
  clearTimeout(broadcastTimer);
  broadcastTimer = setTimeout(async () => {
    const batch = pending;
    pending = { changed: new Set(), handles: new Set(), refresh_all: false, except: new Set() };
    /** @type {MessageOf<'ledger-changed'>} */
    const message = { type: msg.LEDGER_CHANGED, changed: [...batch.changed], handles: [...batch.handles], refresh_all: batch.refresh_all };
    const tabs = await api.tabs.query({ url: ['https://x.com/*', 'https://twitter.com/*'] }).catch(() => []);
    for (const tab of tabs) {
      // A tab that sent every capture of the batch refreshed itself already.
      if (tab.id != null && !(batch.except.has(tab.id) && batch.except.size === 1)) {
        api.tabs.sendMessage(tab.id, message).catch(() => {});
      }
    }
  }, 250);
}

// ----- who may ask what -----

/** One of the extension's own pages (popup, dashboard): not a content script,
 * whose sender URL is the page it runs in. The options page is a tab too.
 * @param {chrome.runtime.MessageSender} sender */
function fromExtensionPage(sender) {
  try {
    return sender.id === api.runtime.id && new URL(sender.url || '').origin === OWN_ORIGIN;
  } catch (_) {
    return false;
  }
}

/** The content script of an x.com tab's top frame.
 * @param {chrome.runtime.MessageSender} sender */
function fromXTopFrame(sender) {
  return sender.id === api.runtime.id && !!sender.tab && sender.frameId === 0
    && /^https:\/\/(?:x|twitter)\.com\//.test(sender.url || '');
}

/** What an x.com tab may send (the table in messages.js); everything else needs
 * an extension page. */
const FROM_TABS = new Set(Object.entries(MESSAGES).filter(([, route]) => route.from === 'tabs').map(([name]) => name));

// ----- the rate of captures per tab: list pages have their own, larger budget -----

const RATE = { list: { burst: 300, perMinute: 300 }, other: { burst: 60, perMinute: 120 } };
/** @type {Map<string, { tokens: number, at: number }>} */
const buckets = new Map();
/** @param {number} tab @param {string} url */
function withinRate(tab, url) {
  // Which operations are lists is the readers' knowledge, asked of the engine.
  const kind = wasm_bindgen.is_list_page(url) ? 'list' : 'other';
  const { burst, perMinute } = RATE[kind];
  const key = `${tab}:${kind}`;
  const now = performance.now();
  const b = buckets.get(key) || { tokens: burst, at: now };
  b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 60000) * perMinute);
  b.at = now;
  buckets.set(key, b);
  if (b.tokens < 1) return false;
  b.tokens -= 1;
  return true;
}

/** A capture as the page sent it, checked field by field.
 * @param {unknown} message @returns {{ viewer: string, method: string, url: string, request_body: string | null, status: number, body: string } | null} */
function captureOf(message) {
  if (!message || typeof message !== 'object') return null;
  const { meta, body } = /** @type {{ meta?: unknown, body?: unknown }} */ (message);
  if (!meta || typeof meta !== 'object') return null;
  const { viewer, method, url, request_body: requestBody, status } = /** @type {Record<string, unknown>} */ (meta);
  if (typeof url !== 'string' || typeof method !== 'string' || typeof status !== 'number') return null;
  if (requestBody != null && typeof requestBody !== 'string') return null;
  if (typeof body !== 'string') return null;
  return { viewer: typeof viewer === 'string' ? viewer : '', method, url, request_body: requestBody ?? null, status, body };
}

/** @param {unknown} message @param {chrome.runtime.MessageSender} sender
 * @returns {Promise<ReplyTo<'capture'>>} */
async function onCapture(message, sender) {
  if (sender.tab && sender.tab.incognito && !recordPrivate) return privateWindow;
  if (message && typeof message === 'object' && 'oversize' in message && message.oversize === true) {
    countRefused('tooLarge');
    return { ok: false, code: 'too_large', error: 'too large to keep' };
  }
  const c = captureOf(message);
  if (!c) return { ok: false, code: 'not_a_capture', error: 'not a capture' };
  if (c.url.length > LIMITS.url || (c.request_body && c.request_body.length > LIMITS.requestBody) || c.body.length > LIMITS.body) {
    countRefused('tooLarge');
    return { ok: false, code: 'too_large', error: 'too large to keep' };
  }
  const refusal = refusalOf(c.viewer, c.url, sender);
  if (refusal) return refusal;
  const text = wasm.capture_envelope(c.viewer, now(), c.method, c.url, c.request_body ?? undefined, c.status, c.body);
  return journalAndIngest(text, { url: c.url, body: c.body, tab: sender.tab && sender.tab.id });
}

/** @type {Failure} */
const privateWindow = { ok: false, code: 'private_window', error: 'private windows are not recorded' };

/** Dated by this worker's clock: a page cannot move the ledger's "now". */
const now = () => new Date(Date.now()).toISOString();

/** Why a record from a tab is not kept (signed out, paused, not collected, too
 * many from this tab), or null. @param {string} viewer @param {string} url
 * @param {chrome.runtime.MessageSender} sender @returns {Failure | null} */
function refusalOf(viewer, url, sender) {
  if (!/^\d{1,20}$/.test(viewer)) return { ok: false, code: 'signed_out', error: 'signed out: nothing recorded' };
  if (paused) return { ok: false, code: 'paused', error: 'paused' };
  if (!wasm.collected(url)) return { ok: false, code: 'not_collected', error: 'not an operation Reciprocity collects' };
  if (sender.tab && sender.tab.id != null && !withinRate(sender.tab.id, url)) {
    countRefused('rateLimited');
    return { ok: false, code: 'rate_limited', error: 'too many captures from this tab' };
  }
  return null;
}

/** An action of the viewer's, as the two facts the hook handed over; the engine
 * writes its envelope. @param {MessageOf<'action'>} message
 * @param {chrome.runtime.MessageSender} sender @returns {Promise<ReplyTo<'action'>>} */
async function onAction(message, sender) {
  if (sender.tab && sender.tab.incognito && !recordPrivate) return privateWindow;
  const viewer = typeof message.viewer === 'string' ? message.viewer : '';
  const url = typeof message.url === 'string' ? message.url.slice(0, LIMITS.url) : '';
  const refusal = refusalOf(viewer, url, sender);
  if (refusal) return refusal;
  const status = typeof message.status === 'number' ? message.status : 0;
  const text = wasm.action_envelope(viewer, now(), url, String(message.target), status);
  if (text === undefined) return { ok: false, code: 'not_a_capture', error: 'not an action Reciprocity reads' };
  return journalAndIngest(text, { url, body: '', tab: sender.tab && sender.tab.id });
}

/** Journals an envelope, then ingests it. Journal first: acknowledged means kept
 * (the entry is marked in progress until the engine is done with it). A capture
 * the engine refuses is set aside with its shape only; a trap re-creates the engine.
 * @param {string} text the envelope
 * @param {{ url: string, body: string, tab?: number }} from
 * @returns {Promise<ReplyTo<'capture'>>} */
async function journalAndIngest(text, from) {
  /** @type {IDBValidKey} */
  let key;
  try {
    key = await Store.append(text);
  } catch (e) {
    storeProblem = { kind: 'cannot_save', detail: 'could not record a capture: ' + errorMessage(e) };
    return { ok: false, code: 'cannot_save', error: storeProblem.detail };
  }
  if (storeProblem && storeProblem.kind === 'cannot_save') storeProblem = null; // space came back
  // One ingest at a time, each marked just before it runs: an engine that dies
  // inside one leaves its mark alone, never a neighbour's.
  return oneAtATime(() => ingestJournaled(key, text, from));
}

/** @type {Promise<unknown>} */
let ingesting = Promise.resolve();
/** Runs `task` after every task queued before it.
 * @template T @param {() => Promise<T>} task @returns {Promise<T>} */
function oneAtATime(task) {
  const run = ingesting.then(task, task);
  ingesting = run.catch(() => {});
  return run;
}

/** @param {IDBValidKey} key @param {string} text @param {{ url: string, body: string, tab?: number }} from
 * @returns {Promise<ReplyTo<'capture'>>} */
async function ingestJournaled(key, text, from) {
  try {
    await Store.markInProgress(key);
  } catch (_) {
    // The mark could not be written: the capture stays journaled and replays.
  }
  try {
    // The engine refuses what is dated after this clock: keep it current.
    engine.set_clock(Date.now());
    const result = engine.ingest(encoder.encode(text));
    await Store.clearInProgress(key);
    lastJournalKey = key;
    sinceCompaction += 1;
    scheduleCompaction();
    const { learned } = result;
    if (learned.accounts || learned.sightings || learned.walks) announceChange(result, from.tab);
    return { ok: true, result };
  } catch (e) {
    const trap = isTrap(e);
    const why = trap ? { code: 'trapped', error: errorMessage(e) } : engineError(e);
    await Store.setAside(key, failureOf(from.url, from.body, why));
    if (trap) await restartEngine();
    return { ok: false, code: /** @type {Failure['code']} */ (why.code), error: why.error };
  }
}

/** One page of an archive the dashboard read, journaled and ingested as a capture
 * is (an `x-archive` envelope dated by the archive): a worker stopped halfway
 * loses no acknowledged page, and pages that never reach the last one prove
 * nothing about who is absent.
 * @param {MessageOf<'archive-page'>} message @returns {Promise<ReplyTo<'archive-page'>>} */
async function onArchivePage(message) {
  const { viewer, at, page } = message;
  if (typeof viewer !== 'string' || typeof at !== 'string' || !page || typeof page !== 'object') {
    return { ok: false, code: 'not_a_capture', error: 'not an archive page' };
  }
  /** @type {string} */
  let text;
  try {
    text = wasm.archive_envelope(viewer, at, page);
  } catch (e) {
    return { ok: false, code: 'not_a_capture', error: errorMessage(e) };
  }
  // Its reply names no entries: the engine asks tabs to redraw everything instead.
  return journalAndIngest(text, { url: `archive:${page.list}`, body: '' });
}

/** @returns {Promise<StatusReply>} */
async function statusReply() {
  const failures = await Store.failures(Date.now());
  return {
    ok: true,
    paused,
    recordPrivate,
    readyMs,
    // Which worker instance answered: tests check that a stopped worker came back.
    startedAt: performance.timeOrigin,
    viewers: engine.viewers(),
    failures: failures.length,
    setAside: failures.filter((f) => f.code === 'quarantined' || f.code === 'trapped').length,
    lastFailure: failures.length ? failures[failures.length - 1].error : null,
    refused: { ...refused },
    storeProblem: storeProblem ? storeProblem.detail : null,
    storeProblemKind: storeProblem ? storeProblem.kind : null,
    keptAside: await Store.asideCount(),
    // Entries of others' lists dropped to keep the store under its cap.
    trimmed: engine.trimmed(),
    completeMs,
    lostParts: { ...lostParts },
    lastSave: { ...lastSave },
  };
}

/** Runs an engine call; a trap re-creates the engine and is reported.
 * @template T @param {() => T} call @returns {Promise<T>} */
async function guarded(call) {
  try {
    engine.set_clock(Date.now());
    return call();
  } catch (e) {
    if (!isTrap(e)) throw e;
    await restartEngine();
    throw { code: 'internal', message: 'the engine stopped and was restarted: ' + errorMessage(e) };
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
  if (!fromExtensionPage(sender) && !(FROM_TABS.has(type) && fromXTopFrame(sender))) {
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
  handle(message, sender).then(sendResponse, (e) => sendResponse({ ok: false, ...engineError(e) }));
  return true;
});
