// The extension on the bsky.app replay (tests/replay/bsky.mjs), loaded unmodified
// into Chromium: the hook is in the page before the app takes its `fetch`, the
// viewer is the DID bsky.app keeps, "follows you since" comes to the second from
// the follow record's key, a flush shows with its dates, a `top`-sorted list
// dates nothing, and no session token reaches anything the extension keeps.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, badgeShadow, openBsky, extensionPage, setWorkerClock, setBadges, ask, popupOver } from './harness.mjs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bskyFixture, chrisProfile, BSKY_FIXTURES, CHRIS, CHRIS_DID, TOKENS, VIEWER_DID, VIEWER_HANDLE } from '../replay/bsky.mjs';

/** A TID (a record key) for an instant: 53 bits of microseconds, 10 of clock id. */
function tidAt(iso, clock = 7) {
  const S32 = '234567abcdefghijklmnopqrstuvwxyz';
  let n = ((BigInt(Date.parse(iso)) * 1000n) << 10n) | BigInt(clock);
  let out = '';
  for (let i = 0; i < 13; i++) {
    out = S32[Number(n & 31n)] + out;
    n >>= 5n;
  }
  return out;
}

/** Everything the extension keeps, as text: each IndexedDB database of its
 * origin (records and byte arrays alike) and its storage. */
async function everythingKept(env) {
  const page = await extensionPage(env);
  return page.evaluate(async () => {
    const text = [];
    const show = (v) => {
      if (v instanceof ArrayBuffer || ArrayBuffer.isView(v)) return new TextDecoder('latin1').decode(v instanceof ArrayBuffer ? v : v.buffer);
      return JSON.stringify(v, (_, x) => (x instanceof ArrayBuffer || ArrayBuffer.isView(x) ? show(x) : x));
    };
    for (const { name } of await indexedDB.databases()) {
      const db = await new Promise((ok, ko) => {
        const r = indexedDB.open(name);
        r.onsuccess = () => ok(r.result);
        r.onerror = () => ko(r.error);
      });
      for (const store of db.objectStoreNames) {
        const all = await new Promise((ok) => {
          const r = db.transaction(store).objectStore(store).getAll();
          r.onsuccess = () => ok(r.result);
        });
        for (const v of all) text.push(show(v));
      }
      db.close();
    }
    text.push(JSON.stringify(await chrome.storage.local.get(null)));
    return text.join('\n');
  });
}

/** A viewer's ledger as the popup exports it (the JSON comes by transfer). */
async function exported(env, viewer = VIEWER_DID) {
  const page = await extensionPage(env);
  return page.evaluate(async (v) => {
    const reply = await chrome.runtime.sendMessage({ type: 'export', viewer: v });
    return reply.ok ? globalThis.ReciprocityPlatform.transfer.take(reply.transfer) : JSON.stringify(reply);
  }, viewer);
}

/** The follows the network dated, by how. */
const dated = async (env, how) =>
  JSON.parse(await exported(env))
    .viewers.flatMap((v) => v.dated ?? [])
    .filter((d) => d.how === how);

let env;
before(async () => {
  env = await launch();
  env.bsky.state.profiles.set(CHRIS_DID, chrisProfile());
});
after(async () => env?.close());

