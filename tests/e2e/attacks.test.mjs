// The page is not trusted: attacks made from x.com's own world (what another
// extension's page script, an injected script or an XSS could do), against
// dist/chrome loaded unmodified. After each, the verdicts have not moved, nothing
// private is kept, and the extension still works.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launch, openAs, ask, stopWorker, badge, extensionPage, setWorkerClock } from './harness.mjs';
import { fixture } from '../replay/server.mjs';
import { HEADER, forgeThroughOwnRequests, removalReadTwice, spyOnBuiltIns } from '../replay/places.mjs';

const BRAND = 'xdevelopers';
const BRAND_ID = '2244994945';

// One profile for the whole file, so that the last scenario can restart the
// browser on what the attacks left behind.
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'reciprocity-attacks-'));
let env;
before(async () => {
  env = await launch({ userDataDir: profile });
});
after(async () => {
  await env?.close();
  fs.rmSync(profile, { recursive: true, force: true });
});

async function verdictOf(page) {
  const b = badge(page, HEADER).first();
  await b.waitFor({ timeout: 10000 });
  return b.getAttribute('data-reciprocity-verdict');
}

/** Waits for the profile header's verdict to be `code`. */
async function verdictBecomes(page, code) {
  await page.waitForFunction(
    ([sel, want]) => document.querySelector(sel)?.getAttribute('data-reciprocity-verdict') === want,
    [`${HEADER} [data-reciprocity-verdict]`, code],
    { timeout: 10000 },
  );
}

/** A viewer whom the brand follows, as X said on 2026-11-01. */
async function mutualViewer(viewer) {
  env.replay.state.profiles.set(BRAND, fixture('2026-08-07_user_by_login.DERIVED-followed_by-true.json'));
  const page = await openAs(env, viewer, '2026-11-01T10:00:00Z');
  await page.goto('https://x.com/XDevelopers');
  assert.equal(await verdictOf(page), 'mutual');
  return page;
}

const badgeOf = async (viewer) => (await ask(env, { type: 'annotate', viewer, accounts: [BRAND_ID] })).badges[0];

