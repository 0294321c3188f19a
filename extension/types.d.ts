// The globals the extension's classic scripts define for one another, for
// `tsc --noEmit` (cargo xtask test). Not shipped: dist/ leaves this file out.

declare var Reciprocity: {
  readonly msg: {
    readonly CAPTURE: 'capture';
    readonly ANNOTATE: 'annotate';
    readonly SUMMARY: 'summary';
    readonly TIMELINE: 'timeline';
    readonly STATUS: 'status';
    readonly SET_PAUSED: 'set-paused';
    readonly EXPORT: 'export';
    readonly EXPORT_RAW: 'export-raw';
    readonly CLEAR_FAILURES: 'clear-failures';
    readonly FORGET: 'forget';
    readonly MARK_EVENT: 'mark-event';
    readonly FORGET_ALL: 'forget-all';
    readonly SET_RECORD_PRIVATE: 'set-record-private';
    readonly EXPORT_FAILURES: 'export-failures';
    readonly IMPORT_JSON: 'import-json';
    readonly MARK: 'mark';
    readonly LEDGER_CHANGED: 'ledger-changed';
    readonly WHO: 'who';
    readonly VIEWERS: 'viewers';
    readonly VIEWER_SERIES: 'viewer-series';
    readonly ARCHIVE_PAGE: 'archive-page';
    readonly ARCHIVES: 'archives';
    readonly REMOVE_ARCHIVE: 'remove-archive';
    readonly LEGEND: 'legend';
    readonly LOADING: 'loading';
  };
  readonly keys: { readonly PAUSED: string; readonly RECORD_PRIVATE: string; readonly REFUSED: string; readonly BADGES: string; readonly WELCOMED: string };
  readonly BADGE_DEFAULTS: BadgeSettings;
  readonly HOOK_SOURCE: string;
  readonly PAGES: { readonly WELCOME: string; readonly PRIVACY: string };
  readonly BADGE_LOOK: {
    readonly COLOUR: Readonly<Record<wasm_bindgen.Severity, { readonly light: string; readonly dark: string }>>;
    readonly ICON: Readonly<Record<wasm_bindgen.Code | 'gone', string>>;
  };
  readonly X_ORIGINS: readonly string[];
  readonly LIMITS: { readonly body: number; readonly requestBody: number; readonly url: number };
  readonly ARCHIVE_IDS_PER_PAGE: number;
};

declare var ReciprocityPlatform: {
  readonly api: typeof chrome | null;
  uiLanguage(): string;
  t(key: string): string;
  download(name: string, text: string, type?: string): void;
  handleFromUrl(href: string, base?: string, opts?: { profileOnly?: boolean }): string | null;
  errorMessage(e: unknown): string;
  readonly transfer: {
    put(value: Blob | string | object): Promise<number>;
    take(key: number): Promise<any>;
  };
};

/** An archive the dashboard imported (static site): when, whose, how many. */
interface ArchiveRecord {
  key: string;
  file: string;
  viewer: string;
  handle: string | null;
  at: string;
  on: string;
  followers: number;
  following: number;
  complete: boolean;
}

/** Which badges each place shows. */
type BadgeChoice = 'all' | 'notable' | 'none';
interface BadgeSettings {
  profileHeader: BadgeChoice;
  hoverCard: BadgeChoice;
  userCell: BadgeChoice;
  tweet: BadgeChoice;
}

/** One journaled capture: its key and the envelope's JSON text. */
interface JournalEntry {
  key: IDBValidKey;
  text: string;
}

/** What is kept of a capture that could not be read: never its body or its
 * strings, only the JSON's shape; 7 days at most. */
interface FailedCapture {
  at: string;
  operation: string;
  code: string;
  error: string;
  shape: string;
}

/** What a save in parts writes (`Engine.save_parts`). */
interface SavedParts {
  index: Uint8Array;
  parts: [string, Uint8Array][];
  removed: string[];
  bytes: number;
}

declare var ReciprocityStore: {
  load(): Promise<{ snapshot: ArrayBuffer | Uint8Array | null; index: ArrayBuffer | Uint8Array | null; journal: JournalEntry[]; inProgress: IDBValidKey[] }>;
  append(text: string): Promise<IDBValidKey>;
  markInProgress(key: IDBValidKey): Promise<void>;
  clearInProgress(key: IDBValidKey): Promise<void>;
  setAside(key: IDBValidKey, failure: FailedCapture): Promise<void>;
  compact(saved: SavedParts, upToKey: IDBValidKey | null): Promise<void>;
  keepAside(bytes: ArrayBuffer | Uint8Array, reason: string): Promise<void>;
  parts(names: string[]): Promise<{ name: string; bytes: ArrayBuffer | Uint8Array | null }[]>;
  partNames(): Promise<string[]>;
  keepPartAside(name: string, bytes: ArrayBuffer | Uint8Array | null, reason: string): Promise<void>;
  keepIndexAside(bytes: ArrayBuffer | Uint8Array, reason: string): Promise<void>;
  asideCount(): Promise<number>;
  failures(nowMs: number): Promise<FailedCapture[]>;
  clearFailures(): Promise<void>;
  rawExport(): Promise<object>;
  clearAll(): Promise<void>;
};

/** The dashboard's words (www/i18n.js). */
declare var I18n: {
  readonly lang: 'en' | 'fr';
  t(key: string, vars?: Record<string, string | number>): string;
  apply(root?: ParentNode): void;
};

/** uPlot (vendored under www/vendor), as far as the dashboard uses it. */
declare var uPlot: {
  new (opts: object, data: unknown[], target: HTMLElement): unknown;
  paths: { bars(opts: object): unknown };
};

/** A fresh, uninitialised instance of the engine's glue (see xtask's
 * `wrap_glue_in_factory`): the way back from a wasm trap. */
declare function reciprocityEngineModule(): typeof wasm_bindgen;

/** A worker's way to load classic scripts (the MV3 background in Chrome). */
declare function importScripts(...urls: string[]): void;
