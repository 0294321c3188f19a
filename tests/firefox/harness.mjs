// Firefox ESR (Debian's `firefox-esr`) with dist/firefox installed as a temporary
// add-on, driven over WebDriver BiDi by puppeteer-core. Firefox has no host-resolver
// rules: it reaches the replays through a local proxy that tunnels x.com and
// twitter.com to the x.com replay, bsky.app and the PDS host to the bsky.app
// replay, records every other host asked for, and refuses them.
import fs from 'node:fs';
import net from 'node:net';
import http from 'node:http';
import path from 'node:path';
import puppeteer from 'puppeteer-core';
import { startReplay } from '../replay/server.mjs';
import { startBskyReplay, BSKY_HOSTS } from '../replay/bsky.mjs';
import { ROOT } from '../e2e/harness.mjs';

export const FIREFOX_DIST = path.join(ROOT, 'dist/firefox');
const X_HOSTS = new Set(['x.com', 'twitter.com']);

/** A CONNECT proxy: x.com and twitter.com go to the x.com replay, Bluesky's
 * hosts to the bsky.app replay; anything else is recorded and refused. */
async function startProxy(replayPort, bskyPort) {
  const hosts = [];
  const server = http.createServer((req, res) => {
    // Plain HTTP (Firefox's captive-portal check and the like): recorded, refused.
    try {
      hosts.push(new URL(req.url).hostname);
    } catch (_) {
      hosts.push(String(req.headers.host || ''));
    }
    res.writeHead(403);
    res.end();
  });
  server.on('connect', (req, client) => {
    const [host] = String(req.url).split(':');
    hosts.push(host);
    const port = X_HOSTS.has(host) ? replayPort : BSKY_HOSTS.includes(host) ? bskyPort : null;
    if (port == null) {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = net.connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: server.address().port, hosts, close: () => new Promise((r) => server.close(r)) };
}

/** Firefox's own calls home: not the extension's. */
export const isMozillaHost = (h) => /(^|\.)(mozilla\.(com|net|org)|firefox\.com|mozaws\.net|mozgcp\.net)$/.test(h);

export async function launchFirefox() {
  if (!fs.existsSync(path.join(FIREFOX_DIST, 'manifest.json'))) throw new Error(`${FIREFOX_DIST} is missing: run cargo xtask dist`);
  const replay = await startReplay();
  const bsky = await startBskyReplay();
  const proxy = await startProxy(replay.port, bsky.port);
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: process.env.FIREFOX || '/usr/bin/firefox-esr',
    headless: true,
    acceptInsecureCerts: true,
    extraPrefsFirefox: {
      'network.proxy.type': 1,
      'network.proxy.http': '127.0.0.1',
      'network.proxy.http_port': proxy.port,
      'network.proxy.ssl': '127.0.0.1',
      'network.proxy.ssl_port': proxy.port,
      'network.proxy.no_proxies_on': '',
      'network.proxy.allow_hijacking_localhost': true,
      'intl.accept_languages': 'en-US',
      'intl.locale.requested': 'en-US',
      // Host permissions of a temporary add-on, granted as at install.
      'extensions.originControls.grantByDefault': true,
    },
  });
  const extensionId = await browser.installExtension(FIREFOX_DIST);
  return {
    browser,
    replay,
    bsky,
    proxy,
    extensionId,
    async close() {
      await browser.close();
      await proxy.close();
      await replay.close();
      await bsky.close();
    },
  };
}

/** A new tab, brought to the front: the extension's welcome page opens in a tab
 * of its own after the install, and a tab behind it has its timers slowed. */
export async function newTab(env) {
  const page = await env.browser.newPage();
  await page.bringToFront();
  return page;
}

/** A page on the replay signed in as `viewer`. */
export async function openAs(env, viewer) {
  env.replay.state.viewer = viewer;
  env.replay.state.signedIn = viewer != null;
  return newTab(env);
}
