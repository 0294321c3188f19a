// The worker's pure checks (extension/background/checks.js) and the platform
// layer's pure helpers (extension/platform.js), in Node: each classic script runs
// in a vm context as the browser would load it, after messages.js.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const ext = (file) => fs.readFileSync(path.resolve(here, '../../extension', file), 'utf8');

/** A fresh context with the shared scripts loaded, as the worker loads them. */
function load() {
  const ctx = vm.createContext({ URL, TextEncoder, navigator: { language: 'en' } });
  for (const file of ['messages.js', 'platform.js', 'background/checks.js']) vm.runInContext(ext(file), ctx, { filename: file });
  vm.runInContext(fs.readFileSync(path.resolve(here, '../../www/engine-service.js'), 'utf8'), ctx, { filename: 'engine-service.js' });
  return {
    checks: vm.runInContext('ReciprocityChecks', ctx),
    platform: vm.runInContext('ReciprocityPlatform', ctx),
    reciprocity: vm.runInContext('Reciprocity', ctx),
    service: vm.runInContext('ReciprocityEngineService', ctx),
  };
}

const { checks, platform, reciprocity, service } = load();

describe('the message table', () => {
  it('makes one constant per message, named from it', () => {
    const names = Object.keys(reciprocity.MESSAGES);
    assert.ok(names.length > 20);
    assert.deepEqual(Object.values(reciprocity.msg).sort(), [...names].sort());
    assert.equal(reciprocity.msg.SET_PAUSED, 'set-paused');
    assert.equal(reciprocity.msg.VIEWER_SERIES, 'viewer-series');
  });
  it('lets x.com tabs send only captures, actions and badge questions', () => {
    const fromTabs = Object.entries(reciprocity.MESSAGES)
      .filter(([, r]) => r.from === 'tabs')
      .map(([n]) => n)
      .sort();
    assert.deepEqual(fromTabs, ['action', 'annotate', 'capture']);
  });
});

describe('the engine service', () => {
  it('answers the messages the table gives it, and says which change the ledger', () => {
    for (const [name, route] of Object.entries(reciprocity.MESSAGES)) {
      assert.equal(service.answers(name), route.engine !== null, name);
      assert.equal(service.changes(name), route.engine === 'changes', name);
    }
    assert.ok(service.answers('annotate') && !service.changes('annotate'));
    assert.ok(service.changes('forget') && !service.answers('capture') && !service.answers('nonsense'));
  });
  it('tells an engine refusal from a trap', () => {
    assert.ok(!service.isTrap({ code: 'bad_id', message: 'not an id' }));
    for (const trap of [new Error('unreachable'), { code: 7 }, null, 'boom']) assert.ok(service.isTrap(trap), String(trap));
    assert.deepEqual({ ...service.failure({ code: 'bad_id', message: 'not an id' }) }, { code: 'bad_id', error: 'not an id' });
    assert.deepEqual({ ...service.failure(new Error('unreachable')) }, { code: 'internal', error: 'unreachable' });
  });
});

describe('what is kept of a capture that failed', () => {
  it('keeps the shape of the JSON, never a string or a number of it', () => {
    const body = JSON.stringify({ data: { user: { name: 'Secret Name', id: 123456, 1234567: { a: 'b' } }, list: [1, 2, 3, 4, 5] } });
    const shape = checks.shapeOf(body);
    assert.doesNotMatch(shape, /Secret|123456/);
    assert.deepEqual(JSON.parse(shape), { data: { user: { name: '', id: 0, '<id>': { a: '' } }, list: [0, 0, 0, '…5'] } });
    assert.equal(checks.shapeOf('not json {'), '(not JSON)');
  });
  it('caps a deep or wide body', () => {
    let deep = '1';
    for (let i = 0; i < 40; i++) deep = `[${deep}]`;
    assert.match(checks.shapeOf(deep), /…/);
    const wide = JSON.stringify(Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, 'v'.repeat(50)])));
    assert.ok(checks.shapeOf(wide).length <= 4096);
  });
  it('drops the query of the URL and of the error, keeps the operation', () => {
    const url = 'https://x.com/i/api/graphql/q/Followers?variables=%7B%22userId%22%3A%2212%22%7D';
    const f = checks.failureOf(url, '{"a":"secret"}', { code: 'unknown_layout', error: `bad page at ${url} "x"` });
    assert.equal(f.operation, 'Followers');
    assert.equal(f.code, 'unknown_layout');
    assert.doesNotMatch(f.error, /variables|userId/);
    assert.doesNotMatch(JSON.stringify(f), /secret/);
    assert.equal(checks.operationOf('not a url'), '');
  });
  it("reads an envelope's URL from its text", () => {
    const text = JSON.stringify({ platform: 'x', viewer: '1', url: 'https://x.com/i/api/graphql/q/UserByScreenName?v="1"', body: {} });
    assert.equal(checks.urlOf(text), 'https://x.com/i/api/graphql/q/UserByScreenName?v=\\"1\\"');
    assert.equal(checks.urlOf('{"no":"url"}'), '');
  });
});

