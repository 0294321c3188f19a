// @ts-check
/* The dashboard's engine: as the extension's options page, its worker (as the
 * popup asks it: one engine per store); as a static site, its own engine in a
 * dedicated Worker (engine-worker.js, with its own IndexedDB store). */

/** The extension's API when this is its options page; null on the static site. */
export const ext = ReciprocityPlatform.api;

/** Asks the engine; the reply is typed by the message's `type`.
 * @type {<M extends Message>(message: M) => Promise<ReplyTo<M['type']>>} */
export const ask = ext ? ReciprocityPlatform.send : siteEngine();

/** The static site's engine worker, restarted if it stops (it replays its store).
 * @returns {<M extends Message>(message: M) => Promise<ReplyTo<M['type']>>} */
function siteEngine() {
  /** @type {Worker | null} */
  let worker = null;
  let next = 0;
  /** @type {Map<number, (reply: never) => void>} */
  const waiting = new Map();
  const start = () => {
    const w = new Worker('engine-worker.js');
    w.onmessage = (/** @type {MessageEvent<{ id: number, reply: never }>} */ e) => {
      waiting.get(e.data.id)?.(e.data.reply);
      waiting.delete(e.data.id);
      const reply = /** @type {{ code?: unknown } | null} */ (e.data.reply);
      if (reply && reply.code === 'trapped') worker = null;
    };
    w.onerror = () => {
      worker = null;
      /** @type {Failure} */
      const stopped = { ok: false, code: 'trapped', error: 'the engine stopped' };
      for (const resolve of waiting.values()) resolve(/** @type {never} */ (stopped));
      waiting.clear();
    };
    return w;
  };
  return (message) =>
    new Promise((resolve) => {
      worker ??= start();
      const id = next++;
      waiting.set(id, resolve);
      worker.postMessage({ id, message });
    });
}

/** An answer, or the error it carries.
 * @template {{ ok: boolean }} R @param {R | Failure | null | undefined} reply
 * @returns {Exclude<R, Failure>} */
export const ok = (reply) => {
  if (!reply) throw new Error('no answer from the engine');
  if ('error' in reply && reply.ok === false) throw new Error(reply.error);
  return /** @type {Exclude<R, Failure>} */ (reply);
};
