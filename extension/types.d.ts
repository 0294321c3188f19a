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
    readonly EXPORT_FAILURES: 'export-failures';
    readonly IMPORT_JSON: 'import-json';
    readonly MARK: 'mark';
    readonly LEDGER_CHANGED: 'ledger-changed';
    readonly WHO: 'who';
  };
  readonly keys: { readonly PAUSED: string };
  readonly HOOK_SOURCE: string;
};

declare var ReciprocityPlatform: {
  readonly api: typeof chrome | null;
  uiLanguage(): string;
  t(key: string): string;
  download(name: string, text: string, type?: string): void;
  handleFromUrl(href: string, base?: string, opts?: { profileOnly?: boolean }): string | null;
  errorMessage(e: unknown): string;
};

/** One journaled capture: its key and the envelope's JSON text. */
interface JournalEntry {
  key: IDBValidKey;
  text: string;
}

/** A capture that could not be read, kept for a bug report. */
interface FailedCapture {
  at: string;
  url: string;
  code: string;
  error: string;
  envelope: string;
}

declare var ReciprocityStore: {
  load(): Promise<{ snapshot: ArrayBuffer | Uint8Array | null; journal: JournalEntry[] }>;
  append(text: string): Promise<IDBValidKey>;
  compact(bytes: Uint8Array, upToKey: IDBValidKey | null): Promise<void>;
  keepAside(bytes: ArrayBuffer | Uint8Array, reason: string): Promise<void>;
  asideCount(): Promise<number>;
  recordFailure(item: FailedCapture): Promise<void>;
  failures(): Promise<FailedCapture[]>;
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

/** A worker's way to load classic scripts (the MV3 background in Chrome). */
declare function importScripts(...urls: string[]): void;
