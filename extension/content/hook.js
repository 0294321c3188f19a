// @ts-check
/* Page hook, in the page's own world at document_start: copies what x.com's or
 * bsky.app's client receives from the operations Reciprocity collects and hands it
 * to the content script. It never changes, delays or fails a request of the page: the original
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
    'Followers',
    'Following',
    'BlueVerifiedFollowers',
    'VerifiedFollowers',
    'FollowersYouKnow',
    'UserByScreenName',
    'UserByRestId',
    'UsersByRestIds',
    'UserResultByScreenName',
    'UserTweets',
    'UserTweetsAndReplies',
    'UserMedia',
    'UserHighlightsTweets',
    'Likes',
    'TweetDetail',
    'SearchTimeline',
    'HomeTimeline',
    'HomeLatestTimeline',
    'ListLatestTweetsTimeline',
    'ListMembers',
    'Retweeters',
    'Favoriters',
    'NotificationsTimeline',
  ];
  // bsky.app's XRPC reads (reciprocity-capture's `bsky::from_the_page`; a test
  // checks the two agree), from the hosts bsky.app reads from: the signed-in
  // account's own PDS (any domain: the one its stored session names) and
  // Bluesky's own. Never a session's: those bodies hold its tokens.
  const BSKY_OPERATIONS = [
    'app.bsky.actor.getProfile',
    'app.bsky.actor.getProfiles',
    'app.bsky.graph.getFollowers',
    'app.bsky.graph.getFollows',
    'app.bsky.graph.getRelationships',
    'app.bsky.notification.listNotifications',
    'app.bsky.feed.getTimeline',
    'app.bsky.feed.getAuthorFeed',
    'app.bsky.feed.getFeed',
    'app.bsky.feed.getPostThread',
    'app.bsky.feed.searchPosts',
    'app.bsky.feed.getQuotes',
    'app.bsky.actor.searchActors',
    'app.bsky.actor.searchActorsTypeahead',
    'app.bsky.actor.getSuggestions',
    'app.bsky.graph.getSuggestedFollowsByActor',
    'app.bsky.feed.getLikes',
    'app.bsky.feed.getRepostedBy',
    'app.bsky.graph.getList',
    'app.bsky.graph.getStarterPack',
  ];
  const ON_BSKY = location.hostname === 'bsky.app';
  const BSKY_SESSION = ON_BSKY ? bskySession() : null;
  /** @param {string[]} names */
  const anyOf = (names) => names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  const WANTED = ON_BSKY
    ? new RegExp(`^https://(?:${anyOf(BSKY_SESSION?.hosts ?? [])})/xrpc/(?:${anyOf(BSKY_OPERATIONS)})(?:[?#]|$)`)
    : new RegExp(
        `^https://(?:api\\.)?(?:x|twitter)\\.com/(?:i/api/)?(?:graphql/[^/?#]+/(?:${OPERATIONS.join('|')})(?:[?#]|$)|1\\.1/(?:friendships/show|followers/ids|friends/ids)\\.json)`,
      );
  // The viewer's own actions (unfollow, block, unblock, remove a follower): only
  // the action and the account acted on leave this script, never the request.
  const ACTIONS = ['RemoveFollower'];
  // (On bsky.app, none yet: an expression that matches nothing.)
  const ACTION_URL = ON_BSKY
    ? /(?!)/
    : new RegExp(
        `^https://(?:api\\.)?(?:x|twitter)\\.com/(?:i/api/)?(?:graphql/[^/?#]+/(?:${ACTIONS.join('|')})|1\\.1/(?:friendships/destroy|blocks/create|blocks/destroy)\\.json)(?:[?#]|$)`,
      );

  // What is kept of one capture at most (the worker's LIMITS; a copy, since this
  // world must not load the extension's scripts).
  const LIMITS = { body: 16 * 1024 * 1024, requestBody: 64 * 1024, url: 16 * 1024 };

  // The originals, taken before any page script runs.
  const { defineProperty, getOwnPropertyDescriptor } = Object;
  const XHR = XMLHttpRequest.prototype;
  /** @param {object} proto @param {string} name */
  const getter = (proto, name) => /** @type {(this: unknown) => unknown} */ (/** @type {PropertyDescriptor} */ (getOwnPropertyDescriptor(proto, name)).get);
  const xhrResponseText = getter(XHR, 'responseText');
  const xhrResponse = getter(XHR, 'response');
  const xhrResponseType = getter(XHR, 'responseType');
  const xhrStatus = getter(XHR, 'status');
  const addListener = EventTarget.prototype.addEventListener;
  const responseClone = Response.prototype.clone;
  const responseText = Response.prototype.text;
  const responseStatus = getter(Response.prototype, 'status');
  const responseUrl = getter(Response.prototype, 'url');
  const xhrResponseUrl = getter(XHR, 'responseURL');
  const requestUrl = getter(Request.prototype, 'url');
  const requestMethod = getter(Request.prototype, 'method');
  const String_ = String;
  const apply = Reflect.apply;
  // The built-ins used after document_start, taken now and called as originals
  // (a page may replace any prototype method later). `RegExp.prototype.test`
  // looks up `exec` on the expression at each call: `exec` itself is taken.
  const portPost = MessagePort.prototype.postMessage;
  const then = Promise.prototype.then;
  const regexExec = RegExp.prototype.exec;
  const indexOf = String.prototype.indexOf;
  const sliceText = String.prototype.slice;
  const weakGet = WeakMap.prototype.get;
  const weakSet = WeakMap.prototype.set;
  const upper = String.prototype.toUpperCase;
  const hrefOf = getter(URL.prototype, 'href');
  const originOf = getter(URL.prototype, 'origin');
  const pathnameOf = getter(URL.prototype, 'pathname');
  /** The text before the first `mark` in `s`. @param {string} s @param {string} mark */
  const before = (s, mark) => {
    const i = call(indexOf, s, mark);
    return i < 0 ? s : call(sliceText, s, 0, i);
  };
  const stringify = JSON.stringify;
  const call = Function.prototype.call.bind(Function.prototype.call);
  const toText = Function.prototype.toString;
  const postMessage = window.postMessage.bind(window);
  const URL_ = URL;

  // The signed-in account, from X's `twid` cookie (`u=<id>`), read once: a page
  // cannot change whose ledger this document writes to. None: signed out, or more
  // than one `twid` (a page can plant its own under a path): nothing is recorded.
  // On bsky.app, the DID bsky.app keeps for its current account in the page's
  // storage, read once the same way: its tokens beside it are never read out.
  const VIEWER = ON_BSKY ? (BSKY_SESSION?.did ?? null) : xViewer();
  if (!VIEWER) return; // signed out: nothing to record, nothing to wrap

  /** @returns {string | null} */
  function xViewer() {
    try {
      const twids = document.cookie.split(/;\s*/).filter((c) => c.startsWith('twid='));
      if (twids.length !== 1) return null;
      const id = decodeURIComponent(decodeURIComponent(twids[0].slice(5))).replace(/^u=/, '');
      return /^\d{1,20}$/.test(id) ? id : null;
    } catch (_) {
      return null;
    }
  }

  /** The current account in bsky.app's storage (`BSKY_STORAGE`, or the newer
   * `BSKY_SESSION_STORAGE_V1`): its DID, and the hosts its reads go to (its PDS,
   * the service it signed in with, Bluesky's own AppView and entryway); none when
   * the two disagree. Its tokens beside them are never read out.
   * @returns {{ did: string, hosts: string[] } | null} */
  function bskySession() {
    try {
      /** @param {string} key */
      const read = (key) => {
        const text = localStorage.getItem(key);
        return text ? JSON.parse(text) : null;
      };
      const legacy = read('BSKY_STORAGE')?.session?.currentAccount;
      const current = read('BSKY_SESSION_STORAGE_V1');
      const currentAccount = (current?.accounts ?? []).find((/** @type {{ did?: unknown }} */ a) => a?.did === current?.currentDid);
      const dids = [...new Set([legacy?.did, current?.currentDid].filter((d) => typeof d === 'string'))];
      // A DID as platform.js's `isDid` says (a copy: this world loads none of ours).
      if (dids.length !== 1 || !/^did:(?:plc:[a-z2-7]{24}|web:[A-Za-z0-9.-]{1,253})$/.test(dids[0])) return null;
      const hosts = new Set(['public.api.bsky.app', 'api.bsky.app', 'bsky.social']);
      for (const account of [legacy, currentAccount]) {
        for (const url of [account?.pdsUrl, account?.service]) {
          try {
            if (typeof url === 'string' && url.startsWith('https://')) hosts.add(new URL(url).host); // at document_start: the original URL
          } catch (_) {}
        }
      }
      return { did: dids[0], hosts: [...hosts] };
    } catch (_) {
      return null;
    }
  }

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
      const meta = { platform: ON_BSKY ? 'bsky' : 'x', viewer: VIEWER, method, url, request_body: requestBody, status };
      // Too large: said (the popup counts it), never kept.
      const oversize = url.length > LIMITS.url || (requestBody || '').length > LIMITS.requestBody || body.length > LIMITS.body;
      call(portPost, port, oversize ? { meta, body: '', oversize: true } : { meta, body });
    } catch (_) {
      /* never disturb the page */
    }
  };

  /** What a request is to us, from one parse of its URL: a response we collect
   * (`url`, absolute), an own action (`action`, without its query), or neither.
   * @param {unknown} url @returns {{ url: string | null, action: string | null }} */
  const route = (url) => {
    try {
      const u = new URL_(String_(url), location.href);
      const href = call(hrefOf, u);
      if (call(regexExec, ACTION_URL, href) !== null) return { url: null, action: call(originOf, u) + call(pathnameOf, u) };
      return { url: call(regexExec, WANTED, href) !== null ? href : null, action: null };
    } catch (_) {
      return { url: null, action: null };
    }
  };

  /** Whether a response came from the URL a capture is recorded under (an
   * action's without its query). `recorded` passed `route`, so it is an https
   * x.com or twitter.com API URL: a `blob:`, `data:` or other answer is not it.
   * @param {unknown} answered @param {string} recorded @param {boolean} pathOnly */
  const answeredFrom = (answered, recorded, pathOnly) => {
    if (typeof answered !== 'string') return false;
    const strip = (/** @type {string} */ u) => {
      const noHash = before(u, '#');
      return pathOnly ? before(noHash, '?') : noHash;
    };
    return strip(answered) === strip(recorded);
  };

  /** The account an action is about: `user_id` of a form body, or the GraphQL
   * variables' `target_user_id`. @param {string | null} body */
  const targetOf = (body) => {
    if (typeof body !== 'string') return null;
    const form = call(regexExec, /(?:^|&)user_id=(\d{1,20})(?:&|$)/, body);
    if (form) return form[1];
    const json = call(regexExec, /"target_user_id"\s*:\s*"?(\d{1,20})/, body);
    return json ? json[1] : null;
  };

  /** Hands over an action that X accepted: what, on whom; nothing else.
   * @param {string} url @param {string | null} body @param {number} status */
  const postAction = (url, body, status) => {
    try {
      const target = targetOf(body);
      if (target && status >= 200 && status < 300) call(portPost, port, { action: { url, target }, status });
    } catch (_) {}
  };

  /** Makes `wrapper` look like `original`: its name, its length, its source text.
   * @template {Function} F @param {F} wrapper @param {Function} original @returns {F} */
  const disguise = (wrapper, original) => {
    try {
      defineProperty(wrapper, 'name', { value: original.name });
      defineProperty(wrapper, 'length', { value: original.length });
      call(weakSet, disguised, wrapper, original);
    } catch (_) {}
    return wrapper;
  };
  /** @type {WeakMap<Function, Function>} */
  const disguised = new WeakMap();
  // Function.prototype.toString of a wrapper answers as for the original.
  const wrappedToString = disguise(
    // biome-ignore lint/suspicious/noShadowRestrictedNames: the wrapper is named as the function it stands for
    /** @this {Function} */ function toString() {
      return call(toText, call(weakGet, disguised, this) || this);
    },
    toText,
  );
  Function.prototype.toString = wrappedToString;

  // Each request's method, URL and body, kept beside it rather than on it: the
  // page sees no property of ours on its XHRs.
  /** @type {WeakMap<XMLHttpRequest, { method: string, url: string | null, action: string | null, body: string | null }>} */
  const requests = new WeakMap();
  const originalOpen = XHR.open;
  const originalSend = XHR.send;
  XHR.open = disguise(
    /** @type {typeof originalOpen} */ (
      /** @this {XMLHttpRequest} @param {string} method @param {string | URL} url */ function open(method, url) {
        try {
          call(weakSet, requests, this, { method: call(upper, String_(method)), ...route(url), body: null });
        } catch (_) {}
        return apply(originalOpen, this, arguments);
      }
    ),
    originalOpen,
  );
  XHR.send = disguise(
    /** @this {XMLHttpRequest} @param {unknown} body */ function send(body) {
      try {
        const info = call(weakGet, requests, this);
        if (info?.action) {
          const actionBody = typeof body === 'string' ? body : null;
          call(
            addListener,
            this,
            'load',
            () => {
              // Judged by the answer: it must come from the URL recorded (an XHR
              // re-opened elsewhere by another `open` answers from there).
              if (call(weakGet, requests, this) === info && info.action && answeredFrom(call(xhrResponseUrl, this), info.action, true)) {
                postAction(info.action, actionBody, call(xhrStatus, this));
              }
            },
            { once: true },
          );
        } else if (info?.url) {
          info.body = typeof body === 'string' ? body : null;
          call(
            addListener,
            this,
            'load',
            () => {
              try {
                // A reused XHR: this listener belongs to an earlier request. One
                // re-opened by another `open` (an iframe's) answers from elsewhere.
                if (call(weakGet, requests, this) !== info || !info.url || !answeredFrom(call(xhrResponseUrl, this), info.url, false)) return;
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
            },
            { once: true },
          );
        }
      } catch (_) {}
      return apply(originalSend, this, arguments);
    },
    originalSend,
  );

  // The keys of a RequestInit, read once each and handed on as that copy: a
  // getter cannot answer one thing to the request and another to us.
  const INIT_KEYS = [
    'method',
    'headers',
    'body',
    'mode',
    'credentials',
    'cache',
    'redirect',
    'referrer',
    'referrerPolicy',
    'integrity',
    'keepalive',
    'signal',
    'priority',
    'duplex',
    'window',
  ];
  /** The page's options, each read once into a plain copy.
   * @param {RequestInit | null | undefined} init @returns {RequestInit | null | undefined} */
  const copyInit = (init) => {
    if (init == null) return init;
    const from = /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (init));
    /** @type {Record<string, unknown>} */
    const copy = {};
    for (const key of INIT_KEYS) if (key in from) copy[key] = from[key];
    return /** @type {RequestInit} */ (copy);
  };
  /** Whether `x` is a real Request (the page can fake `instanceof`).
   * @param {unknown} x */
  const isRequest = (x) => {
    try {
      call(requestUrl, x);
      return true;
    } catch (_) {
      return false;
    }
  };

  const originalFetch = window.fetch;
  window.fetch = disguise(
    /** @type {typeof originalFetch} */ (
      /** @this {unknown} @param {RequestInfo | URL} input @param {RequestInit} [init] */ function fetch(input, init) {
        // The request as one value, read once: the URL as a string, the options as a
        // copy. The original fetch gets exactly that, and the record is made of it.
        // (Anything we cannot read the page's way is passed on untouched, unrecorded.)
        /** @type {IArguments | unknown[]} */
        let args = arguments;
        /** @type {{ url: string | null, action: string | null, method: string, body: string | null } | null} */
        let seen = null;
        try {
          if (isRequest(input)) {
            const request = /** @type {Request} */ (input);
            const routed = route(call(requestUrl, request));
            const method = call(upper, String_(call(requestMethod, request)));
            if (init == null && arguments.length < 2) seen = { ...routed, method, body: null };
          } else {
            let href = null;
            try {
              href = call(hrefOf, input);
            } catch (_) {
              href = String_(input);
            }
            const options = copyInit(init);
            // fetch reads two arguments.
            args = arguments.length > 1 ? [href, options] : [href];
            const body = options && typeof options.body === 'string' ? options.body : null;
            seen = { ...route(href), method: call(upper, String_(options?.method || 'GET')), body };
          }
        } catch (_) {
          args = arguments;
          seen = null;
        }
        const result = /** @type {Promise<Response>} */ (apply(originalFetch, this, args));
        try {
          if (seen?.action) {
            const { action, body } = seen;
            call(
              then,
              result,
              (/** @type {Response} */ response) => {
                if (answeredFrom(call(responseUrl, response), action, true)) postAction(action, body, call(responseStatus, response));
              },
              () => {},
            );
          } else if (seen?.url) {
            const { url, method, body } = seen;
            call(
              then,
              result,
              (/** @type {Response} */ response) => {
                try {
                  // Judged by the answer: it must come from the URL recorded.
                  if (!answeredFrom(call(responseUrl, response), url, false)) return;
                  const copy = call(responseClone, response);
                  call(
                    then,
                    call(responseText, copy),
                    (/** @type {string} */ text) => post(method, url, body, call(responseStatus, response), text),
                    () => {},
                  );
                } catch (_) {}
              },
              () => {},
            );
          }
        } catch (_) {}
        return result;
      }
    ),
    originalFetch,
  );
})();
