// The extension end to end: dist/chrome loaded unmodified into Debian's Chromium,
// on the replay of x.com reached as https://x.com. Each scenario signs in as its
// own viewer, so scenarios share one browser and never share data.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launch, openAs, ask, stopWorker, badge, extensionPage, badgeShadow, setBadges, popupOver } from './harness.mjs';
import { fixture } from '../replay/server.mjs';
import { HEADER, HOVER, CELL, BRAND, BRAND_ID, withDisplayName, fetchBothWays } from '../replay/places.mjs';

let env;
before(async () => {
  env = await launch();
  // These scenarios read a badge on every list cell (the default shows only notable ones).
  await setBadges(env, { profileHeader: 'all', hoverCard: 'all', userCell: 'all' });
});
after(async () => {
  await env?.close();
});

async function verdictOf(page, scope) {
  const b = badge(page, scope).first();
  await b.waitFor({ timeout: 10000 });
  return b.getAttribute('data-reciprocity-verdict');
}

/** `viewer`'s first look at the brand, which follows it (the derived capture),
 * on Nov 1 in browser `on`: the header says "mutual". The tab stays open. */
async function mutualBrand(viewer, on = env) {
  on.replay.state.profiles.set(BRAND, fixture('2026-08-07_user_by_login.DERIVED-followed_by-true.json'));
  const page = await openAs(on, viewer, '2026-11-01T10:00:00Z');
  await page.goto('https://x.com/XDevelopers');
  assert.equal(await verdictOf(page, HEADER), 'mutual');
  return page;
}

