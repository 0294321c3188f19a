// The dashboard as a static site (dist/www) in Chromium: X archives imported at two
// dates give the right unfollowers; the charts draw; export round-trips; the views
// have their links and hooks. Screenshots of each view go to target/www-shots/.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serveDir, plainBrowser, ROOT } from './harness.mjs';
import { archive, ids } from './archive.mjs';

const VIEWER = '920000000000000001';
const [A, B, C, D, E] = ids(5, 42);
const filler = ids(500, 7);
const shots = path.join(ROOT, 'target/www-shots');

let site;
let browser;
let page;
before(async () => {
  fs.mkdirSync(shots, { recursive: true });
  site = await serveDir(path.join(ROOT, 'dist/www'));
  browser = await plainBrowser();
  page = await browser.newPage({ viewport: { width: 1100, height: 900 }, acceptDownloads: true, locale: 'en-US' });
  page.on('pageerror', (e) => console.error('page error:', e));
  await page.goto(`${site.url}index.html`);
  await page.waitForSelector('body[data-ready="true"]');
});
after(async () => {
  await browser?.close();
  await site?.close();
});

const rows = (list) =>
  page.$$eval(`[data-reciprocity-list="${list}"] [data-reciprocity-account]`, (rs) => rs.map((r) => r.getAttribute('data-reciprocity-account')));

/** Waits until a list shows these rows (the page asks its engine worker, then draws). */
async function rowsBecome(list, expected) {
  await page.waitForFunction(
    ([l, want]) =>
      JSON.stringify(
        [...document.querySelectorAll(`[data-reciprocity-list="${l}"] [data-reciprocity-account]`)].map((r) => r.getAttribute('data-reciprocity-account')),
      ) === JSON.stringify(want),
    [list, expected],
  );
}

async function go(hash) {
  await page.evaluate((h) => {
    location.hash = h;
  }, hash);
  await page.waitForFunction((h) => document.getElementById('main').dataset.route === h, hash);
}

