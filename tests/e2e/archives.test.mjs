// X archives of real size: sparse 5 GB zips made at test time (cargo xtask
// real-archive; gigabytes of media around 100 000 followers and 100 000 following),
// handed to the browser by path. In the dashboard as a static site (its own engine
// worker and store) and as the extension's options page (the extension's worker,
// no engine in the page): imports finish with the right unfollowers and a moving
// progress bar; reloads keep them; hostile zips get a clear message and leave the
// engine working; a cancelled import keeps nothing.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serveDir, plainBrowser, launch, ask, realArchive, openAs, stopWorker, badge, ROOT } from './harness.mjs';
import { fixture } from '../replay/server.mjs';
import { HEADER, BRAND } from '../replay/places.mjs';
import { archive, zip, zipBomb } from './archive.mjs';

const VIEWER = '1964312974236991488'; // the real manifest's account
const OCTOBER = '2026-10-01T09:00:00.000Z';
const NOVEMBER = '2026-11-01T09:00:00.000Z';
// Follower i is 1000000000 + i; the November archive drops every 1000th.
const UNFOLLOWERS = Array.from({ length: 100 }, (_, k) => String(1_000_000_000 + k * 1000)).sort();

let october;
let november;
before(async () => {
  october = await realArchive('october-5g', { 'media-gib': 5, followers: 100000, following: 100000, date: OCTOBER });
  november = await realArchive('november-5g', { 'media-gib': 5, followers: 100000, following: 100000, 'drop-every': 1000, date: NOVEMBER });
  assert.ok(fs.statSync(october).size > 5 * 2 ** 30, 'a real-size archive');
});

/** Imports files by path and waits for the import to end; records every value the
 * progress bar took. */
async function importPaths(page, files) {
  await page.evaluate(() => {
    window.progressSeen = [];
    new MutationObserver(() => window.progressSeen.push(Number(document.getElementById('progress').value))).observe(document.getElementById('progress'), {
      attributes: true,
      attributeFilter: ['value'],
    });
    document.body.dataset.importMs = '';
  });
  await page.setInputFiles('#files', files);
  await page.waitForFunction(() => document.body.dataset.importMs !== '', null, { timeout: 120_000 });
  return {
    status: await page.textContent('#import-status'),
    progress: await page.evaluate(() => window.progressSeen),
  };
}

const unfollowers = (page) =>
  page.$$eval('[data-reciprocity-list="unfollowed_you"] [data-reciprocity-account]', (rs) => rs.map((r) => r.getAttribute('data-reciprocity-account')).sort());

async function showUnfollowed(page) {
  await page.evaluate(() => {
    location.hash = '#/brands';
  });
  await page.waitForFunction(() => document.getElementById('main').dataset.route === '#/brands');
  await page.evaluate(() => {
    location.hash = '#/unfollowed';
  });
  await page.waitForFunction(() => document.getElementById('main').dataset.route === '#/unfollowed');
}

