// Where the tests look on the replay's pages (x.com's real structure, see app.js),
// and small helpers on its fixtures, shared by the Chromium and Firefox suites.
import { fixture } from './server.mjs';

export const HEADER = '[data-testid="primaryColumn"] [data-testid="UserName"]';
export const HOVER = '#layers [data-testid="HoverCard"]';
export const CELL = '[data-testid="UserCell"]';
export const ROW = '[data-testid="cellInnerDiv"] button[data-testid="UserCell"]';
export const SIDEBAR_CELL = '[data-testid="sidebarColumn"] li[data-testid="UserCell"]';
export const BADGE = '[data-reciprocity-verdict]';
export const BRAND = 'xdevelopers';
export const BRAND_ID = '2244994945';

/** The GraphQL user objects of a real response, in order. */
export function usersOf(file) {
  const out = [];
  (function walk(o) {
    if (!o || typeof o !== 'object') return;
    if (o.__typename === 'User' && o.rest_id && o.core) out.push(o);
    else Object.values(o).forEach(walk);
  })(JSON.parse(fixture(file)));
  return out;
}

/** A real profile response whose display name is `name` (a derived copy). */
export function withDisplayName(file, name) {
  const body = JSON.parse(fixture(file));
  (function rename(o) {
    if (!o || typeof o !== 'object') return;
    if (o.__typename === 'User' && o.core) o.core.name = name;
    Object.values(o).forEach(rename);
  })(body);
  return JSON.stringify(body);
}

/** Runs in the page (Playwright's and Puppeteer's `evaluate` alike): one profile
 * fetched with fetch and with XMLHttpRequest (responseType json), and a request
 * the replay answers 404, as the page receives them.
 * @param {string} screenName */
export async function fetchBothWays(screenName) {
  const url = `/i/api/graphql/q/UserByScreenName?variables=${encodeURIComponent(JSON.stringify({ screen_name: screenName }))}`;
  const ok = await fetch(url, { headers: { 'x-replay-app': '1' } }).then((r) => r.text());
  const missing = await fetch('/i/api/graphql/q/UserByScreenName?variables=%7B%7D', { headers: { 'x-replay-app': '1' } }).then((r) => r.status);
  const xhr = await new Promise((resolve) => {
    const x = new XMLHttpRequest();
    x.open('GET', url);
    x.setRequestHeader('x-replay-app', '1');
    x.responseType = 'json';
    x.onload = () => resolve(JSON.stringify(x.response));
    x.send();
  });
  return { ok, missing, xhr };
}

// Posts: the article, its author line, and a quoted post's block.
export const POST = 'article[data-testid="tweet"]';
export const AUTHOR = `${POST} [data-testid="User-Name"]`;
export const QUOTE_AUTHOR = `${POST} div[role="link"] [data-testid="User-Name"]`;

/** The bottom cursor of a real list answer moved to `at` (ms): a derived copy. */
function withCursorAt(body, atMs) {
  (function walk(o) {
    if (!o || typeof o !== 'object') return;
    if (o.cursorType === 'Bottom') {
      const [a, b] = o.value.split('|');
      const low = BigInt(a) & ((1n << 20n) - 1n);
      o.value = `${(BigInt(atMs) << 20n) | low}|${b}`;
    }
    Object.values(o).forEach(walk);
  })(body);
  return body;
}

/** XDevelopers' real Following page (2025-03-07: 60 accounts), derived: its
 * cursor dates its last follow `days` before `now` (ms), and the accounts at
 * `gone` (positions on the page) are taken out. */
export function followingDated(now, days, gone = []) {
  const body = withCursorAt(JSON.parse(fixture('2025-03-07_following.json')), now - days * 86400e3);
  (function walk(o) {
    if (!o || typeof o !== 'object') return;
    if (o.type === 'TimelineAddEntries') {
      let user = -1;
      o.entries = o.entries.filter((e) => !(String(e.entryId).startsWith('user-') && gone.includes(++user)));
      return;
    }
    Object.values(o).forEach(walk);
  })(body);
  return JSON.stringify(body);
}

