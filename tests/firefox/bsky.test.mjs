// The bsky.app replay in Firefox ESR with dist/firefox as a temporary add-on: the
// hook is in the page before the app takes its `fetch`, the header and a hover
// card carry their badges, and nothing goes anywhere but the page's own hosts.
// (What needs an extension page — the store, exports — is checked in Chromium.)
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchFirefox, isMozillaHost } from './harness.mjs';
import { bskyFixture, chrisProfile, BSKY_HOSTS, CHRIS, CHRIS_DID } from '../replay/bsky.mjs';

let env;
before(async () => {
  env = await launchFirefox();
  env.bsky.state.profiles.set(CHRIS_DID, chrisProfile());
});
after(async () => env?.close());

/** Waits for a badge under `scope` and returns its host's attributes. */
async function badgeOf(page, scope) {
  const host = await page.waitForSelector(`${scope} [data-reciprocity-verdict]`, { timeout: 15000 });
  return host.evaluate((h) => ({ verdict: h.getAttribute('data-reciprocity-verdict'), beside: h.getAttribute('data-reciprocity-beside-x') }));
}

describe('Firefox: badges on bsky.app', () => {
  it('signs in, then badges a profile that follows you beside its own "Follows you"', async () => {
    const page = await env.browser.newPage();
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
    const page = await env.browser.newPage();
    await page.goto(`https://bsky.app/profile/${CHRIS}/followers`);
    const target = `[data-testid="profileCard-${first.handle}-link"] .hover-target`;
    await page.waitForSelector(target);
    await page.hover(target);
    assert.equal((await badgeOf(page, 'div[style*="will-change: transform"]')).verdict, 'follows_you');
    await page.close();
  });

  it('the extension makes no network request of its own', async () => {
    const others = [...new Set(env.proxy.hosts)].filter((h) => !BSKY_HOSTS.includes(h) && !isMozillaHost(h));
    assert.deepEqual(others, [], "every host asked for is the page's own or Firefox's");
    assert.ok(env.proxy.hosts.includes('bsky.app'));
  });
});
