// A local replay of bsky.app: one HTTPS server that the browser reaches as
// https://bsky.app (the page) and as the signed-in user's PDS host (its XRPC
// reads), through Chromium's --host-resolver-rules or Firefox's proxy. The page
// (bsky-app.js) is on social-app's real structure: its `fetch` taken at module
// load, reads to the PDS host with the AppView proxy header, a session kept in
// localStorage with its tokens, profile headers, ProfileCard rows of 30-a-page
// lists (with `sort`), hover cards that open 500 ms after the first pointer move
// and fill in when their read comes back, follow notifications, and a home
// timeline of posts (reposts and quotes among them) and a post's thread. Tests script
// what each read answers, from the real recordings in tests/fixtures/bluesky; the
// server records every XRPC call.
import https from 'node:https';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { certificate } from './server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const FIXTURE_ROOT = process.env.RECIPROCITY_FIXTURES ?? path.resolve(here, '../fixtures');
export const BSKY_FIXTURES = path.join(FIXTURE_ROOT, 'bluesky');

/** The user's PDS host (a bsky.social account's), where bsky.app reads. */
export const PDS_HOST = 'morel.us-east.host.bsky.network';
export const BSKY_HOSTS = ['bsky.app', PDS_HOST];

/** A recorded response body (tests/fixtures/bluesky: `{ _source, body }`). */
export function bskyFixture(name) {
  return JSON.parse(fs.readFileSync(path.join(BSKY_FIXTURES, name), 'utf8')).body;
}

// The recorded read's viewer (bskyr.bsky.social) and the profile it read.
export const VIEWER_DID = 'did:plc:5c2r73erhng4bszmxlfdtscf';
export const VIEWER_HANDLE = 'bskyr.bsky.social';
export const CHRIS_DID = 'did:plc:wpe35pganb6d4pg4ekmfy6u5';
export const CHRIS = 'chriskenny.bsky.social';

/** The session's tokens as the replay's PDS hands them out: tests look for
 * them in everything the extension keeps. */
export const TOKENS = { accessJwt: 'eyJhbGciOiJFUzI1NksifQ.REPLAY-ACCESS-TOKEN-7f3a9c', refreshJwt: 'eyJhbGciOiJFUzI1NksifQ.REPLAY-REFRESH-TOKEN-d41e02' };

