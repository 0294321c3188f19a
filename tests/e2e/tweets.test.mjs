// Badges on posts' author lines: timelines, a thread, search and a quote, on the
// replay's posts (real answers: XDevelopers' posts, a thread, a search). A brand
// seen dropping accounts it had just followed (two looks at its Following page,
// dated by X's cursor) carries the notable badge on its posts; nobody else does by
// default, your own posts never do, a badge never opens the post, and a recycled
// row never keeps a stale badge.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openAs, badgeShadow, setBadges } from './harness.mjs';
import { fixture } from '../replay/server.mjs';
import { BRAND, BRAND_ID, POST, AUTHOR, QUOTE_AUTHOR, BADGE, followingDated, DROPPED, withOwnPost } from '../replay/places.mjs';

const VIEWER = '900000000000000001';
let env;

before(async () => {
  env = await launch();
  const s = env.replay.state;
  s.profiles.set(BRAND, fixture('2026-05-21_user_by_login.json'));
  s.lists.set(`${BRAND_ID}/UserTweets`, fixture('2026-05-21_user_tweets.json'));
  s.timelines.set('HomeTimeline', withOwnPost('2026-05-21_user_tweets.json', VIEWER));
  s.timelines.set('TweetDetail', fixture('2026-05-21_tweet_details.json'));
  s.timelines.set('SearchTimeline', fixture('2026-05-21_search.json'));
  // Two looks at its Following, seconds apart: the first dated three days back
  // by X's cursor, the second without five of those accounts.
  const now = Date.now();
  const looks = [];
  for (const gone of [[], DROPPED]) {
    s.lists.set(`${BRAND_ID}/Following`, followingDated(now, 3, gone));
    const page = await openAs(env, VIEWER);
    await page.goto('https://x.com/XDevelopers/following');
    await page.locator('[data-testid="cellInnerDiv"]').nth(40).waitFor();
    looks.push(page);
    // The worker dates captures to the second: two looks in one second cannot be
    // told apart (and prove nothing).
    await page.waitForTimeout(1100);
  }
  // Once the worker has both looks, the brand's profile says so.
  const profile = await openAs(env, VIEWER);
  for (let i = 0; i < 20; i++) {
    await profile.goto('https://x.com/XDevelopers');
    const header = profile.locator(`[data-testid="UserName"] ${BADGE}`);
    await header.waitFor();
    if ((await header.getAttribute('data-reciprocity-verdict')) === 'flushes_others') break;
    await profile.waitForTimeout(500);
  }
  for (const p of [...looks, profile]) await p.close();
});
after(async () => env?.close());

/** The verdicts and accounts of the badges on posts' author lines, in order. */
const postBadges = (page, scope = AUTHOR) =>
  page.$$eval(`${scope} ${BADGE}`, (hs) =>
    hs.map((h) => ({
      verdict: h.getAttribute('data-reciprocity-verdict'),
      account: h.getAttribute('data-reciprocity-account'),
    })),
  );

