// @ts-check
/* Message names and storage keys: one list, shared by the worker, the content
 * script, the popup and the dashboard (a classic script, so that every context can
 * load it). The typedefs below are the contract between those contexts; the
 * engine's own types (Annotation, Summary, Ingested…) come from the declarations
 * wasm-bindgen writes (target/wasm-pkg/reciprocity_wasm.d.ts). */

/**
 * What the page hook records of one response (the capture envelope, less its body
 * and its date: the worker dates it by its own clock).
 * @typedef {{ platform: 'x', viewer: string | null, method: string, url: string,
 *   request_body: string | null, status: number }} CaptureMeta
 */

/**
 * A failure, as every reply says it: the engine's error codes, and the worker's own.
 * @typedef {{ ok: false, code: wasm_bindgen.ErrorCode | 'paused' | 'signed_out' | 'cannot_save'
 *   | 'too_large' | 'rate_limited' | 'private_window' | 'not_allowed' | 'trapped' | 'quarantined'
 *   | 'not_a_capture' | 'unknown_message', error: string }} Failure
 * @typedef {{ ok: true } | Failure} DoneReply
 * @typedef {{ ok: true, result: wasm_bindgen.Ingested } | Failure} IngestReply
 * @typedef {{ ok: true, paused: boolean, recordPrivate: boolean, readyMs: number | null, startedAt: number,
 *   viewers: string[], failures: number, setAside: number, lastFailure: string | null,
 *   refused: { tooLarge: number, rateLimited: number }, storeProblem: string | null,
 *   storeProblemKind: 'corrupt' | 'cannot_save' | 'engine_failed' | null, keptAside: number,
 *   trimmed: number, completeMs: number | null, lostParts: { parts: number, accounts: number, edges: number },
 *   lastSave: { parts: number, bytes: number }, engineBytes: number | null }} StatusReply
 */

/**
 * One message: who may send it, whether the engine service answers it
 * (`answers`) or acts on it (`changes`: the host persists after it), and, as types
 * only, its request (the fields beside `type`) and its reply. `tabs`: an x.com
 * tab's top frame or an extension page; `pages`: the extension's own pages (and
 * the static site's page); `worker`: the worker to the tabs.
 * @template Request, Reply
 * @template {'tabs' | 'pages' | 'worker'} From
 * @template {'answers' | 'changes' | null} Engine
 * @typedef {{ from: From, engine: Engine, request?: Request, reply?: Reply }} Route
 */

/* Every message, written once: its name (the constants `msg.*` are made from it),
 * its request and its reply (the types `Message` and `ReplyTo` are made from
 * them, in types.d.ts). */