describe('real-size archives in the dashboard (static site)', () => {
  let site;
  let browser;
  let page;
  before(async () => {
    site = await serveDir(path.join(ROOT, 'dist/www'));
    browser = await plainBrowser();
    page = await (await browser.newContext({ locale: 'en-US' })).newPage();
    page.on('pageerror', (e) => console.error('page error:', e));
    await page.goto(`${site.url}index.html`);
    await page.waitForSelector('body[data-ready="true"]');
  });
  after(async () => {
    await browser?.close();
    await site?.close();
  });

  it('two 5 GB archives import with the right unfollowers and a moving progress bar', async () => {
    const { status, progress } = await importPaths(page, [october, november]);
    assert.match(status, /archive of @milahu104 dated 2026-10-01: 100000 followers, 100000 following/);
    assert.match(status, /dated 2026-11-01: 99900 followers/);
    // The bar moved while each archive was read, not only at its end.
    assert.ok(
      progress.some((v) => v > 0 && v < 0.8),
      `progress seen: ${progress}`,
    );
    await showUnfollowed(page);
    assert.deepEqual(await unfollowers(page), UNFOLLOWERS);
    assert.equal(await page.evaluate(() => typeof globalThis.wasm_bindgen), 'undefined', 'no engine in the page');
    // 100 000 accounts not following back: a window of them, and more on demand.
    await page.evaluate(() => {
      location.hash = '#/not-following-back';
    });
    await page.waitForFunction(() => document.getElementById('main').dataset.route === '#/not-following-back');
    const shown = () => page.$$eval('[data-reciprocity-list="not_following_back"] [data-reciprocity-account]', (rs) => rs.length);
    assert.equal(await shown(), 200);
    await page.click('[data-reciprocity-more="not_following_back"]');
    assert.equal(await shown(), 400);
  });

  it('a reload keeps what was imported; an archive can be removed', async () => {
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    await showUnfollowed(page);
    assert.deepEqual(await unfollowers(page), UNFOLLOWERS);
    const listed = await page.$$eval('#archive-list li', (ls) => ls.map((l) => l.textContent));
    assert.equal(listed.length, 2);
    assert.match(listed[0], /2026-10-01 · @milahu104 · 100000 followers, 100000 following/);
    // The same archive imported again replaces its pages: 4 pages of 50,000 ids each.
    const pagesStored = () =>
      page.evaluate(
        () =>
          new Promise((resolve) => {
            indexedDB.open('reciprocity-dashboard').onsuccess = (e) => {
              const r = e.target.result.transaction('pages').objectStore('pages').count();
              r.onsuccess = () => resolve(r.result);
            };
          }),
      );
    assert.equal(await pagesStored(), 8);
    await importPaths(page, [october]);
    assert.equal(await pagesStored(), 8);
    assert.equal(await page.$$eval('#archive-list li', (ls) => ls.length), 2);
    await page.click(`#archive-list li[data-archive="${VIEWER}@2026-11-01T09:00:00Z"] button`);
    await page.waitForFunction(() => document.querySelectorAll('#archive-list li').length === 1);
    await showUnfollowed(page);
    assert.deepEqual(await unfollowers(page), [], 'one archive alone shows no unfollower');
  });

  it('a stored page that cannot be read again is skipped and said, the rest kept', async () => {
    // Damage one stored page (the October archive's last), as a broken disk might.
    await page.evaluate(
      () =>
        new Promise((resolve) => {
          indexedDB.open('reciprocity-dashboard').onsuccess = (e) => {
            const store = e.target.result.transaction('pages', 'readwrite').objectStore('pages');
            store.openCursor(null, 'prev').onsuccess = (c) => {
              const cursor = c.target.result;
              cursor.update({ ...cursor.value, text: '{"not": "an envelope"' }).onsuccess = () => resolve();
            };
          };
        }),
    );
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    assert.match(await page.textContent('#import-status'), /1 of the items kept here could not be read again and were skipped/);
    assert.equal(await page.$$eval('#archive-list li', (ls) => ls.length), 1, 'the archive is still listed');
    assert.deepEqual(await page.$$eval('#viewer option', (os) => os.map((o) => o.value)), [VIEWER], 'and its other pages still read');
  });

  it('hostile zips get a clear message and leave the engine working', async () => {
    const cases = [
      ['notes.zip', Buffer.from('these are my notes, not a zip'), /notes\.zip: archive: not a readable \.zip/],
      ['photos.zip', zip({ 'photos/1.jpg': 'not really a photo' }), /photos\.zip: archive: data\/manifest\.js is missing/],
      [
        'no-lists.zip',
        zip({ 'data/manifest.js': `window.__THAR_CONFIG = ${JSON.stringify({ userInfo: { accountId: VIEWER }, archiveInfo: { generationDate: OCTOBER } })}` }),
        /no-lists\.zip: archive: this archive holds no follower or following data/,
      ],
      ['bomb.zip', zipBomb({ viewer: VIEWER, date: OCTOBER }), /bomb\.zip: archive: data\/follower\.js: 300 MiB once decompressed, more than the 256 MiB/],
      // Dated after this machine's clock: it would outrank every real observation.
      [
        'future.zip',
        archive({ viewer: VIEWER, handle: 'milahu104', date: '2099-11-15T09:00:00.000Z', followers: ['1000000001'], following: [] }),
        /future\.zip: .*dated 2099-11-15T09:00:00Z, after this machine's clock/,
      ],
    ];
    for (const [name, buffer, message] of cases) {
      const { status } = await importPaths(page, [{ name, mimeType: 'application/zip', buffer }]);
      assert.match(status, message, name);
    }
    // The engine still works: a good archive imports after them.
    const good = archive({ viewer: VIEWER, handle: 'milahu104', date: '2026-11-15T09:00:00.000Z', followers: ['1000000001'], following: [] });
    const { status } = await importPaths(page, [{ name: 'small.zip', mimeType: 'application/zip', buffer: good }]);
    assert.match(status, /small\.zip: archive of @milahu104 dated 2026-11-15: 1 followers/);
  });

  it('a cancelled import keeps nothing', async () => {
    const big = await realArchive('million', { 'media-gib': 1, followers: 1000000, following: 10, date: '2026-11-20T09:00:00.000Z' });
    const before = await page.$$eval('#archive-list li', (ls) => ls.length);
    await page.evaluate(() => {
      document.body.dataset.importMs = '';
      // Cancel as soon as the bar first moves.
      new MutationObserver((_, obs) => {
        const bar = /** @type {HTMLProgressElement} */ (document.getElementById('progress'));
        if (bar.value > 0) {
          obs.disconnect();
          document.getElementById('cancel-import').click();
        }
      }).observe(document.getElementById('progress'), { attributes: true, attributeFilter: ['value'] });
    });
    await page.setInputFiles('#files', big);
    await page.waitForFunction(() => document.body.dataset.importMs !== '', null, { timeout: 120_000 });
    assert.match(await page.textContent('#import-status'), /million\.DERIVED\.zip: cancelled; nothing of it is kept/);
    assert.equal(await page.$$eval('#archive-list li', (ls) => ls.length), before);
  });
});

