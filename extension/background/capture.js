// @ts-check
/* The worker's intake: captures and actions from x.com tabs, and archive pages
 * from the dashboard, checked, journaled, then ingested one at a time; what was
 * refused is counted, and other tabs hear what changed. A classic script loaded
 * before background.js: it shares that file's state (the engine, the store, the
 * settings) and is called only once everything is loaded. */

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

/** What an x.com tab may send (the table in messages.js); everything else needs
 * an extension page. */
const FROM_TABS = new Set(
  Object.entries(Reciprocity.MESSAGES)
    .filter(([, route]) => route.from === 'tabs')
    .map(([name]) => name),
);

/** The rate of captures per tab. */
const withinBudget = ReciprocityChecks.rateLimiter({ list: { burst: 300, perMinute: 300 }, other: { burst: 60, perMinute: 120 } });
/** @param {'x' | 'bsky'} network @param {number} tab @param {string} url */
function withinRate(network, tab, url) {
  // Which operations are lists is the readers' knowledge, asked of the engine.
  return withinBudget(tab, wasm.is_list_page(network, url) ? 'list' : 'other', performance.now());
}

/** The network of the tab that sent a message: the worker's to say, never the
 * page's. @param {chrome.runtime.MessageSender} sender */
const networkOf = (sender) => ReciprocityChecks.networkOfTopFrame(sender, api.runtime.id);

/** @param {unknown} message @param {chrome.runtime.MessageSender} sender
 * @returns {Promise<ReplyTo<'capture'>>} */
async function onCapture(message, sender) {
  if (sender.tab?.incognito && !recordPrivate) return privateWindow;
  if (message && typeof message === 'object' && 'oversize' in message && message.oversize === true) {
    countRefused('tooLarge');
    return { ok: false, code: 'too_large', error: 'too large to keep' };
  }
  const c = ReciprocityChecks.captureOf(message);
  if (!c) return { ok: false, code: 'not_a_capture', error: 'not a capture' };
  if (c.url.length > LIMITS.url || (c.request_body && c.request_body.length > LIMITS.requestBody) || c.body.length > LIMITS.body) {
    countRefused('tooLarge');
    return { ok: false, code: 'too_large', error: 'too large to keep' };
  }
  const network = networkOf(sender);
  if (!network) return { ok: false, code: 'not_allowed', error: 'not allowed from here' };
  const refusal = refusalOf(network, c.viewer, c.url, sender);
  if (refusal) return refusal;
  const text = wasm.capture_envelope(network, c.viewer, now(), c.method, c.url, c.request_body ?? undefined, c.status, c.body);
  return journalAndIngest(text, { url: c.url, body: c.body, tab: sender.tab?.id });
}

/** @type {Failure} */
const privateWindow = { ok: false, code: 'private_window', error: 'private windows are not recorded' };

/** Dated by this worker's clock: a page cannot move the ledger's "now". */
const now = () => new Date(Date.now()).toISOString();

/** Why a record from a tab of `network` is not kept (signed out, paused, not
 * collected, too many from this tab), or null. @param {'x' | 'bsky'} network
 * @param {string} viewer @param {string} url
 * @param {chrome.runtime.MessageSender} sender @returns {Failure | null} */
function refusalOf(network, viewer, url, sender) {
  if (!ReciprocityChecks.isViewerOf(network, viewer)) return { ok: false, code: 'signed_out', error: 'signed out: nothing recorded' };
  if (paused) return { ok: false, code: 'paused', error: 'paused' };
  if (!wasm.collected(network, url)) return { ok: false, code: 'not_collected', error: 'not an operation Reciprocity collects' };
  if (sender.tab && sender.tab.id != null && !withinRate(network, sender.tab.id, url)) {
    countRefused('rateLimited');
    return { ok: false, code: 'rate_limited', error: 'too many captures from this tab' };
  }
  return null;
}

/** An action of the viewer's, as the two facts the hook handed over; the engine
 * writes its envelope. @param {MessageOf<'action'>} message
 * @param {chrome.runtime.MessageSender} sender @returns {Promise<ReplyTo<'action'>>} */
async function onAction(message, sender) {
  if (sender.tab?.incognito && !recordPrivate) return privateWindow;
  const viewer = typeof message.viewer === 'string' ? message.viewer : '';
  const url = typeof message.url === 'string' ? message.url.slice(0, LIMITS.url) : '';
  // Actions are read on X only (Bluesky's own writes are not read yet).
  if (networkOf(sender) !== 'x') return { ok: false, code: 'not_collected', error: 'not an action Reciprocity reads' };
  const refusal = refusalOf('x', viewer, url, sender);
  if (refusal) return refusal;
  if (!ReciprocityChecks.isStatus(message.status)) return { ok: false, code: 'not_a_capture', error: 'not an HTTP status' };
  const text = wasm.action_envelope(viewer, now(), url, String(message.target), message.status);
  if (text === undefined) return { ok: false, code: 'not_a_capture', error: 'not an action Reciprocity reads' };
  return journalAndIngest(text, { url, body: '', tab: sender.tab?.id });
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
    storeProblem = { kind: 'cannot_save', detail: `could not record a capture: ${errorMessage(e)}` };
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
  const { viewer, at, list, page } = message;
  if (typeof viewer !== 'string' || typeof at !== 'string' || typeof list !== 'string' || typeof page !== 'string') {
    return { ok: false, code: 'not_a_capture', error: 'not an archive page' };
  }
  // A page of 50,000 ids is about 1.1 MB: the same cap as a capture's body.
  if (page.length > LIMITS.body) return { ok: false, code: 'too_large', error: 'too large to keep' };
  /** @type {string} */
  let text;
  try {
    // The page's JSON is wrapped as it is; the engine reads it when it ingests.
    text = message.network === 'bsky' ? wasm.repo_envelope(viewer, at, page) : wasm.archive_envelope(viewer, at, list, page);
  } catch (e) {
    return { ok: false, code: 'not_a_capture', error: errorMessage(e) };
  }
  // Its reply names no entries: the engine asks tabs to redraw everything instead.
  return journalAndIngest(text, { url: `archive:${list}`, body: '' });
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
  for (const id of result.changed) pending.changed.add(id);
  for (const h of result.handles) pending.handles.add(h);
  pending.refresh_all ||= result.refresh_all;
  if (senderTab != null) pending.except.add(senderTab);
  clearTimeout(broadcastTimer);
  broadcastTimer = setTimeout(async () => {
    const batch = pending;
    pending = { changed: new Set(), handles: new Set(), refresh_all: false, except: new Set() };
    /** @type {MessageOf<'ledger-changed'>} */
    const message = { type: msg.LEDGER_CHANGED, changed: [...batch.changed], handles: [...batch.handles], refresh_all: batch.refresh_all };
    const tabs = await api.tabs.query({ url: [...Reciprocity.SITE_ORIGINS] }).catch(() => []);
    for (const tab of tabs) {
      // A tab that sent every capture of the batch refreshed itself already.
      if (tab.id != null && !(batch.except.has(tab.id) && batch.except.size === 1)) {
        api.tabs.sendMessage(tab.id, message).catch(() => {});
      }
    }
  }, 250);
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
    engineBytes: engineMemory ? engineMemory.buffer.byteLength : null,
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
    throw { code: 'internal', message: `the engine stopped and was restarted: ${errorMessage(e)}` };
  }
}