describe('the dashboard', () => {
  it('two archives at two dates give the unfollowers between them', async () => {
    const october = archive({ viewer: VIEWER, handle: 'viewer', date: '2026-10-01T09:00:00.000Z', followers: [A, B, C, ...filler], following: [A, D] });
    const november = archive({ viewer: VIEWER, handle: 'viewer', date: '2026-11-01T09:00:00.000Z', followers: [B, C, E, ...filler], following: [A, D] });
    // Several at once, newest first: order does not matter.
    await page.setInputFiles('#files', [
      { name: 'twitter-2026-11-01.zip', mimeType: 'application/zip', buffer: november },
      { name: 'twitter-2026-10-01.zip', mimeType: 'application/zip', buffer: october },
    ]);
    await page.waitForFunction(() =>
      /twitter-2026-10-01\.zip: archive of @viewer dated 2026-10-01: 503 followers, 2 following/.test(document.getElementById('import-status').textContent),
    );
    await go('#/unfollowed');
    assert.deepEqual(await rows('unfollowed_you'), [A]);
    const row = page.locator(`[data-reciprocity-list="unfollowed_you"] [data-reciprocity-account="${A}"]`);
    assert.match(await row.textContent(), /between 2026-10-01 and 2026-11-01/);
    assert.match(await row.textContent(), new RegExp(A), 'known only by id, shown by id');
    assert.equal(await row.locator(`a[href="https://x.com/i/user/${A}"]`).count(), 1, 'with a link to its profile on X');
    await page.screenshot({ path: path.join(shots, 'unfollowed.png'), fullPage: true });

    await go('#/not-following-back');
    assert.deepEqual((await rows('not_following_back')).sort(), [A, D].sort());
    await page.screenshot({ path: path.join(shots, 'not-following-back.png'), fullPage: true });
  });

  it('the charts draw', async () => {
    await go('#/charts');
    await page.waitForSelector('[data-chart="counts"] canvas');
    await page.waitForSelector('[data-chart="unfollows"] canvas');
    const inked = await page.$$eval('.chart canvas', (cs) =>
      cs.map((c) => {
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
        return n;
      }),
    );
    assert.ok(inked.length >= 2 && inked.every((n) => n > 500), `pixels drawn per chart: ${inked}`);
    // Every chart's time axis spans its data (October and November 2026), not years.
    const spans = await page.$$eval('.chart', (cs) => cs.map((c) => [Number(c.dataset.xMin), Number(c.dataset.xMax)]));
    for (const [lo, hi] of spans) {
      assert.ok(
        lo >= Date.parse('2026-09-15') / 1000 && hi <= Date.parse('2026-11-30') / 1000,
        `axis ${new Date(lo * 1000).toISOString()} – ${new Date(hi * 1000).toISOString()}`,
      );
    }
    await page.screenshot({ path: path.join(shots, 'charts.png'), fullPage: true });
  });

  it('brands: sortable, filterable, curated; an account has its own page', async () => {
    // A ledger export naming A as a business (its handle and verification).
    const doc = {
      format: 'reciprocity-ledger',
      version: 1,
      viewers: [
        {
          viewer: { platform: 'x', id: VIEWER },
          edges: [],
          lists: [],
          accounts: [
            {
              id: A,
              handles: [{ value: 'SomeBrand', first: '2026-10-05T00:00:00Z', last: '2026-10-05T00:00:00Z' }],
              names: [],
              counts: [
                { at: '2026-10-05T00:00:00Z', followers: 1000, following: 300 },
                { at: '2026-10-20T00:00:00Z', followers: 1000, following: 700 },
              ],
              protected: null,
              verified_type: { at: '2026-10-05T00:00:00Z', value: 'Business' },
              blue_verified: null,
              professional_type: null,
              gone: [],
              blocked_you: [],
              last_active: '2026-10-20T00:00:00Z',
              brand_mark: null,
              allowlisted: null,
            },
            {
              id: B,
              handles: [{ value: 'OtherCo', first: '2026-10-05T00:00:00Z', last: '2026-10-05T00:00:00Z' }],
              names: [],
              counts: [],
              protected: null,
              verified_type: null,
              blue_verified: null,
              professional_type: { at: '2026-10-05T00:00:00Z', value: 'Business' },
              gone: [],
              blocked_you: [],
              last_active: '2026-10-05T00:00:00Z',
              brand_mark: null,
              allowlisted: null,
            },
          ],
        },
      ],
    };
    await page.setInputFiles('#files', [{ name: 'brands.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(doc)) }]);
    await page.waitForFunction(() => /brands\.json: ledger export merged/.test(document.getElementById('import-status').textContent));
    await go('#/brands');
    assert.deepEqual(await rows('brands'), [A, B], 'worst first');
    await page.fill('input[type=search]', 'other');
    assert.deepEqual(await rows('brands'), [B]);
    await page.fill('input[type=search]', '');
    await page.click('#flagged-only');
    assert.deepEqual(await rows('brands'), [A]);
    await page.click('#flagged-only');
    // By account name: descending (@SomeBrand, @OtherCo), then ascending.
    await page.click('th button:has-text("Account")');
    assert.deepEqual(await rows('brands'), [A, B]);
    await page.click('th button:has-text("Account")');
    assert.deepEqual(await rows('brands'), [B, A]);
    await page.screenshot({ path: path.join(shots, 'brands.png'), fullPage: true });
    // The viewer says B is not a brand: it leaves the list.
    await page.click(`[data-reciprocity-account="${B}"] button:has-text("Not a brand")`);
    await rowsBecome('brands', [A]);

    await go(`#/account/${A}`);
    await page.waitForSelector('[data-reciprocity-verdict="unfollowed_you"]');
    await page.waitForSelector('[data-chart="following"] canvas');
    assert.match(await page.textContent('main'), /Unfollowed/);
    await page.screenshot({ path: path.join(shots, 'account.png'), fullPage: true });
  });

  it('export round-trips', async () => {
    const download = page.waitForEvent('download');
    await page.click('#export-json');
    const file = await (await download).path();
    const exported = fs.readFileSync(file);
    const fresh = await browser.newPage({ acceptDownloads: true });
    await fresh.goto(`${site.url}index.html`);
    await fresh.waitForSelector('body[data-ready="true"]');
    await fresh.setInputFiles('#files', [{ name: 'export.json', mimeType: 'application/json', buffer: exported }]);
    await fresh.waitForFunction(() => /export\.json: ledger export merged/.test(document.getElementById('import-status').textContent));
    const again = fresh.waitForEvent('download');
    await fresh.click('#export-json');
    assert.equal(fs.readFileSync(await (await again).path(), 'utf8'), exported.toString('utf8'));
    await fresh.evaluate(() => {
      location.hash = '#/unfollowed';
    });
    await fresh.waitForSelector(`[data-reciprocity-list="unfollowed_you"] [data-reciprocity-account="${A}"]`);
    await fresh.close();
  });

  it('works with the keyboard alone, in French, light and dark', async () => {
    const fr = await browser.newPage({ locale: 'fr-FR', colorScheme: 'dark' });
    await fr.goto(`${site.url}index.html`);
    await fr.waitForSelector('body[data-ready="true"]');
    assert.match(await fr.textContent('nav'), /Vous ont lâché/);
    assert.ok(await fr.evaluate(() => document.documentElement.classList.contains('dark')));
    await fr.keyboard.press('Tab');
    await fr.keyboard.press('Enter');
    assert.equal(await fr.evaluate(() => document.activeElement.id), 'main');
    await fr.close();
  });

  it('an unfollow the viewer knows better about is set right from its account page', async () => {
    await go('#/unfollowed');
    assert.ok((await rows('unfollowed_you')).includes(A));
    await go(`#/account/${A}`);
    await page.locator('[data-reciprocity-not-unfollow]').first().click();
    await go('#/unfollowed');
    assert.ok(!(await rows('unfollowed_you')).includes(A), 'no longer counted as an unfollow');
    await go(`#/account/${A}`);
    assert.match(await page.textContent('main'), /not an unfollow, you said/);
  });
});
