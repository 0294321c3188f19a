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
 * what it was given. */
function world() {
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
    Response,
    URL,
    MessageChannel,
    MessagePort,
    EventTarget,
    queueMicrotask,
    document: { cookie: 'lang=en; twid=u%3D900000000000000001' },
    location: { href: 'https://x.com/home', origin: 'https://x.com' },
    postMessage() {},
    fetch(...args) {
      given.push(args);
      return Promise.resolve(new Response('{}'));
    },
  };
  ctx.window = ctx;
  const original = ctx.fetch;
  vm.createContext(ctx);
  vm.runInContext(HOOK, ctx);
  return { fetch: ctx.fetch, given, ctx, original };
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
