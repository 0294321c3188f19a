// A local replay of x.com: an HTTPS server that the browser reaches as
// https://x.com (Chromium's --host-resolver-rules), serving a page on X's real
// structure (see app.js: button rows, sidebar cells, late-filling hover cards, the
// account switcher, posts with quotes and recycled rows, notifications;
// pushState navigation)
// and answering its XMLHttpRequests with real captures. Tests script what each
// profile and list answers; the server records every API call it gets.
import https from 'node:https';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
// The fixtures folder `.cargo/config.toml` names (xtask passes it on); the same
// folder when this runs by hand from tests/.
const FIXTURE_ROOT = process.env.RECIPROCITY_FIXTURES ?? path.resolve(here, '../fixtures');
export const FIXTURES = path.join(FIXTURE_ROOT, 'x-graphql');
export const DERIVED = path.resolve(here, '../../crates/capture/tests/data/derived');

export const FXEMBED = path.join(FIXTURE_ROOT, 'x-graphql-fxembed');

export function fixture(name) {
  const p = [FIXTURES, FXEMBED, DERIVED].map((dir) => path.join(dir, name)).find((f) => fs.existsSync(f)) ?? path.join(DERIVED, name);
  // X sends bodies without whitespace.
  return JSON.stringify(JSON.parse(fs.readFileSync(p, 'utf8')));
}

/** A self-signed certificate for the replay's host names (the browsers are
 * told to accept it). @param {string[]} hosts */
export function certificate(hosts = ['x.com', 'twitter.com']) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reciprocity-replay-'));
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '2',
      '-subj',
      `/CN=${hosts[0]}`,
      '-addext',
      `subjectAltName=${hosts.map((h) => `DNS:${h}`).join(',')}`,
    ],
    { stdio: 'ignore' },
  );
  return { key: fs.readFileSync(key), cert: fs.readFileSync(cert) };
}

// X's shell: `#layers` (popups, hover cards) inside `#react-root`; the account
// switcher lists the signed-in accounts.
const SHELL = (theme, accounts) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>X (replay)</title>
<link rel="stylesheet" href="/__replay/app.css"></head>
<body class="theme-${theme}"><div id="react-root"><div class="app">
<header role="banner"><button type="button" data-testid="SideNav_AccountSwitcher_Button" aria-label="Account menu" data-accounts="${JSON.stringify(accounts)
  .replace(/&/g, '&amp;')
  .replace(/"/g, '&quot;')}">☰</button></header>
<main role="main"><div data-testid="primaryColumn" id="primary"></div></main>
<div data-testid="sidebarColumn" id="sidebar"></div></div>
<div id="layers"></div></div><script src="/__replay/app.js"></script></body></html>`;

export async function startReplay() {
  const state = {
    viewer: '900000000000000001',
    signedIn: true,
    theme: 'light',
    profiles: new Map(), // lower-case handle → body text
    lists: new Map(), // `${userId}/${Operation}` → body text
    timelines: new Map(), // Operation (HomeTimeline, TweetDetail, SearchTimeline, NotificationsTimeline, …) → body text
    calls: [], // every API call: { op, variables, fromApp }
    sidebar: [], // "Who to follow": user objects (GraphQL `User` results)
    // The account switcher's accounts: the viewer's own, { id, handle, name }.
    accounts: [
      { id: '900000000000000001', handle: 'reciprocity_viewer', name: 'Viewer' },
      { id: '900000000000000002', handle: 'viewer_alt', name: 'Viewer (alt)' },
    ],
  };
  const server = https.createServer(certificate(), (req, res) => {
    const url = new URL(req.url, 'https://x.com');
    const send = (status, type, body, headers = {}) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
      res.end(body);
    };
    if (url.pathname === '/__replay/app.js') return send(200, 'text/javascript', fs.readFileSync(path.join(here, 'app.js')));
    if (url.pathname === '/__replay/app.css') return send(200, 'text/css', fs.readFileSync(path.join(here, 'app.css')));
    if (url.pathname === '/favicon.ico') return send(204, 'image/x-icon', '');
    if (url.pathname === '/__replay/sidebar.json') return send(200, 'application/json', JSON.stringify(state.sidebar));
    const api = /^\/i\/api\/graphql\/[^/]+\/([A-Za-z]+)$/.exec(url.pathname);
    if (api) {
      const op = api[1];
      let variables = {};
      try {
        variables = JSON.parse(url.searchParams.get('variables') || '{}');
      } catch (_) {}
      state.calls.push({ op, variables, fromApp: req.headers['x-replay-app'] === '1' });
      let body = null;
      // Mutations X accepts (the viewer's own actions) answer as X does: 200.
      if (req.method === 'POST' && op === 'RemoveFollower')
        return send(200, 'application/json', '{"data":{"remove_follower":{"unfollow_success_reason":"Removed"}}}');
      if (op === 'UserByScreenName') body = state.profiles.get(String(variables.screen_name || '').toLowerCase());
      else body = state.lists.get(`${variables.userId}/${op}`) ?? state.timelines.get(op);
      // A profile whose posts the test did not script has none, as X answers it.
      if (body == null && op === 'UserTweets')
        body = JSON.stringify({ data: { user: { result: { __typename: 'User', timeline: { timeline: { instructions: [] } } } } } });
      if (body == null) return send(404, 'application/json', JSON.stringify({ errors: [{ message: 'Not found (replay)' }] }));
      return send(200, 'application/json', body);
    }
    const cookie = state.signedIn ? { 'set-cookie': `twid=u%3D${state.viewer}; Path=/; Secure; SameSite=None` } : { 'set-cookie': 'twid=; Path=/; Max-Age=0' };
    return send(200, 'text/html; charset=utf-8', SHELL(state.theme, state.accounts), cookie);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    state,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