describe('bsky.app', () => {
  it('signs in, then a profile that follows you says since when, to the second, from its follow record', async () => {
    const page = await openBsky(env, '2025-05-19T17:41:25Z');
    // The first visit signs in: bsky.app keeps the session (and its tokens) in
    // localStorage; the hook had no viewer yet, so nothing is recorded.
    await page.goto('https://bsky.app/');
    await page.waitForFunction(() => !!localStorage.getItem('BSKY_STORAGE'));
    await page.goto(`https://bsky.app/profile/${CHRIS}`);
    await page.locator('[data-testid="profileHeaderDisplayName"]').waitFor();
    const host = page.locator('[data-reciprocity-verdict]');
    await host.waitFor({ timeout: 10000 });
    assert.equal(await host.getAttribute('data-reciprocity-verdict'), 'mutual');
    const shown = await badgeShadow(page, '[data-reciprocity-verdict]');
    assert.ok(shown.closed);
    // 3kchl2sce7p2i: 2023-10-24 01:28:28.934 UTC, beside Bluesky's own "Follows you".
    assert.match(shown.text, /2023-10-24 01:28:28 UTC/, shown.text);
    assert.equal(await host.getAttribute('data-reciprocity-beside-x'), 'true');
    // The app read through the hook: resolveHandle, getProfile, and a session
    // resumed with refreshSession.
    const nsids = env.bsky.state.calls.map((c) => c.nsid);
    assert.ok(nsids.includes('com.atproto.server.createSession'));
    assert.ok(nsids.includes('com.atproto.server.refreshSession'));
    assert.ok(nsids.includes('app.bsky.actor.getProfile'));
    await page.close();
  });

  it('keeps no session token anywhere: not in the journal, the store, or settings', async () => {
    const kept = await everythingKept(env);
    assert.ok(kept.length > 100, 'the store has something in it');
    for (const token of Object.values(TOKENS)) assert.ok(!kept.includes(token), 'a session token was kept');
    assert.ok(!kept.includes('accessJwt') && !kept.includes('refreshJwt'));
    assert.ok(!kept.includes('com.atproto.server.'), 'a session read was journaled');
  });

  it('a hover card fills in late, and its badge comes with it; a second hover reads nothing', async () => {
    // The recorded list, derived: its first row's account follows you since
    // 2025-05-02 (the recording was made by another viewer), in the list's row
    // and in what getProfile answers alike.
    const followers = bskyFixture('02_getFollowers_2025-05_other_actor.json');
    const first = followers.followers[0];
    first.viewer = { ...first.viewer, followedBy: `at://${first.did}/app.bsky.graph.follow/${tidAt('2025-05-02T08:09:10Z')}` };
    env.bsky.state.lists.set(`${CHRIS_DID}/app.bsky.graph.getFollowers/latest`, [followers]);
    env.bsky.state.profiles.set(first.did, structuredClone(first));
    const page = await openBsky(env, '2025-05-19T18:00:00Z');
    await page.goto(`https://bsky.app/profile/${CHRIS}/followers`);
    const row = page.locator(`[data-testid="profileCard-${first.handle}-link"]`);
    await row.waitFor();
    const reads = () => env.bsky.state.calls.filter((c) => c.nsid === 'app.bsky.actor.getProfile' && c.params.actor === first.did).length;
    await row.locator('.hover-target').hover();
    const card = page.locator('#portal div[style*="will-change: transform"]');
    await card.waitFor();
    await card.locator('[data-reciprocity-verdict]').waitFor({ timeout: 10000 });
    assert.equal(await card.locator('[data-reciprocity-verdict]').getAttribute('data-reciprocity-verdict'), 'follows_you');
    const inCard = await badgeShadow(page, '#portal div[style*="will-change: transform"] [data-reciprocity-verdict]');
    assert.match(inCard.text, /2025-05-02/, inCard.text);
    assert.equal(reads(), 1);
    // A layer drawn the same way that is no user's card (a list of several
    // profiles, as an animated feed would be) carries no badge.
    await page.evaluate(
      (rows) => {
        const layer = document.createElement('div');
        layer.id = 'not-a-card';
        layer.style.willChange = 'transform';
        for (const r of rows) {
          const a = document.createElement('a');
          a.href = `/profile/${r}`;
          a.textContent = `@${r}`;
          layer.append(a);
        }
        document.body.append(layer);
      },
      followers.followers.slice(0, 6).map((f) => f.handle),
    );
    await page.waitForTimeout(500);
    assert.equal(await page.locator('#not-a-card [data-reciprocity-verdict]').count(), 0);
    // Away and back within 30 s: the app's cache answers, the badge is the same.
    await page.mouse.move(0, 0);
    await card.waitFor({ state: 'detached' });
    await row.locator('.hover-target').hover();
    await card.locator('[data-reciprocity-verdict]').waitFor({ timeout: 10000 });
    assert.equal(reads(), 1);
    await page.close();
  });

  it('a list under `latest` is dated by its cursors; under `top` it dates nothing', async () => {
    const byCursor = async () => (await dated(env, 'cursor')).length + (await dated(env, 'cursor_top')).length;
    const before = await byCursor();
    assert.ok(before >= 47, `the latest list's rows were dated: ${before}`);
    const edges = async () => JSON.parse(await exported(env)).viewers.flatMap((v) => v.edges).length;
    const edgesBefore = await edges();
    const follows = bskyFixture('03_getFollows_2025-05_other_actor.json');
    env.bsky.state.lists.set(`${CHRIS_DID}/app.bsky.graph.getFollows/top`, [follows]);
    const page = await openBsky(env, '2025-05-19T18:10:00Z');
    await page.goto(`https://bsky.app/profile/${CHRIS}/follows?sort=top`);
    await page.locator(`[data-testid="profileCard-${follows.follows[0].handle}-link"]`).waitFor();
    // The page was read (its follows are in the ledger), and dated nothing.
    for (let i = 0; i < 50 && (await edges()) < edgesBefore + follows.follows.length; i++) await page.waitForTimeout(100);
    assert.ok((await edges()) >= edgesBefore + follows.follows.length - 1, 'the top page was read');
    const call = env.bsky.state.calls.findLast((c) => c.nsid === 'app.bsky.graph.getFollows');
    assert.equal(call.params.sort, 'top');
    assert.equal(await byCursor(), before);
    await page.close();
  });

  it('an account that followed you and deleted its follow a week later shows the flush, with its dates', async () => {
    // A derived account: followed the viewer on 2025-06-01 at 09:30:00 UTC.
    const did = 'did:plc:flushflushflushflushflus';
    const handle = 'flush-then-drop.bsky.social';
    const key = tidAt('2025-06-01T09:30:00Z');
    const base = {
      did,
      handle,
      displayName: 'Follow Then Flush',
      followersCount: 50210,
      followsCount: 48000,
      labels: [],
      createdAt: '2025-05-30T00:00:00.000Z',
    };
    env.bsky.state.profiles.set(did, { ...base, viewer: { muted: false, blockedBy: false, followedBy: `at://${did}/app.bsky.graph.follow/${key}` } });
    let page = await openBsky(env, '2025-06-02T12:00:00Z');
    await page.goto(`https://bsky.app/profile/${handle}`);
    await page.locator('[data-reciprocity-verdict]').waitFor({ timeout: 10000 });
    assert.equal(await page.locator('[data-reciprocity-verdict]').getAttribute('data-reciprocity-verdict'), 'follows_you');
    await page.close();
    // A week later its follow record is gone: no `followedBy`, no block.
    env.bsky.state.profiles.set(did, { ...base, viewer: { muted: false, blockedBy: false } });
    page = await openBsky(env, '2025-06-09T12:00:00Z');
    await page.goto(`https://bsky.app/profile/${handle}`);
    await page.waitForFunction(
      () => document.querySelector('[data-reciprocity-verdict]')?.getAttribute('data-reciprocity-verdict') === 'unfollowed_you',
      null,
      { timeout: 10000 },
    );
    const shown = await badgeShadow(page, '[data-reciprocity-verdict]');
    assert.match(shown.text, /2025-06-01 09:30:00 UTC/, shown.text);
    assert.match(shown.text, /2025-06-02/, shown.text);
    assert.match(shown.text, /2025-06-09/, shown.text);
    await page.close();
  });

  it("posts in a feed and a thread: the author line of one who flushed you says so; a repost's and a quote's other accounts, and your own posts, carry nothing", async () => {
    const flusher = { did: 'did:plc:flushflushflushflushflus', handle: 'flush-then-drop.bsky.social', displayName: 'Follow Then Flush' };
    const chris = chrisProfile();
    const me = { did: VIEWER_DID, handle: VIEWER_HANDLE, displayName: 'Me' };
    // Never visited: the feed alone says it follows you, and since when.
    const newcomer = {
      did: 'did:plc:newcomernewcomernewcomer',
      handle: 'newcomer.bsky.social',
      displayName: 'Newcomer',
      viewer: { followedBy: `at://did:plc:newcomernewcomernewcomer/app.bsky.graph.follow/${tidAt('2025-06-05T08:00:00Z')}` },
    };
    // A post's author as the AppView shows it: with what it says of the viewer.
    const basic = (a) => ({ did: a.did, handle: a.handle, displayName: a.displayName, viewer: { muted: false, blockedBy: false, ...(a.viewer ?? {}) } });
    const post = (a, rkey, text, extra = {}) => ({
      uri: `at://${a.did}/app.bsky.feed.post/${rkey}`,
      author: basic(a),
      record: { text, createdAt: '2025-06-09T10:00:00.000Z' },
      ...extra,
    });
    const quote = (a, rkey) => ({
      embed: {
        $type: 'app.bsky.embed.record#view',
        record: { $type: 'app.bsky.embed.record#viewRecord', uri: `at://${a.did}/app.bsky.feed.post/${rkey}`, author: basic(a), value: { text: 'quoted' } },
      },
    });
    // Your own profile, read once: the ledger knows your account by its DID.
    env.bsky.state.profiles.set(VIEWER_DID, { ...basic(me), followersCount: 10, followsCount: 10 });
    let page = await openBsky(env, '2025-06-09T12:10:00Z');
    await page.goto(`https://bsky.app/profile/${VIEWER_HANDLE}`);
    await page.locator('[data-testid="profileHeaderDisplayName"]').waitFor();
    await page.waitForTimeout(500);
    await page.close();
    env.bsky.state.timeline = [
      { post: post(flusher, '3lflush1aaaa2', 'Follow us for deals!') },
      { post: post(chris, '3lchris1aaaa2', 'Hello') },
      { post: post(flusher, '3lflush2aaaa2', 'More deals'), reason: { $type: 'app.bsky.feed.defs#reasonRepost', by: basic(chris) } },
      { post: post(chris, '3lchris2aaaa2', 'Look at this', quote(flusher, '3lflush3aaaa2')) },
      { post: post(me, '3lmine1aaaa2', 'My own post') },
      { post: post(newcomer, '3lnewc1aaaa2', 'Hi all') },
    ];
    const FEED = '[data-testid^="feedItem-by-"]';
    const THREAD = '[data-testid^="postThreadItem-by-"]';
    /** Once at least `n` are drawn (and a moment more), each post's badges:
     * the verdict, and the text of what it follows. */
    const badgesOnPosts = async (p, posts, n) => {
      await p.waitForFunction(([sel, at]) => document.querySelectorAll(`${sel} [data-reciprocity-verdict]`).length >= at, [posts, n], { timeout: 10000 });
      await p.waitForTimeout(500);
      return p.$$eval(posts, (items) =>
        items.map((item) =>
          [...item.querySelectorAll('[data-reciprocity-verdict]')].map(
            (b) => `${b.getAttribute('data-reciprocity-verdict')} after ${b.previousElementSibling?.textContent?.trim()}`,
          ),
        ),
      );
    };
    page = await openBsky(env, '2025-06-09T12:10:00Z');
    await page.goto('https://bsky.app/');
    // By default a post says only what should give pause: the flush.
    const flush = 'unfollowed_you after @flush-then-drop.bsky.social';
    assert.deepEqual(await badgesOnPosts(page, FEED, 2), [[flush], [], [flush], [], [], []]);
    // Every post badged: Chris's too, on his own line only; never your own.
    await setBadges(env, { tweet: 'all' });
    const mutual = 'mutual after @chriskenny.bsky.social';
    const follows = 'follows_you after @newcomer.bsky.social';
    assert.deepEqual(await badgesOnPosts(page, FEED, 5), [[flush], [mutual], [flush], [mutual], [], [follows]]);
    // The feed's read dated the newcomer's follow to the second, from its key.
    const shown = await badgeShadow(page, `[data-testid="feedItem-by-${newcomer.handle}"] [data-reciprocity-verdict]`);
    assert.match(shown.text, /2025-06-05 08:00:00 UTC/, shown.text);
    const mine = await ask(env, { type: 'annotate', viewer: VIEWER_DID, accounts: [`@${VIEWER_HANDLE}`] });
    assert.equal(mine.badges[0]?.account.did, VIEWER_DID, 'your own account is known: its post is left bare on purpose');
    await setBadges(env, null);
    await page.close();
    // A thread: its main post (one profile link around the name and the handle)
    // and the replies (PostMeta), each badged after its author's handle.
    env.bsky.state.thread = {
      post: post(flusher, '3lflush4aaaa2', 'Big news'),
      replies: [{ post: post(chris, '3lchris3aaaa2', 'Nice') }, { post: post(flusher, '3lflush5aaaa2', 'Thanks!') }],
    };
    page = await openBsky(env, '2025-06-09T12:10:00Z');
    await page.goto(`https://bsky.app/profile/${flusher.handle}/post/3lflush4aaaa2`);
    assert.deepEqual(await badgesOnPosts(page, THREAD, 2), [[flush], [], [flush]]);
    await page.close();
  });

  it('who liked or reposted a post (real recordings): a row that follows you says since when; the others are known, without a badge', async () => {
    const likes = bskyFixture('12_getLikes_2025-05.json');
    // Derived: the first who liked it follows you, since 2025-04-02T10:00:00Z.
    const fan = likes.likes[0].actor;
    fan.viewer = { ...fan.viewer, followedBy: `at://${fan.did}/app.bsky.graph.follow/${tidAt('2025-04-02T10:00:00Z')}` };
    env.bsky.state.likes = likes;
    env.bsky.state.repostedBy = bskyFixture('13_getRepostedBy_2025-05.json');
    let page = await openBsky(env, '2025-05-19T18:00:00Z');
    await page.goto(`https://bsky.app/profile/${CHRIS}/post/3k7qmjev5lr2s/liked-by`);
    const fanRow = `[data-testid="profileCard-${fan.handle}-link"] [data-reciprocity-verdict]`;
    await page.locator(fanRow).waitFor({ timeout: 10000 });
    assert.equal(await page.locator(fanRow).getAttribute('data-reciprocity-verdict'), 'follows_you');
    const shown = await badgeShadow(page, fanRow);
    assert.match(shown.text, /2025-04-02 10:00:00 UTC/, shown.text);
    // By default a list's row shows only what says something: the other three
    // (who do not follow you) are drawn bare.
    assert.equal(await page.locator('[data-testid^="profileCard-"] [data-reciprocity-verdict]').count(), 1);
    await page.close();
    page = await openBsky(env, '2025-05-19T18:00:00Z');
    await page.goto(`https://bsky.app/profile/${CHRIS}/post/3kaa2gxjhzr2a/reposted-by`);
    const reposter = env.bsky.state.repostedBy.repostedBy[0];
    await page.locator(`[data-testid="profileCard-${reposter.handle}-link"]`).waitFor();
    const known = async () =>
      (await ask(env, { type: 'annotate', viewer: VIEWER_DID, accounts: [`@${reposter.handle}`, `@${likes.likes[1].actor.handle}`] })).badges.map(
        (b) => b?.verdict.code ?? null,
      );
    for (let i = 0; i < 50 && (await known()).includes(null); i++) await page.waitForTimeout(100);
    assert.deepEqual(await known(), ['no_relation', 'no_relation'], 'the reposter and another who liked it are known: neither follows you');
    env.bsky.state.likes = null;
    env.bsky.state.repostedBy = null;
    await page.close();
  });

  it("the popup over a bsky.app profile says that account's verdict", async () => {
    env.bsky.state.profiles.set(CHRIS_DID, chrisProfile());
    const page = await openBsky(env, '2025-05-19T18:00:00Z');
    await page.goto(`https://bsky.app/profile/${CHRIS}`);
    await page.locator('[data-reciprocity-verdict]').first().waitFor({ timeout: 10000 });
    const popup = await popupOver(env, page);
    const verdict = popup.locator('#profile .verdict');
    await verdict.waitFor({ timeout: 10000 });
    assert.equal(await verdict.getAttribute('data-reciprocity-verdict'), 'mutual');
    assert.match(await verdict.textContent(), new RegExp(`^@${CHRIS.replaceAll('.', '\\.')} — `));
    await popup.close();
    await page.close();
  });

  it('a forged capture from the page, or one claiming another network, changes nothing', async () => {
    const page = await openBsky(env, '2025-06-09T12:05:00Z');
    await page.goto(`https://bsky.app/profile/${CHRIS}`);
    await page.locator('[data-reciprocity-verdict]').waitFor({ timeout: 10000 });
    const before = await exported(env);
    // The page posts its own "hook" port after the real one: ignored; and a
    // message claiming to be a capture of an X profile: not from the channel.
    await page.evaluate(() => {
      const c = new MessageChannel();
      window.postMessage({ source: 'reciprocity-hook', hello: true }, location.origin, [c.port2]);
      c.port1.postMessage({
        meta: { platform: 'x', viewer: '1', method: 'GET', url: 'https://x.com/i/api/graphql/q/UserByScreenName', status: 200 },
        body: '{}',
      });
      window.postMessage({ meta: { platform: 'bsky', url: 'https://evil.example/xrpc/app.bsky.actor.getProfile' }, body: '{}' }, '*');
    });
    await page.waitForTimeout(800);
    assert.equal(await exported(env), before);
    await page.close();
  });

  it("imports a repository export in the dashboard: its owner's follows, each dated by its record", async () => {
    // A real account's repository (jetstream's test corpus): three follows.
    const car = path.join(BSKY_FIXTURES, 'jetstream/jetstream_corpus_repo.car');
    const owner = 'did:plc:53iucmf5ldftgqyf2ac7hmhd';
    // Its revision is from 2026: the worker's clock back to today.
    await setWorkerClock(env, new Date().toISOString());
    const page = await env.context.newPage();
    await page.goto(`chrome-extension://${env.extensionId}/www/index.html`);
    await page.waitForSelector('body[data-ready="true"]');
    await page.evaluate(() => {
      document.body.dataset.importMs = '';
    });
    await page.setInputFiles('#files', car);
    await page.waitForFunction(() => document.body.dataset.importMs !== '', null, { timeout: 60000 });
    const note = await page.locator('#import-status').textContent();
    assert.match(note, /Bluesky repository of did:plc:53iucmf5ldftgqyf2ac7hmhd as of 2026-0\d-\d\d: 3 follows/, note);
    // The dashboard lists Bluesky's accounts under their network's name.
    await page.locator('#viewer optgroup[label="Bluesky"] option').nth(1).waitFor({ state: 'attached' });
    assert.equal(await page.locator('#viewer optgroup[label="X"]').count(), 0);
    const doc = JSON.parse(await exported(env, owner));
    const dates = doc.viewers.flatMap((v) => v.dated ?? []).filter((d) => d.how === 'record_key');
    assert.deepEqual(dates.map((d) => d.by).sort(), ['2025-05-29T11:49:08Z', '2025-06-23T18:55:57Z', '2025-07-07T21:08:00Z'].sort());
    // A file that is not an export says so, and nothing else changes.
    const junk = path.join(os.tmpdir(), 'not-a-repo.car');
    fs.writeFileSync(junk, 'not a car at all');
    await page.evaluate(() => {
      document.body.dataset.importMs = '';
    });
    await page.setInputFiles('#files', junk);
    await page.waitForFunction(() => document.body.dataset.importMs !== '', null, { timeout: 60000 });
    assert.match(await page.locator('#import-status').textContent(), /not-a-repo\.car/);
    assert.equal(JSON.stringify(JSON.parse(await exported(env, owner))), JSON.stringify(doc));
    await page.close();
  });

  it("follow notifications (recorded): each follower's row says since when, to the second, from its record", async () => {
    // The recording's read: 17 follows of the viewer, each with its record.
    env.bsky.state.notifications = bskyFixture('05_listNotifications_2025-05_with_follow_records.json');
    const page = await openBsky(env, '2025-05-19T17:41:48Z');
    await page.goto('https://bsky.app/notifications');
    const row = '[data-testid="profileCard-gabspalomo.bsky.social-link"]';
    await page.locator(`${row} [data-reciprocity-verdict]`).waitFor({ timeout: 10000 });
    const shown = await badgeShadow(page, `${row} [data-reciprocity-verdict]`);
    // Its key 3lpdgrapzsx2i (01:54:37.847) and `createdAt` (01:54:37.769): the earlier.
    assert.match(shown.text, /2025-05-17 01:54:37 UTC/, shown.text);
    assert.equal(await page.locator(`${row} [data-reciprocity-verdict]`).getAttribute('data-reciprocity-beside-x'), 'true');
    await page.close();
  });
});