/** Positions on that page whose accounts leave it soon after being followed:
 * below the first page's top, where a fixed block may sit. */
export const DROPPED = [25, 27, 30, 33, 40];

/** A real timeline answer whose first post is the viewer's own (derived: its
 * author's id, handle and name replaced). */
export function withOwnPost(file, viewer, handle = 'reciprocity_viewer') {
  const body = JSON.parse(fixture(file));
  let done = false;
  (function walk(o) {
    if (done || !o || typeof o !== 'object') return;
    if (o.tweet_results?.result) {
      const t = o.tweet_results.result.tweet || o.tweet_results.result;
      const u = t.core.user_results.result;
      u.rest_id = viewer;
      if (u.core) Object.assign(u.core, { screen_name: handle, name: 'Viewer' });
      if (u.legacy) Object.assign(u.legacy, { screen_name: handle, name: 'Viewer' });
      done = true;
      return;
    }
    Object.values(o).forEach(walk);
  })(body);
  return JSON.stringify(body);
}

/** A real profile answer with X's "follows you" flag set (a derived copy),
 * whatever its layout. */
export function withFollowedBy(file, followedBy) {
  const body = JSON.parse(fixture(file));
  (function walk(o) {
    if (!o || typeof o !== 'object') return;
    if (o.__typename === 'User' && o.rest_id) {
      if (o.relationship_perspectives) o.relationship_perspectives.followed_by = followedBy;
      else if (o.legacy) o.legacy.followed_by = followedBy;
      return;
    }
    Object.values(o).forEach(walk);
  })(body);
  return JSON.stringify(body);
}

/** A user object of a real list answer, as its own profile answer (derived),
 * following the viewer. */
export function profileOf(user) {
  const u = structuredClone(user);
  u.relationship_perspectives = { ...(u.relationship_perspectives || {}), followed_by: true };
  return JSON.stringify({ data: { user: { result: u } } });
}

/** Runs in the page: the forgeries a hostile script can make through its own
 * requests, each claiming to be X's whole Followers list of `viewer`, empty (an
 * answer that would turn every follower into an unfollower):
 *  - a URL that reads as a `blob:` URL to the real fetch and as x.com afterwards;
 *  - the same, the other way round (x.com first);
 *  - an XHR opened to x.com through the hook, then re-opened to a `blob:` URL by the
 *    untouched `open` of a fresh iframe.
 * Returns what the page got, to check the page itself was not disturbed.
 * @param {string} viewer */
export async function forgeThroughOwnRequests(viewer) {
  const forged = JSON.stringify({
    data: {
      user: {
        result: {
          timeline: {
            timeline: {
              instructions: [
                {
                  type: 'TimelineAddEntries',
                  entries: [{ entryId: 'cursor-bottom-0', content: { entryType: 'TimelineTimelineCursor', value: '0|1', cursorType: 'Bottom' } }],
                },
              ],
            },
          },
        },
      },
    },
  });
  const blob = URL.createObjectURL(new Blob([forged], { type: 'application/json' }));
  const xurl = `https://x.com/i/api/graphql/q/Followers?variables=${encodeURIComponent(JSON.stringify({ userId: viewer, count: 20 }))}`;
  const changing = (first, then) => {
    let reads = 0;
    return { toString: () => (reads++ === 0 ? first : then) };
  };
  const got = [];
  got.push(
    await fetch(/** @type {any} */ (changing(blob, xurl))).then(
      (r) => r.text(),
      (e) => String(e),
    ),
  );
  got.push(
    await fetch(/** @type {any} */ (changing(xurl, blob))).then(
      (r) => r.status,
      (e) => String(e),
    ),
  );
  const frame = document.createElement('iframe');
  document.body.append(frame);
  const rawOpen = /** @type {any} */ (frame.contentWindow).XMLHttpRequest.prototype.open;
  got.push(
    await new Promise((resolve) => {
      const x = new XMLHttpRequest();
      x.open('GET', xurl);
      rawOpen.call(x, 'GET', blob);
      x.onload = () => resolve(x.responseText);
      x.onerror = () => resolve('error');
      x.send();
    }),
  );
  frame.remove();
  return { got, forged };
}

