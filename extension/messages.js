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
 * Every message one context sends another, by `type`.
 * @typedef {{ type: 'capture', meta: CaptureMeta, body: string, oversize?: boolean }} CaptureMessage
 * @typedef {{ type: 'annotate', viewer: string, accounts: string[], lang?: string }} AnnotateMessage
 * @typedef {{ type: 'summary', viewer: string, lang?: string, transfer?: boolean, limit?: number }} SummaryMessage
 * @typedef {{ type: 'timeline', viewer: string, account: string, lang?: string }} TimelineMessage
 * @typedef {{ type: 'status' }} StatusMessage
 * @typedef {{ type: 'set-paused', paused: boolean }} SetPausedMessage
 * @typedef {{ type: 'export', viewer?: string }} ExportMessage
 * @typedef {{ type: 'viewers', lang?: string }} ViewersMessage
 * @typedef {{ type: 'viewer-series', viewer: string }} ViewerSeriesMessage
 * @typedef {{ type: 'archive-page', viewer: string, at: string, page: wasm_bindgen.ArchivePage,
 *   archive?: ArchiveRecord }} ArchivePageMessage
 * @typedef {{ type: 'archives' }} ArchivesMessage
 * @typedef {{ type: 'remove-archive', key: string }} RemoveArchiveMessage
 * @typedef {{ type: 'export-raw' }} ExportRawMessage
 * @typedef {{ type: 'clear-failures' }} ClearFailuresMessage
 * @typedef {{ type: 'forget', viewer: string, account: string }} ForgetMessage
 * @typedef {{ type: 'mark-event', viewer: string, from: string, to: string, by: string }} MarkEventMessage
 * @typedef {{ type: 'forget-all' }} ForgetAllMessage
 * @typedef {{ type: 'set-record-private', on: boolean }} SetRecordPrivateMessage
 * @typedef {{ type: 'export-failures' }} ExportFailuresMessage
 * @typedef {{ type: 'import-json', json?: string, transfer?: number }} ImportJsonMessage
 * @typedef {{ type: 'mark', viewer: string, account: string, brand?: boolean, allowlisted?: boolean }} MarkMessage
 * @typedef {{ type: 'ledger-changed', changed: string[], handles: string[], refresh_all: boolean }} LedgerChangedMessage
 * @typedef {{ type: 'who' }} WhoMessage
 * @typedef {{ type: 'legend', lang?: string }} LegendMessage
 * @typedef {{ type: 'loading' }} LoadingMessage
 * @typedef {CaptureMessage | AnnotateMessage | SummaryMessage | TimelineMessage | StatusMessage
 *   | SetPausedMessage | ExportMessage | ExportRawMessage | ExportFailuresMessage | ClearFailuresMessage
 *   | ImportJsonMessage | MarkMessage | MarkEventMessage | ForgetMessage | ForgetAllMessage | SetRecordPrivateMessage
 *   | LedgerChangedMessage | WhoMessage | ViewersMessage | ViewerSeriesMessage | ArchivePageMessage
 *   | ArchivesMessage | RemoveArchiveMessage | LegendMessage | LoadingMessage} Message
 */

