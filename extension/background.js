// @ts-check
/* The background worker: owns the wasm engine and the store. Listeners are
 * registered synchronously at the top (an MV3 worker must not await before it);
 * the engine starts lazily and every handler waits for it. The engine throws
 * typed `EngineError`s ({code, message}); this file acts on codes only. */
if (typeof importScripts === 'function') {
  importScripts('messages.js', 'platform.js', 'www/wasm/reciprocity_wasm.js', 'store.js');
}

const { msg, keys } = globalThis.Reciprocity;
const { api: maybeApi } = globalThis.ReciprocityPlatform;
const api = /** @type {typeof chrome} */ (maybeApi);
const Store = globalThis.ReciprocityStore;
const encoder = new TextEncoder();

const COMPACT_EVERY = 25;
const COMPACT_IDLE_MS = 2000;

/** @type {wasm_bindgen.Engine} */
let engine;
/** @type {IDBValidKey | null} */
let lastJournalKey = null;
let sinceCompaction = 0;
/** @type {ReturnType<typeof setTimeout> | undefined} */
let compactTimer;
/** @type {{ kind: 'corrupt' | 'cannot_save', detail: string } | null} */
let storeProblem = null;
const started = performance.now();
/** @type {number | null} */
let readyMs = null;

/** Paused, as last read from storage and kept current by `storage.onChanged`. */
let paused = false;
api.storage.onChanged.addListener((changes, area) => {
  if (area === 'local' && keys.PAUSED in changes) paused = changes[keys.PAUSED].newValue === true;
});

/** An engine failure as data: its code and its message.
 * @param {unknown} e @returns {{ code: string, error: string }} */
function engineError(e) {
  const code = e && typeof e === 'object' && 'code' in e && typeof e.code === 'string' ? e.code : 'internal';
  return { code, error: ReciprocityPlatform.errorMessage(e) };
}

const ready = start();

async function start() {
  const got = await api.storage.local.get(keys.PAUSED);
  paused = got[keys.PAUSED] === true;
  await wasm_bindgen({ module_or_path: api.runtime.getURL('www/wasm/reciprocity_wasm_bg.wasm') });
  const { snapshot, journal } = await Store.load();
  engine = new wasm_bindgen.Engine();
  if (snapshot) {
    try {
      engine = wasm_bindgen.Engine.load(new Uint8Array(snapshot));
    } catch (e) {
      // Kept aside for a bug report, never overwritten; the journal still replays.
      const detail = engineError(e).error;
      storeProblem = { kind: 'corrupt', detail };
      await Store.keepAside(snapshot, detail);
    }
  }
  for (const entry of journal) {
    try {
      engine.ingest(encoder.encode(entry.text));
    } catch (_) {
      // Refused when it came in too (and recorded then): nothing to replay.
    }
    lastJournalKey = entry.key;
  }
  sinceCompaction = journal.length;
  readyMs = performance.now() - started;
}

/** The envelope's JSON, the response body embedded as it came (it is JSON).
 * @param {CaptureMeta} meta @param {string} body */
function envelopeText(meta, body) {
  const head = JSON.stringify(meta);
  const raw = typeof body === 'string' && body.trim() ? body : 'null';
  return head.slice(0, -1) + ',"body":' + raw + '}';
}

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
  if (!engine || sinceCompaction === 0) return;
  const upTo = lastJournalKey;
  const count = sinceCompaction;
  try {
    await Store.compact(engine.save(), upTo);
    sinceCompaction -= count;
    if (storeProblem && storeProblem.kind === 'cannot_save') storeProblem = null; // space came back
  } catch (e) {
    storeProblem = { kind: 'cannot_save', detail: 'could not save: ' + ReciprocityPlatform.errorMessage(e) };
  }
}

// Other x.com tabs refresh the badges a capture may have changed (the tab that
// sent it refreshes by itself). Batched: one message per burst.
/** @type {ReturnType<typeof setTimeout> | undefined} */
let broadcastTimer;
/** @type {{ changed: Set<string>, handles: Set<string>, refresh_all: boolean, except: Set<number> }} */
let pending = { changed: new Set(), handles: new Set(), refresh_all: false, except: new Set() };

/** @param {wasm_bindgen.Ingested} result @param {number | undefined} senderTab */
function announceChange(result, senderTab) {
  result.changed.forEach((id) => pending.changed.add(id));
  result.handles.forEach((h) => pending.handles.add(h));
  pending.refresh_all ||= result.refresh_all;
  if (senderTab != null) pending.except.add(senderTab);
  clearTimeout(broadcastTimer);
  broadcastTimer = setTimeout(async () => {
    const batch = pending;
    pending = { changed: new Set(), handles: new Set(), refresh_all: false, except: new Set() };
    /** @type {LedgerChangedMessage} */
    const message = { type: msg.LEDGER_CHANGED, changed: [...batch.changed], handles: [...batch.handles], refresh_all: batch.refresh_all };
    const tabs = await api.tabs.query({ url: ['https://x.com/*', 'https://twitter.com/*'] }).catch(() => []);
    for (const tab of tabs) {
      // A tab that sent one of the captures refreshed itself; one that did not
      // (or sent only some) gets the whole batch.
      if (tab.id != null && !(batch.except.has(tab.id) && batch.except.size === 1)) {
        api.tabs.sendMessage(tab.id, message).catch(() => {});
      }
    }
  }, 250);
}

