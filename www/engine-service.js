// @ts-check
/* The engine's service: the messages both engine hosts answer alike — the
 * extension's worker and the static site's worker. A host keeps what only it
 * keeps (the journal and the parts, or the imported archives) and hands every
 * other question and action here; after an action (`changes`), it persists.
 * Also the one way to tell the engine's refusal (an `EngineError`, with a string
 * code) from a trap (anything else: the instance is no longer trusted). */
var ReciprocityEngineService = (() => {
  const { msg } = Reciprocity;
  const { errorMessage } = ReciprocityPlatform;

  /** The engine's own refusal, not a trap. @param {unknown} e
   * @returns {e is wasm_bindgen.EngineError} */
  const isEngineError = (e) => !!e && typeof e === 'object' && 'code' in e && typeof e.code === 'string';

  /** A trap: a RuntimeError, memory that cannot grow, the glue's borrow flags
   * left set — whatever the engine throws that is not an EngineError.
   * @param {unknown} e */
  const isTrap = (e) => !isEngineError(e);

  /** Any failure as data: its code ('internal' for a trap) and its words.
   * @param {unknown} e @returns {{ code: string, error: string }} */
  const failure = (e) => ({ code: isEngineError(e) ? e.code : 'internal', error: errorMessage(e) });

  /** The messages answered here, and those among them that change the ledger. */
  // Read from the table of messages (messages.js): `answers` or `changes`.
  /** @param {'answers' | 'changes'} kind */
  const named = (kind) => new Set(Object.entries(Reciprocity.MESSAGES).flatMap(([name, route]) => (route.engine === kind ? [name] : [])));
  const QUESTIONS = named('answers');
  const ACTIONS = named('changes');

  /** A page may ask for a few hundred badges at once, never more. */
  const MAX_ACCOUNTS = 500;

  /** @param {unknown} v */
  const text = (v) => String(v);
  /** @param {unknown} v @returns {number | undefined} */
  const positive = (v) => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined);
  /** @param {unknown} v @returns {string[]} */
  const accountsOf = (v) => (Array.isArray(v) ? v.slice(0, MAX_ACCOUNTS).map(String) : []);

  /**
   * The engine's answer to one message. Fields are read as untrusted: whatever
   * arrives is made a string or a number first. `MARK` is dated `atMs` when the
   * host kept that date (a replayed action), else now; `IMPORT_JSON` carries its
   * text (the host reads files and transfers first).
   * @template {EngineMessage} M
   * @param {typeof wasm_bindgen} glue the glue `engine` lives in (a trap replaces both)
   * @param {wasm_bindgen.Engine} engine @param {M} m @param {string} lang
   * @returns {ReplyTo<M['type']>}
   */
  function answer(glue, engine, m, lang) {
    return /** @type {ReplyTo<M['type']>} */ (reply(glue, engine, m, lang));
  }

  /** @param {typeof wasm_bindgen} glue @param {wasm_bindgen.Engine} engine @param {EngineMessage} m @param {string} lang */
  function reply(glue, engine, m, lang) {
    switch (m.type) {
      case msg.VIEWERS:
        return {
          ok: true,
          viewers: engine.viewers().map((id) => ({ id, network: id.startsWith('bsky:') ? 'bsky' : 'x', handle: engine.who(id, [id])[0]?.handle ?? null })),
        };
      case msg.SUMMARY:
        return { ok: true, summary: engine.summary(text(m.viewer), lang, positive(m.limit)) };
      case msg.TIMELINE:
        return { ok: true, timeline: engine.timeline(text(m.viewer), text(m.account), lang) };
      case msg.VIEWER_SERIES:
        return { ok: true, series: engine.viewer_series(text(m.viewer)) };
      case msg.LEGEND:
        return { ok: true, legend: glue.legend(lang) };
      case msg.ANNOTATE:
        return { ok: true, badges: engine.badges(text(m.viewer), accountsOf(m.accounts), lang) };
      case msg.EXPORT:
        return { ok: true, json: m.viewer ? engine.export_viewer_json(text(m.viewer)) : engine.export_json() };
      case msg.MARK: {
        const at = positive(m.atMs) ?? Date.now();
        if (m.brand != null) engine.mark_brand(text(m.viewer), text(m.account), at, !!m.brand);
        if (m.allowlisted != null) engine.set_allowlisted(text(m.viewer), text(m.account), at, !!m.allowlisted);
        return { ok: true };
      }
      case msg.MARK_EVENT:
        engine.mark_not_unfollow(text(m.viewer), text(m.from), text(m.to), text(m.by));
        return { ok: true };
      case msg.FORGET:
        engine.forget(text(m.viewer), text(m.account));
        return { ok: true };
      case msg.IMPORT_JSON:
        engine.import_json(text(m.json));
        return { ok: true };
    }
  }

  return Object.freeze({
    /** Whether this service answers `type`. @param {unknown} type
     * @returns {type is EngineMessage['type']} */
    answers: (type) => QUESTIONS.has(String(type)) || ACTIONS.has(String(type)),
    /** Whether `type` changes the ledger (the host persists after it). @param {unknown} type */
    changes: (type) => ACTIONS.has(String(type)),
    answer,
    isTrap,
    failure,
  });
})();