describe('a capture as the page sent it', () => {
  const meta = { platform: 'x', viewer: '1', method: 'GET', url: 'https://x.com/i/api/graphql/q/Followers', request_body: null, status: 200 };
  it('is read field by field', () => {
    assert.deepEqual({ ...checks.captureOf({ meta, body: '{}' }) }, { viewer: '1', method: 'GET', url: meta.url, request_body: null, status: 200, body: '{}' });
    // A viewer that is not a string is read as none (the worker then refuses it as signed out).
    assert.equal(checks.captureOf({ meta: { ...meta, viewer: 7 }, body: '{}' }).viewer, '');
  });
  it('is refused when a field has the wrong type', () => {
    for (const bad of [
      null,
      'capture',
      {},
      { meta },
      { meta, body: {} },
      { meta: { ...meta, url: 5 }, body: '' },
      { meta: { ...meta, status: '200' }, body: '' },
      // Numbers the engine's 16-bit status would wrap or truncate.
      { meta: { ...meta, status: 65736 }, body: '' },
      { meta: { ...meta, status: 200.5 }, body: '' },
      { meta: { ...meta, status: Number.NaN }, body: '' },
      { meta: { ...meta, request_body: {} }, body: '' },
    ])
      assert.equal(checks.captureOf(bad), null, JSON.stringify(bad));
  });
});

describe('who may ask', () => {
  const id = 'abcdefghijklmnop';
  // The check is an origin's equality; Node's URL gives extension schemes no
  // origin ("null"), so an https origin stands in for the extension's here.
  const own = 'https://abcdefghijklmnop.extension.test';
  it('an extension page, by its origin', () => {
    assert.ok(checks.fromExtensionPage({ id, url: `${own}/www/index.html` }, id, own));
    assert.ok(!checks.fromExtensionPage({ id, url: 'https://x.com/home' }, id, own));
    assert.ok(!checks.fromExtensionPage({ id: 'other', url: `${own}/popup/popup.html` }, id, own));
    assert.ok(!checks.fromExtensionPage({ id }, id, own));
  });
  it("a tab's top frame names its network, never a frame or another site", () => {
    const tab = { id: 3 };
    const of = (/** @type {object} */ sender) => checks.networkOfTopFrame({ id, tab, frameId: 0, ...sender }, id);
    assert.equal(of({ url: 'https://x.com/home' }), 'x');
    assert.equal(of({ url: 'https://twitter.com/someone' }), 'x');
    assert.equal(of({ url: 'https://bsky.app/profile/bsky.app' }), 'bsky');
    assert.equal(of({ frameId: 2, url: 'https://x.com/home' }), null);
    assert.equal(of({ frameId: 1, url: 'https://bsky.app/' }), null);
    assert.equal(of({ url: 'https://x.com.evil.example/' }), null);
    assert.equal(of({ url: 'https://bsky.app.evil.example/' }), null);
    assert.equal(of({ url: 'https://staging.bsky.app/' }), null);
    assert.equal(of({ tab: undefined, url: 'https://x.com/home' }), null);
    assert.equal(of({ id: 'other', url: 'https://bsky.app/' }), null);
  });
  it("a viewer is an X id on X and a DID on Bluesky, never the other's", () => {
    assert.ok(checks.isViewerOf('x', '1964312974236991488'));
    assert.ok(!checks.isViewerOf('x', 'did:plc:5c2r73erhng4bszmxlfdtscf'));
    assert.ok(checks.isViewerOf('bsky', 'did:plc:5c2r73erhng4bszmxlfdtscf'));
    assert.ok(checks.isViewerOf('bsky', 'did:web:example.com'));
    assert.ok(!checks.isViewerOf('bsky', '1964312974236991488'));
    assert.ok(!checks.isViewerOf('bsky', 'did:plc:TOOSHORT'));
    assert.ok(!checks.isViewerOf('bsky', ''));
  });
});