describe("real-size archives in the options page (one engine: the extension's)", () => {
  let env;
  let page;
  before(async () => {
    env = await launch();
    page = await env.context.newPage();
    await page.goto(`chrome-extension://${env.extensionId}/www/index.html`);
    await page.waitForSelector('body[data-ready="true"]');
  });
  after(async () => env?.close());

  it("imports through the extension's worker, in pages, with no engine in the page", async () => {
    const { status } = await importPaths(page, [october, november]);
    assert.match(status, /dated 2026-11-01: 99900 followers, 100000 following/);
    await showUnfollowed(page);
    assert.deepEqual(await unfollowers(page), UNFOLLOWERS);
    assert.equal(await page.evaluate(() => typeof globalThis.wasm_bindgen), 'undefined', 'no second engine in the page');
    // The worker holds it: the popup's view of the store says so.
    const status2 = await ask(env, { type: 'status' });
    assert.deepEqual(status2.viewers, [VIEWER]);
    const held = await page.evaluate(async (viewer) => {
      const r = await chrome.runtime.sendMessage({ type: 'summary', viewer });
      return r.summary.unfollowed_you.map((u) => u.account).sort();
    }, VIEWER);
    assert.deepEqual(held, UNFOLLOWERS);
  });

  it('the export is written by the worker and downloaded by the page', async () => {
    const download = page.waitForEvent('download');
    await page.click('#export-json');
    const json = JSON.parse(fs.readFileSync(await (await download).path(), 'utf8'));
    assert.equal(json.viewers[0].viewer.id, VIEWER);
    assert.ok(json.viewers[0].edges.length >= 199_900, `edges: ${json.viewers[0].edges.length}`);
  });
});

describe('an import through the options page while the browser stops the worker', () => {
  it('finishes whole, and loses no capture acknowledged before', async () => {
    const env = await launch();
    try {
      // A capture of another account's, acknowledged before the import.
      const other = '940000000000000001';
      env.replay.state.profiles.set(BRAND, fixture('2026-08-07_user_by_login.DERIVED-followed_by-true.json'));
      const x = await openAs(env, other, '2026-11-01T10:00:00Z');
      await x.goto('https://x.com/XDevelopers');
      await badge(x, HEADER).first().waitFor();
      await x.close();
      const page = await env.context.newPage();
      await page.goto(`chrome-extension://${env.extensionId}/www/index.html`);
      await page.waitForSelector('body[data-ready="true"]');
      await page.evaluate(() => {
        document.body.dataset.importMs = '';
      });
      const before = await ask(env, { type: 'status' });
      await page.setInputFiles('#files', october);
      // While its pages go to the worker (the last fifth of the bar), the worker
      // is stopped three times, at points fixed here so a failure replays.
      await page.waitForFunction(() => Number(document.getElementById('progress').value) >= 0.8, null, { timeout: 120_000 });
      for (const delay of [0, 90, 250]) {
        await page.waitForTimeout(delay);
        await stopWorker(env, page);
      }
      await page.waitForFunction(() => document.body.dataset.importMs !== '', null, { timeout: 120_000 });
      assert.match(await page.textContent('#import-status'), /dated 2026-10-01: 100000 followers, 100000 following/);
      // Every page is in: followers from the first page to the last.
      const probe = [0, 49_999, 50_000, 99_999].map((i) => String(1_000_000_000 + i));
      const theirs = await ask(env, { type: 'annotate', viewer: VIEWER, accounts: probe });
      assert.deepEqual(
        theirs.badges.map((b) => b?.verdict.code),
        probe.map(() => 'follows_you'),
      );
      const mine = await ask(env, { type: 'annotate', viewer: other, accounts: ['@XDevelopers'] });
      assert.equal(mine.badges[0].verdict.code, 'mutual', 'the capture acknowledged before');
      const status = await ask(env, { type: 'status' });
      assert.notEqual(status.startedAt, before.startedAt, 'another worker finished the import');
      assert.equal(status.storeProblem, null);
      assert.equal(status.lostParts.parts, 0);
    } finally {
      await env.close();
    }
  });
});

describe('real-size archives in the CLI', () => {
  it('reads both 5 GB archives by seeking and reports the same unfollowers', async () => {
    const { execFileSync } = await import('node:child_process');
    execFileSync('cargo', ['build', '-q', '-p', 'reciprocity-cli'], { cwd: ROOT, stdio: 'inherit' });
    const cli = path.join(ROOT, 'target/debug/reciprocity');
    const store = path.join(ROOT, 'target/real-archives/cli-test.rcpr');
    fs.rmSync(store, { force: true });
    execFileSync(cli, ['ingest', '--store', store, october, november], { stdio: 'ignore' });
    const report = execFileSync(cli, ['report', '--store', store, '--viewer', VIEWER], { encoding: 'utf8', maxBuffer: 256 * 2 ** 20 });
    assert.match(report, /Unfollowed you \(100\):/);
    const listed = [...report.split('Unfollowed you')[1].matchAll(/account (\d+) — between 2026-10-01 and 2026-11-01/g)].map((m) => m[1]).sort();
    assert.deepEqual(listed, UNFOLLOWERS);
  });
});