describe('badges on posts', () => {
  it('the brand that dropped what it had just followed is flagged on its profile and on its posts', async () => {
    const page = await openAs(env, VIEWER);
    await page.goto('https://x.com/XDevelopers');
    const header = page.locator(`[data-testid="UserName"] ${BADGE}`);
    await header.waitFor();
    assert.equal(await header.getAttribute('data-reciprocity-verdict'), 'flushes_others');
    await page.locator(`${AUTHOR} ${BADGE}`).first().waitFor();
    const own = await page.$$eval(AUTHOR, (ls) => ls.length);
    const badges = await postBadges(page);
    assert.ok(badges.length >= 5, `${badges.length} of ${own} author lines`);
    assert.ok(
      badges.every((b) => b.verdict === 'flushes_others' && b.account === BRAND_ID),
      JSON.stringify(badges),
    );
    const tip = await badgeShadow(page, `${AUTHOR} ${BADGE}`);
    assert.match(tip.text, /Dropped 5 accounts from its following within 30 days/);
    await page.close();
  });

  it('on the home timeline: only what says something, never your own post, and the place can be turned off', async () => {
    const page = await openAs(env, VIEWER);
    await page.goto('https://x.com/home');
    await page.locator(`${AUTHOR} ${BADGE}`).first().waitFor();
    const lines = await page.$$eval(AUTHOR, (ls) => ls.length);
    const flagged = await postBadges(page);
    assert.ok(flagged.length > 0 && flagged.length < lines, `${flagged.length} of ${lines}`);
    assert.ok(flagged.every((b) => b.account === BRAND_ID));
    // The first post is the viewer's own: nothing on it, even with every badge on.
    await setBadges(env, { profileHeader: 'all', hoverCard: 'all', userCell: 'all', tweet: 'all' });
    await page.waitForFunction((n) => document.querySelectorAll('article [data-testid="User-Name"] [data-reciprocity-verdict]').length > n, flagged.length);
    const all = await postBadges(page);
    assert.ok(!all.some((b) => b.account === VIEWER), 'not on your own post');
    assert.equal(await page.locator(`${POST} >> nth=0`).locator(BADGE).count(), 0);
    await setBadges(env, { profileHeader: 'all', hoverCard: 'all', userCell: 'notable', tweet: 'none' });
    await page.waitForFunction(() => !document.querySelector('article [data-reciprocity-verdict]'));
    await setBadges(env, null);
    await page.locator(`${AUTHOR} ${BADGE}`).first().waitFor();
    await page.close();
  });

  it("a click on a post's badge shows its evidence and never opens the post; the post still opens", async () => {
    const page = await openAs(env, VIEWER);
    await page.goto('https://x.com/home');
    const host = page.locator(`${AUTHOR} ${BADGE}`).first();
    await host.waitFor();
    const before = page.url();
    await host.click();
    await page.waitForTimeout(300);
    assert.equal(page.url(), before, "the badge is not part of the post's click target");
    assert.ok((await badgeShadow(page, `${AUTHOR} ${BADGE}`)).tipShown, 'its evidence shows');
    await host.focus();
    await page.keyboard.press('Enter');
    assert.equal(page.url(), before);
    // The badge sits inline in the author line, beside the display name.
    const inline = await page.$eval(`${AUTHOR} ${BADGE}`, (h) => {
      const line = h.closest('[data-testid="User-Name"]');
      return h.getBoundingClientRect().top - line.getBoundingClientRect().top < 12;
    });
    assert.ok(inline, 'on the author line, not below it');
    // Elsewhere on a post (away from the evidence just pinned), a click opens it.
    await page.evaluate(() => /** @type {HTMLElement} */ (document.activeElement)?.blur());
    await page.mouse.move(0, 0);
    const article = page
      .locator(POST)
      .filter({ has: page.locator(BADGE) })
      .last();
    await article.locator('[data-testid="tweetText"]').first().click();
    await page.waitForURL(/\/XDevelopers\/status\/\d+$/);
    await page.close();
  });

  it('a thread, search and a quoted post: each author line names its own author', async () => {
    const page = await openAs(env, VIEWER);
    await page.goto('https://x.com/XDevelopers/status/1649191520250245121');
    await page.locator(`${AUTHOR} ${BADGE}`).first().waitFor();
    const thread = await postBadges(page);
    assert.equal(thread.length, 4, "the brand's four posts of the thread, not the replies");
    assert.ok(thread.every((b) => b.account === BRAND_ID));

    await setBadges(env, { profileHeader: 'all', hoverCard: 'all', userCell: 'notable', tweet: 'all' });
    await page.goto('https://x.com/search?q=tesla');
    await page.locator(`${QUOTE_AUTHOR} ${BADGE}`).first().waitFor();
    // The quoting post and the quoted one: two author lines in one article.
    const article = page
      .locator(POST)
      .filter({ has: page.locator('div[role="link"]') })
      .first();
    const ids = await article.locator(BADGE).evaluateAll((hs) => hs.map((h) => h.getAttribute('data-reciprocity-account')));
    const authors = await article.evaluate((a) => [...a.querySelectorAll('[data-testid^="UserAvatar-Container-"]')].map((d) => d.getAttribute('data-testid')));
    assert.equal(ids.length, 2, JSON.stringify({ ids, authors }));
    assert.notEqual(ids[0], ids[1], "the quote's badge is the quoted author's");
    await setBadges(env, null);
    await page.close();
  });

  it('a recycled row never keeps a stale badge', async () => {
    const page = await openAs(env, VIEWER);
    await page.goto('https://x.com/home');
    await page.locator(`${AUTHOR} ${BADGE}`).first().waitFor();
    // Rows whose own author line is flagged (the brand's posts), and rows with no
    // badge at all (others' posts that quote nothing of the brand's).
    const rows = await page.$$eval(POST, (as) =>
      as.map((a) =>
        a.querySelector('[data-testid="User-Name"] [data-reciprocity-verdict]')
          ? !a.querySelector('div[role="link"]')
          : a.querySelector('[data-reciprocity-verdict]')
            ? null
            : false,
      ),
    );
    const flaggedRow = rows.indexOf(true);
    const plainRow = rows.indexOf(false, 1);
    assert.ok(flaggedRow > 0 && plainRow > 0, JSON.stringify(rows));
    assert.ok(await page.evaluate(([i, j]) => window.replay.recycle(i, j), [flaggedRow, plainRow]));
    await page.waitForFunction((i) => !document.querySelectorAll('article[data-testid="tweet"]')[i].querySelector('[data-reciprocity-verdict]'), flaggedRow);
    assert.ok(await page.evaluate(([i, j]) => window.replay.recycle(i, j), [flaggedRow, flaggedRow]));
    await page.waitForFunction(
      (i) => document.querySelectorAll('article[data-testid="tweet"]')[i].querySelector('[data-reciprocity-verdict="flushes_others"]'),
      flaggedRow,
    );
    await page.close();
  });
});