describe('badges from captures', () => {
  it('a brand that follows you and unfollows after 9 days says so, with the dates', async () => {
    const viewer = '910000000000000001';
    let page = await mutualBrand(viewer);
    const host = badge(page, HEADER).first();
    assert.equal(await host.getAttribute('data-reciprocity-account'), '2244994945');
    await page.close();

    // Nine days later X says it no longer follows you.
    env.replay.state.profiles.set(BRAND, fixture('2026-08-07_user_by_login.json'));
    page = await openAs(env, viewer, '2026-11-10T10:00:00Z');
    await page.goto('https://x.com/XDevelopers');
    await page.waitForFunction(
      (sel) => document.querySelector(sel)?.getAttribute('data-reciprocity-verdict') === 'unfollowed_you',
      `${HEADER} [data-reciprocity-verdict]`,
      { timeout: 10000 },
    );
    const shadow = await badgeShadow(page, `${HEADER} [data-reciprocity-verdict]`);
    assert.ok(shadow.closed, 'the badge lives in a closed shadow root');
    assert.equal(
      await page.evaluate((sel) => document.querySelector(sel).shadowRoot, `${HEADER} [data-reciprocity-verdict]`),
      null,
      'the page cannot reach into it',
    );
    assert.match(shadow.text, /Unfollowed you/);
    assert.match(shadow.text, /2026-11-01/);
    assert.match(shadow.text, /2026-11-10/);
    // Hover or focus shows the evidence.
    await badge(page, HEADER).first().hover();
    assert.ok((await badgeShadow(page, `${HEADER} [data-reciprocity-verdict]`)).tipShown, 'the evidence shows on hover');
    assert.equal(await badge(page, HEADER).count(), 1, 'badged once');
    await page.close();
  });

  it('a display name that is itself "@somebrand" does not move the badge to that account', async () => {
    const viewer = '910000000000000013';
    // The real profile, its display name turned into another account's @handle.
    env.replay.state.profiles.set(BRAND, withDisplayName('2026-05-21_user_by_login.json', '@bonappetweet'));
    const page = await openAs(env, viewer, '2026-11-01T10:00:00Z');
    await page.goto('https://x.com/XDevelopers');
    const host = badge(page, HEADER).first();
    await host.waitFor({ timeout: 10000 });
    assert.equal(await host.getAttribute('data-reciprocity-account'), '2244994945');
    await page.close();
  });

  it('a brand that never follows back', async () => {
    const viewer = '910000000000000002';
    env.replay.state.profiles.set(BRAND, fixture('2026-05-21_user_by_login.json'));
    const page = await openAs(env, viewer, '2026-11-01T10:00:00Z');
    await page.goto('https://x.com/XDevelopers');
    assert.equal(await verdictOf(page, HEADER), 'not_following_back');
    await page.close();
  });

  it('a suspended account is "account gone", not an unfollow', async () => {
    const viewer = '910000000000000003';
    // Day 1: the account (seen with its handle) follows the viewer.
    let page = await mutualBrand(viewer);
    await page.close();
    // Day 5: X answers that the account is suspended.
    env.replay.state.profiles.set(
      BRAND,
      JSON.stringify({
        data: {
          user: {
            result: {
              __typename: 'UserUnavailable',
              rest_id: '2244994945',
              reason: 'Suspended',
              message: 'User is suspended',
            },
          },
        },
      }),
    );
    page = await openAs(env, viewer, '2026-11-05T10:00:00Z');
    await page.goto('https://x.com/XDevelopers');
    for (let i = 0; i < 100 && !/Account gone/.test((await badgeShadow(page, `${HEADER} [data-reciprocity-verdict]`))?.text || ''); i++) {
      await page.waitForTimeout(100);
    }
    assert.match((await badgeShadow(page, `${HEADER} [data-reciprocity-verdict]`)).text, /Account gone/);
    assert.notEqual(await verdictOf(page, HEADER), 'unfollowed_you');
    await page.close();
  });

  it('a partial followers page creates no unfollow', async () => {
    const viewer = '910000000000000004';
    let page = await mutualBrand(viewer);
    await page.close();
    // The viewer's own followers, first page only: the brand is not on it.
    env.replay.state.profiles.set(
      'viewer4',
      JSON.stringify({
        data: {
          user: {
            result: {
              __typename: 'User',
              rest_id: viewer,
              core: { screen_name: 'viewer4', name: 'Viewer Four' },
            },
          },
        },
      }),
    );
    env.replay.state.lists.set(`${viewer}/Followers`, fixture('2026-08-07_followers.json'));
    page = await openAs(env, viewer, '2026-11-03T10:00:00Z');
    await page.goto('https://x.com/viewer4/followers');
    await page.locator(CELL).first().waitFor();
    assert.ok((await page.locator(CELL).count()) > 50);
    await page.close();
    const reply = await ask(env, { type: 'annotate', viewer, accounts: ['@XDevelopers'] });
    assert.equal(reply.badges[0].verdict.code, 'mutual');
  });

  it('user cells and hover cards get badges; navigation re-annotates', async () => {
    const viewer = '910000000000000005';
    env.replay.state.profiles.set(BRAND, fixture('2026-05-21_user_by_login.json'));
    env.replay.state.lists.set('2244994945/Followers', fixture('2026-05-21_followers.json'));
    const page = await openAs(env, viewer, '2026-11-01T10:00:00Z');
    await page.goto('https://x.com/XDevelopers');
    assert.equal(await verdictOf(page, HEADER), 'not_following_back');
    // pushState navigation to the followers list.
    await page.click('a[href="/XDevelopers/followers"]');
    await page.locator(CELL).first().waitFor();
    await badge(page, CELL).first().waitFor({ timeout: 10000 });
    const cells = await page.locator(CELL).count();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="UserCell"] [data-reciprocity-verdict]').length === n, cells, { timeout: 10000 });
    assert.equal(await verdictOf(page, CELL), 'no_relation');
    // Hover a cell's name: the card appears in #layers and gets its badge.
    const t0 = Date.now();
    await page.locator(`${CELL} a[data-hover]`).nth(2).hover();
    await badge(page, HOVER).first().waitFor({ timeout: 10000 });
    assert.ok(Date.now() - t0 < 5000);
    assert.equal(await badge(page, HOVER).count(), 1);
    // Back to the profile: the header is annotated again, once.
    await page.goBack();
    await page.waitForFunction(
      (sel) => document.querySelector(sel)?.getAttribute('data-reciprocity-account') === '2244994945',
      `${HEADER} [data-reciprocity-verdict]`,
      { timeout: 10000 },
    );
    assert.equal(await badge(page, HEADER).count(), 1);
    await page.close();
  });

  it('by default list cells show only what says something; the popup changes it live', async () => {
    const viewer = '910000000000000012';
    await setBadges(env, null);
    env.replay.state.profiles.set(BRAND, fixture('2026-05-21_user_by_login.json'));
    env.replay.state.lists.set('2244994945/Followers', fixture('2026-05-21_followers.json'));
    const page = await openAs(env, viewer, '2026-11-01T10:00:00Z');
    await page.goto('https://x.com/XDevelopers');
    assert.equal(await verdictOf(page, HEADER), 'not_following_back', 'profiles: always');
    await page.click('a[href="/XDevelopers/followers"]');
    await page.locator(CELL).first().waitFor();
    await page.locator(`${CELL} a[data-hover]`).nth(2).hover();
    await badge(page, HOVER).first().waitFor({ timeout: 10000 });
    assert.equal(await badge(page, CELL).count(), 0, 'no "no follow" noise on every cell');
    // The popup's setting, applied in the open tab.
    const popup = await env.context.newPage();
    await popup.goto(`chrome-extension://${env.extensionId}/popup/popup.html`);
    await popup.selectOption('#badges-userCell', 'all');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="UserCell"] [data-reciprocity-verdict]').length > 10, null, { timeout: 10000 });
    await popup.selectOption('#badges-userCell', 'none');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="UserCell"] [data-reciprocity-verdict]').length === 0, null, { timeout: 10000 });
    await popup.close();
    await page.close();
    await setBadges(env, { profileHeader: 'all', hoverCard: 'all', userCell: 'all' });
  });

  it("the popup over a profile says that account's verdict; over any other page, to open one", async () => {
    const viewer = '910000000000000021';
    const page = await mutualBrand(viewer);
    let popup = await popupOver(env, page);
    const verdict = popup.locator('#profile .verdict');
    await verdict.waitFor({ timeout: 10000 });
    assert.equal(await verdict.getAttribute('data-reciprocity-verdict'), 'mutual');
    assert.match(await verdict.textContent(), /^@XDevelopers — /);
    await popup.close();
    await page.goto('https://x.com/home');
    popup = await popupOver(env, page);
    await popup.locator('#unfollowed li').first().waitFor({ timeout: 10000 });
    assert.equal(await popup.locator('#profile').textContent(), 'Open a profile on x.com or bsky.app to see its record.');
    await popup.close();
    await page.close();
  });

  it('a capture in one tab updates the badges of another', async () => {
    const viewer = '910000000000000011';
    env.replay.state.profiles.set(BRAND, fixture('2026-05-21_user_by_login.json'));
    env.replay.state.lists.set('2244994945/Followers', fixture('2026-05-21_followers.json'));
    const list = await openAs(env, viewer, '2026-11-01T10:00:00Z');
    await list.goto('https://x.com/XDevelopers/followers');
    await badge(list, CELL).first().waitFor({ timeout: 10000 });
    const cell = list.locator(CELL).first();
    const handle = (await cell.locator('a[data-hover]').getAttribute('data-hover')).toLowerCase();
    assert.equal(await cell.locator('[data-reciprocity-verdict]').getAttribute('data-reciprocity-verdict'), 'no_relation');
    // Another tab learns that this account follows the viewer.
    const source = JSON.parse(fixture('2026-05-21_followers.json'));
    let user = null;
    (function find(o) {
      if (user || !o || typeof o !== 'object') return;
      if (o.__typename === 'User' && o.core && o.core.screen_name && o.core.screen_name.toLowerCase() === handle) user = o;
      else Object.values(o).forEach(find);
    })(source);
    user.relationship_perspectives.followed_by = true;
    env.replay.state.profiles.set(handle, JSON.stringify({ data: { user: { result: user } } }));
    const other = await openAs(env, viewer, '2026-11-02T10:00:00Z');
    await other.goto(`https://x.com/${handle}`);
    await badge(other, HEADER).first().waitFor({ timeout: 10000 });
    await list.waitForFunction(
      (h) =>
        [...document.querySelectorAll('[data-testid="UserCell"]')]
          .find((c) => c.querySelector('a[data-hover]').dataset.hover.toLowerCase() === h)
          ?.querySelector('[data-reciprocity-verdict]')
          ?.getAttribute('data-reciprocity-verdict') === 'follows_you',
      handle,
      { timeout: 10000 },
    );
    await other.close();
    await list.close();
  });

  it('an account not yet known gets no badge, then one as soon as a capture tells', async () => {
    const viewer = '910000000000000006';
    env.replay.state.profiles.delete(BRAND);
    const page = await openAs(env, viewer, '2026-11-01T10:00:00Z');
    await page.goto('https://x.com/XDevelopers');
    await page.locator(HEADER).waitFor();
    await page.waitForTimeout(500);
    assert.equal(await badge(page, HEADER).count(), 0);
    env.replay.state.profiles.set(BRAND, fixture('2026-08-07_user_by_login.json'));
    await page.evaluate(() => {
      history.pushState({}, '', '/XDevelopers/following');
      history.pushState({}, '', '/XDevelopers');
      dispatchEvent(new PopStateEvent('popstate'));
    });
    assert.equal(await verdictOf(page, HEADER), 'not_following_back');
    await page.close();
  });
});