var Reciprocity = (() => {
  const MESSAGES = Object.freeze({
    capture: /** @type {Route<{ meta: CaptureMeta, body: string, oversize?: boolean }, IngestReply, 'tabs', null>} */ ({ from: 'tabs', engine: null }),
    // An action of the viewer's that X accepted: only what was done (its URL, no
    // query) and to whom; the engine writes its envelope.
    action: /** @type {Route<{ viewer: string | null, url: string, target: string, status: number }, IngestReply, 'tabs', null>} */ ({
      from: 'tabs',
      engine: null,
    }),
    annotate: /** @type {Route<{ viewer: string, accounts: string[], lang?: string },
    { ok: true, badges: (wasm_bindgen.Badge | null)[] } | Failure, 'tabs', 'answers'>} */ ({ from: 'tabs', engine: 'answers' }),
    // Asked with `transfer: true`, the summary is handed over in IndexedDB.
    summary: /** @type {Route<{ viewer: string, lang?: string, transfer?: boolean, limit?: number },
    { ok: true, summary: wasm_bindgen.Summary } | { ok: true, transfer: number } | Failure, 'pages', 'answers'>} */ ({ from: 'pages', engine: 'answers' }),
    timeline: /** @type {Route<{ viewer: string, account: string, lang?: string },
    { ok: true, timeline: wasm_bindgen.Timeline } | Failure, 'pages', 'answers'>} */ ({ from: 'pages', engine: 'answers' }),
    viewers: /** @type {Route<{ lang?: string },
    { ok: true, viewers: { id: string, network: 'x' | 'bsky', handle: string | null }[], problem?: string } | Failure, 'pages', 'answers'>} */ ({
      from: 'pages',
      engine: 'answers',
    }),
    'viewer-series': /** @type {Route<{ viewer: string },
    { ok: true, series: wasm_bindgen.SeriesPoint[] } | Failure, 'pages', 'answers'>} */ ({ from: 'pages', engine: 'answers' }),
    legend: /** @type {Route<{ lang?: string }, { ok: true, legend: wasm_bindgen.LegendEntry[] } | Failure, 'pages', 'answers'>} */ ({
      from: 'pages',
      engine: 'answers',
    }),
    // The extension hands the export over in IndexedDB (`transfer`); the static site as text.
    export: /** @type {Route<{ viewer?: string }, { ok: true, json: string } | { ok: true, transfer: number } | Failure, 'pages', 'answers'>} */ ({
      from: 'pages',
      engine: 'answers',
    }),
    mark: /** @type {Route<{ viewer: string, account: string, brand?: boolean, allowlisted?: boolean, atMs?: number },
    DoneReply, 'pages', 'changes'>} */ ({ from: 'pages', engine: 'changes' }),
    'mark-event': /** @type {Route<{ viewer: string, from: string, to: string, by: string }, DoneReply, 'pages', 'changes'>} */ ({
      from: 'pages',
      engine: 'changes',
    }),
    forget: /** @type {Route<{ viewer: string, account: string }, DoneReply, 'pages', 'changes'>} */ ({ from: 'pages', engine: 'changes' }),
    // The file itself (static site), a transfer's key (extension), or its text.
    'import-json': /** @type {Route<{ json?: string, file?: Blob, transfer?: number }, DoneReply, 'pages', 'changes'>} */ ({
      from: 'pages',
      engine: 'changes',
    }),
    // One page of an archive as the reader wrote it: its place, and its JSON; on
    // Bluesky (`network: 'bsky'`), a repository export whole, as one page.
    'archive-page':
      /** @type {Route<{ viewer: string, at: string, list: wasm_bindgen.ListKind, part: number, last: boolean, page: string, archive?: ArchiveRecord, network?: 'x' | 'bsky' },
    IngestReply, 'pages', null>} */ ({ from: 'pages', engine: null }),
    archives: /** @type {Route<{}, { ok: true, archives: ArchiveRecord[] } | Failure, 'pages', null>} */ ({ from: 'pages', engine: null }),
    'remove-archive': /** @type {Route<{ key: string }, DoneReply, 'pages', null>} */ ({ from: 'pages', engine: null }),
    'forget-all': /** @type {Route<{}, DoneReply, 'pages', null>} */ ({ from: 'pages', engine: null }),
    status: /** @type {Route<{}, StatusReply | Failure, 'pages', null>} */ ({ from: 'pages', engine: null }),
    loading: /** @type {Route<{}, { ok: true, whole: boolean, loaded: number, total: number } | Failure, 'pages', null>} */ ({ from: 'pages', engine: null }),
    'set-paused': /** @type {Route<{ paused: boolean }, { ok: true, paused: boolean } | Failure, 'pages', null>} */ ({ from: 'pages', engine: null }),
    'set-record-private': /** @type {Route<{ on: boolean }, { ok: true, recordPrivate: boolean } | Failure, 'pages', null>} */ ({
      from: 'pages',
      engine: null,
    }),
    'export-raw': /** @type {Route<{}, { ok: true, raw: object } | Failure, 'pages', null>} */ ({ from: 'pages', engine: null }),
    'export-failures': /** @type {Route<{}, { ok: true, failures: FailedCapture[] } | Failure, 'pages', null>} */ ({ from: 'pages', engine: null }),
    'clear-failures': /** @type {Route<{}, DoneReply, 'pages', null>} */ ({ from: 'pages', engine: null }),
    // The popup asks an x.com tab whose account it shows.
    who: /** @type {Route<{}, { viewer: string | null, ambiguous: boolean }, 'pages', null>} */ ({ from: 'pages', engine: null }),
    'ledger-changed': /** @type {Route<{ changed: string[], handles: string[], refresh_all: boolean }, void, 'worker', null>} */ ({
      from: 'worker',
      engine: null,
    }),
  });

  /** `SET_PAUSED` for 'set-paused'. @param {string} name */
  const constantOf = (name) => name.toUpperCase().replaceAll('-', '_');

  return Object.freeze({
    MESSAGES,
    msg: /** @type {{ readonly [K in keyof typeof MESSAGES as ConstantOf<K>]: K }} */ (
      Object.freeze(Object.fromEntries(Object.keys(MESSAGES).map((name) => [constantOf(name), name])))
    ),
    keys: Object.freeze({
      PAUSED: 'reciprocity.paused',
      RECORD_PRIVATE: 'reciprocity.recordPrivate',
      REFUSED: 'reciprocity.refused',
      BADGES: 'reciprocity.badges',
      WELCOMED: 'reciprocity.welcomed',
    }),
    // Which badges each place shows: `all`, `notable` (what says something: follows
    // you, mutual, unfollowed you, flushes, churn, gone, blocked you) or `none`.
    BADGE_DEFAULTS: Object.freeze({ profileHeader: 'all', hoverCard: 'all', userCell: 'notable', tweet: 'notable' }),
    HOOK_SOURCE: 'reciprocity-hook',
    // The extension's pages the worker opens.
    PAGES: Object.freeze({ WELCOME: 'welcome/welcome.html', PRIVACY: 'privacy/{lang}.html' }),
    // How a badge looks, on x.com and on the first-run page: each severity's colour
    // for X's light theme and for its dim and dark ones (the darker variants keep
    // the text readable on white); each verdict's icon.
    BADGE_LOOK: Object.freeze({
      COLOUR: Object.freeze({
        alert: Object.freeze({ light: '#c4111d', dark: '#f4212e' }),
        warning: Object.freeze({ light: '#a64b00', dark: '#ff9f40' }),
        good: Object.freeze({ light: '#00704a', dark: '#00ba7c' }),
        neutral: Object.freeze({ light: '#536471', dark: '#8b98a5' }),
      }),
      ICON: Object.freeze({
        unfollowed_you: '⚠',
        flushes_others: '↺',
        follow_churn: '↺',
        mutual: '⇄',
        follows_you: '✓',
        not_following_back: '✗',
        no_relation: '–',
        unknown: '?',
        gone: '⦸',
      }),
    }),
    // The sites Reciprocity reads (the manifest's host permissions).
    SITE_ORIGINS: Object.freeze(['https://x.com/*', 'https://twitter.com/*', 'https://bsky.app/*']),
    // What is kept of one capture at most, checked by the hook (its own copy: it
    // runs in the page's world), the content script and the worker.
    LIMITS: Object.freeze({ body: 16 * 1024 * 1024, requestBody: 64 * 1024, url: 16 * 1024 }),
    // Accounts per archive page sent to the engine: about 1.1 MB of JSON, far below
    // the 64 MiB a runtime message may carry.
    ARCHIVE_IDS_PER_PAGE: 50_000,
  });
})();
