// The scenarios observable from x.com pages within one day, in Firefox ESR with
// dist/firefox as a temporary add-on (WebDriver BiDi, puppeteer-core). Scenarios
// that need an extension page (popup, worker stop, IndexedDB) stay in Chromium:
// Firefox's automation cannot open moz-extension:// pages.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchFirefox, openAs, isMozillaHost } from './harness.mjs';
import { fixture } from '../replay/server.mjs';
import {
  HEADER,
  HOVER,
  ROW,
  BADGE,
  BRAND,
  BRAND_ID,
  AUTHOR,
  POST,
  withDisplayName,
  fetchBothWays,
  followingDated,
  DROPPED,
  withOwnPost,
  forgeThroughOwnRequests,
  spyOnBuiltIns,
} from '../replay/places.mjs';

let env;
before(async () => {
  env = await launchFirefox();
  env.replay.state.profiles.set(BRAND, fixture('2026-05-21_user_by_login.json'));
  env.replay.state.lists.set(`${BRAND_ID}/Followers`, fixture('2026-05-21_followers.json'));
});
after(async () => env?.close());

/** Waits for a badge under `scope` and returns its host's attributes. */
async function badgeOf(page, scope) {
  const host = await page.waitForSelector(`${scope} ${BADGE}`, { timeout: 15000 });
  return host.evaluate((h) => ({ verdict: h.getAttribute('data-reciprocity-verdict'), account: h.getAttribute('data-reciprocity-account') }));
}