describe('the page hook', () => {
  it('captures fetch as well as XMLHttpRequest, and never changes what the page gets', async () => {
    const viewer = '910000000000000010';
    const body = fixture('2026-08-07_user_by_login.DERIVED-followed_by-true.json');
    env.replay.state.profiles.set('devs_by_fetch', body);
    const page = await openAs(env, viewer, '2026-11-01T10:00:00Z');
    await page.goto('https://x.com/home');
    const got = await page.evaluate(fetchBothWays, 'devs_by_fetch');
    assert.equal(got.ok, body, 'fetch gets the bytes the server sent');
    assert.equal(got.missing, 404, 'a failing request fails as it would');
    assert.deepEqual(JSON.parse(got.xhr), JSON.parse(body), 'XHR with responseType json too');
    let reply;
    for (let i = 0; i < 50; i++) {
      reply = await ask(env, { type: 'annotate', viewer, accounts: ['2244994945'] });
      if (reply.badges[0]) break;
      await page.waitForTimeout(100);
    }
    assert.equal(reply.badges[0].verdict.code, 'mutual', 'the fetched capture reached the ledger');
    await page.close();
  });
});

describe('the worker', () => {
  it('keeps every acknowledged capture when it is stopped mid-session', async () => {
    const viewer = '910000000000000007';
    const page = await mutualBrand(viewer);
    // Stop it at once, before any compaction: only the journal holds the capture.
    const first = await ask(env, { type: 'status' });
    await stopWorker(env, page);
    env.replay.state.profiles.set(BRAND, fixture('2026-08-07_user_by_login.json'));
    await page.clock.setFixedTime(new Date('2026-11-12T10:00:00Z'));
    await page.reload();
    await page.waitForFunction(
      (sel) => document.querySelector(sel)?.getAttribute('data-reciprocity-verdict') === 'unfollowed_you',
      `${HEADER} [data-reciprocity-verdict]`,
      { timeout: 15000 },
    );
    const second = await ask(env, { type: 'status' });
    assert.notEqual(second.startedAt, first.startedAt, 'a new worker instance answered');
    await page.close();
  });

  it('stopped at random points while compacting, loses no acknowledged capture and never half a save', async (t) => {
    const viewer = '910000000000000017';
    const page = await mutualBrand(viewer);
    // A ledger of 3,000 followers of another viewer: its import rewrites every
    // part, in one transaction, and the worker is stopped somewhere inside it.
    const other = '920000000000000001';
    const at = '2026-10-01T00:00:00Z';
    const ids = Array.from({ length: 3000 }, (_, i) => String(1_000_000_007 * (i + 1)));
    const json = JSON.stringify({
      format: 'reciprocity-ledger',
      version: 1,
      viewers: [
        {
          viewer: { platform: 'x', id: other },
          accounts: ids.map((id, i) => ({
            id,
            handles: [{ value: `follower${i}`, first: at, last: at }],
            names: [],
            counts: [],
            protected: null,
            verified_type: null,
            blue_verified: null,
            professional_type: null,
            gone: [],
            blocked_you: [],
            last_active: at,
            brand_mark: null,
            allowlisted: null,
          })),
          edges: ids.map((id) => ({ from: id, to: other, sightings: [{ from: at, to: at, follows: true }] })),
          lists: [],
        },
      ],
    });
    const probe = [ids[0], ids[1234], ids[2999]];
    let whole = 0;
    for (const delay of [0, 15, 40, 80, 160, 320]) {
      const ext = await extensionPage(env);
      ext.evaluate((j) => chrome.runtime.sendMessage({ type: 'import-json', json: j }), json).catch(() => {});
      await page.waitForTimeout(delay);
      await stopWorker(env, page);
      const status = await ask(env, { type: 'status' });
      assert.equal(status.storeProblem, null, `after a stop at ${delay} ms`);
      assert.equal(status.lostParts.parts, 0);
      // The capture acknowledged before is there...
      const mine = await ask(env, { type: 'annotate', viewer, accounts: ['@XDevelopers'] });
      assert.equal(mine.badges[0].verdict.code, 'mutual', `after a stop at ${delay} ms`);
      // ...and the import is all there or not at all.
      const theirs = await ask(env, { type: 'annotate', viewer: other, accounts: probe });
      const known = theirs.badges.filter(Boolean).length;
      assert.ok(known === 0 || known === probe.length, `${known} of ${probe.length} after a stop at ${delay} ms`);
      if (known) whole += 1;
    }
    t.diagnostic(`the import was whole after ${whole} of 6 stops, absent after the others`);
    await page.close();
    assert.ok(whole >= 1, 'a slow enough stop let the import through');
  });

  it('reports a capture in an unknown layout and lets the user export it', async () => {
    const viewer = '910000000000000008';
    env.replay.state.profiles.set(BRAND, fixture('2026-08-07_user_by_login.DERIVED-unknown-layout.json'));
    const before = await ask(env, { type: 'status' });
    const page = await openAs(env, viewer, '2026-11-01T10:00:00Z');
    await page.goto('https://x.com/XDevelopers');
    await page.locator(HEADER).waitFor();
    let status;
    for (let i = 0; i < 50; i++) {
      status = await ask(env, { type: 'status' });
      if (status.failures > before.failures) break;
      await page.waitForTimeout(100);
    }
    assert.ok(status.failures > before.failures, 'the failure is counted');
    assert.match(status.lastFailure, /unknown layout/);
    assert.equal(await badge(page, HEADER).count(), 0, 'no badge rather than a wrong one');
    const exported = await ask(env, { type: 'export-failures' });
    // What is kept is the body's shape (its keys), never its strings.
    const kept = exported.failures.find((f) => f.shape.includes('"identity"'));
    assert.ok(kept, 'the shape names the unknown key');
    assert.ok(!JSON.stringify(exported.failures).includes('XDevelopers'), 'no string of the body is kept');
    // The popup shows the notice.
    const popup = await env.context.newPage();
    await popup.goto(`chrome-extension://${env.extensionId}/popup/popup.html`);
    await popup.locator('#failures:not([hidden])').waitFor();
    await popup.close();
    await page.close();
  });

  it('records nothing for a signed-out page', async () => {
    env.replay.state.profiles.set(BRAND, fixture('2026-08-07_user_by_login.json'));
    const before = await ask(env, { type: 'status' });
    const page = await openAs(env, null, '2026-11-01T10:00:00Z');
    await page.goto('https://x.com/XDevelopers');
    await page.locator(HEADER).waitFor();
    await page.waitForTimeout(300);
    const after = await ask(env, { type: 'status' });
    assert.deepEqual(after.viewers, before.viewers);
    assert.equal(await badge(page, HEADER).count(), 0);
    await page.close();
  });
});