const SHELL = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Bluesky (replay)</title>
<style>
body { font: 15px/1.4 system-ui, sans-serif; margin: 0; background: #fff; color: #0b0f14; }
#root { max-width: 600px; margin: 0 auto; padding: 12px; }
.row { display: flex; flex-direction: row; align-items: center; gap: 6px; }
.pill { background: #f1f3f5; border-radius: 4px; padding: 3px 6px; font-size: 12px; }
.handle { color: #5b6b7b; }
a { color: inherit; text-decoration: none; }
a[data-testid$="-link"] { display: flex; flex-direction: column; padding: 10px 0; border-bottom: 1px solid #e3e8ed; }
.avatar { width: 40px; height: 40px; border-radius: 50%; background: #9ab; display: inline-block; }
.banner { height: 150px; margin: -12px -12px 0; background: linear-gradient(120deg, #1083fe, #6cb6ff); }
.avatar.big { width: 90px; height: 90px; margin-top: -45px; border: 3px solid #fff; }
.header { display: flex; flex-direction: column; gap: 6px; padding: 8px 0 12px; }
.tabs { display: flex; gap: 28px; border-bottom: 1px solid #e3e8ed; padding: 10px 0; color: #5b6b7b; font-weight: 600; }
body { background: #f1f3f5; } #root { background: #fff; min-height: 100vh; border-left: 1px solid #e3e8ed; border-right: 1px solid #e3e8ed; }
.post { padding: 10px 0; border-bottom: 1px solid #e3e8ed; }
.quote { border: 1px solid #d4dbe2; border-radius: 8px; padding: 8px; margin-top: 6px; }
.card { width: 300px; border: 1px solid #d4dbe2; border-radius: 8px; background: #fff; padding: 12px; box-shadow: 0 8px 24px rgba(0,0,0,.15); }
@keyframes fadeIn { from { opacity: 0 } to { opacity: 1 } }
</style></head>
<body><div id="root"></div><div id="portal"></div><script src="/__replay/bsky-app.js"></script></body></html>`;

export async function startBskyReplay() {
  const state = {
    viewer: VIEWER_DID,
    viewerHandle: VIEWER_HANDLE,
    signedIn: true,
    profiles: new Map(), // DID → profileViewDetailed (what getProfile answers)
    lists: new Map(), // `${did}/${nsid}/${sort}` → pages (bodies), first page first
    notifications: { notifications: [] },
    timeline: [], // getTimeline's feed: { post, reason? }, newest first
    thread: null, // what getPostThread answers: { post, replies: [{ post }] }
    likes: null, // what getLikes answers for any post: { uri, likes: [{ actor, createdAt }] }
    repostedBy: null, // what getRepostedBy answers for any post: { uri, repostedBy: [...] }
    calls: [], // every XRPC call: { nsid, params, method, host }
  };
  const cors = {
    'access-control-allow-origin': 'https://bsky.app',
    'access-control-allow-headers': 'authorization, atproto-proxy, content-type',
    'access-control-allow-methods': 'GET, POST',
  };
  const server = https.createServer(certificate(BSKY_HOSTS), async (req, res) => {
    const host = String(req.headers.host || '').replace(/:\d+$/, '');
    const url = new URL(req.url, `https://${host}`);
    const send = (status, type, body, headers = {}) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
      res.end(body);
    };
    if (host === PDS_HOST) {
      if (req.method === 'OPTIONS') return send(204, 'text/plain', '', cors);
      const nsid = /^\/xrpc\/([A-Za-z.]+)$/.exec(url.pathname)?.[1];
      if (!nsid) return send(404, 'application/json', '{"error":"NotFound"}', cors);
      const params = Object.fromEntries(url.searchParams);
      state.calls.push({ nsid, params, method: req.method, host });
      const json = (status, value) => send(status, 'application/json; charset=utf-8', JSON.stringify(value), cors);
      const session = () => ({ did: state.viewer, handle: state.viewerHandle, email: 'viewer@example.com', emailConfirmed: true, active: true, ...TOKENS });
      switch (nsid) {
        case 'com.atproto.server.createSession':
        case 'com.atproto.server.refreshSession':
        case 'com.atproto.server.getSession':
          return state.signedIn ? json(200, session()) : json(401, { error: 'AuthenticationRequired' });
        case 'com.atproto.identity.resolveHandle': {
          const found = [...state.profiles.values()].find((p) => p.handle === params.handle);
          return found ? json(200, { did: found.did }) : json(400, { error: 'InvalidRequest', message: 'Unable to resolve handle' });
        }
        case 'app.bsky.actor.getProfile': {
          const p = state.profiles.get(params.actor) ?? [...state.profiles.values()].find((x) => x.handle === params.actor);
          return p ? json(200, p) : json(400, { error: 'InvalidRequest', message: 'Profile not found' });
        }
        case 'app.bsky.graph.getFollowers':
        case 'app.bsky.graph.getFollows': {
          const pages = state.lists.get(`${params.actor}/${nsid}/${params.sort ?? 'latest'}`) ?? [];
          // The page after the one whose cursor was sent; the first without one.
          const at = params.cursor ? pages.findIndex((p) => p.cursor === params.cursor) + 1 : 0;
          return at > 0 || !params.cursor
            ? json(200, pages[at] ?? { subject: state.profiles.get(params.actor), [nsid.endsWith('Followers') ? 'followers' : 'follows']: [] })
            : json(400, { error: 'InvalidRequest' });
        }
        case 'app.bsky.notification.listNotifications':
          return json(200, state.notifications);
        case 'app.bsky.feed.getTimeline':
          return json(200, { feed: state.timeline });
        case 'app.bsky.feed.getLikes':
          return json(200, state.likes ?? { uri: params.uri, likes: [] });
        case 'app.bsky.feed.getRepostedBy':
          return json(200, state.repostedBy ?? { uri: params.uri, repostedBy: [] });
        case 'app.bsky.feed.getPostThread':
          return state.thread ? json(200, { thread: { $type: 'app.bsky.feed.defs#threadViewPost', ...state.thread } }) : json(400, { error: 'NotFound' });
        default:
          // Everything else the app reads (feeds, preferences…) answers empty.
          return json(200, {});
      }
    }
    if (url.pathname === '/__replay/bsky-app.js') return send(200, 'text/javascript', fs.readFileSync(path.join(here, 'bsky-app.js')));
    if (url.pathname === '/favicon.ico') return send(204, 'image/x-icon', '');
    return send(200, 'text/html; charset=utf-8', SHELL);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    state,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** What getProfile answers for the recorded profile: the getProfiles read's
 * one profile (a derivation done here, at run time), optionally edited. */
export function chrisProfile(edit = (p) => p) {
  return edit(structuredClone(bskyFixture('01_getProfiles_2025-05_authed.json').profiles[0]));
}
