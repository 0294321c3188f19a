// @ts-check
/* The worker's persistence, on IndexedDB: the engine's store in parts (an index
 * and a record per part, see the core's `store::parts`) and a journal of the
 * captures acknowledged since. A capture is acknowledged only once it is in the
 * journal, so a worker stopped at any moment loses nothing; on start the index is
 * read, the parts loaded (those a badge needs first), and the journal replayed
 * (ingesting twice is harmless: the ledger does not depend on order or
 * repetition). Compaction writes the parts that changed and the index, and drops
 * the journal entries it covers, in one transaction. A part that cannot be read
 * is moved aside alone; a store saved whole by an older version (`snapshot`) is
 * read once and replaced by parts in the first compaction.
 *
 * Quarantine: the entry being ingested is marked in `meta` first, a mark of its
 * own (`['in-progress', key]`), and the worker ingests one entry at a time. An
 * engine that dies inside an ingest (out of memory cannot be caught) leaves that
 * entry's mark alone, and the next start sets that entry aside instead of
 * replaying it forever; a capture journaled beside it replays. */
var ReciprocityStore = (() => {
  const DB = 'reciprocity';
  const SNAPSHOT = 'snapshot';
  const JOURNAL = 'journal';
  const ASIDE = 'aside';
  const FAILED = 'failed';
  const META = 'meta';
  const PARTS = 'parts';
  const INDEX = 'index';
  const IN_PROGRESS = 'in-progress';
  /** @param {IDBValidKey} key */
  const markOf = (key) => [IN_PROGRESS, key];
  // Every entry's mark, and the single mark of stores before marks were per entry.
  const ALL_MARKS = IDBKeyRange.bound([IN_PROGRESS], [IN_PROGRESS, []]);
  const MAX_FAILED = 50;
  const FAILED_KEPT_MS = 7 * 24 * 3600 * 1000;

  const { request, done } = ReciprocityPlatform.idb;
  const open = ReciprocityPlatform.idb.opener(DB, 3, (db, oldVersion) => {
    if (oldVersion < 1) {
      db.createObjectStore(SNAPSHOT);
      db.createObjectStore(JOURNAL, { autoIncrement: true });
      db.createObjectStore(ASIDE, { autoIncrement: true });
      db.createObjectStore(FAILED, { autoIncrement: true });
    }
    if (oldVersion < 2) db.createObjectStore(META);
    if (oldVersion < 3) db.createObjectStore(PARTS);
  });

  /** The index of the parts (or an older version's whole snapshot), the
   * journal, and the entries an engine died on (if any). */
  async function load() {
    const db = await open();
    const tx = db.transaction([SNAPSHOT, JOURNAL, META], 'readonly');
    // Asked together: each answer waited for would be a round trip to the
    // browser before the first badge.
    const [snapshot, index, keys, entries, marked, legacy] = await Promise.all([
      request(tx.objectStore(SNAPSHOT).get('store')),
      request(tx.objectStore(META).get(INDEX)),
      request(tx.objectStore(JOURNAL).getAllKeys()),
      request(tx.objectStore(JOURNAL).getAll()),
      request(tx.objectStore(META).getAll(ALL_MARKS)),
      request(tx.objectStore(META).get(IN_PROGRESS)),
    ]);
    return {
      snapshot: snapshot || null,
      index: index || null,
      journal: keys.map((k, i) => ({ key: k, text: String(entries[i]) })),
      inProgress: legacy == null ? marked : [...marked, legacy],
    };
  }

  /** Journals a capture (acknowledged from here on).
   * @param {string} text */
  async function append(text) {
    const db = await open();
    const tx = db.transaction([JOURNAL], 'readwrite');
    const key = await request(tx.objectStore(JOURNAL).add(text));
    await done(tx);
    return key;
  }

  /** Marks a journaled capture as being ingested, just before it is.
   * @param {IDBValidKey} key */
  async function markInProgress(key) {
    const db = await open();
    const tx = db.transaction(META, 'readwrite');
    tx.objectStore(META).put(key, markOf(key));
    await done(tx);
  }

  /** The ingest of `key` finished, one way or the other.
   * @param {IDBValidKey} key */
  async function clearInProgress(key) {
    const db = await open();
    const tx = db.transaction(META, 'readwrite');
    tx.objectStore(META).delete(markOf(key));
    tx.objectStore(META).delete(IN_PROGRESS);
    await done(tx);
  }

  /** Takes a capture out of the journal and keeps what may be kept of it as a
   * failure, in one transaction: it is never replayed.
   * @param {IDBValidKey} key @param {FailedCapture} failure */
  async function setAside(key, failure) {
    const db = await open();
    const tx = db.transaction([JOURNAL, FAILED, META], 'readwrite');
    tx.objectStore(JOURNAL).delete(key);
    tx.objectStore(META).delete(markOf(key));
    tx.objectStore(META).delete(IN_PROGRESS);
    tx.objectStore(FAILED).add(failure);
    await done(tx);
    await trimFailures(Date.parse(failure.at) || Date.now());
  }

  /** Parts by name, as stored (`bytes` null for one the store lacks).
   * @param {string[]} names @returns {Promise<{ name: string, bytes: ArrayBuffer | Uint8Array | null }[]>} */
  async function parts(names) {
    const db = await open();
    return partsIn(db.transaction(PARTS, 'readonly').objectStore(PARTS), names);
  }

  /** Asks for parts by name in `store`'s transaction, all at once (it throws
   * there and then when that transaction has finished).
   * @param {IDBObjectStore} store @param {string[]} names */
  function partsIn(store, names) {
    const gets = names.map((name) => store.get(name));
    return Promise.all(gets.map(async (get, i) => ({ name: names[i], bytes: /** @type {ArrayBuffer | Uint8Array | null} */ ((await request(get)) || null) })));
  }

  /** A reader of parts for one badge's rounds: each round is asked in the
   * transaction of the round before while that is still open (the account a
   * handle's part names costs no new transaction), in a new one after.
   * @returns {(names: string[]) => Promise<{ name: string, bytes: ArrayBuffer | Uint8Array | null }[]>} */
  function partsReader() {
    /** @type {IDBObjectStore | null} */
    let store = null;
    return async (names) => {
      const db = await open();
      if (store) {
        try {
          return partsIn(store, names);
        } catch (_) {
          // That transaction has finished (TransactionInactiveError).
        }
      }
      store = db.transaction(PARTS, 'readonly').objectStore(PARTS);
      return partsIn(store, names);
    };
  }

  /** Every part's name (when the index itself is lost). @returns {Promise<string[]>} */
  async function partNames() {
    const db = await open();
    return /** @type {Promise<string[]>} */ (request(db.transaction(PARTS, 'readonly').objectStore(PARTS).getAllKeys()));
  }

  /** Writes what a save cut — the parts that changed, the index, the parts to
   * delete — and drops the journal it covers, in one transaction; an older
   * version's whole snapshot goes with it.
   * @param {SavedParts} saved
   * @param {IDBValidKey | null} upToKey */
  async function compact(saved, upToKey) {
    const db = await open();
    const tx = db.transaction([PARTS, META, JOURNAL, SNAPSHOT], 'readwrite');
    const store = tx.objectStore(PARTS);
    for (const name of saved.removed) store.delete(name);
    for (const [name, bytes] of saved.parts) store.put(bytes, name);
    tx.objectStore(META).put(saved.index, INDEX);
    tx.objectStore(SNAPSHOT).delete('store');
    if (upToKey != null) tx.objectStore(JOURNAL).delete(IDBKeyRange.upperBound(upToKey));
    await done(tx);
  }

  /** Moves a record that cannot be read aside, with why, in one transaction:
   * kept for the raw export, never read again.
   * @param {string} from @param {IDBValidKey} key @param {ArrayBuffer | Uint8Array | null} bytes
   * @param {string} reason @param {string | null} part */
  async function moveAside(from, key, bytes, reason, part) {
    const db = await open();
    const tx = db.transaction([from, ASIDE], 'readwrite');
    tx.objectStore(ASIDE).add({ part, bytes, reason, at: new Date(Date.now()).toISOString() });
    tx.objectStore(from).delete(key);
    await done(tx);
  }
  /** A part, alone. @param {string} name @param {ArrayBuffer | Uint8Array | null} bytes @param {string} reason */
  const keepPartAside = (name, bytes, reason) => moveAside(PARTS, name, bytes, reason, name);
  /** The index; the parts stay (each says what it is).
   * @param {ArrayBuffer | Uint8Array} bytes @param {string} reason */
  const keepIndexAside = (bytes, reason) => moveAside(META, INDEX, bytes, reason, INDEX);
  /** An older version's whole snapshot. @param {ArrayBuffer | Uint8Array} bytes @param {string} reason */
  const keepAside = (bytes, reason) => moveAside(SNAPSHOT, 'store', bytes, reason, null);

  async function asideCount() {
    const db = await open();
    return request(db.transaction(ASIDE, 'readonly').objectStore(ASIDE).count());
  }

  /** Failures are kept 7 days, 50 at most.
   * @param {number} nowMs */
  async function trimFailures(nowMs) {
    const db = await open();
    const tx = db.transaction(FAILED, 'readwrite');
    const store = tx.objectStore(FAILED);
    const keys = await request(store.getAllKeys());
    const items = /** @type {FailedCapture[]} */ (await request(store.getAll()));
    keys.forEach((k, i) => {
      const at = Date.parse(items[i].at);
      if (i < keys.length - MAX_FAILED || !(at > nowMs - FAILED_KEPT_MS)) store.delete(k);
    });
    await done(tx);
  }

  /** @param {number} nowMs @returns {Promise<FailedCapture[]>} */
  async function failures(nowMs) {
    await trimFailures(nowMs);
    const db = await open();
    return request(db.transaction(FAILED, 'readonly').objectStore(FAILED).getAll());
  }

  async function clearFailures() {
    const db = await open();
    const tx = db.transaction(FAILED, 'readwrite');
    tx.objectStore(FAILED).clear();
    await done(tx);
  }

  /** Everything, as stored, for a bug report when the engine cannot start: the
   * snapshot's bytes (base64) and the journal's captures. Needs no engine. */
  async function rawExport() {
    const db = await open();
    const tx = db.transaction([SNAPSHOT, JOURNAL, ASIDE, PARTS, META], 'readonly');
    const snapshot = await request(tx.objectStore(SNAPSHOT).get('store'));
    const journal = await request(tx.objectStore(JOURNAL).getAll());
    const aside = await request(tx.objectStore(ASIDE).getAll());
    const index = await request(tx.objectStore(META).get(INDEX));
    const names = await request(tx.objectStore(PARTS).getAllKeys());
    const stored = await request(tx.objectStore(PARTS).getAll());
    /** @param {ArrayBuffer | Uint8Array | null | undefined} b */
    const base64 = (b) => {
      if (!b) return null;
      const bytes = new Uint8Array(b);
      let s = '';
      for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(s);
    };
    return {
      format: 'reciprocity-raw-2',
      snapshot: base64(snapshot),
      index: base64(index),
      parts: names.map((name, i) => ({ name: String(name), bytes: base64(stored[i]) })),
      journal,
      aside: aside.map((a) => ({ part: a.part ?? null, reason: a.reason, at: a.at, bytes: base64(a.bytes) })),
    };
  }

  /** Forgets everything: snapshot, journal, failures, what was set aside. */
  async function clearAll() {
    const db = await open();
    const tx = db.transaction([SNAPSHOT, JOURNAL, ASIDE, FAILED, META, PARTS], 'readwrite');
    for (const name of [SNAPSHOT, JOURNAL, ASIDE, FAILED, META, PARTS]) tx.objectStore(name).clear();
    await done(tx);
  }

  return {
    load,
    partsReader,
    append,
    markInProgress,
    clearInProgress,
    setAside,
    compact,
    keepAside,
    asideCount,
    parts,
    partNames,
    keepPartAside,
    keepIndexAside,
    failures,
    clearFailures,
    rawExport,
    clearAll,
  };
})();
