// @ts-check
/* The worker's persistence, on IndexedDB: a snapshot of the engine's store and a
 * journal of the captures acknowledged since. A capture is acknowledged only once
 * it is in the journal, so a worker stopped at any moment loses nothing; on start
 * the snapshot is loaded and the journal replayed (ingesting twice is harmless:
 * the ledger does not depend on order or repetition). Compaction writes the new
 * snapshot and drops the journal entries it covers in one transaction. A snapshot
 * that cannot be read is moved aside, never overwritten. */
(function (global) {
  const DB = 'reciprocity';
  const SNAPSHOT = 'snapshot';
  const JOURNAL = 'journal';
  const ASIDE = 'aside';
  const FAILED = 'failed';
  const MAX_FAILED = 50;

  /** @template T @param {IDBRequest<T>} r @returns {Promise<T>} */
  const request = (r) =>
    new Promise((resolve, reject) => {
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
  /** @param {IDBTransaction} tx @returns {Promise<void>} */
  const done = (tx) =>
    new Promise((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error || new Error('transaction aborted'));
    });

  /** @type {Promise<IDBDatabase> | null} */
  let dbPromise = null;
  function open() {
    if (!dbPromise) {
      const r = indexedDB.open(DB, 1);
      r.onupgradeneeded = () => {
        const db = r.result;
        db.createObjectStore(SNAPSHOT);
        db.createObjectStore(JOURNAL, { autoIncrement: true });
        db.createObjectStore(ASIDE, { autoIncrement: true });
        db.createObjectStore(FAILED, { autoIncrement: true });
      };
      dbPromise = request(r);
    }
    return dbPromise;
  }

  async function load() {
    const db = await open();
    const tx = db.transaction([SNAPSHOT, JOURNAL], 'readonly');
    const snapshot = await request(tx.objectStore(SNAPSHOT).get('store'));
    const keys = await request(tx.objectStore(JOURNAL).getAllKeys());
    const entries = await request(tx.objectStore(JOURNAL).getAll());
    return { snapshot: snapshot || null, journal: keys.map((k, i) => ({ key: k, text: String(entries[i]) })) };
  }

  /** @param {string} text */
  async function append(text) {
    const db = await open();
    const tx = db.transaction(JOURNAL, 'readwrite');
    const key = await request(tx.objectStore(JOURNAL).add(text));
    await done(tx);
    return key;
  }

  /** @param {Uint8Array} bytes @param {IDBValidKey | null} upToKey */
  async function compact(bytes, upToKey) {
    const db = await open();
    const tx = db.transaction([SNAPSHOT, JOURNAL], 'readwrite');
    tx.objectStore(SNAPSHOT).put(bytes, 'store');
    if (upToKey != null) tx.objectStore(JOURNAL).delete(IDBKeyRange.upperBound(upToKey));
    await done(tx);
  }

  /** @param {ArrayBuffer | Uint8Array} bytes @param {string} reason */
  async function keepAside(bytes, reason) {
    const db = await open();
    const tx = db.transaction([SNAPSHOT, ASIDE], 'readwrite');
    tx.objectStore(ASIDE).add({ bytes, reason, at: new Date().toISOString() });
    tx.objectStore(SNAPSHOT).delete('store');
    await done(tx);
  }

  async function asideCount() {
    const db = await open();
    return request(db.transaction(ASIDE, 'readonly').objectStore(ASIDE).count());
  }

  /** @param {FailedCapture} item */
  async function recordFailure(item) {
    const db = await open();
    const tx = db.transaction(FAILED, 'readwrite');
    const store = tx.objectStore(FAILED);
    store.add(item);
    const keys = await request(store.getAllKeys());
    if (keys.length > MAX_FAILED) store.delete(IDBKeyRange.upperBound(keys[keys.length - MAX_FAILED - 1]));
    await done(tx);
  }

  async function failures() {
    const db = await open();
    return request(db.transaction(FAILED, 'readonly').objectStore(FAILED).getAll());
  }

  global.ReciprocityStore = { load, append, compact, keepAside, asideCount, recordFailure, failures };
})(globalThis);
