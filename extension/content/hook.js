// @ts-check
/* Page hook, in the page's own world at document_start: copies what x.com's client
 * receives from its GraphQL and relationship endpoints and posts it to the content
 * script. It never changes, delays or fails a request of the page: the original
 * call always runs and returns as it would, and every step of ours is guarded. */
(() => {
  const SOURCE = 'reciprocity-hook';
  const WANTED = /\/i\/api\/graphql\/[^/?]+\/[A-Za-z]+|\/1\.1\/(?:friendships\/show|followers\/ids|friends\/ids)\.json/;

  // The signed-in account, from X's `twid` cookie (`u=<id>`). None: signed out.
  const viewer = () => {
    const m = document.cookie.match(/(?:^|;\s*)twid=([^;]+)/);
    if (!m) return null;
    const id = decodeURIComponent(decodeURIComponent(m[1])).replace(/^u=/, '');
    return /^\d+$/.test(id) ? id : null;
  };

  /** @param {string} method @param {string} url @param {string | null} requestBody
   * @param {number} status @param {string} body */
  const post = (method, url, requestBody, status, body) => {
    try {
      const v = viewer();
      if (!v || typeof body !== 'string') return;
      const meta = {
        platform: 'x',
        viewer: v,
        at: new Date().toISOString(),
        method,
        url: new URL(url, location.href).href,
        request_body: typeof requestBody === 'string' ? requestBody : null,
        status,
      };
      window.postMessage({ source: SOURCE, meta, body }, location.origin);
    } catch (_) {
      /* never disturb the page */
    }
  };

  // Each request's method, URL and body, kept beside it rather than on it: the
  // page sees no property of ours on its XHRs.
  /** @type {WeakMap<XMLHttpRequest, { method: string, url: string, body?: string | null }>} */
  const requests = new WeakMap();
  const proto = XMLHttpRequest.prototype;
  const open = proto.open;
  const send = proto.send;
  /** @this {XMLHttpRequest} @param {string} method @param {string | URL} url */
  proto.open = /** @type {typeof open} */ (function (method, url) {
    try {
      requests.set(this, { method: String(method).toUpperCase(), url: String(url) });
    } catch (_) {}
    return open.apply(this, /** @type {any} */ (arguments));
  });
  /** @this {XMLHttpRequest} @param {any} body */
  proto.send = function (body) {
    try {
      const info = requests.get(this);
      if (info && WANTED.test(info.url)) {
        info.body = typeof body === 'string' ? body : null;
        this.addEventListener('load', function () {
          try {
            const type = this.responseType;
            let text = null;
            if (type === '' || type === 'text') text = this.responseText;
            else if (type === 'json' && this.response != null) text = JSON.stringify(this.response);
            if (text != null) post(info.method, info.url, info.body ?? null, this.status, text);
          } catch (_) {}
        });
      }
    } catch (_) {}
    return send.apply(this, /** @type {any} */ (arguments));
  };

  const originalFetch = window.fetch;
  /** @param {RequestInfo | URL} input @param {RequestInit} [init] */
  window.fetch = function (input, init) {
    const result = originalFetch.apply(this, /** @type {any} */ (arguments));
    try {
      const request = input instanceof Request ? input : null;
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : request && request.url;
      if (url && WANTED.test(url)) {
        const method = String((init && init.method) || (request && request.method) || 'GET').toUpperCase();
        const requestBody = init && typeof init.body === 'string' ? init.body : null;
        result.then(
          (response) => response.clone().text().then((text) => post(method, url, requestBody, response.status, text), () => {}),
          () => {},
        );
      }
    } catch (_) {}
    return result;
  };
})();
