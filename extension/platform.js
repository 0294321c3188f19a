// @ts-check
/* The platform layer: the one place that knows how Chrome and Firefox differ, and
 * the small rules every context shares. A classic script (the worker, the content
 * script, the popup and the dashboard all load it); it defines
 * `globalThis.ReciprocityPlatform`. */
var ReciprocityPlatform = (() => {
  const g = /** @type {{ browser?: typeof chrome, chrome?: typeof chrome }} */ (/** @type {unknown} */ (globalThis));
  /** The extension API: Firefox's promise-based `browser`, else Chrome's `chrome`
   * (promise-based too in MV3). Null on a page that is not the extension's.
   * @type {typeof chrome | null} */
  const api = g.browser?.runtime?.id ? g.browser : g.chrome?.runtime?.id ? g.chrome : null;

  /** The browser's UI language tag ("en-US", "fr"), which the engine phrases in. */
  function uiLanguage() {
    try {
      return api?.i18n.getUILanguage() || navigator.language || 'en';
    } catch (_) {
      return navigator.language || 'en';
    }
  }

  /** A localized string from `_locales`, or the key itself when there is none.
   * @param {string} key */
  function t(key) {
    try {
      return api?.i18n.getMessage(key) || key;
    } catch (_) {
      return key;
    }
  }

  /** Saves text as a file through an anchor: no `downloads` permission needed.
   * @param {string} name @param {string} text @param {string} [type] */
  function download(name, text, type = 'application/json') {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  // First path segments that are X's own pages, never a handle.
  const RESERVED = new Set([
    'home',
    'explore',
    'notifications',
    'messages',
    'i',
    'settings',
    'search',
    'compose',
    'login',
    'logout',
    'signup',
    'tos',
    'privacy',
    'jobs',
    'communities',
    'lists',
    'bookmarks',
    'premium',
    'verified-choose',
    'account',
    'hashtag',
    'intent',
    'share',
    'grok',
  ]);
  const HANDLE = /^[A-Za-z0-9_]{1,15}$/;

  /** The handle a profile URL is about (`/XDevelopers`, `/XDevelopers/followers`),
   * or null for X's own pages and other sites.
   * @param {string} href @param {string} [base]
   * @param {{ profileOnly?: boolean }} [opts] profileOnly: the path is the profile itself */
  function handleFromUrl(href, base, opts = {}) {
    try {
      const u = new URL(href, base);
      if (!/^(?:[a-z0-9-]+\.)?(?:x|twitter)\.com$/.test(u.hostname)) return null;
      const parts = u.pathname.split('/').filter(Boolean);
      if (!parts.length || (opts.profileOnly && parts.length !== 1)) return null;
      const first = parts[0];
      return HANDLE.test(first) && !RESERVED.has(first.toLowerCase()) ? first : null;
    } catch (_) {
      return null;
    }
  }

  // A Bluesky account's DID (did:plc or did:web) and handle (a domain name).
  const DID = /^did:(?:plc:[a-z2-7]{24}|web:[A-Za-z0-9.-]{1,253})$/;
  const BSKY_HANDLE = /^(?=.{3,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
  /** @param {string} s */
  const isDid = (s) => DID.test(s);

  /** The account a page's URL is about, as the engine is asked: `@handle` for an
   * x.com profile (and its lists), `@handle` or the DID for a bsky.app
   * `/profile/<name>[/…]`; null for anything else.
   * @param {string} href */
  function accountFromUrl(href) {
    const x = handleFromUrl(href);
    if (x) return `@${x.toLowerCase()}`;
    try {
      const u = new URL(href);
      const m = u.hostname === 'bsky.app' ? /^\/profile\/([^/]+)(?:\/|$)/.exec(u.pathname) : null;
      if (!m) return null;
      const name = decodeURIComponent(m[1]);
      if (isDid(name)) return name;
      return BSKY_HANDLE.test(name) ? `@${name.toLowerCase()}` : null;
    } catch (_) {
      return null;
    }
  }

  /** What went wrong, in words: an `Error`'s or the engine's `EngineError`'s
   * message, or the value itself.
   * @param {unknown} e */
  function errorMessage(e) {
    const m = e && typeof e === 'object' && 'message' in e ? e.message : e;
    return String(m);
  }

  /** A message to the extension's worker, and its reply, typed by the message's
   * `type` (the table in messages.js).
   * @template {Message} M @param {M} message @returns {Promise<ReplyTo<M['type']>>} */
  function send(message) {
    if (!api) return Promise.reject(new Error('not a page of the extension'));
    return api.runtime.sendMessage(message);
  }

  /** IndexedDB as promises: the one helper the worker's store, the dashboard's
   * engine worker and the transfers share. */
  const idb = Object.freeze({
    /** @template T @param {IDBRequest<T>} r @returns {Promise<T>} */
    request: (r) =>
      new Promise((resolve, reject) => {
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      }),
    /** A transaction's end. @param {IDBTransaction} tx @returns {Promise<void>} */
    done: (tx) =>
      new Promise((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error || new Error('transaction aborted'));
      }),
    /** A database, opened once per context: `upgrade` makes its stores.
     * @param {string} name @param {number} version
     * @param {(db: IDBDatabase, oldVersion: number) => void} upgrade
     * @returns {() => Promise<IDBDatabase>} */
    opener: (name, version, upgrade) => {
      /** @type {Promise<IDBDatabase> | null} */
      let db = null;
      return () => {
        if (!db) {
          const r = indexedDB.open(name, version);
          r.onupgradeneeded = (event) => upgrade(r.result, event.oldVersion);
          db = idb.request(r);
        }
        return db;
      };
    },
  });

  /** Hands a large value (an export, a file, a summary) between the extension's pages and its
   * worker through IndexedDB, which they share: runtime messages stop at 64 MiB.
   * Each value is taken once. */
  const transfer = (() => {
    const open = idb.opener('reciprocity-transfers', 1, (db) => db.createObjectStore('transfers', { autoIncrement: true }));
    /** @template T @param {'readonly' | 'readwrite'} mode @param {(s: IDBObjectStore) => IDBRequest<T>} f @returns {Promise<T>} */
    const run = async (mode, f) => {
      const tx = (await open()).transaction('transfers', mode);
      const r = f(tx.objectStore('transfers'));
      await idb.done(tx);
      return r.result;
    };
    return Object.freeze({
      /** @param {Blob | string | object} value @returns {Promise<number>} */
      put: async (value) => Number(await run('readwrite', (s) => s.add(value))),
      /** @param {number} key @returns {Promise<unknown>} */
      take: async (key) => {
        const value = await run('readonly', (s) => s.get(key));
        await run('readwrite', (s) => s.delete(key));
        return value;
      },
    });
  })();

  return Object.freeze({ api, uiLanguage, t, download, handleFromUrl, accountFromUrl, isDid, errorMessage, send, idb, transfer });
})();
