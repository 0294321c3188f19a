// @ts-check
/* Content script (isolated world): forwards the page hook's captures to the worker,
 * finds the profile header, hover cards, user cells and posts, asks the worker for
 * verdicts in batches, and renders badges. What a network's page looks like is its
 * site file's (x.js, bsky.js: `ReciprocitySite`), loaded before this one. Every
 * word on a badge is the engine's, in the browser's language. */
(() => {
  const site = globalThis.ReciprocitySite;
  const { msg, HOOK_SOURCE } = globalThis.Reciprocity;
  const { uiLanguage } = globalThis.ReciprocityPlatform;
  const api = /** @type {typeof chrome} */ (globalThis.ReciprocityPlatform.api);
  const HOST_ATTR = 'data-reciprocity-verdict';
  const { LIMITS, keys, BADGE_DEFAULTS } = globalThis.Reciprocity;
  const lang = uiLanguage();

  // The signed-in account, read once per document by the site file and pinned.
  const VIEWER = site.viewer;

  /** The worker's reply, or null when it cannot be reached.
   * @template {Message} M @param {M} message @returns {Promise<ReplyTo<M['type']> | null>} */
  function send(message) {
    try {
      return ReciprocityPlatform.send(message).catch(() => null);
    } catch (_) {
      // The extension was reloaded or removed: this script is orphaned.
      return Promise.resolve(null);
    }
  }

  // ----- captures: page hook → worker, through the hook's private channel -----
  // The hook posts one end of a MessageChannel before any page script runs: the
  // first port of the document is the hook's. A second one while the document
  // loads means a script offered its own before (or beside) the hook's: both are
  // closed and this page records nothing. A port offered later is ignored. A page
  // can post messages to this window, never into the hook's channel.
  /** @type {MessagePort | null} */
  let hookPort = null;
  let refused = false;
  let loaded = document.readyState !== 'loading';
  if (!loaded)
    document.addEventListener(
      'DOMContentLoaded',
      () => {
        loaded = true;
      },
      { once: true },
    );
  window.addEventListener('message', (event) => {
    if (refused || event.source !== window || !event.data || event.data.source !== HOOK_SOURCE || !event.ports[0]) return;
    const port = event.ports[0];
    if (!hookPort) {
      hookPort = port;
      port.onmessage = (e) => {
        if (!refused) onHookMessage(e.data);
      };
    } else if (!loaded) {
      refused = true;
      hookPort.close();
      port.close();
    }
  });

  /** What the hook posted: a response (`meta` and `body`) or an action. Read
   * field by field: anything in the page could have posted it.
   * @param {unknown} posted */
  function onHookMessage(posted) {
    if (!posted || typeof posted !== 'object') return;
    const data = /** @type {{ action?: unknown, status?: unknown, meta?: unknown, body?: unknown, oversize?: unknown }} */ (posted);
    if (data.action && typeof data.action === 'object') return onAction(data.action, data.status);
    if (!data.meta || typeof data.meta !== 'object' || typeof data.body !== 'string') return;
    const meta = /** @type {CaptureMeta} */ (data.meta);
    const tooLarge =
      data.oversize === true ||
      data.body.length > LIMITS.body ||
      String(meta.url).length > LIMITS.url ||
      String(meta.request_body || '').length > LIMITS.requestBody;
    // Too large: the worker counts it and keeps nothing.
    const body = tooLarge ? '' : data.body;
    send({ type: msg.CAPTURE, meta: { ...meta, viewer: VIEWER }, body, oversize: tooLarge }).then((reply) => {
      if (reply?.ok) forget(reply.result);
    });
  }

  /** The viewer's own action, handed on as the two facts the hook sent: what
   * was done (its URL) and to whom. The engine makes its envelope.
   * @param {{ url?: unknown, target?: unknown }} action @param {unknown} status */
  function onAction(action, status) {
    if (typeof action.url !== 'string' || !site.isAccountId(String(action.target))) return;
    send({ type: msg.ACTION, viewer: VIEWER, url: action.url.slice(0, 300), target: String(action.target), status: Number(status) }).then((reply) => {
      if (reply?.ok) forget(reply.result);
    });
  }

  // ----- badges -----
  const { COLOUR, ICON } = globalThis.Reciprocity.BADGE_LOOK;
  /** Beside X's own "Follows you": since when (good), followed again (warning), new.
   * @type {Record<wasm_bindgen.Severity, string>} */
  const BESIDE_ICON = { good: '⏱', warning: '⚠', neutral: '•', alert: '⚠' };
  const STYLE = `
    :host { all: initial; display: inline-block; vertical-align: middle; margin: 2px 6px; position: relative;
      font: 600 12px/1.4 -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
    .badge { display: inline-flex; gap: 4px; align-items: center; padding: 1px 8px; border-radius: 9999px;
      border: 1px solid var(--c); color: var(--c); background: color-mix(in srgb, var(--c) 12%, transparent);
      cursor: default; white-space: nowrap; }
    .badge:focus-visible { outline: 2px solid var(--c); outline-offset: 2px; }
    .tip { display: none; position: absolute; z-index: 2147483647; top: calc(100% + 6px); left: 0; min-width: 240px;
      max-width: 340px; padding: 8px 10px; border-radius: 8px; font-weight: 400; white-space: normal;
      color: #e7e9ea; background: #15202b; border: 1px solid #38444d; box-shadow: 0 4px 14px rgba(0,0,0,.35); }
    .tip.light { color: #0f1419; background: #fff; border-color: #cfd9de; box-shadow: 0 4px 14px rgba(101,119,134,.3); }
    :host(:hover) .tip, .badge:focus + .tip, .badge:focus-visible + .tip, .tip.pinned { display: block; }
    .tip p { margin: 0 0 4px; } .tip ul { margin: 4px 0 0; padding-left: 16px; } .muted { opacity: .75; }`;

  /** X's theme, from the page's background: light, or dim/dark. */
  function pageIsLight() {
    const m = /rgba?\((\d+),\s*(\d+),\s*(\d+)(?:,\s*([\d.]+))?/.exec(getComputedStyle(document.body || document.documentElement).backgroundColor);
    if (!m || m[4] === '0') return true;
    return 0.2126 * Number(m[1]) + 0.7152 * Number(m[2]) + 0.0722 * Number(m[3]) > 128;
  }

  /** @param {HTMLElement} host @param {wasm_bindgen.Badge} a @param {boolean} light
   * @param {boolean} compact in a list: the icon alone, its words on hover and focus
   * @param {boolean} xFollows the network shows its own "Follows you" here */
  function render(host, a, light, compact, xFollows) {
    // Beside X's "Follows you": what X does not say, and X's word as the fresher.
    const beside = xFollows ? a.beside_x_follows_you : null;
    const v = beside ? { ...a.verdict, ...beside } : a.verdict;
    const gone = a.gone;
    const colour = gone ? COLOUR.neutral : COLOUR[v.severity];
    host.setAttribute(HOST_ATTR, v.code);
    host.setAttribute('data-reciprocity-account', a.account.id);
    const root = shadowOf(host);
    root.textContent = '';
    const style = document.createElement('style');
    style.textContent = STYLE;
    const badge = document.createElement('span');
    badge.className = light ? 'badge light' : 'badge';
    badge.tabIndex = 0;
    badge.style.setProperty('--c', light ? colour.light : colour.dark);
    badge.setAttribute('role', 'note');
    badge.setAttribute('aria-label', `Reciprocity: ${v.label}. ${v.text}`);
    const icon = beside ? BESIDE_ICON[beside.severity] : ICON[gone ? 'gone' : v.code];
    badge.textContent = compact ? icon : `${icon} ${v.label}`;
    if (beside) host.setAttribute('data-reciprocity-beside-x', 'true');
    else host.removeAttribute('data-reciprocity-beside-x');
    const tip = document.createElement('div');
    tip.className = light ? 'tip light' : 'tip';
    const p = document.createElement('p');
    p.textContent = compact ? `${v.label}. ${v.text}` : v.text;
    const conf = document.createElement('p');
    conf.className = 'muted';
    conf.textContent = v.confidence_text;
    const list = document.createElement('ul');
    for (const e of v.evidence) {
      const li = document.createElement('li');
      li.textContent = e.text;
      list.append(li);
    }
    tip.append(p, conf, list);
    // A click shows the evidence (and keeps it shown until the next click).
    badge.addEventListener('click', () => tip.classList.toggle('pinned'));
    root.append(style, badge, tip);
  }

  /** A badge is not part of the cell or link it sits in: its clicks and keys stop
   * at the badge, so X never navigates or opens anything because of it.
   * @param {HTMLElement} host */
  function keepEventsIn(host) {
    for (const type of ['click', 'auxclick', 'mousedown', 'mouseup', 'pointerdown', 'pointerup', 'touchstart', 'touchend']) {
      host.addEventListener(type, (e) => {
        e.stopPropagation();
        if (type === 'click' || type === 'auxclick') e.preventDefault();
      });
    }
    host.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.stopPropagation();
        e.preventDefault();
        if (!e.repeat) /** @type {HTMLElement | null} */ (shadowOf(host).querySelector('.badge'))?.click();
      }
    });
  }

  // Which badges each place shows, as the user chose (popup or dashboard), kept
  // current in every open tab.
  /** @type {BadgeSettings} */
  let choices = { ...BADGE_DEFAULTS };
  api.storage.local.get(keys.BADGES).then(
    (got) => {
      choices = { ...BADGE_DEFAULTS, ...(got[keys.BADGES] || {}) };
      schedule();
    },
    () => {},
  );
  api.storage.onChanged.addListener((changes, area) => {
    if (area !== 'local' || !(keys.BADGES in changes)) return;
    choices = { ...BADGE_DEFAULTS, ...(changes[keys.BADGES].newValue || {}) };
    for (const el of document.querySelectorAll(`[${HOST_ATTR}]`)) if (hosts.has(el)) shown.delete(el);
    schedule();
  });

  /** What says something (the engine's `Notable`): in a list, it follows you or
   * stopped, drops people, blocks you or is gone; on a post, only what should
   * give pause before engaging (not "follows you").
   * @param {keyof BadgeSettings} place @param {wasm_bindgen.Badge} a */
  const notable = (place, a) => (place === 'tweet' ? a.notable.on_post : a.notable.in_list);

  /** Your own posts carry nothing (an X id, or a Bluesky DID).
   * @param {keyof BadgeSettings} place @param {wasm_bindgen.Badge} a */
  const wanted = (place, a) =>
    !(place === 'tweet' && (a.account.id === VIEWER || a.account.did === VIEWER)) &&
    (choices[place] === 'all' || (choices[place] === 'notable' && notable(place, a)));

  // Our bookkeeping stays out of the page's sight: each badge host's closed
  // shadow root and account, in WeakMaps; the light DOM carries only the verdict
  // and the account id.
  /** @type {WeakMap<Element, { root: ShadowRoot, account: string }>} */
  const hosts = new WeakMap();
  /** @param {HTMLElement} host */
  const shadowOf = (host) => /** @type {{ root: ShadowRoot }} */ (hosts.get(host)).root;

  // An account as asked ('@handle', lowercased, or a DID) → its annotation, or
  // null when the ledger does not know it yet.
  // Entries a capture may have changed are dropped (see `forget`).
  /** @type {Map<string, wasm_bindgen.Badge | null>} */
  const cache = new Map();
  // badge host → the annotation it shows, and whether X's "Follows you" was beside it
  /** @type {WeakMap<Element, { a: wasm_bindgen.Badge, xFollows: boolean }>} */
  const shown = new WeakMap();

  function targets() {
    /** @type {{ el: Element, key: string, place: keyof BadgeSettings }[]} */
    const out = [];
    for (const [kind, selector] of Object.entries(site.places)) {
      const place = /** @type {keyof BadgeSettings} */ (kind);
      for (const el of document.querySelectorAll(selector)) {
        const key = site.accountOf(place, el);
        if (key) out.push({ el, key, place });
      }
    }
    return out;
  }

  /** @param {Element} el @returns {HTMLElement | null} */
  function badgeFor(el) {
    return /** @type {HTMLElement | undefined} */ ([...el.querySelectorAll(`[${HOST_ATTR}]`)].find((c) => hosts.has(c))) || null;
  }

  let scheduled = false;
  let running = false;
  let again = false;

  function refresh() {
    cache.clear();
    schedule();
  }

  /** Drops what a capture may have changed, then redraws: the accounts it named
   * (by id or handle), or everything when it finished a walk of a list.
   * @param {{ changed: string[], handles: string[], refresh_all: boolean }} change */
  function forget(change) {
    if (change.refresh_all) return refresh();
    const ids = new Set(change.changed);
    // Handles are asked as `@handle`, DIDs as they are.
    const handles = new Set(change.handles.map((h) => (h.startsWith('did:') ? h : `@${h.toLowerCase()}`)));
    for (const [key, a] of cache) {
      if (handles.has(key) || (a && ids.has(a.account.id))) cache.delete(key);
    }
    schedule();
  }

  function schedule() {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(() => {
      scheduled = false;
      if (running) again = true;
      else scan();
    });
  }

  async function scan() {
    const v = VIEWER;
    if (!v) return;
    running = true;
    try {
      const found = targets();
      const ask = [...new Set(found.map((f) => f.key).filter((k) => !cache.has(k)))];
      if (ask.length) {
        const reply = await send({ type: msg.ANNOTATE, viewer: v, accounts: ask, lang });
        if (reply?.ok) {
          for (const [i, k] of ask.entries()) cache.set(k, reply.badges[i]);
        }
      }
      const light = pageIsLight(); // once per scan, not per badge
      /** @type {Set<Element>} */
      const kept = new Set();
      for (const { el, key, place } of found) {
        let host = badgeFor(el);
        // A recycled row now shows someone else: its old badge goes first.
        if (host && hosts.get(host)?.account !== key) {
          host.remove();
          host = null;
        }
        if (host) kept.add(host);
        if (!cache.has(key) || !el.isConnected) continue;
        const a = cache.get(key);
        if (!a || !wanted(place, a)) {
          // Not known yet (no badge rather than a wrong one; a later capture brings
          // it), or not wanted in this place.
          if (host) host.remove();
          continue;
        }
        const xFollows = site.showsFollowsYou(el);
        const was = host && shown.get(host);
        if (was && was.a === a && was.xFollows === xFollows) continue;
        if (!host) {
          host = document.createElement('span');
          hosts.set(host, { root: host.attachShadow({ mode: 'closed' }), account: key });
          keepEventsIn(host);
          site.placeBadge(place, el, key, host);
          kept.add(host);
        }
        render(host, a, light, site.compact.includes(place), xFollows);
        shown.set(host, { a, xFollows });
      }
      // A badge whose place names nobody now (a recycled row filling in again, a
      // card emptied) goes: never a stale badge.
      for (const h of document.querySelectorAll(`[${HOST_ATTR}]`)) {
        if (hosts.has(h) && !kept.has(h)) h.remove();
      }
    } finally {
      running = false;
      if (again) {
        again = false;
        schedule();
      }
    }
  }

  const observer = new MutationObserver((records) => {
    // Our own badges coming and going do not need a scan.
    const ours = (/** @type {Node} */ n) => hosts.has(/** @type {Element} */ (n));
    if (records.every((r) => [...r.addedNodes, ...r.removedNodes].every(ours) && r.addedNodes.length + r.removedNodes.length > 0)) return;
    schedule();
  });

  function watch() {
    observer.observe(document.documentElement, { childList: true, subtree: true, characterData: true });
    schedule();
  }

  // Single-page navigation: the page changes the URL with pushState; the DOM mutations
  // that follow trigger a scan, and popstate covers back and forward.
  window.addEventListener('popstate', refresh);
  if (document.documentElement) watch();
  else document.addEventListener('DOMContentLoaded', watch, { once: true });

  api.runtime.onMessage.addListener((message, _sender, sendResponse) => {
    if (message && message.type === msg.LEDGER_CHANGED) forget(message);
    if (message && message.type === msg.WHO) sendResponse({ viewer: VIEWER, ambiguous: site.ambiguousViewer });
  });
})();
