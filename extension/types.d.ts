// The globals the extension's classic scripts define for one another, for
// `tsc --noEmit` (cargo xtask test). Not shipped: dist/ leaves this file out.

// `Reciprocity` (messages.js) is typed from its own text; from its table of
// messages come every message's type and its reply's.
type MessageTable = typeof Reciprocity.MESSAGES;
type MessageName = keyof MessageTable;
type RequestOf<K extends MessageName> = Exclude<MessageTable[K]['request'], undefined>;
/** The reply to a message of type `K`. */
type ReplyTo<K extends MessageName> = Exclude<MessageTable[K]['reply'], undefined>;
/** Every message one context sends another, by `type`. */
type Message = { [K in MessageName]: { type: K } & RequestOf<K> }[MessageName];
type MessageOf<K extends MessageName> = Extract<Message, { type: K }>;
/** The messages the engine service answers (www/engine-service.js). */
type EngineMessage = { [K in MessageName]: MessageTable[K]['engine'] extends null ? never : MessageOf<K> }[MessageName];
/** `SET_PAUSED` for `'set-paused'`: the constants' names. */
type ConstantOf<S extends string> = S extends `${infer A}-${infer B}` ? `${Uppercase<A>}_${ConstantOf<B>}` : Uppercase<S>;


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

/** A network's page, as the content script needs to know it (extension/content/
 * x.js, bsky.js): its one map of selectors, whose place each is, where a badge
 * goes, and who the signed-in viewer is. */
interface ReciprocitySite {
  network: 'x' | 'bsky';
  /** The signed-in account (an X id or a DID), read once per document; none when
   * signed out or unclear. */
  viewer: string | null;
  /** More than one signed-in account could be claimed: nothing is recorded. */
  ambiguousViewer: boolean;
  /** Where each place's badges go, by selector. */
  places: Partial<Record<keyof BadgeSettings, string>>;
  /** The places whose badge is its icon alone (lists, posts). */
  compact: (keyof BadgeSettings)[];
  /** Whose place this is, as the engine is asked (`@handle` in lower case, or a
   * DID), or null when it is no account's (or not yet). */
  accountOf(place: keyof BadgeSettings, el: Element): string | null;
  placeBadge(place: keyof BadgeSettings, el: Element, account: string, host: HTMLElement): void;
  /** Whether the network shows its own "Follows you" in this place. */
  showsFollowsYou(el: Element): boolean;
  /** Whether `id` is an account id of this network (an action's target). */
  isAccountId(id: string): boolean;
}
declare var ReciprocitySite: ReciprocitySite;