/**
 * A failure, as every reply says it: the engine's error codes, and the worker's own.
 * @typedef {{ ok: false, code: wasm_bindgen.ErrorCode | 'paused' | 'signed_out' | 'cannot_save'
 *   | 'too_large' | 'rate_limited' | 'private_window' | 'not_allowed' | 'trapped' | 'quarantined'
 *   | 'unknown_message', error: string }} Failure
 * @typedef {{ ok: true, result: wasm_bindgen.Ingested } | Failure} CaptureReply
 * @typedef {{ ok: true, badges: (wasm_bindgen.Badge | null)[] } | Failure} AnnotateReply
 * @typedef {{ ok: true, summary: wasm_bindgen.Summary } | Failure} SummaryReply
 *   (asked with `transfer: true`, the summary is in IndexedDB: `{ ok: true, transfer }`)
 * @typedef {{ ok: true, timeline: wasm_bindgen.Timeline } | Failure} TimelineReply
 * @typedef {{ ok: true, viewers: { id: string, handle: string | null }[], problem?: string } | Failure} ViewersReply
 * @typedef {{ ok: true, series: wasm_bindgen.SeriesPoint[] } | Failure} ViewerSeriesReply
 * @typedef {{ ok: true, result: wasm_bindgen.Ingested } | Failure} ArchivePageReply
 * @typedef {{ ok: true, json?: string, transfer?: number } | Failure} ExportReply
 * @typedef {{ ok: true, archives: ArchiveRecord[] } | Failure} ArchivesReply
 * @typedef {{ ok: true } | Failure} DoneReply
 * @typedef {{ ok: true, legend: wasm_bindgen.LegendEntry[] } | Failure} LegendReply
 * @typedef {{ ok: true, whole: boolean, loaded: number, total: number } | Failure} LoadingReply
 * @typedef {{ ok: true, paused: boolean, recordPrivate: boolean, readyMs: number | null, startedAt: number,
 *   viewers: string[], failures: number, setAside: number, lastFailure: string | null,
 *   refused: { tooLarge: number, rateLimited: number }, storeProblem: string | null,
 *   storeProblemKind: 'corrupt' | 'cannot_save' | 'engine_failed' | null, keptAside: number,
 *   trimmed: number, completeMs: number | null, lostParts: { parts: number, accounts: number, edges: number },
 *   lastSave: { parts: number, bytes: number } }} StatusReply
 */

(function (global) {
  global.Reciprocity = Object.freeze({
    msg: Object.freeze({
      CAPTURE: /** @type {'capture'} */ ('capture'),
      ANNOTATE: /** @type {'annotate'} */ ('annotate'),
      SUMMARY: /** @type {'summary'} */ ('summary'),
      TIMELINE: /** @type {'timeline'} */ ('timeline'),
      STATUS: /** @type {'status'} */ ('status'),
      SET_PAUSED: /** @type {'set-paused'} */ ('set-paused'),
      EXPORT: /** @type {'export'} */ ('export'),
      EXPORT_RAW: /** @type {'export-raw'} */ ('export-raw'),
      CLEAR_FAILURES: /** @type {'clear-failures'} */ ('clear-failures'),
      FORGET: /** @type {'forget'} */ ('forget'),
      MARK_EVENT: /** @type {'mark-event'} */ ('mark-event'),
      FORGET_ALL: /** @type {'forget-all'} */ ('forget-all'),
      SET_RECORD_PRIVATE: /** @type {'set-record-private'} */ ('set-record-private'),
      EXPORT_FAILURES: /** @type {'export-failures'} */ ('export-failures'),
      IMPORT_JSON: /** @type {'import-json'} */ ('import-json'),
      MARK: /** @type {'mark'} */ ('mark'),
      LEDGER_CHANGED: /** @type {'ledger-changed'} */ ('ledger-changed'),
      WHO: /** @type {'who'} */ ('who'),
      VIEWERS: /** @type {'viewers'} */ ('viewers'),
      VIEWER_SERIES: /** @type {'viewer-series'} */ ('viewer-series'),
      ARCHIVE_PAGE: /** @type {'archive-page'} */ ('archive-page'),
      ARCHIVES: /** @type {'archives'} */ ('archives'),
      REMOVE_ARCHIVE: /** @type {'remove-archive'} */ ('remove-archive'),
      LEGEND: /** @type {'legend'} */ ('legend'),
      LOADING: /** @type {'loading'} */ ('loading'),
    }),
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
        unfollowed_you: '⚠', flushes_others: '↺', follow_churn: '↺', mutual: '⇄', follows_you: '✓',
        not_following_back: '✗', no_relation: '–', unknown: '?', gone: '⦸',
      }),
    }),
    // The sites Reciprocity reads (the manifest's host permissions).
    X_ORIGINS: Object.freeze(['https://x.com/*', 'https://twitter.com/*']),
    // What is kept of one capture at most, checked by the hook (its own copy: it
    // runs in the page's world), the content script and the worker.
    LIMITS: Object.freeze({ body: 16 * 1024 * 1024, requestBody: 64 * 1024, url: 16 * 1024 }),
    // Accounts per archive page sent to the engine: about 1.1 MB of JSON, far below
    // the 64 MiB a runtime message may carry.
    ARCHIVE_IDS_PER_PAGE: 50_000,
  });
})(globalThis);
