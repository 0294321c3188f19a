/* The background worker: owns the wasm engine and the store. Listeners are
 * registered synchronously at the top (an MV3 worker must not await before it);
 * the engine starts lazily and every handler waits for it. */
if (typeof importScripts === 'function') {
  importScripts('messages.js', 'www/wasm/reciprocity_wasm.js', 'store.js');
}

const api = globalThis.browser ?? globalThis.chrome;
const { msg, keys } = globalThis.Reciprocity;
const Store = globalThis.ReciprocityStore;
const encoder = new TextEncoder();

const COMPACT_EVERY = 25;
const COMPACT_IDLE_MS = 2000;

let engine = null;
let lastJournalKey = null;
let sinceCompaction = 0;
let compactTimer = null;
let storeProblem = null;
const started = performance.now();
let readyMs = null;

const ready = start();

async function start() {
  await wasm_bindgen({ module_or_path: api.runtime.getURL('www/wasm/reciprocity_wasm_bg.wasm') });
  const { snapshot, journal } = await Store.load();
  engine = new wasm_bindgen.Engine();
  if (snapshot) {
    try {
      engine = wasm_bindgen.Engine.load(new Uint8Array(snapshot));
    } catch (e) {
      // Kept aside for a bug report, never overwritten; the journal still replays.
      storeProblem = String(e.message || e);
      await Store.keepAside(snapshot, storeProblem);
    }
  }
  for (const entry of journal) {
    engine.ingest(encoder.encode(entry.text));
    lastJournalKey = entry.key;
  }
  sinceCompaction = journal.length;
  readyMs = performance.now() - started;
}

/** The envelope's JSON, the response body embedded as it came (it is JSON). */
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
  } catch (e) {
    storeProblem = 'could not save: ' + (e.message || e);
  }
}

async function paused() {
  const got = await api.storage.local.get(keys.PAUSED);
  return got[keys.PAUSED] === true;
}

// Other x.com tabs refresh their badges when a capture taught the ledger something
// (the tab that sent it refreshes by itself). Batched: one message per burst.
let broadcastTimer = null;
function announceChange(senderTab) {
  clearTimeout(broadcastTimer);
  broadcastTimer = setTimeout(async () => {
    const tabs = await api.tabs.query({ url: ['https://x.com/*', 'https://twitter.com/*'] }).catch(() => []);
    for (const tab of tabs) {
      if (tab.id !== senderTab) api.tabs.sendMessage(tab.id, { type: msg.LEDGER_CHANGED }).catch(() => {});
    }
  }, 250);
}

async function onCapture(message, sender) {
  if (!message.meta || !message.meta.viewer) return { ok: false, error: 'signed out: nothing recorded' };
  if (await paused()) return { ok: false, paused: true };
  const text = envelopeText(message.meta, message.body);
  // Journal first: acknowledged means kept.
  try {
    lastJournalKey = await Store.append(text);
    if (/^could not/.test(storeProblem || '')) storeProblem = null; // space came back
  } catch (e) {
    storeProblem = 'could not record a capture: ' + (e.message || e);
    return { ok: false, error: storeProblem };
  }
  sinceCompaction += 1;
  const result = JSON.parse(engine.ingest(encoder.encode(text)));
  if (!result.ok && !/no viewer/.test(result.error || '')) {
    await Store.recordFailure({ at: message.meta.at, url: message.meta.url, error: result.error, envelope: text });
  }
  scheduleCompaction();
  if (result.ok && (result.learned.accounts || result.learned.sightings)) announceChange(sender && sender.tab && sender.tab.id);
  return result;
}

async function status() {
  const failures = await Store.failures();
  return {
    ok: true,
    paused: await paused(),
    readyMs,
    // Which worker instance answered: tests check that a stopped worker came back.
    startedAt: performance.timeOrigin,
    viewers: JSON.parse(engine.viewers()),
    failures: failures.length,
    lastFailure: failures.length ? failures[failures.length - 1].error : null,
    storeProblem,
    keptAside: await Store.asideCount(),
  };
}

async function handle(message, sender) {
  await ready;
  switch (message && message.type) {
    case msg.CAPTURE:
      return onCapture(message, sender);
    case msg.ANNOTATE:
      return { ok: true, annotations: JSON.parse(engine.annotate(String(message.viewer), JSON.stringify(message.accounts || []))) };
    case msg.SUMMARY:
      return { ok: true, ...JSON.parse(engine.summary(String(message.viewer))) };
    case msg.TIMELINE:
      return JSON.parse(engine.timeline(String(message.viewer), String(message.account)));
    case msg.STATUS:
      return status();
    case msg.SET_PAUSED:
      await api.storage.local.set({ [keys.PAUSED]: !!message.paused });
      return { ok: true, paused: !!message.paused };
    case msg.EXPORT:
      await compact();
      return { ok: true, json: engine.export_json() };
    case msg.EXPORT_FAILURES:
      return { ok: true, failures: await Store.failures() };
    case msg.IMPORT_JSON:
      engine.import_json(String(message.json));
      sinceCompaction += 1;
      await compact();
      return { ok: true };
    case msg.MARK:
      if (message.brand != null) engine.mark_brand(String(message.viewer), String(message.account), Date.now(), !!message.brand);
      if (message.allowlisted != null) engine.set_allowlisted(String(message.viewer), String(message.account), Date.now(), !!message.allowlisted);
      sinceCompaction += 1;
      await compact();
      return { ok: true };
    default:
      return { ok: false, error: 'unknown message' };
  }
}

api.runtime.onMessage.addListener((message, sender, sendResponse) => {
  handle(message, sender).then(sendResponse, (e) => sendResponse({ ok: false, error: String((e && e.message) || e) }));
  return true;
});