/** The store's slot of an account (the core's `store::parts::slot`: splitmix64). */
function slotOf(id) {
  const M = (1n << 64n) - 1n;
  let z = (BigInt(id) + 0x9e3779b97f4a7c15n) & M;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M;
  z ^= z >> 31n;
  return Number(z % 256n);
}

/** Runs `fn(arg)` in an extension page, where `openStore()` opens the worker's
 * IndexedDB (`fn` runs there: it may use nothing else of this file). */
async function onStore(b, fn, arg) {
  const ext = await extensionPage(b);
  await ext.evaluate(() => {
    globalThis.openStore = () =>
      new Promise((resolve, reject) => {
        const r = indexedDB.open('reciprocity');
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
  });
  return ext.evaluate(fn, arg);
}

describe('across browser restarts', () => {
  it('keeps the ledger in parts; a damaged part costs only itself, and the popup says what was lost', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reciprocity-restart-'));
    const viewer = '910000000000000009';
    let b = await launch({ userDataDir: dir });
    try {
      const page = await mutualBrand(viewer, b);
      // A list of its followers too: more accounts, more parts.
      b.replay.state.lists.set(`${BRAND_ID}/Followers`, fixture('2026-05-21_followers.json'));
      await page.goto('https://x.com/XDevelopers/followers');
      await page.locator(CELL).first().waitFor();
      await page.waitForTimeout(500);
    } finally {
      await b.close();
    }
    b = await launch({ userDataDir: dir });
    try {
      const reply = await ask(b, { type: 'annotate', viewer, accounts: ['@XDevelopers'] });
      assert.equal(reply.badges[0].verdict.code, 'mutual', 'the capture survived the restart');
      await ask(b, { type: 'export' }); // compacts
      const kept = await onStore(b, async () => {
        const db = await globalThis.openStore();
        const tx = db.transaction(['parts', 'meta', 'snapshot'], 'readonly');
        const names = tx.objectStore('parts').getAllKeys();
        const index = tx.objectStore('meta').get('index');
        const old = tx.objectStore('snapshot').get('store');
        await new Promise((resolve) => {
          tx.oncomplete = resolve;
        });
        return { names: names.result, index: !!index.result, old: !!old.result };
      });
      assert.ok(kept.index, 'an index');
      // Started again, the worker says how far its load is before it is whole
      // (what the dashboard and the popup show meanwhile)...
      await stopWorker(b, await extensionPage(b));
      const loading = await ask(b, { type: 'loading' });
      assert.equal(loading.whole, false);
      assert.equal(loading.total, kept.names.length);
      assert.ok(loading.loaded < loading.total);
      await ask(b, { type: 'status' });
      assert.equal((await ask(b, { type: 'loading' })).whole, true, '...then that it is whole');
      // Stopped again, the first badge is answered from the parts it needs (the
      // handle's part, then the account's it names, in one transaction) before
      // the rest is in: the same verdict.
      await stopWorker(b, await extensionPage(b));
      const early = await ask(b, { type: 'annotate', viewer, accounts: ['@XDevelopers', '@nobody_known_here'] });
      assert.equal(early.badges[0].verdict.code, 'mutual', 'a known account, asked by handle');
      assert.equal(early.badges[1], null, 'an account the ledger does not know');
      // The badge's reader of parts: a round asked while the transaction of the
      // round before is open reuses it, one asked after it finished opens another.
      const reader = await b.context.newPage();
      await reader.goto(`chrome-extension://${b.extensionId}/popup/popup.html`);
      await reader.addScriptTag({ url: `chrome-extension://${b.extensionId}/store.js` });
      const { sizes, transactions } = await reader.evaluate(async (names) => {
        let transactions = 0;
        const opens = IDBDatabase.prototype.transaction;
        IDBDatabase.prototype.transaction = function (...args) {
          transactions += 1;
          return opens.apply(this, args);
        };
        const read = globalThis.ReciprocityStore.partsReader();
        const size = async (some) => (await read(some)).map((p) => p.bytes?.byteLength ?? 0);
        const first = await size(names.slice(0, 2));
        const chained = await size(names.slice(2, 4));
        await new Promise((resolve) => setTimeout(resolve, 50));
        return { sizes: [...first, ...chained, ...(await size(names.slice(4, 6)))], transactions };
      }, kept.names);
      assert.equal(transactions, 2, 'three rounds, two transactions');
      assert.equal(sizes.length, 6);
      assert.ok(
        sizes.every((n) => n > 0),
        `every part read: ${sizes}`,
      );
      await reader.close();
      assert.ok(kept.names.length > 20, `${kept.names.length} parts`);
      assert.equal(kept.old, false, 'no whole snapshot');
      // Damage one accounts part (neither the brand's nor the viewer's).
      const spared = new Set([slotOf(BRAND_ID), slotOf(viewer)]);
      const victim = kept.names.find((n) => /\.a\d+$/.test(n) && !spared.has(Number(n.split('.a')[1])));
      await onStore(
        b,
        async (name) => {
          const db = await globalThis.openStore();
          const tx = db.transaction('parts', 'readwrite');
          const store = tx.objectStore('parts');
          const get = store.get(name);
          get.onsuccess = () => {
            const bytes = new Uint8Array(get.result);
            bytes[Math.floor(bytes.length / 2)] ^= 0x40;
            store.put(bytes, name);
          };
          await new Promise((resolve) => {
            tx.oncomplete = resolve;
          });
        },
        victim,
      );
      await stopWorker(b, await extensionPage(b));
      const status = await ask(b, { type: 'status' });
      assert.equal(status.lostParts.parts, 1, 'one part lost');
      assert.ok(status.lostParts.accounts >= 1, 'what it held is said');
      assert.ok(status.keptAside >= 1, 'its bytes kept aside');
      assert.equal(status.viewers.includes(viewer), true, 'the rest loaded');
      const after = await ask(b, { type: 'annotate', viewer, accounts: ['@XDevelopers'] });
      assert.equal(after.badges[0].verdict.code, 'mutual', 'the brand, in another part, is whole');
      const popup = await b.context.newPage();
      await popup.goto(`chrome-extension://${b.extensionId}/popup/popup.html`);
      await popup.locator('#lost-parts:not([hidden])').waitFor();
      assert.match(await popup.textContent('#lost-parts-count'), /^\d+ \/ \d+$/);
      assert.equal(await popup.locator('#export-raw-lost').isVisible(), true);
      await popup.close();
    } finally {
      await b.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads a store saved whole by an older version once, and keeps a corrupt one aside', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reciprocity-old-store-'));
    const b = await launch({ userDataDir: dir });
    try {
      await ask(b, { type: 'status' });
      // A format-1 store that is corrupt, where an older version kept it.
      await onStore(b, async () => {
        const db = await globalThis.openStore();
        const tx = db.transaction(['snapshot', 'parts', 'meta'], 'readwrite');
        tx.objectStore('parts').clear();
        tx.objectStore('meta').delete('index');
        tx.objectStore('snapshot').put(new Uint8Array([82, 67, 80, 82, 83, 84, 79, 82, 1, 0, 9, 9, 9, 9]), 'store');
        await new Promise((resolve) => {
          tx.oncomplete = resolve;
        });
      });
      await stopWorker(b, await extensionPage(b));
      const status = await ask(b, { type: 'status' });
      assert.match(status.storeProblem || '', /corrupt|truncated|checksum/);
      assert.ok(status.keptAside >= 1, 'kept aside');
      const popup = await b.context.newPage();
      await popup.goto(`chrome-extension://${b.extensionId}/popup/popup.html`);
      await popup.locator('#store-problem:not([hidden])').waitFor();
      await popup.close();
    } finally {
      await b.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('access to x.com', () => {
  it('withdrawn by the user, the popup says so and offers to ask again, not "signed out"', async () => {
    const b = await launch();
    try {
      // What the user does in the browser's extension settings ("On click").
      const settings = await b.context.newPage();
      await settings.goto('chrome://extensions');
      await settings.evaluate((id) => chrome.developerPrivate.updateExtensionConfiguration({ extensionId: id, hostAccess: 'ON_CLICK' }), b.extensionId);
      const x = await openAs(b, '910000000000000099', null);
      await x.goto('https://x.com/XDevelopers');
      const popup = await b.context.newPage();
      await popup.goto(`chrome-extension://${b.extensionId}/popup/popup.html`);
      await popup.locator('#no-access:not([hidden])').waitFor();
      assert.match(await popup.textContent('#no-access'), /its access to them was withdrawn/);
      assert.equal(await popup.locator('#grant-access').isVisible(), true);
      assert.equal(await popup.locator('#signed-out').isHidden(), true, 'not the signed-out notice');
      // Given back: the notice goes.
      await settings.evaluate((id) => chrome.developerPrivate.updateExtensionConfiguration({ extensionId: id, hostAccess: 'ON_ALL_SITES' }), b.extensionId);
      await popup.reload();
      await popup.waitForFunction(() => document.getElementById('no-access').hidden && document.getElementById('profile').textContent !== '');
    } finally {
      await b.close();
    }
  });
});

describe('privacy', () => {
  it('the extension makes no network request of its own', async () => {
    const mine = env.requests.filter(
      (r) => !r.url.startsWith('https://x.com/') && !r.url.startsWith('chrome-extension://') && !r.url.startsWith('data:') && !r.url.startsWith('blob:'),
    );
    assert.deepEqual(mine, [], 'requests outside the page and the extension package');
    const fromWorker = env.requests.filter((r) => r.fromWorker);
    assert.ok(
      fromWorker.some((r) => r.url.endsWith('.wasm')),
      "the worker's own loads are observed",
    );
    assert.deepEqual(
      fromWorker.filter((r) => !r.url.startsWith('chrome-extension://')),
      [],
    );
    const foreign = env.replay.state.calls.filter((c) => !c.fromApp);
    assert.deepEqual(foreign, [], 'every API call the replay got came from the page itself');
    assert.ok(env.replay.state.calls.length > 5, 'the scenarios did call the API');
  });
});
