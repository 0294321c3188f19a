// @ts-check
/* The worker's checks on what a page sends, as pure functions: who a sender is,
 * whether a message is a capture, what may be kept of one that failed, and the
 * rate of captures per tab. No state of the worker's; tested in Node
 * (tests/unit/checks.test.mjs). */
var ReciprocityChecks = (() => {
  /** What may be kept of a capture that failed: the JSON's shape (keys, types,
   * array lengths) with no string or number in it, capped.
   * @param {string} body */
  function shapeOf(body) {
    /** @param {unknown} v @param {number} depth @returns {unknown} */
    const shape = (v, depth) => {
      if (depth > 12) return '…';
      if (typeof v === 'string') return '';
      if (typeof v === 'number') return 0;
      if (Array.isArray(v)) return [...v.slice(0, 3).map((x) => shape(x, depth + 1)), ...(v.length > 3 ? [`…${v.length}`] : [])];
      if (v && typeof v === 'object') {
        /** @type {Record<string, unknown>} */
        const out = {};
        for (const [k, x] of Object.entries(v).slice(0, 50)) out[/^\d+$/.test(k) ? '<id>' : k] = shape(x, depth + 1);
        return out;
      }
      return v;
    };
    try {
      return JSON.stringify(shape(JSON.parse(body), 0)).slice(0, 4096);
    } catch (_) {
      return '(not JSON)';
    }
  }

  /** @param {string} url */
  const operationOf = (url) => {
    try {
      return new URL(url).pathname.split('/').filter(Boolean).slice(-1)[0] || '';
    } catch (_) {
      return '';
    }
  };

  /** A failure as kept: no body, no query string, no string values.
   * @param {string} url @param {string} body @param {{ code: string, error: string }} why
   * @returns {FailedCapture} */
  function failureOf(url, body, why) {
    return {
      at: new Date(Date.now()).toISOString(),
      operation: operationOf(url),
      code: why.code,
      error: why.error.replace(/\?[^\s"]*/g, '?…').slice(0, 500),
      shape: shapeOf(body),
    };
  }

  /** The URL an envelope's text names. @param {string} text */
  function urlOf(text) {
    const m = /"url":"((?:[^"\\]|\\.)*)"/.exec(text.slice(0, Reciprocity.LIMITS.url + 200));
    return m ? m[1] : '';
  }

  /** One of the extension's own pages (popup, dashboard): not a content script,
   * whose sender URL is the page it runs in. The options page is a tab too.
   * @param {{ id?: string, url?: string }} sender @param {string} extensionId @param {string} ownOrigin */
  function fromExtensionPage(sender, extensionId, ownOrigin) {
    try {
      return sender.id === extensionId && new URL(sender.url || '').origin === ownOrigin;
    } catch (_) {
      return false;
    }
  }

  /** The network whose tab's top frame this content script runs in — `x` for
   * x.com and twitter.com, `bsky` for bsky.app — or null for anything else. The
   * worker files what a tab sends in that network's ledger, whatever it claims.
   * @param {{ id?: string, url?: string, tab?: object, frameId?: number }} sender @param {string} extensionId
   * @returns {'x' | 'bsky' | null} */
  function networkOfTopFrame(sender, extensionId) {
    if (sender.id !== extensionId || !sender.tab || sender.frameId !== 0) return null;
    const url = sender.url || '';
    if (/^https:\/\/(?:x|twitter)\.com\//.test(url)) return 'x';
    if (/^https:\/\/bsky\.app\//.test(url)) return 'bsky';
    return null;
  }

  /** Whether `viewer` names a signed-in account of `network`: an X id, or a DID.
   * @param {'x' | 'bsky'} network @param {string} viewer */
  function isViewerOf(network, viewer) {
    return network === 'x' ? /^\d{1,20}$/.test(viewer) : ReciprocityPlatform.isDid(viewer);
  }

  /** A response's status as the engine takes it: a 16-bit number, where anything
   * else would wrap on the way in (0: a request that got no answer).
   * @param {unknown} v @returns {v is number} */
  const isStatus = (v) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 599;

  /** A capture as the page sent it, checked field by field.
   * @param {unknown} message @returns {{ viewer: string, method: string, url: string, request_body: string | null, status: number, body: string } | null} */
  function captureOf(message) {
    if (!message || typeof message !== 'object') return null;
    const { meta, body } = /** @type {{ meta?: unknown, body?: unknown }} */ (message);
    if (!meta || typeof meta !== 'object') return null;
    const { viewer, method, url, request_body: requestBody, status } = /** @type {Record<string, unknown>} */ (meta);
    if (typeof url !== 'string' || typeof method !== 'string' || !isStatus(status)) return null;
    if (requestBody != null && typeof requestBody !== 'string') return null;
    if (typeof body !== 'string') return null;
    return { viewer: typeof viewer === 'string' ? viewer : '', method, url, request_body: requestBody ?? null, status, body };
  }

  /** Captures per tab, as token buckets: a burst, then so many a minute. List
   * pages have their own, larger budget (a walk of a long list is many pages).
   * @param {Record<'list' | 'other', { burst: number, perMinute: number }>} budgets */
  function rateLimiter(budgets) {
    /** @type {Map<string, { tokens: number, at: number }>} */
    const buckets = new Map();
    /** Whether one more capture of this kind from this tab is within its budget
     * at `nowMs` (and spends it). @param {number} tab @param {'list' | 'other'} kind @param {number} nowMs */
    return (tab, kind, nowMs) => {
      const { burst, perMinute } = budgets[kind];
      const key = `${tab}:${kind}`;
      const b = buckets.get(key) || { tokens: burst, at: nowMs };
      b.tokens = Math.min(burst, b.tokens + ((nowMs - b.at) / 60000) * perMinute);
      b.at = nowMs;
      buckets.set(key, b);
      if (b.tokens < 1) return false;
      b.tokens -= 1;
      return true;
    };
  }

  return Object.freeze({ shapeOf, operationOf, failureOf, urlOf, fromExtensionPage, networkOfTopFrame, isViewerOf, isStatus, captureOf, rateLimiter });
})();
