// The page hook's request normalisation, in Node, as properties over generated
// requests: whatever the page passes to fetch, the original fetch gets one value
// read once (the URL as a string, the options as one copy), so a getter or a
// toString cannot answer one thing to X and another to the hook. The hook runs
// in a vm context with the browser built-ins it reads (Node's own where it has
// them: Request, Response, URL, MessageChannel; small stand-ins for the rest).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const HOOK = fs.readFileSync(path.resolve(here, '../../extension/content/hook.js'), 'utf8');
const X = 'https://x.com/i/api/graphql/q/Followers?variables=%7B%22userId%22%3A%221%22%7D';
const OTHER = 'https://example.org/a?b=c';
const BLOB = 'blob:https://x.com/0b7e8a5c-1d2e-4f3a-9b8c-7d6e5f4a3b2c';

/** A fresh page world with the hook loaded; `fetch` is a stand-in that records
 * what it was given (and answers `answer`). `site` sets the page's address and
 * storage; what the hook posts through its channel lands in `posted`. */
function world({ site = 'x', storage = {}, answer = '{}' } = {}) {
  const posted = [];
  class Answer {
    #body;
    #url;
    constructor(body, url) {
      this.#body = body;
      this.#url = url;
    }
    get url() {
      return this.#url;
    }
    get status() {
      return 200;
    }
    clone() {
      return new Answer(this.#body, this.#url);
    }
    text() {
      return Promise.resolve(this.#body);
    }
  }
  const given = [];
  class XMLHttpRequest extends EventTarget {
    open() {}
    send() {}
  }
  for (const name of ['responseText', 'response', 'responseType', 'status', 'responseURL']) {
    Object.defineProperty(XMLHttpRequest.prototype, name, {
      get() {
        return '';
      },
      configurable: true,
    });
  }
  // The context has its own Object, Function, Promise, RegExp… (the hook
  // replaces Function.prototype.toString there, not in this process).
  const ctx = {
    XMLHttpRequest,
    Request,
    Response: site === 'bsky' ? Answer : Response,
    URL,
    MessageChannel,
    MessagePort,
    EventTarget,
    queueMicrotask,
    document: { cookie: 'lang=en; twid=u%3D900000000000000001' },
    location:
      site === 'bsky'
        ? { href: 'https://bsky.app/profile/chriskenny.bsky.social', origin: 'https://bsky.app', hostname: 'bsky.app' }
        : { href: 'https://x.com/home', origin: 'https://x.com', hostname: 'x.com' },
    localStorage: { getItem: (key) => storage[key] ?? null },
    postMessage(_data, _origin, ports) {
      if (!ports?.[0]) return;
      ports[0].onmessage = (e) => posted.push(e.data);
      ports[0].unref(); // the channel keeps no test running
    },
    fetch(...args) {
      given.push(args);
      // A real fetch's response names the URL it came from (Node's cannot be
      // given one: a stand-in does, read through its prototype's getters).
      return Promise.resolve(site === 'bsky' ? new Answer(answer, String(args[0])) : new Response(answer));
    },
  };
  ctx.window = ctx;
  const original = ctx.fetch;
  vm.createContext(ctx);
  vm.runInContext(HOOK, ctx);
  return { fetch: ctx.fetch, given, ctx, original, posted };
}

/** A small deterministic generator (xorshift), so that failures repeat. */
function rng(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}
const pick = (r, xs) => xs[Math.floor(r() * xs.length)];

describe('the hook reads each request once', () => {
  it('a URL object read several times gives the original fetch its first reading, read once', () => {
    const w = world();
    const urls = [X, OTHER, BLOB, '/i/api/graphql/q/UserByScreenName?variables=%7B%7D'];
    for (let seed = 1; seed <= 300; seed++) {
      const r = rng(seed);
      const readings = Array.from({ length: 1 + Math.floor(r() * 4) }, () => pick(r, urls));
      let reads = 0;
      const input = { toString: () => readings[Math.min(reads++, readings.length - 1)] };
      w.given.length = 0;
      w.fetch(input);
      assert.equal(reads, 1, `seed ${seed}: read once`);
      assert.equal(w.given.length, 1);
      assert.equal(w.given[0][0], readings[0], `seed ${seed}: the first reading went to fetch`);
      assert.equal(typeof w.given[0][0], 'string');
    }
  });

  it('options whose getters change are read once each, and fetch gets that copy', () => {
    const w = world();
    const keys = ['method', 'body', 'headers', 'credentials', 'mode', 'cache', 'redirect', 'referrer'];
    for (let seed = 1; seed <= 300; seed++) {
      const r = rng(seed);
      const reads = {};
      const init = {};
      const first = {};
      for (const key of keys.filter(() => r() < 0.5)) {
        const values = [`${key}-a-${seed}`, `${key}-b-${seed}`];
        first[key] = values[0];
        reads[key] = 0;
        Object.defineProperty(init, key, { enumerable: r() < 0.5, get: () => values[Math.min(reads[key]++, 1)] });
      }
      w.given.length = 0;
      w.fetch(pick(r, [X, OTHER]), init);
      for (const key of Object.keys(reads)) assert.equal(reads[key], 1, `seed ${seed}: ${key} read once`);
      const passed = w.given[0][1];
      assert.notEqual(passed, init, "a copy, not the page's object");
      assert.deepEqual({ ...passed }, first, `seed ${seed}: the copy holds the first readings`);
    }
  });

  it('a URL instance goes as its href, a Request untouched, and what cannot be read passes on as it came', () => {
    const w = world();
    w.fetch(new URL(X));
    assert.equal(w.given[0][0], X);
    const request = new Request(X);
    w.fetch(request);
    assert.equal(w.given[1][0], request, 'the same Request');
    const throwing = {
      toString() {
        throw new Error('no');
      },
    };
    w.fetch(throwing);
    assert.equal(w.given[2][0], throwing, 'unreadable: the original arguments, for fetch to refuse as it would');
    w.fetch(X, 'not an object');
    assert.equal(w.given[3][1], 'not an object');
    assert.equal(w.given.length, 4);
  });

  it('the wrapper looks like the original: its name, its length, its source text', () => {
    const w = world();
    assert.notEqual(w.fetch, w.original, 'wrapped');
    assert.equal(w.fetch.name, w.original.name);
    assert.equal(w.fetch.length, w.original.length);
    const toText = vm.runInContext('Function.prototype.toString', w.ctx);
    assert.equal(toText.call(w.fetch), toText.call(w.original));
  });
});

describe('on bsky.app', () => {
  const DID = 'did:plc:5c2r73erhng4bszmxlfdtscf';
  const session = (did) =>
    JSON.stringify({
      session: {
        currentAccount: {
          did,
          handle: 'bskyr.bsky.social',
          service: 'https://bsky.social',
          pdsUrl: 'https://morel.us-east.host.bsky.network',
          accessJwt: 'SECRET-A',
          refreshJwt: 'SECRET-R',
        },
      },
    });
  const PDS = 'https://morel.us-east.host.bsky.network/xrpc';
  const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

  it("copies the listed reads from the session's hosts as the stored DID's, never a session's, never another host's", async () => {
    const w = world({ site: 'bsky', storage: { BSKY_STORAGE: session(DID) }, answer: '{"did":"x","accessJwt":"SECRET-A"}' });
    await w.fetch(`${PDS}/app.bsky.actor.getProfile?actor=chriskenny.bsky.social`);
    await w.fetch(`${PDS}/com.atproto.server.refreshSession`, { method: 'POST' });
    await w.fetch(`${PDS}/com.atproto.server.createSession`, { method: 'POST', body: '{"password":"p"}' });
    await w.fetch(`${PDS}/app.bsky.feed.getTimeline`);
    await w.fetch(`${PDS}/app.bsky.actor.searchActorsTypeahead?q=po&limit=8`);
    // A read not on the list: not copied.
    await w.fetch(`${PDS}/app.bsky.actor.getPreferences`);
    await w.fetch('https://public.api.bsky.app/xrpc/app.bsky.graph.getFollowers?actor=a&sort=top');
    // A host the session does not read from (a page's own server): not copied.
    await w.fetch('https://evil.example/xrpc/app.bsky.actor.getProfile?actor=chriskenny.bsky.social');
    await w.fetch('https://morel.us-east.host.bsky.network.evil.example/xrpc/app.bsky.actor.getProfile?actor=a');
    await settle();
    assert.deepEqual(
      w.posted.map((p) => [p.meta.platform, p.meta.viewer, p.meta.url]),
      [
        ['bsky', DID, `${PDS}/app.bsky.actor.getProfile?actor=chriskenny.bsky.social`],
        ['bsky', DID, `${PDS}/app.bsky.feed.getTimeline`],
        ['bsky', DID, `${PDS}/app.bsky.actor.searchActorsTypeahead?q=po&limit=8`],
        ['bsky', DID, 'https://public.api.bsky.app/xrpc/app.bsky.graph.getFollowers?actor=a&sort=top'],
      ],
    );
    assert.ok(!JSON.stringify(w.posted.map((p) => p.meta)).includes('SECRET'));
  });

  it('records nothing, and wraps nothing, signed out or when the two stored sessions disagree', async () => {
    for (const storage of [
      {},
      { BSKY_STORAGE: session(DID), BSKY_SESSION_STORAGE_V1: JSON.stringify({ currentDid: 'did:plc:wpe35pganb6d4pg4ekmfy6u5' }) },
      { BSKY_STORAGE: session('did:plc:NOT-A-DID') },
    ]) {
      const w = world({ site: 'bsky', storage });
      assert.equal(w.fetch, w.original, JSON.stringify(Object.keys(storage)));
    }
    const agreeing = world({ site: 'bsky', storage: { BSKY_STORAGE: session(DID), BSKY_SESSION_STORAGE_V1: JSON.stringify({ currentDid: DID }) } });
    assert.notEqual(agreeing.fetch, agreeing.original);
  });
});
