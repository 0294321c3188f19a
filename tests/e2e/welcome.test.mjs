// The first-run page: opened once when the extension is installed (never on an
// update or a browser restart), in the browser's language, every badge drawn
// with the engine's words, its buttons and links working from the keyboard.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launch, DIST } from './harness.mjs';

const WELCOME = 'welcome/welcome.html';
const welcomePages = (env) => env.context.pages().filter((p) => p.url().endsWith(WELCOME));

async function firstRunPage(env) {
  const deadline = Date.now() + 15000;
  while (Date.now() < deadline) {
    const [page] = welcomePages(env);
    if (page) return page;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no first-run page was opened');
}

describe('the first-run page', () => {
  it('opens once on install, says what every badge means, and leads to the import and the policy by keyboard', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reciprocity-first-run-'));
    // The package in a folder of its own, so that an update can be made of it.
    const extensionDir = path.join(dir, 'extension');
    fs.cpSync(DIST, extensionDir, { recursive: true });
    const profile = path.join(dir, 'profile');
    let env = await launch({ userDataDir: profile, extensionDir, keepWelcome: true });
    try {
      const page = await firstRunPage(env);
      await page.locator('#legend dt').nth(8).waitFor();
      assert.equal(await page.locator('h1').textContent(), 'Reciprocity is ready');
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
      // Every badge, drawn with its icon and the engine's label, and its meaning.
      const legend = await page.locator('#legend .badge').evaluateAll((els) => els.map((e) => [e.dataset.key, e.textContent]));
      assert.deepEqual(
        legend.map(([k]) => k),
        ['unfollowed_you', 'flushes_others', 'follow_churn', 'mutual', 'follows_you', 'not_following_back', 'no_relation', 'unknown', 'gone'],
      );
      assert.equal(legend[0][1], '⚠ Unfollowed you');
      assert.equal(legend[1][1], '↺ Follows then flushes');
      assert.match(await page.locator('#legend dd').first().textContent(), /no longer/);
      // Headings in order for a screen reader; no empty text left untranslated.
      assert.deepEqual(await page.locator('h2').allTextContents(), [
        'What the badges mean',
        'Three ways to build your history',
        'What is kept, and where',
        'Turning badges down or off',
      ]);
      assert.equal(await page.locator('[data-i18n]').evaluateAll((els) => els.filter((e) => !e.textContent.trim()).length), 0);

      // The keyboard reaches the import button; Enter opens the dashboard at its
      // import, the drop zone focused.
      let reached = false;
      for (let i = 0; i < 10 && !reached; i++) {
        await page.keyboard.press('Tab');
        reached = await page.evaluate(() => document.activeElement?.id === 'import');
      }
      assert.ok(reached, 'Tab reaches "Import your archive"');
      const [dashboard] = await Promise.all([env.context.waitForEvent('page'), page.keyboard.press('Enter')]);
      await dashboard.waitForLoadState();
      assert.match(dashboard.url(), /\/www\/index\.html#import$/);
      await dashboard.waitForFunction(() => document.activeElement?.id === 'drop');
      await dashboard.close();

      // The privacy policy it links to is the shipped page, in its language.
      const href = await page.locator('#privacy').getAttribute('href');
      assert.match(href, /\/privacy\/en\.html$/);
      const policy = await env.context.newPage();
      await policy.goto(href);
      assert.equal(await policy.locator('h1').textContent(), 'Reciprocity — privacy policy');
      assert.match(await policy.locator('main').textContent(), /the extension makes no network request/);
      await policy.close();
      await page.close();
    } finally {
      await env.close();
    }
    // The browser starting again with the same profile opens nothing.
    env = await launch({ userDataDir: profile, extensionDir });
    try {
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(welcomePages(env).length, 0, 'not on a browser start');
    } finally {
      await env.close();
    }
    // Nor does an update: the same extension, a newer version.
    const manifestFile = path.join(extensionDir, 'manifest.json');
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
    fs.writeFileSync(manifestFile, JSON.stringify({ ...manifest, version: manifest.version.replace(/\d+$/, (n) => String(Number(n) + 1)) }));
    env = await launch({ userDataDir: profile, extensionDir });
    try {
      const running = await env.worker().evaluate(() => chrome.runtime.getManifest().version);
      assert.notEqual(running, manifest.version, 'the newer version runs');
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(welcomePages(env).length, 0, 'not on an update');
    } finally {
      await env.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('speaks French in a French browser, in the dark', async () => {
    const env = await launch({ lang: 'fr', keepWelcome: true });
    try {
      const page = await firstRunPage(env);
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.locator('#legend dt').nth(8).waitFor();
      assert.equal(await page.locator('h1').textContent(), 'Reciprocity est prêt');
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'fr');
      assert.equal(await page.locator('#legend .badge').first().textContent(), '⚠ Vous a lâché');
      assert.match(await page.locator('#privacy').getAttribute('href'), /\/privacy\/fr\.html$/);
      // Dark: light text on a dark page, and the badges in their dark colours.
      const [fg, bg] = await page.evaluate(() => [getComputedStyle(document.body).color, getComputedStyle(document.body).backgroundColor]);
      assert.equal(bg, 'rgb(21, 32, 43)');
      assert.equal(fg, 'rgb(231, 233, 234)');
    } finally {
      await env.close();
    }
  });
});
