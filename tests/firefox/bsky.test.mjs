// The bsky.app replay in Firefox ESR with dist/firefox as a temporary add-on: the
// hook is in the page before the app takes its `fetch`, the header and a hover
// card carry their badges, and nothing goes anywhere but the page's own hosts.
// (What needs an extension page — the store, exports — is checked in Chromium.)
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchFirefox, isMozillaHost, newTab } from './harness.mjs';
import { bskyFixture, chrisProfile, BSKY_HOSTS, CHRIS, CHRIS_DID } from '../replay/bsky.mjs';

let env;
before(async () => {
  env = await launchFirefox();
  env.bsky.state.profiles.set(CHRIS_DID, chrisProfile());
});
after(async () => env?.close());

/** Waits for a badge under `scope` and returns its host's attributes; a wait
 * that fails says what the page showed. */
async function badgeOf(page, scope) {
  const host = await page.waitForSelector(`${scope} [data-reciprocity-verdict]`, { timeout: 15000 }).catch(async (e) => {
    throw new Error(`${e.message}; ${JSON.stringify(await pageState(page))}`);
  });
  return host.evaluate((h) => ({ verdict: h.getAttribute('data-reciprocity-verdict'), beside: h.getAttribute('data-reciprocity-beside-x') }));
}

/** What a failed wait leaves to read: the tab's visibility, the hover layer's
 * markup and the badges drawn. */
function pageState(page) {
  return page.evaluate(() => ({
    visibility: document.visibilityState,
    portal: document.getElementById('portal')?.innerHTML.slice(0, 2000),
    badges: [...document.querySelectorAll('[data-reciprocity-verdict]')].map((b) => b.getAttribute('data-reciprocity-verdict')),
  }));
}

describe('Firefox: badges on bsky.app', () => {
  it('signs in, then badges a profile that follows you beside its own "Follows you"', async () => {
    const page = await newTab(env);
    await page.goto('https://bsky.app/');
    await page.waitForFunction(() => !!localStorage.getItem('BSKY_STORAGE'));
    await page.goto(`https://bsky.app/profile/${CHRIS}`);
    assert.deepEqual(await badgeOf(page, '#root'), { verdict: 'mutual', beside: 'true' });
    await page.close();
  });

  it('badges a hover card once it has filled in', async () => {
    // The recorded list, derived: its first row's account follows you (the
    // recording was made by another viewer).
    const followers = bskyFixture('02_getFollowers_2025-05_other_actor.json');
    const first = followers.followers[0];
    first.viewer = { ...first.viewer, followedBy: `at://${first.did}/app.bsky.graph.follow/3lo6ep5whg22b` };
    env.bsky.state.lists.set(`${CHRIS_DID}/app.bsky.graph.getFollowers/latest`, [followers]);
    env.bsky.state.profiles.set(first.did, structuredClone(first));
    const page = await newTab(env);
    await page.goto(`https://bsky.app/profile/${CHRIS}/followers`);
    const row = `[data-testid="profileCard-${first.handle}-link"]`;
    // The row's own badge first: the list is learned and the row has its final
    // height before the pointer comes (a row growing under a still pointer can
    // move the avatar away from it).
    assert.equal((await badgeOf(page, row)).verdict, 'follows_you');
    const card = 'div[style*="will-change: transform"]';
    await page.hover(`${row} .hover-target`);
    await page.waitForSelector(`${card} a[href^="/profile/"]`, { timeout: 10000 }).catch(async () => {
      throw new Error(`no hover card opened: ${JSON.stringify(await pageState(page))}`);
    });
    assert.equal((await badgeOf(page, card)).verdict, 'follows_you');
    await page.close();
  });

  it("a post's author line says it once followed you and no longer does; a mutual's post carries nothing", async () => {
    // The hover card's account (it followed you, above), read again now without
    // its follow; then the home timeline, with a post of its and one of Chris's.
    const followers = bskyFixture('02_getFollowers_2025-05_other_actor.json');
    const gone = structuredClone(followers.followers[0]);
    gone.viewer = { muted: false, blockedBy: false };
    env.bsky.state.profiles.set(gone.did, gone);
    // Sightings are dated to the second, by the worker's clock (which this
    // browser cannot set): the read without the follow comes in a later second
    // than the reads with it.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    let page = await newTab(env);
    await page.goto(`https://bsky.app/profile/${gone.handle}`);
    await page
      .waitForFunction(() => document.querySelector('#root [data-reciprocity-verdict]')?.getAttribute('data-reciprocity-verdict') === 'unfollowed_you', {
        timeout: 15000,
      })
      .catch(async (e) => {
        throw new Error(`${e.message}; ${JSON.stringify(await pageState(page))}`);
      });
    await page.close();
    const author = (p) => ({ did: p.did, handle: p.handle, displayName: p.displayName, viewer: p.viewer });
    const post = (p, rkey, text) => ({
      uri: `at://${p.did}/app.bsky.feed.post/${rkey}`,
      author: author(p),
      record: { text, createdAt: new Date().toISOString() },
    });
    env.bsky.state.timeline = [{ post: post(gone, '3lgone1aaaa22', 'Follow us!') }, { post: post(chrisProfile(), '3lchris1aaaa2', 'Hello') }];
    page = await newTab(env);
    await page.goto('https://bsky.app/');
    const badge = await badgeOf(page, `[data-testid="feedItem-by-${gone.handle}"]`);
    assert.equal(badge.verdict, 'unfollowed_you');
    const placed = await page.$eval(`[data-testid="feedItem-by-${gone.handle}"] [data-reciprocity-verdict]`, (b) =>
      b.previousElementSibling?.textContent?.trim(),
    );
    assert.equal(placed, `@${gone.handle}`, "after the author's handle");
    const mutuals = await page.$$eval(`[data-testid="feedItem-by-${CHRIS}"]`, (posts) =>
      posts.map((p) => p.querySelectorAll('[data-reciprocity-verdict]').length),
    );
    assert.deepEqual(mutuals, [0], 'by default a post shows only what gives pause');
    await page.close();
  });

  it('the extension makes no network request of its own', async () => {
    const others = [...new Set(env.proxy.hosts)].filter((h) => !BSKY_HOSTS.includes(h) && !isMozillaHost(h));
    assert.deepEqual(others, [], "every host asked for is the page's own or Firefox's");
    assert.ok(env.proxy.hosts.includes('bsky.app'));
  });
});