/** Runs in the page: a removal of a follower whose body reads one way to the
 * request and another to whoever reads it again (`target` the second time).
 * @param {string} target */
export async function removalReadTwice(target) {
  let reads = 0;
  const init = {
    method: 'POST',
    get body() {
      return reads++ === 0 ? JSON.stringify({ variables: { target_user_id: '111' } }) : JSON.stringify({ variables: { target_user_id: target } });
    },
  };
  const status = await fetch('https://x.com/i/api/graphql/q/RemoveFollower', /** @type {any} */ (init)).then((r) => r.status);
  return { status, reads };
}

/** Runs in the page, after load: replaces the built-ins a hook might call late
 * (its port's `postMessage`, promise `then`, `RegExp` `test`/`exec`, `WeakMap`
 * `get`/`set`, `URL`'s `href`, string methods) with spies, makes a request the
 * hook collects (fetch, then XHR), and puts them back. A hook that called any of
 * them would hand the page its port, its responses or its routing. */
export async function spyOnBuiltIns(screenName) {
  const calls = [];
  let stolen = false;
  // Only calls made from the hook's own file count (the page's tooling, a test
  // driver's clock included, calls these too).
  // (`includes`: no spied method is used here.)
  const fromHook = () => String(new Error().stack).includes('content/hook.js');
  const spy = (name, orig, self, args) => {
    if (fromHook()) calls.push(name);
    return orig.apply(self, args);
  };
  const spies = [
    [
      MessagePort.prototype,
      'postMessage',
      (orig) =>
        function (...a) {
          if (fromHook()) stolen = true;
          return spy('postMessage', orig, this, a);
        },
    ],
    [
      Promise.prototype,
      'then',
      (orig) =>
        function (...a) {
          return spy('then', orig, this, a);
        },
    ],
    [
      RegExp.prototype,
      'test',
      (orig) =>
        function (...a) {
          return spy('test', orig, this, a);
        },
    ],
    [
      RegExp.prototype,
      'exec',
      (orig) =>
        function (...a) {
          return spy('exec', orig, this, a);
        },
    ],
    [
      WeakMap.prototype,
      'get',
      (orig) =>
        function (...a) {
          return spy('WeakMap.get', orig, this, a);
        },
    ],
    [
      WeakMap.prototype,
      'set',
      (orig) =>
        function (...a) {
          return spy('WeakMap.set', orig, this, a);
        },
    ],
    [
      String.prototype,
      'startsWith',
      (orig) =>
        function (...a) {
          return spy('startsWith', orig, this, a);
        },
    ],
    [
      String.prototype,
      'toUpperCase',
      (orig) =>
        function (...a) {
          return spy('toUpperCase', orig, this, a);
        },
    ],
  ];
  const saved = spies.map(([o, k, make]) => {
    const orig = o[k];
    o[k] = make(orig);
    return [o, k, orig];
  });
  const href = Object.getOwnPropertyDescriptor(URL.prototype, 'href');
  Object.defineProperty(URL.prototype, 'href', {
    ...href,
    get() {
      if (fromHook()) calls.push('href');
      return href.get.call(this);
    },
  });
  const url = `/i/api/graphql/q/UserByScreenName?variables=${encodeURIComponent(`{"screen_name":"${screenName}"}`)}`;
  let text = '';
  try {
    const r = await fetch(url);
    text = await r.text();
    await new Promise((resolve) => {
      const x = new XMLHttpRequest();
      x.open('GET', url);
      x.onload = resolve;
      x.onerror = resolve;
      x.send();
    });
    // Let the hook's own work (after the response) run while the spies are in place.
    await new Promise((resolve) => setTimeout(resolve, 300));
  } finally {
    for (const [o, k, orig] of saved) o[k] = orig;
    Object.defineProperty(URL.prototype, 'href', href);
  }
  return { calls, stolePort: stolen, got: text.length };
}