/** Every text the worker's IndexedDB holds (journal, failures, snapshot bytes as text). */
async function everythingKept() {
  const ext = await extensionPage(env);
  return ext.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const r = indexedDB.open('reciprocity');
        r.onsuccess = () => {
          const db = r.result;
          const names = [...db.objectStoreNames];
          const tx = db.transaction(names, 'readonly');
          const out = [];
          let left = names.length;
          for (const n of names) {
            const q = tx.objectStore(n).getAll();
            q.onsuccess = () => {
              for (const v of q.result) out.push(v instanceof Uint8Array || v instanceof ArrayBuffer ? new TextDecoder().decode(v) : JSON.stringify(v));
              if (--left === 0) resolve(out.join('\n'));
            };
          }
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
}

/** An empty Followers page of the viewer, as if it were the whole list. */
function forgedEmptyWalk(viewer) {
  const url = `https://x.com/i/api/graphql/q/Followers?variables=${encodeURIComponent(JSON.stringify({ userId: viewer, count: 20 }))}`;
  const body = JSON.stringify({
    data: {
      user: {
        result: {
          timeline: {
            timeline: {
              instructions: [
                {
                  type: 'TimelineAddEntries',
                  entries: [{ entryId: 'cursor-bottom-0', content: { entryType: 'TimelineTimelineCursor', value: '0|1', cursorType: 'Bottom' } }],
                },
              ],
            },
          },
        },
      },
    },
  });
  return { meta: { platform: 'x', viewer, at: '2099-01-01T00:00:00Z', method: 'GET', url, request_body: null, status: 200 }, body };
}

describe('attacks from the page', () => {
  it('a forged empty walk, posted to the window or through a port of its own, changes no verdict', async () => {
    const viewer = '930000000000000001';
    const page = await mutualViewer(viewer);
    const before = await badgeOf(viewer);
    await page.evaluate(
      ({ forged, source }) => {
        // The old way: a message that looks like the hook's.
        window.postMessage({ source, ...forged }, '*');
        // A port of its own, offered as if it were the hook's channel.
        const channel = new MessageChannel();
        window.postMessage({ source, hello: true }, '*', [channel.port2]);
        channel.port1.postMessage(forged);
      },
      { forged: forgedEmptyWalk(viewer), source: 'reciprocity-hook' },
    );
    await page.waitForTimeout(1000);
    const after = await badgeOf(viewer);
    assert.equal(after.verdict.code, 'mutual');
    assert.deepEqual(after.verdict.evidence, before.verdict.evidence, 'no evidence moved');
    assert.ok(!(await everythingKept()).includes('2099'), 'no forged date kept anywhere');
    await page.close();
  });

  it("forgeries through the page's own requests record nothing: a URL that changes between reads, an XHR re-opened elsewhere", async () => {
    const viewer = '930000000000000011';
    const page = await mutualViewer(viewer);
    // A day later: a whole Followers list without the brand would now mean an unfollow.
    await setWorkerClock(env, '2026-11-02T10:00:00Z');
    const { got, forged } = await page.evaluate(forgeThroughOwnRequests, viewer);
    assert.equal(got[0], forged, 'the page got what it asked for');
    assert.equal(got[2], forged, 'the re-opened XHR too');
    await page.waitForTimeout(800);
    assert.equal((await badgeOf(viewer)).verdict.code, 'mutual');
    await page.close();
  });

  it('a request body read twice cannot forge your own removal: the request and the record are one value', async () => {
    const viewer = '930000000000000012';
    const page = await mutualViewer(viewer);
    await setWorkerClock(env, '2026-11-02T10:00:00Z');
    const { status, reads } = await page.evaluate(removalReadTwice, BRAND_ID);
    assert.equal(status, 200);
    assert.equal(reads, 1, 'the body was read once, and that value went to X');
    await page.close();
    // Later X shows the brand no longer follows: its unfollow, not your removal.
    env.replay.state.profiles.set(BRAND, fixture('2026-08-07_user_by_login.json'));
    const later = await openAs(env, viewer, '2026-11-05T10:00:00Z');
    await later.goto('https://x.com/XDevelopers');
    // The badge may be drawn before this page's capture is in, then redrawn.
    await verdictBecomes(later, 'unfollowed_you');
    await later.close();
  });

  it('a second twid cookie planted under a path records nothing there, under no one', async () => {
    const viewer = '930000000000000013';
    const other = '930000000000000099';
    const page = await mutualViewer(viewer);
    await page.evaluate((id) => {
      document.cookie = `twid=u%3D${id}; path=/XDevelopers; Secure`;
    }, other);
    await setWorkerClock(env, '2026-11-02T10:00:00Z');
    env.replay.state.profiles.set(BRAND, fixture('2026-08-07_user_by_login.json'));
    await page.goto('https://x.com/XDevelopers');
    await page.locator('[data-testid="UserName"]').waitFor();
    await page.waitForTimeout(1500);
    assert.equal(await badge(page, HEADER).count(), 0, 'no viewer on this page: no badge');
    assert.equal((await badgeOf(other)) ?? null, null, 'nothing landed under the planted id');
    assert.equal((await badgeOf(viewer)).verdict.code, 'mutual', 'nor under the real one');
    await page.evaluate(() => {
      document.cookie = 'twid=; path=/XDevelopers; Secure; max-age=0';
    });
    await page.close();
  });

  it("built-ins replaced after load give the page nothing: not the hook's port, not its responses, not its routing", async () => {
    const viewer = '930000000000000015';
    const page = await mutualViewer(viewer);
    const spied = await page.evaluate(spyOnBuiltIns, 'XDevelopers');
    assert.ok(spied.got > 0, 'the page got its answer');
    assert.equal(spied.stolePort, false, "the hook's port never passed through the page's postMessage");
    assert.deepEqual(spied.calls, [], "the hook called none of the page's replacements");
    await page.close();
  });

  // A test cannot run a script before the hook (an init script runs after it);
  // this is the hand-over with a second port offered at document start.
  it("a port offered beside the hook's at document start forges nothing", async () => {
    const viewer = '930000000000000016';
    const first = await mutualViewer(viewer);
    await first.close();
    await setWorkerClock(env, '2026-11-02T10:00:00Z');
    const page = await openAs(env, viewer);
    const forged = forgedEmptyWalk(viewer);
    await page.addInitScript((capture) => {
      const ch = new MessageChannel();
      window.postMessage({ source: 'reciprocity-hook', hello: true }, location.origin, [ch.port2]);
      ch.port1.postMessage(capture);
    }, forged);
    await page.goto('https://x.com/XDevelopers');
    await page.locator('[data-testid="UserName"]').waitFor();
    await page.waitForTimeout(800);
    assert.equal((await badgeOf(viewer)).verdict.code, 'mutual', 'the forged walk was not recorded');
    await page.close();
  });

  it("a page's clock moves no date: captures are dated by the worker", async () => {
    const viewer = '930000000000000002';
    env.replay.state.profiles.set(BRAND, fixture('2026-08-07_user_by_login.DERIVED-followed_by-true.json'));
    const page = await openAs(env, viewer, '2026-11-01T10:00:00Z');
    await page.clock.setFixedTime(new Date('2099-06-01T00:00:00Z'));
    await page.goto('https://x.com/XDevelopers');
    assert.equal(await verdictOf(page), 'mutual');
    const b = await badgeOf(viewer);
    const dates = b.verdict.evidence.map((e) => e.by).filter(Boolean);
    assert.ok(dates.length > 0 && dates.every((d) => d.startsWith('2026-11-01')), `dates: ${dates}`);
    await page.close();
  });

  it('a 50 MB response or request body is refused for its size, counted, and nothing stops', async () => {
    const viewer = '930000000000000003';
    const page = await mutualViewer(viewer);
    // A huge answer to an operation that is collected, and a huge request body.
    const tiny = `{"a":[${Array(5_000_000).fill('{}').join(',')}]}`;
    env.replay.state.profiles.set('hugeprofile', tiny + ' '.repeat(40_000_000));
    await page.evaluate(async (big) => {
      await fetch(`/i/api/graphql/q/UserByScreenName?variables=${encodeURIComponent(JSON.stringify({ screen_name: 'hugeprofile' }))}`);
      await fetch('/i/api/graphql/q/Followers?variables=%7B%7D', { method: 'POST', body: big }).catch(() => {});
    }, tiny);
    let status;
    for (let i = 0; i < 50; i++) {
      status = await ask(env, { type: 'status' });
      if (status.refused.tooLarge >= 2) break;
      await page.waitForTimeout(200);
    }
    assert.ok(status.refused.tooLarge >= 2, `refused: ${JSON.stringify(status.refused)}`);
    assert.equal(status.storeProblem, null);
    assert.equal((await badgeOf(viewer)).verdict.code, 'mutual', 'the engine still answers');
    const popup = await env.context.newPage();
    await popup.goto(`chrome-extension://${env.extensionId}/popup/popup.html`);
    await popup.locator('#too-large:not([hidden])').waitFor();
    await popup.close();
    await page.close();
  });

  it('a flood of captures is rate-limited and the extension keeps working', async () => {
    const viewer = '930000000000000004';
    const page = await mutualViewer(viewer);
    await page.evaluate(async () => {
      const url = `/i/api/graphql/q/UserByScreenName?variables=${encodeURIComponent(JSON.stringify({ screen_name: 'xdevelopers' }))}`;
      await Promise.all(Array.from({ length: 200 }, () => fetch(url).then((r) => r.text())));
    });
    let status;
    for (let i = 0; i < 50; i++) {
      status = await ask(env, { type: 'status' });
      if (status.refused.rateLimited > 0) break;
      await page.waitForTimeout(200);
    }
    assert.ok(status.refused.rateLimited > 0, `refused: ${JSON.stringify(status.refused)}`);
    assert.equal((await badgeOf(viewer)).verdict.code, 'mutual');
    await page.close();
  });

  it('a tweet being posted (a mutation) leaves nothing behind', async () => {
    const viewer = '930000000000000005';
    const page = await mutualViewer(viewer);
    await page.evaluate(async () => {
      await fetch('/i/api/graphql/q/CreateTweet', { method: 'POST', body: JSON.stringify({ variables: { tweet_text: 'my private draft 7f3a' } }) }).catch(
        () => {},
      );
      const x = new XMLHttpRequest();
      x.open('POST', '/i/api/graphql/q/CreateTweet');
      x.send(JSON.stringify({ variables: { tweet_text: 'my private draft 7f3a' } }));
      await new Promise((r) => {
        x.onloadend = r;
      });
    });
    await page.waitForTimeout(500);
    assert.ok(!(await everythingKept()).includes('7f3a'), 'the draft is kept nowhere');
    await page.close();
  });

  it('your own unfollow and removal are kept as what, whom and when: nothing else of the request', async () => {
    const viewer = '930000000000000010';
    const page = await mutualViewer(viewer);
    await setWorkerClock(env, '2026-11-02T10:00:00Z'); // a day later
    await page.evaluate(async (id) => {
      const post = (url, body) =>
        new Promise((resolve) => {
          const x = new XMLHttpRequest();
          x.open('POST', url);
          x.onloadend = resolve;
          x.send(body);
        });
      // You unfollow the brand, then remove it from your followers.
      await post('/i/api/1.1/friendships/destroy.json', `include_profile_interstitial_type=1&user_id=${id}&note=e5d1c0`);
      await post('/i/api/graphql/q/RemoveFollower', JSON.stringify({ variables: { target_user_id: id, note: 'e5d1c0' }, queryId: 'q' }));
    }, BRAND_ID);
    let timeline;
    for (let i = 0; i < 50; i++) {
      timeline = (await ask(env, { type: 'timeline', viewer, account: BRAND_ID, lang: 'en' })).timeline;
      if (timeline.events.some((e) => e.kind === 'removed_by_you')) break;
      await page.waitForTimeout(100);
    }
    const kinds = timeline.events.map((e) => e.kind);
    assert.ok(kinds.includes('removed_by_you'), `events: ${kinds}`);
    assert.ok(kinds.includes('unfollow'), 'your unfollow of it');
    assert.notEqual(timeline.annotation.verdict.code, 'unfollowed_you', 'your removal is not its unfollow');
    assert.ok(!(await everythingKept()).includes('e5d1c0'), 'nothing else of the requests is kept');
    await page.close();
  });

  it('privileged messages are refused from a content script', async () => {
    const viewer = '930000000000000006';
    const page = await mutualViewer(viewer);
    // Evaluate in the content script's own (isolated) world, through the protocol.
    const cdp = await env.context.newCDPSession(page);
    const contexts = [];
    cdp.on('Runtime.executionContextCreated', (e) => contexts.push(e.context));
    await cdp.send('Runtime.enable');
    await page.waitForTimeout(300);
    const isolated = contexts.find((c) => c.auxData && c.auxData.type === 'isolated' && c.origin.includes(env.extensionId));
    assert.ok(isolated, 'the content script world is found');
    const ask_ = async (message) =>
      (
        await cdp.send('Runtime.evaluate', {
          contextId: isolated.id,
          awaitPromise: true,
          returnByValue: true,
          expression: `chrome.runtime.sendMessage(${JSON.stringify(message)})`,
        })
      ).result.value;
    for (const type of ['export', 'export-raw', 'import-json', 'mark', 'set-paused', 'export-failures', 'forget-all']) {
      const reply = await ask_({ type, viewer, json: '{}', paused: true });
      assert.equal(reply.code, 'not_allowed', type);
    }
    const allowed = await ask_({ type: 'annotate', viewer, accounts: [BRAND_ID] });
    assert.equal(allowed.ok, true, 'annotate is allowed');
    await cdp.detach();
    assert.equal((await ask(env, { type: 'status' })).paused, false, 'nothing was paused');
    await page.close();
  });

  it('an engine that traps is re-created from fresh glue, and nothing acknowledged is lost', async () => {
    const viewer = '930000000000000008';
    const page = await mutualViewer(viewer);
    await page.close();
    const before = await ask(env, { type: 'status' });
    // Pull the engine's memory from under it, as a trap leaves it: every call on
    // it now throws, and the glue cannot be initialised again.
    await env.worker().evaluate(() => engine.free());
    const failed = await ask(env, { type: 'annotate', viewer, accounts: [BRAND_ID] });
    assert.equal(failed.ok, false, 'the call that met the trap says so');
    assert.equal((await badgeOf(viewer)).verdict.code, 'mutual', 'the next call has a whole engine again');
    assert.equal((await ask(env, { type: 'status' })).startedAt, before.startedAt, 'without the worker being restarted');
  });

  it('a capture the engine died on is set aside at the next start, and the rest replays', async () => {
    const viewer = '930000000000000007';
    const page = await mutualViewer(viewer);
    await page.close();
    // The journal holds a capture marked "in progress", as when an engine runs out
    // of memory inside an ingest (which no handler can catch).
    const ext = await extensionPage(env);
    await ext.evaluate(
      (v) =>
        new Promise((resolve, reject) => {
          const r = indexedDB.open('reciprocity');
          r.onsuccess = () => {
            const tx = r.result.transaction(['journal', 'meta'], 'readwrite');
            const url = 'https://x.com/i/api/graphql/q/UserByScreenName?variables=%7B%7D';
            const add = tx.objectStore('journal').add(
              JSON.stringify({
                platform: 'x',
                viewer: v,
                at: '2026-11-02T00:00:00Z',
                method: 'GET',
                url,
                request_body: null,
                status: 200,
                body: { data: {} },
              }),
            );
            add.onsuccess = () => tx.objectStore('meta').put(add.result, 'in-progress');
            tx.oncomplete = () => resolve();
            tx.onerror = () => reject(tx.error);
          };
        }),
      viewer,
    );
    await stopWorker(env, ext);
    const status = await ask(env, { type: 'status' });
    assert.equal(status.setAside, 1, 'set aside, never replayed');
    assert.equal(status.storeProblem, null, 'not mistaken for a corrupt store');
    assert.equal((await badgeOf(viewer)).verdict.code, 'mutual', 'what was kept before replays');
    const popup = await env.context.newPage();
    await popup.goto(`chrome-extension://${env.extensionId}/popup/popup.html`);
    await popup.locator('#set-aside:not([hidden])').waitFor();
    await popup.close();
    await setWorkerClock(env, '2026-11-03T00:00:00Z');
  });

  it('a capture the engine died on is set aside even with another in flight, which replays', async () => {
    const viewer = '930000000000000014';
    const page = await mutualViewer(viewer);
    await page.close();
    const before = (await ask(env, { type: 'status' })).setAside;
    // Two captures journaled: the engine died inside the first (its own mark is
    // left); the second, in flight beside it, was never ingested (no mark). It says
    // the brand no longer follows.
    const ext = await extensionPage(env);
    const profile = JSON.parse(fixture('2026-08-07_user_by_login.json'));
    await ext.evaluate(
      ([v, body]) =>
        new Promise((resolve, reject) => {
          const r = indexedDB.open('reciprocity');
          r.onsuccess = () => {
            const tx = r.result.transaction(['journal', 'meta'], 'readwrite');
            const url = (vars) => `https://x.com/i/api/graphql/q/UserByScreenName?variables=${encodeURIComponent(JSON.stringify(vars))}`;
            const env = (at, b) =>
              JSON.stringify({
                platform: 'x',
                viewer: v,
                at,
                method: 'GET',
                url: url({ screen_name: 'XDevelopers' }),
                request_body: null,
                status: 200,
                body: b,
              });
            const died = tx.objectStore('journal').add(env('2026-11-04T00:00:00Z', { data: {} }));
            died.onsuccess = () => {
              tx.objectStore('meta').put(died.result, ['in-progress', died.result]);
              tx.objectStore('journal').add(env('2026-11-04T00:00:01Z', body));
            };
            tx.oncomplete = () => resolve();
            tx.onerror = () => reject(tx.error);
          };
        }),
      [viewer, profile],
    );
    await stopWorker(env, ext);
    const status = await ask(env, { type: 'status' });
    assert.equal(status.setAside, before + 1, 'the one it died on, and only that one');
    assert.equal((await badgeOf(viewer)).verdict.code, 'unfollowed_you', 'the one in flight replayed');
    await setWorkerClock(env, '2026-11-03T00:00:00Z');
  });

  it('after all of it, a browser restart finds every verdict where it was', async () => {
    await env.close();
    env = await launch({ userDataDir: profile });
    for (const viewer of ['930000000000000001', '930000000000000004', '930000000000000007']) {
      assert.equal((await badgeOf(viewer)).verdict.code, 'mutual', viewer);
    }
    const page = await mutualViewer('930000000000000009');
    await page.close();
  });
});