/** @param {CaptureMessage} message @param {chrome.runtime.MessageSender} sender
 * @returns {Promise<CaptureReply>} */
async function onCapture(message, sender) {
  if (!message.meta || !message.meta.viewer) return { ok: false, code: 'signed_out', error: 'signed out: nothing recorded' };
  if (paused) return { ok: false, code: 'paused', error: 'paused' };
  const text = envelopeText(message.meta, message.body);
  // Journal first: acknowledged means kept.
  try {
    lastJournalKey = await Store.append(text);
  } catch (e) {
    storeProblem = { kind: 'cannot_save', detail: 'could not record a capture: ' + ReciprocityPlatform.errorMessage(e) };
    return { ok: false, code: 'cannot_save', error: storeProblem.detail };
  }
  if (storeProblem && storeProblem.kind === 'cannot_save') storeProblem = null; // space came back
  sinceCompaction += 1;
  scheduleCompaction();
  try {
    const result = engine.ingest(encoder.encode(text));
    const { learned } = result;
    if (learned.accounts || learned.sightings || learned.walks) announceChange(result, sender.tab && sender.tab.id);
    return { ok: true, result };
  } catch (e) {
    const { code, error } = engineError(e);
    if (code !== 'no_viewer') {
      await Store.recordFailure({ at: message.meta.at, url: message.meta.url, code, error, envelope: text });
    }
    return { ok: false, code: /** @type {wasm_bindgen.ErrorCode} */ (code), error };
  }
}

/** @returns {Promise<StatusReply>} */
async function statusReply() {
  const failures = await Store.failures();
  return {
    ok: true,
    paused,
    readyMs,
    // Which worker instance answered: tests check that a stopped worker came back.
    startedAt: performance.timeOrigin,
    viewers: engine.viewers(),
    failures: failures.length,
    lastFailure: failures.length ? failures[failures.length - 1].error : null,
    storeProblem: storeProblem ? storeProblem.detail : null,
    storeProblemKind: storeProblem ? storeProblem.kind : null,
    keptAside: await Store.asideCount(),
  };
}

/** @param {Message} message @param {chrome.runtime.MessageSender} sender */
async function handle(message, sender) {
  await ready;
  const asked = /** @type {{ lang?: unknown }} */ (message || {}).lang;
  const lang = typeof asked === 'string' ? asked : ReciprocityPlatform.uiLanguage();
  switch (message && message.type) {
    case msg.CAPTURE:
      return onCapture(/** @type {CaptureMessage} */ (message), sender);
    case msg.ANNOTATE: {
      const m = /** @type {AnnotateMessage} */ (message);
      return { ok: true, badges: engine.badges(String(m.viewer), (m.accounts || []).map(String), lang) };
    }
    case msg.SUMMARY:
      return { ok: true, summary: engine.summary(String(/** @type {SummaryMessage} */ (message).viewer), lang) };
    case msg.TIMELINE: {
      const m = /** @type {TimelineMessage} */ (message);
      return { ok: true, timeline: engine.timeline(String(m.viewer), String(m.account), lang) };
    }
    case msg.STATUS:
      return statusReply();
    case msg.SET_PAUSED: {
      paused = !!(/** @type {SetPausedMessage} */ (message).paused);
      await api.storage.local.set({ [keys.PAUSED]: paused });
      return { ok: true, paused };
    }
    case msg.EXPORT:
      await compact();
      return { ok: true, json: engine.export_json() };
    case msg.EXPORT_FAILURES:
      return { ok: true, failures: await Store.failures() };
    case msg.IMPORT_JSON:
      engine.import_json(String(/** @type {ImportJsonMessage} */ (message).json));
      sinceCompaction += 1;
      await compact();
      return { ok: true };
    case msg.MARK: {
      const m = /** @type {MarkMessage} */ (message);
      if (m.brand != null) engine.mark_brand(String(m.viewer), String(m.account), Date.now(), !!m.brand);
      if (m.allowlisted != null) engine.set_allowlisted(String(m.viewer), String(m.account), Date.now(), !!m.allowlisted);
      sinceCompaction += 1;
      await compact();
      return { ok: true };
    }
    default:
      return { ok: false, code: 'unknown_message', error: 'unknown message' };
  }
}

api.runtime.onMessage.addListener((message, sender, sendResponse) => {
  handle(message, sender).then(sendResponse, (e) => sendResponse({ ok: false, ...engineError(e) }));
  return true;
});
