/* Message names and storage keys: one list, shared by the worker, the content
 * script, the popup and the dashboard (a classic script, so that every context can
 * load it). */
(function (global) {
  global.Reciprocity = Object.freeze({
    msg: Object.freeze({
      CAPTURE: 'capture',
      ANNOTATE: 'annotate',
      SUMMARY: 'summary',
      TIMELINE: 'timeline',
      STATUS: 'status',
      SET_PAUSED: 'set-paused',
      EXPORT: 'export',
      EXPORT_FAILURES: 'export-failures',
      IMPORT_JSON: 'import-json',
      MARK: 'mark',
      LEDGER_CHANGED: 'ledger-changed',
      WHO: 'who',
    }),
    keys: Object.freeze({
      PAUSED: 'reciprocity.paused',
    }),
    HOOK_SOURCE: 'reciprocity-hook',
  });
})(globalThis);