describe('the rate of captures per tab', () => {
  it('allows a burst, then refills by the minute, per tab and per kind', () => {
    const within = checks.rateLimiter({ list: { burst: 3, perMinute: 60 }, other: { burst: 2, perMinute: 6 } });
    assert.deepEqual(
      [1, 2, 3, 4].map(() => within(1, 'list', 0)),
      [true, true, true, false],
    );
    // Another kind and another tab have their own budgets.
    assert.ok(within(1, 'other', 0));
    assert.ok(within(2, 'list', 0));
    // A second refills one list token (60 a minute); an "other" token takes ten.
    assert.ok(within(1, 'list', 1000));
    assert.ok(!within(1, 'list', 1000));
    assert.ok(within(1, 'other', 1000));
    assert.ok(!within(1, 'other', 1000));
    assert.ok(within(1, 'other', 11_000));
  });
});

describe('handles from URLs', () => {
  it("reads a profile's handle, never one of X's own pages", () => {
    assert.equal(platform.handleFromUrl('https://x.com/XDevelopers'), 'XDevelopers');
    assert.equal(platform.handleFromUrl('/XDevelopers/followers', 'https://x.com/home'), 'XDevelopers');
    assert.equal(platform.handleFromUrl('/XDevelopers/followers', 'https://x.com/home', { profileOnly: true }), null);
    for (const own of ['https://x.com/home', 'https://x.com/i/flow/login', 'https://x.com/settings/account', 'https://x.com/Explore']) {
      assert.equal(platform.handleFromUrl(own), null, own);
    }
    assert.equal(platform.handleFromUrl('https://example.org/XDevelopers'), null);
    assert.equal(platform.handleFromUrl('https://x.com/this_handle_is_too_long'), null);
    assert.equal(platform.handleFromUrl('::'), null);
  });
  it('says what went wrong in words', () => {
    assert.equal(platform.errorMessage(new Error('boom')), 'boom');
    assert.equal(platform.errorMessage({ code: 'bad_id', message: 'not an id' }), 'not an id');
    assert.equal(platform.errorMessage('plain'), 'plain');
  });
});

describe("the account a tab's page is about (the popup's profile)", () => {
  it('names X profiles by @handle and bsky.app profiles by @handle or DID, and nothing else', () => {
    const of = platform.accountFromUrl;
    assert.equal(of('https://x.com/XDevelopers'), '@xdevelopers');
    assert.equal(of('https://x.com/XDevelopers/followers'), '@xdevelopers');
    assert.equal(of('https://x.com/home'), null);
    assert.equal(of('https://bsky.app/profile/chriskenny.bsky.social'), '@chriskenny.bsky.social');
    assert.equal(of('https://bsky.app/profile/ChrisKenny.bsky.social/followers'), '@chriskenny.bsky.social');
    assert.equal(of('https://bsky.app/profile/did:plc:wpe35pganb6d4pg4ekmfy6u5'), 'did:plc:wpe35pganb6d4pg4ekmfy6u5');
    assert.equal(of('https://bsky.app/notifications'), null);
    assert.equal(of('https://bsky.app/profile/not%20a%20handle'), null);
    assert.equal(of('https://bsky.app.evil.example/profile/a.bsky.social'), null);
    assert.equal(of('not a url'), null);
  });
});
