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

  const proto = XMLHttpRequest.prototype;
  const open = proto.open;
  const send = proto.send;
  proto.open = function (method, url) {
    try {
      this.__reciprocity = { method: String(method).toUpperCase(), url: String(url) };
    } catch (_) {}
    return open.apply(this, arguments);
  };
  proto.send = function (body) {
    try {
      const info = this.__reciprocity;
      if (info && WANTED.test(info.url)) {
        info.body = typeof body === 'string' ? body : null;
        this.addEventListener('load', function () {
          try {
            const type = this.responseType;
            let text = null;
            if (type === '' || type === 'text') text = this.responseText;
            else if (type === 'json' && this.response != null) text = JSON.stringify(this.response);
            if (text != null) post(info.method, info.url, info.body, this.status, text);
          } catch (_) {}
        });
      }
    } catch (_) {}
    return send.apply(this, arguments);
  };

  const originalFetch = window.fetch;
  window.fetch = function (input, init) {
    const result = originalFetch.apply(this, arguments);
    try {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input && input.url;
      if (url && WANTED.test(url)) {
        const method = String((init && init.method) || (input && input.method) || 'GET').toUpperCase();
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
