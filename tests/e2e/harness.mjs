// Shared by the end-to-end tests, the demo and the benchmark harness: the replay,
// and Debian's Chromium with dist/chrome loaded unmodified.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startReplay } from '../replay/server.mjs';
import { startBskyReplay, BSKY_HOSTS } from '../replay/bsky.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '../..');
export const DIST = path.join(ROOT, 'dist/chrome');

// Service-worker requests appear in context.on('request') only with this set.
process.env.PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS = '1';

/** Chromium with the extension; `lang` is the browser's UI language (what the
 * extension and the engine speak), `viewport` the pages' size. */
export async function launch({
  headless = true,
  userDataDir,
  lang = 'en-US',
  viewport = { width: 1000, height: 800 },
  extensionDir = DIST,
  keepWelcome = false,
} = {}) {
  if (!fs.existsSync(path.join(extensionDir, 'manifest.json'))) throw new Error(`${extensionDir} is missing: run cargo xtask dist`);
  const replay = await startReplay();
  const bsky = await startBskyReplay();
  const dir = userDataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'reciprocity-profile-'));
  // A new profile installs the extension, which opens its first-run page.
  const fresh = !fs.existsSync(dir) || fs.readdirSync(dir).length === 0;
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless,
    ignoreHTTPSErrors: true,
    viewport,
    locale: lang,
    env: { ...process.env, LANGUAGE: lang.replace('-', '_') },
    args: [
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      `--host-resolver-rules=MAP x.com 127.0.0.1:${replay.port}, MAP twitter.com 127.0.0.1:${replay.port}, ${BSKY_HOSTS.map((h) => `MAP ${h} 127.0.0.1:${bsky.port}`).join(', ')}`,
      '--ignore-certificate-errors',
      `--lang=${lang}`,
    ],
  });
  const requests = [];
  context.on('request', (r) => {
    requests.push({ url: r.url(), fromWorker: !!r.serviceWorker(), page: r.frame ? safeFrameUrl(r) : null });
  });
  const worker = context.serviceWorkers()[0] || (await context.waitForEvent('serviceworker', { timeout: 15000 }));
  const extensionId = new URL(worker.url()).host;
  // Closed before any test opens its own pages (its own test keeps it): a tab
  // opening beside a page being set up races with that page's set-up.
  if (fresh && !keepWelcome) {
    const isWelcome = (p) => p.url().endsWith('/welcome/welcome.html');
    const welcome = context.pages().find(isWelcome) || (await context.waitForEvent('page', { predicate: isWelcome, timeout: 15000 }).catch(() => null));
    // Closed once loaded: a page of the extension closed while it loads leaves
    // the extension's later pages without their messages (chrome.i18n).
    await welcome?.waitForLoadState('load');
    await welcome?.close();
  }
  return {
    replay,
    bsky,
    context,
    extensionId,
    requests,
    dir,
    /** The live worker (after a stop, the browser starts a new one). */
    worker: () => context.serviceWorkers().find((w) => w.url().includes(extensionId)),
    async close() {
      await context.close();
      await replay.close();
      await bsky.close();
      if (!userDataDir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function safeFrameUrl(r) {
  try {
    return r.frame().url();
  } catch (_) {
    return null;
  }
}

/** Sends a message to the worker the way the extension's pages do. */
export async function ask(env, message) {
  const page = await extensionPage(env);
  return page.evaluate((m) => chrome.runtime.sendMessage(m), message);
}

/** A page of the extension's own origin (its popup), kept open per browser. */
export async function extensionPage(env) {
  if (env.extensionPage && !env.extensionPage.isClosed()) return env.extensionPage;
  env.extensionPage = await env.context.newPage();
  await env.extensionPage.goto(`chrome-extension://${env.extensionId}/popup/popup.html`);
  return env.extensionPage;
}

/** The popup as the browser opens it over `page`: the extension's popup page
 * in a tab opened behind it, so that `page` stays its window's active tab (the
 * one the popup reads as "this profile"). */
export async function popupOver(env, page) {
  await page.bringToFront();
  const cdp = await env.context.newCDPSession(page);
  const opened = env.context.waitForEvent('page');
  await cdp.send('Target.createTarget', { url: `chrome-extension://${env.extensionId}/popup/popup.html`, background: true });
  await cdp.detach();
  const popup = await opened;
  await popup.waitForLoadState();
  return popup;
}

/** Chooses which badges each place shows, as the popup's settings do; `null`
 * goes back to the defaults (list cells: notable only). */
export async function setBadges(env, settings) {
  const page = await extensionPage(env);
  await page.evaluate((s) => (s ? chrome.storage.local.set({ 'reciprocity.badges': s }) : chrome.storage.local.remove('reciprocity.badges')), settings);
}

/** Stops the extension's worker, as the browser does after 30 s idle. */
export async function stopWorker(env, page) {
  const cdp = await env.context.newCDPSession(page);
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await cdp.detach();
}

/** A page on the replay, signed in as `viewer`, its clock and the worker's at
 * `when` (the worker dates captures by its own clock, never the page's). */
export async function openAs(env, viewer, when) {
  env.replay.state.viewer = viewer;
  env.replay.state.signedIn = viewer != null;
  const page = await env.context.newPage();
  if (when) {
    await page.clock.setFixedTime(new Date(when));
    await setWorkerClock(env, when);
  }
  return page;
}

/** A page for the bsky.app replay, its clock and the worker's at `when`. */
export async function openBsky(env, when) {
  const page = await env.context.newPage();
  if (when) {
    await page.clock.setFixedTime(new Date(when));
    await setWorkerClock(env, when);
  }
  return page;
}

/** Fixes the extension worker's clock (`Date.now`) at `when`, from the test's
 * side (the DevTools protocol): nothing a page or a message does can. A worker
 * the browser stopped comes back with the real clock. */
export async function setWorkerClock(env, when) {
  const worker = env.worker() || (await env.context.waitForEvent('serviceworker', { timeout: 15000 }));
  await worker.evaluate((t) => {
    const fixed = Date.parse(t);
    Date.now = () => fixed;
  }, when);
}

/** The text inside a badge's closed shadow root, and whether its evidence shows,
 * read through the DevTools protocol (`pierce`), as no page script can. */
export async function badgeShadow(page, selector) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
    if (!nodeId) return null;
    const { node } = await cdp.send('DOM.describeNode', { nodeId, depth: -1, pierce: true });
    const texts = [];
    let tip = null;
    const walk = (n, inStyle) => {
      if (n.nodeType === 3 && !inStyle) texts.push(n.nodeValue);
      const attrs = n.attributes || [];
      const cls = attrs[attrs.indexOf('class') + 1];
      if (attrs.includes('class') && /\btip\b/.test(cls)) tip = n;
      const style = n.nodeName === 'STYLE';
      for (const c of [...(n.shadowRoots || []), ...(n.children || [])]) walk(c, inStyle || style);
    };
    walk(node, false);
    let tipShown = false;
    if (tip) {
      const { object } = await cdp.send('DOM.resolveNode', { backendNodeId: tip.backendNodeId });
      const { result } = await cdp.send('Runtime.callFunctionOn', {
        objectId: object.objectId,
        returnByValue: true,
        functionDeclaration: 'function () { return getComputedStyle(this).display !== "none"; }',
      });
      tipShown = result.value;
    }
    return { text: texts.join(' '), tipShown, closed: (node.shadowRoots || []).every((r) => r.shadowRootType === 'closed') };
  } finally {
    await cdp.detach();
  }
}

export function badge(page, scope) {
  return page.locator(`${scope} [data-reciprocity-verdict]`);
}

/** A sparse X archive of real size (gigabytes of zero-filled media around real-shaped
 * lists), made by `cargo xtask real-archive` once per spec under target/ and never
 * committed; its name says it is derived. `spec` maps flags to values
 * (`{ 'media-gib': 5, followers: 100000, date: '…' }`). */
export async function realArchive(name, spec) {
  const { execFileSync } = await import('node:child_process');
  const dir = path.join(ROOT, 'target/real-archives');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.DERIVED.zip`);
  const args = Object.entries(spec).flatMap(([k, v]) => [`--${k}`, String(v)]);
  const stamp = `${file}.spec`;
  const sidecar = file.replace(/\.zip$/, '.entries.json');
  if (!fs.existsSync(file) || !fs.existsSync(sidecar) || !fs.existsSync(stamp) || fs.readFileSync(stamp, 'utf8') !== args.join(' ')) {
    execFileSync('cargo', ['xtask', 'real-archive', file, ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    fs.writeFileSync(stamp, args.join(' '));
  }
  return file;
}

/** Serves a folder over plain HTTP on loopback (the dashboard as a static site). */
export async function serveDir(dir) {
  const http = await import('node:http');
  const types = {
    '.html': 'text/html; charset=utf-8',
    '.js': 'text/javascript',
    '.css': 'text/css',
    '.wasm': 'application/wasm',
    '.png': 'image/png',
    '.json': 'application/json',
  };
  const server = http.createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url, 'http://x').pathname).replace(/^\/+/, '') || 'index.html';
    const file = path.join(dir, rel);
    if (!file.startsWith(dir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404);
      return res.end();
    }
    res.writeHead(200, { 'content-type': types[path.extname(file)] || 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((r) => server.close(r)) };
}

/** Plain Debian Chromium, no extension. */
export async function plainBrowser() {
  return chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true });
}