describe('Firefox: badges on x.com pages', () => {
  it('badges the profile header\'s account, also with a display name that is "@somebrand"', async () => {
    let page = await openAs(env, '940000000000000001');
    await page.goto('https://x.com/XDevelopers');
    assert.deepEqual(await badgeOf(page, HEADER), { verdict: 'not_following_back', account: BRAND_ID });
    await page.close();

    env.replay.state.profiles.set(BRAND, withDisplayName('2026-05-21_user_by_login.json', '@bonappetweet'));
    page = await openAs(env, '940000000000000002');
    await page.goto('https://x.com/XDevelopers');
    assert.equal((await badgeOf(page, HEADER)).account, BRAND_ID);
    env.replay.state.profiles.set(BRAND, fixture('2026-05-21_user_by_login.json'));
    await page.close();
  });

  it('badges button rows (notable ones, by default) and a click on a badge never navigates', async () => {
    // Signed in as the brand itself: every follower on its list follows the viewer.
    const page = await openAs(env, BRAND_ID);
    await page.goto('https://x.com/XDevelopers/followers');
    const first = await badgeOf(page, ROW);
    assert.equal(first.verdict, 'follows_you');
    const rows = await page.$$eval(ROW, (rs) => rs.length);
    await page.waitForFunction((sel, n) => document.querySelectorAll(sel).length === n, { timeout: 15000 }, `${ROW} ${BADGE}`, rows);
    const url = page.url();
    await page.click(`${ROW} ${BADGE}`);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(page.url(), url, "the badge is not part of the row's click target");
    const handle = await page.$eval(`${ROW} a[data-hover]`, (a) => a.dataset.hover);
    await page.click(`${ROW} .body`, { offset: { x: 4, y: 4 } });
    await page.waitForFunction((h) => location.pathname === `/${h}`, { timeout: 15000 }, handle);
    await page.close();
  });

  it('badges a hover card once it has filled in; nothing in the account switcher', async () => {
    const page = await openAs(env, '940000000000000003');
    await page.goto('https://x.com/XDevelopers/followers');
    await page.waitForSelector(ROW);
    await page.evaluate(() => {
      document.body.dataset.hoverFillMs = '600';
    });
    const handle = await page.$$eval(`${ROW} a[data-hover]`, (as) => as[2].dataset.hover);
    const names = await page.$$(`${ROW} a[data-hover]`);
    await names[2].hover();
    await page.waitForSelector(`${HOVER} [role="progressbar"]`);
    assert.equal(await page.$$eval(`${HOVER} ${BADGE}`, (b) => b.length), 0, 'no badge on the empty shell');
    await page.waitForSelector(`${HOVER} [data-testid="UserAvatar-Container-${handle}"]`);
    const card = await badgeOf(page, HOVER);
    assert.equal(card.verdict, 'no_relation');
    const expected = await page.$eval(`${ROW}:has(a[data-hover="${handle}"]) .follow`, (b) => b.dataset.testid.split('-')[0]);
    assert.equal(card.account, expected);

    await page.mouse.move(0, 0);
    env.replay.state.accounts = [{ id: expected, handle, name: 'alt' }];
    await page.reload();
    await page.waitForSelector(ROW);
    await page.click('[data-testid="SideNav_AccountSwitcher_Button"]');
    await page.waitForSelector(`${HOVER} [data-testid="UserCell"]`);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(await page.$$eval(`${HOVER} ${BADGE}`, (b) => b.length), 0);
    env.replay.state.accounts = [];
    await page.close();
  });

  it('the page hook captures fetch and XMLHttpRequest, and never changes what the page gets', async () => {
    const body = fixture('2026-08-07_user_by_login.DERIVED-followed_by-true.json');
    env.replay.state.profiles.set('devs_by_fetch', body);
    const page = await openAs(env, '940000000000000004');
    await page.goto('https://x.com/home');
    const got = await page.evaluate(fetchBothWays, 'devs_by_fetch');
    assert.equal(got.ok, body, 'fetch gets the bytes the server sent');
    assert.equal(got.missing, 404, 'a failing request fails as it would');
    assert.deepEqual(JSON.parse(got.xhr), JSON.parse(body), 'XHR with responseType json too');
    // The ledger learned it: a hover card for that account, filled as X fills it,
    // is badged with what the capture said (no new request for it).
    await page.evaluate(() => {
      const card = document.createElement('div');
      card.setAttribute('data-testid', 'HoverCard');
      const avatar = document.createElement('div');
      avatar.setAttribute('data-testid', 'UserAvatar-Container-XDevelopers');
      const a = document.createElement('a');
      a.href = '/XDevelopers';
      a.textContent = '@XDevelopers';
      card.append(avatar, a);
      document.getElementById('layers').replaceChildren(card);
    });
    assert.deepEqual(await badgeOf(page, HOVER), { verdict: 'mutual', account: BRAND_ID });
    await page.close();
  });

  it('posts by a brand that drops what it just followed carry the notable badge; your own post none', async () => {
    const viewer = '940000000000000005';
    const s = env.replay.state;
    s.timelines.set('HomeTimeline', withOwnPost('2026-05-21_user_tweets.json', viewer));
    // Two looks at its Following: dated three days back by X's cursor, then five
    // of those accounts gone.
    const now = Date.now();
    const looks = [];
    for (const gone of [[], DROPPED]) {
      s.lists.set(`${BRAND_ID}/Following`, followingDated(now, 3, gone));
      const look = await openAs(env, viewer);
      await look.goto('https://x.com/XDevelopers/following');
      await look.waitForFunction(() => document.querySelectorAll('[data-testid="cellInnerDiv"]').length > 40, { timeout: 15000 });
      looks.push(look);
      // The worker dates captures to the second: two looks in one second cannot
      // be told apart (and prove nothing).
      await new Promise((r) => setTimeout(r, 1100));
    }
    // Once the worker has both looks, the brand's profile says so.
    const profile = await openAs(env, viewer);
    for (let i = 0; i < 20; i++) {
      await profile.goto('https://x.com/XDevelopers');
      const verdict = await profile
        .waitForSelector(`${HEADER} ${BADGE}`, { timeout: 15000 })
        .then((h) => h.evaluate((e) => e.getAttribute('data-reciprocity-verdict')));
      if (verdict === 'flushes_others') break;
      await new Promise((r) => setTimeout(r, 500));
    }
    for (const p of [...looks, profile]) await p.close();
    const page = await openAs(env, viewer);
    await page.goto('https://x.com/home');
    const first = await badgeOf(page, AUTHOR);
    assert.deepEqual(first, { verdict: 'flushes_others', account: BRAND_ID });
    const lines = await page.$$eval(AUTHOR, (ls) => ls.length);
    const flagged = await page.$$eval(`${AUTHOR} ${BADGE}`, (hs) => hs.map((h) => h.getAttribute('data-reciprocity-account')));
    assert.ok(flagged.length < lines && flagged.every((id) => id === BRAND_ID), JSON.stringify(flagged));
    assert.equal(await page.$eval(POST, (a) => a.querySelectorAll('[data-reciprocity-verdict]').length), 0, 'your own post');
    // A click on the badge opens nothing.
    const url = page.url();
    await page.click(`${AUTHOR} ${BADGE}`);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(page.url(), url);
    await page.close();
  });

  it('posts in a thread, a quoted post, and a recycled row: each author line names its own author, never a stale one', async () => {
    // The same viewer as above, whose ledger already flags the brand.
    const viewer = '940000000000000005';
    const s = env.replay.state;
    s.timelines.set('TweetDetail', fixture('2026-05-21_tweet_details.json'));
    const page = await openAs(env, viewer);
    await page.goto('https://x.com/XDevelopers/status/1649191520250245121');
    await badgeOf(page, AUTHOR);
    const thread = await page.$$eval(`${AUTHOR} ${BADGE}`, (hs) => hs.map((h) => h.getAttribute('data-reciprocity-account')));
    assert.deepEqual(thread, [BRAND_ID, BRAND_ID, BRAND_ID, BRAND_ID], "the brand's four posts, not the replies");
    // Home: a post quoting the brand carries the badge on the quote's line only.
    await page.goto('https://x.com/home');
    await badgeOf(page, AUTHOR);
    const quoting = await page.$$eval(POST, (as) =>
      as.findIndex(
        (a) =>
          a.querySelector('div[role="link"] [data-reciprocity-verdict]') && !a.querySelector('.content > [data-testid="User-Name"] [data-reciprocity-verdict]'),
      ),
    );
    assert.ok(quoting > 0, 'a post quoting the brand');
    // A recycled row: the brand's post rewritten in place with another's.
    const rows = await page.$$eval(POST, (as) =>
      as.map((a) =>
        a.querySelector('.content > [data-testid="User-Name"] [data-reciprocity-verdict]')
          ? !a.querySelector('div[role="link"]')
          : a.querySelector('[data-reciprocity-verdict]')
            ? null
            : false,
      ),
    );
    const flagged = rows.indexOf(true);
    const plain = rows.indexOf(false, 1);
    assert.ok(flagged > 0 && plain > 0, JSON.stringify(rows));
    assert.ok(await page.evaluate((i, j) => window.replay.recycle(i, j), flagged, plain));
    await page.waitForFunction(
      (i) => !document.querySelectorAll('article[data-testid="tweet"]')[i].querySelector('[data-reciprocity-verdict]'),
      { timeout: 15000 },
      flagged,
    );
    await page.close();
  });

  it("forgeries through the page's own requests and a planted twid cookie record nothing", async () => {
    const viewer = '940000000000000007';
    env.replay.state.profiles.set(BRAND, fixture('2026-08-07_user_by_login.DERIVED-followed_by-true.json'));
    const page = await openAs(env, viewer);
    await page.goto('https://x.com/XDevelopers');
    assert.equal((await badgeOf(page, HEADER)).verdict, 'mutual');
    await new Promise((r) => setTimeout(r, 1100));
    const { got, forged } = await page.evaluate(forgeThroughOwnRequests, viewer);
    assert.equal(got[0], forged);
    assert.equal(got[2], forged);
    await new Promise((r) => setTimeout(r, 800));
    // What the ledger says now, without a new capture: a hover card filled as X does.
    await page.evaluate(() => {
      const card = document.createElement('div');
      card.setAttribute('data-testid', 'HoverCard');
      const avatar = document.createElement('div');
      avatar.setAttribute('data-testid', 'UserAvatar-Container-XDevelopers');
      card.append(avatar);
      document.getElementById('layers').replaceChildren(card);
    });
    assert.equal((await badgeOf(page, HOVER)).verdict, 'mutual', 'no forged walk was recorded');
    // A second twid under the profile's path: no viewer there, no badge, no capture.
    await page.evaluate(() => {
      document.cookie = 'twid=u%3D940000000000000099; path=/XDevelopers; Secure';
    });
    await page.goto('https://x.com/XDevelopers');
    await page.waitForSelector('[data-testid="UserName"]');
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(await page.$$eval(`${HEADER} ${BADGE}`, (b) => b.length), 0);
    await page.evaluate(() => {
      document.cookie = 'twid=; path=/XDevelopers; Secure; max-age=0';
    });
    env.replay.state.profiles.set(BRAND, fixture('2026-05-21_user_by_login.json'));
    await page.close();
  });

  it('built-ins replaced after load give the page nothing of the hook', async () => {
    const page = await openAs(env, '940000000000000008');
    await page.goto('https://x.com/XDevelopers');
    await badgeOf(page, HEADER);
    const spied = await page.evaluate(spyOnBuiltIns, 'XDevelopers');
    assert.ok(spied.got > 0);
    assert.equal(spied.stolePort, false);
    assert.deepEqual(spied.calls, []);
    await page.close();
  });

  it('the extension makes no network request of its own', async () => {
    const others = [...new Set(env.proxy.hosts)].filter((h) => h !== 'x.com' && h !== 'twitter.com' && !isMozillaHost(h));
    assert.deepEqual(others, [], "every host asked for is x.com or Firefox's own");
    assert.ok(env.proxy.hosts.includes('x.com'));
  });
});
