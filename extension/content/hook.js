// @ts-check
/* Page hook, in the page's own world at document_start: copies what x.com's client
 * receives from the operations Reciprocity collects and hands it to the content
 * script. It never changes, delays or fails a request of the page: the original
 * call always runs and returns as it would, and every step of ours is guarded.
 *
 * The page is not trusted. What the hook sends goes through a private
 * MessageChannel whose other end it posts once, before any page script runs; it
 * reads responses through the originals it took at document_start, so a page that
 * redefines them later feeds it nothing; its wrappers look like the originals. */
(() => {
  const SOURCE = 'reciprocity-hook';
  // The operations collected (the engine's list: reciprocity-capture's
  // `graphql::collects`; a test checks the two agree) and the REST endpoints read.
  const OPERATIONS = [
    'Followers', 'Following', 'BlueVerifiedFollowers', 'VerifiedFollowers', 'FollowersYouKnow',
    'UserByScreenName', 'UserByRestId', 'UsersByRestIds', 'UserResultByScreenName',
    'UserTweets', 'UserTweetsAndReplies', 'UserMedia', 'UserHighlightsTweets', 'Likes', 'TweetDetail',
    'SearchTimeline', 'HomeTimeline', 'HomeLatestTimeline', 'ListLatestTweetsTimeline', 'ListMembers',
    'Retweeters', 'Favoriters', 'NotificationsTimeline',
  ];
  const WANTED = new RegExp(
    `^https://(?:api\\.)?(?:x|twitter)\\.com/(?:i/api/)?(?:graphql/[^/?#]+/(?:${OPERATIONS.join('|')})(?:[?#]|$)|1\\.1/(?:friendships/show|followers/ids|friends/ids)\\.json)`,
  );
  // The viewer's own actions (unfollow, block, unblock, remove a follower): only
  // the action and the account acted on leave this script, never the request.
  const ACTIONS = ['RemoveFollower'];
  const ACTION_URL = new RegExp(
    `^https://(?:api\\.)?(?:x|twitter)\\.com/(?:i/api/)?(?:graphql/[^/?#]+/(?:${ACTIONS.join('|')})|1\\.1/(?:friendships/destroy|blocks/create|blocks/destroy)\\.json)(?:[?#]|$)`,
  );

  // What is kept of one capture at most (the worker's LIMITS; a copy, since this
  // world must not load the extension's scripts).
  const LIMITS = { body: 16 * 1024 * 1024, requestBody: 64 * 1024, url: 16 * 1024 };

  // The originals, taken before any page script runs.
  const { defineProperty, getOwnPropertyDescriptor } = Object;
  const XHR = XMLHttpRequest.prototype;
  /** @param {object} proto @param {string} name */
  const getter = (proto, name) => /** @type {(this: any) => any} */ (/** @type {PropertyDescriptor} */ (getOwnPropertyDescriptor(proto, name)).get);
  const xhrResponseText = getter(XHR, 'responseText');
  const xhrResponse = getter(XHR, 'response');
  const xhrResponseType = getter(XHR, 'responseType');
  const xhrStatus = getter(XHR, 'status');
  const addListener = EventTarget.prototype.addEventListener;
  const responseClone = Response.prototype.clone;
  const responseText = Response.prototype.text;
  const responseStatus = getter(Response.prototype, 'status');
  const requestUrl = getter(Request.prototype, 'url');
  const requestMethod = getter(Request.prototype, 'method');
  const stringify = JSON.stringify;
  const call = Function.prototype.call.bind(Function.prototype.call);
  const toText = Function.prototype.toString;
  const postMessage = window.postMessage.bind(window);
  const URL_ = URL;

  // The signed-in account, from X's `twid` cookie (`u=<id>`), read once: a page
  // cannot change whose ledger this document writes to. None: signed out.
  const VIEWER = (() => {
    try {
      const m = document.cookie.match(/(?:^|;\s*)twid=([^;]+)/);
      const id = m ? decodeURIComponent(decodeURIComponent(m[1])).replace(/^u=/, '') : '';
      return /^\d{1,20}$/.test(id) ? id : null;
    } catch (_) {
      return null;
    }
  })();
  if (!VIEWER) return; // signed out: nothing to record, nothing to wrap

  // The private channel: one end kept here, the other posted once to the content
  // script (it takes the first port of the document and ignores any later one).
  const channel = new MessageChannel();
  const port = channel.port1;
  postMessage({ source: SOURCE, hello: true }, location.origin, [channel.port2]);

  /** @param {string} method @param {string} url @param {string | null} requestBody
   * @param {number} status @param {string} body */
  const post = (method, url, requestBody, status, body) => {
    try {
      if (typeof body !== 'string') return;
      const meta = { platform: 'x', viewer: VIEWER, method, url, request_body: requestBody, status };
      // Too large: said (the popup counts it), never kept.
      const oversize = url.length > LIMITS.url || (requestBody || '').length > LIMITS.requestBody || body.length > LIMITS.body;
      port.postMessage(oversize ? { meta, body: '', oversize: true } : { meta, body });
    } catch (_) {
      /* never disturb the page */
    }
  };

  /** What a request is to us, from one parse of its URL: a response we collect
   * (`url`, absolute), an own action (`action`, without its query), or neither.
   * @param {unknown} url @returns {{ url: string | null, action: string | null }} */
  const route = (url) => {
    try {
      const u = new URL_(String(url), location.href);
      if (ACTION_URL.test(u.href)) return { url: null, action: u.origin + u.pathname };
      return { url: WANTED.test(u.href) ? u.href : null, action: null };
    } catch (_) {
      return { url: null, action: null };
    }
  };

  /** The account an action is about: `user_id` of a form body, or the GraphQL
   * variables' `target_user_id`. @param {string | null} body */
  const targetOf = (body) => {
    if (typeof body !== 'string') return null;
    const form = /(?:^|&)user_id=(\d{1,20})(?:&|$)/.exec(body);
    if (form) return form[1];
    const json = /"target_user_id"\s*:\s*"?(\d{1,20})/.exec(body);
    return json ? json[1] : null;
  };

  /** Hands over an action that X accepted: what, on whom; nothing else.
   * @param {string} url @param {string | null} body @param {number} status */
  const postAction = (url, body, status) => {
    try {
      const target = targetOf(body);
      if (target && status >= 200 && status < 300) port.postMessage({ action: { url, target }, status });
    } catch (_) {}
  };

  /** Makes `wrapper` look like `original`: its name, its length, its source text.
   * @template {Function} F @param {F} wrapper @param {Function} original @returns {F} */
  const disguise = (wrapper, original) => {
    try {
      defineProperty(wrapper, 'name', { value: original.name });
      defineProperty(wrapper, 'length', { value: original.length });
      disguised.set(wrapper, original);
    } catch (_) {}
    return wrapper;
  };
  /** @type {WeakMap<Function, Function>} */
  const disguised = new WeakMap();
  // Function.prototype.toString of a wrapper answers as for the original.
  const wrappedToString = disguise(/** @this {Function} */ function toString() {
    return call(toText, disguised.get(this) || this);
  }, toText);
  Function.prototype.toString = wrappedToString;

  // Each request's method, URL and body, kept beside it rather than on it: the
  // page sees no property of ours on its XHRs.
  /** @type {WeakMap<XMLHttpRequest, { method: string, url: string | null, action: string | null, body: string | null }>} */
  const requests = new WeakMap();
  const originalOpen = XHR.open;
  const originalSend = XHR.send;
  XHR.open = disguise(/** @type {typeof originalOpen} */ (/** @this {XMLHttpRequest} @param {string} method @param {string | URL} url */ function open(method, url) {
    try {
      requests.set(this, { method: String(method).toUpperCase(), ...route(url), body: null });
    } catch (_) {}
    return originalOpen.apply(this, /** @type {any} */ (arguments));
  }), originalOpen);
  XHR.send = disguise(/** @this {XMLHttpRequest} @param {any} body */ function send(body) {
    try {
      const info = requests.get(this);
      if (info && info.action) {
        const actionBody = typeof body === 'string' ? body : null;
        call(addListener, this, 'load', () => {
          if (requests.get(this) === info && info.action) postAction(info.action, actionBody, call(xhrStatus, this));
        }, { once: true });
      } else if (info && info.url) {
        info.body = typeof body === 'string' ? body : null;
        call(addListener, this, 'load', () => {
          try {
            // A reused XHR: this listener belongs to an earlier request.
            if (requests.get(this) !== info) return;
            const type = call(xhrResponseType, this);
            let text = null;
            if (type === '' || type === 'text') text = call(xhrResponseText, this);
            else if (type === 'json') {
              // X's client asks for text; a parsed response would lose ids past
              // 2^53 when written back, so it is taken only when it has none.
              const value = call(xhrResponse, this);
              if (value != null) text = stringify(value);
            }
            if (text != null && info.url) post(info.method, info.url, info.body, call(xhrStatus, this), text);
          } catch (_) {}
        }, { once: true });
      }
    } catch (_) {}
    return originalSend.apply(this, /** @type {any} */ (arguments));
  }, originalSend);

  const originalFetch = window.fetch;
  window.fetch = disguise(/** @type {typeof originalFetch} */ (/** @this {any} @param {RequestInfo | URL} input @param {RequestInit} [init] */ function fetch(input, init) {
    const result = originalFetch.apply(this, /** @type {any} */ (arguments));
    try {
      const request = input instanceof Request ? input : null;
      const raw = request ? call(requestUrl, request) : input instanceof URL_ ? input.href : input;
      const { url, action } = route(raw);
      if (action) {
        const body = init && typeof init.body === 'string' ? init.body : null;
        result.then((response) => postAction(action, body, call(responseStatus, response)), () => {});
      } else if (url) {
        const method = String((init && init.method) || (request && call(requestMethod, request)) || 'GET').toUpperCase();
        const requestBody = init && typeof init.body === 'string' ? init.body : null;
        result.then(
          (response) => {
            try {
              const copy = call(responseClone, response);
              call(responseText, copy).then((/** @type {string} */ text) => post(method, url, requestBody, call(responseStatus, response), text), () => {});
            } catch (_) {}
          },
          () => {},
        );
      }
    } catch (_) {}
    return result;
  }), originalFetch);
})();
