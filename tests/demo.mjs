// The demo: Reciprocity in Chromium on the local x.com replay, the whole story.
// @X follows you, then unfollows nine days later; @XDevelopers is seen dropping
// five accounts it had followed days before (two looks at its Following, dated by
// X's own cursor), and is flagged on its profile and on its posts; a notification
// dates a new follower to the second; on bsky.app, a profile says since when it
// follows you, to the second. Told in English, then in French, at the stores'
// 1280×800: every picture goes to target/demo/, and the store's seven (and its
// 440×280 tile) to store/. Headed when a display exists.
import fs from 'node:fs';
import path from 'node:path';
import { launch, openAs, openBsky, setBadges, popupOver, ROOT } from './e2e/harness.mjs';
import { chrisProfile, CHRIS, CHRIS_DID } from './replay/bsky.mjs';
import { fixture } from './replay/server.mjs';
import { usersOf, followingDated, DROPPED, withOwnPost, withFollowedBy, profileOf, AUTHOR, BRAND_ID } from './replay/places.mjs';

const out = path.join(ROOT, 'target/demo');
const store = path.join(ROOT, 'store/screenshots');
fs.mkdirSync(out, { recursive: true });
fs.mkdirSync(store, { recursive: true });
const headless = !process.env.DISPLAY;
const viewer = '900000000000000001';
const SIZE = { width: 1280, height: 800 };
const shots = [];

for (const lang of ['en', 'fr']) {
  const env = await launch({ headless, lang, viewport: SIZE });
  const step = (s) => console.log(`· [${lang}] ${s}`);
  /** A picture of the page; `storeName` also puts it in the store's listing. */
  const shoot = async (page, name, storeName, opts = {}) => {
    const file = path.join(out, `${lang}-${name}`);
    await page.screenshot({ path: file, ...opts });
    shots.push(file);
    if (storeName) fs.copyFileSync(file, path.join(store, `${lang}-${storeName}`));
  };
  const s = env.replay.state;
  await story(env, s, step, shoot);
}
await tile();

console.log(`\nScreenshots (${headless ? 'headless' : 'headed'} Chromium, ${SIZE.width}×${SIZE.height}):`);
for (const f of shots) console.log(`  ${f}`);

/** The story, told in one browser (its language is the browser's). */
async function story(env, s, step, shoot) {
  try {
    // The demo shows a badge on every cell (by default lists show only notable ones).
    await setBadges(env, { profileHeader: 'all', hoverCard: 'all', userCell: 'all', tweet: 'notable' });
    s.theme = 'light';
    s.profiles.set('xdevelopers', fixture('2026-05-21_user_by_login.json'));
    s.lists.set(`${BRAND_ID}/Followers`, fixture('2026-05-21_followers.json'));
    s.lists.set(`${BRAND_ID}/UserTweets`, fixture('2026-05-21_user_tweets.json'));
    s.timelines.set('HomeTimeline', withOwnPost('2026-05-21_user_tweets.json', viewer));
    s.timelines.set('NotificationsTimeline', fixture('NotificationsTimeline.DERIVED-from-twitterts-type.json'));
    // "Who to follow" in the sidebar: accounts from the same real followers page.
    s.sidebar = usersOf('2026-05-21_followers.json').slice(4, 7);

    step('Nov 1: you visit @X; it follows you');
    s.profiles.set('x', withFollowedBy('UserByScreenName_x.json', true));
    let page = await openAs(env, viewer, '2026-11-01T10:00:00Z');
    await page.goto('https://x.com/X');
    await page.locator('[data-testid="UserName"] [data-reciprocity-verdict="follows_you"]').waitFor();
    await page.close();

    step('Nov 10: you visit again; it no longer follows you');
    s.profiles.set('x', withFollowedBy('UserByScreenName_x.json', false));
    page = await openAs(env, viewer, '2026-11-10T10:00:00Z');
    await page.goto('https://x.com/X');
    const unfollowed = page.locator('[data-testid="UserName"] [data-reciprocity-verdict="unfollowed_you"]');
    await unfollowed.waitFor();
    await unfollowed.hover();
    await page.waitForTimeout(250);
    await shoot(page, 'unfollowed.png');
    await page.close();

    step("Nov 17 and Nov 20: two looks at @XDevelopers' Following; X's cursor dates its follows to Nov 14, and five are gone by Nov 20");
    for (const [when, gone] of [
      ['2026-11-17T09:00:00Z', []],
      ['2026-11-20T09:00:00Z', DROPPED],
    ]) {
      s.lists.set(`${BRAND_ID}/Following`, followingDated(Date.parse('2026-11-17T09:00:00Z'), 3, gone));
      page = await openAs(env, viewer, when);
      await page.goto('https://x.com/XDevelopers/following');
      await page.locator('[data-testid="cellInnerDiv"]').nth(40).waitFor();
      await page.waitForTimeout(400);
      await page.close();
    }

    step('its profile and its posts: follows then flushes');
    page = await openAs(env, viewer, '2026-11-20T10:00:00Z');
    await page.goto('https://x.com/XDevelopers');
    const flushes = page.locator('[data-testid="UserName"] [data-reciprocity-verdict="flushes_others"]');
    await flushes.waitFor();
    await page.locator(`${AUTHOR} [data-reciprocity-verdict]`).first().waitFor();
    await flushes.hover();
    await page.waitForTimeout(250);
    await shoot(page, 'profile.png', '1-profile.png');
    const profileShot = await page.screenshot();
    await page.close();

    step("the home timeline: its post carries the flag, no one else's does");
    page = await openAs(env, viewer, '2026-11-20T10:05:00Z');
    await page.goto('https://x.com/home');
    // Its own post (not a quote of it): the author line at the top of the post.
    const onPost = page.locator('article .content > [data-testid="User-Name"] [data-reciprocity-verdict="flushes_others"]').first();
    await onPost.waitFor();
    await onPost.scrollIntoViewIfNeeded();
    await onPost.hover();
    await page.waitForTimeout(250);
    await shoot(page, 'tweet.png', '2-tweet.png');
    await page.close();

    step('Nov 20: a notification dates a new follower to the second');
    page = await openAs(env, viewer, '2026-11-20T11:00:00Z');
    await page.goto('https://x.com/notifications');
    await page.locator('[data-testid="notification"]').first().waitFor();
    await page.waitForTimeout(400);
    const follower = usersOf('2026-08-07_followers.json').find((u) => u.core.screen_name === 'calvin738');
    s.profiles.set('calvin738', profileOf(follower));
    await page.goto('https://x.com/calvin738');
    const dated = page.locator('[data-testid="UserName"] [data-reciprocity-verdict="follows_you"]');
    await dated.waitFor();
    await dated.hover();
    await page.waitForTimeout(250);
    await shoot(page, 'follower.png');

    step('its followers: every user cell gets a badge, and so does "Who to follow"');
    await page.goto('https://x.com/XDevelopers/followers');
    await page.locator('[data-testid="UserCell"] [data-reciprocity-verdict]').first().waitFor();
    await page.mouse.move(0, 0);
    await page.waitForTimeout(250);
    await shoot(page, 'list.png', '4-list.png');

    step('a hover card');
    await page.locator('[data-testid="UserCell"] a[data-hover]').nth(1).hover();
    await page.locator('#layers [data-testid="HoverCard"] [data-reciprocity-verdict]').waitFor();
    await page.waitForTimeout(150);
    await shoot(page, 'hovercard.png', '3-hover.png');

    step("the dashboard: @X's whole history with you");
    const dashboard = await env.context.newPage();
    await dashboard.goto(`chrome-extension://${env.extensionId}/www/index.html#/account/783214`);
    await dashboard.waitForFunction(() => document.body.dataset.ready === 'true' && document.querySelector('#main')?.dataset.route?.startsWith('#/account/'));
    // The account's record and its history, from its heading down (a page this
    // short cannot scroll it to the top: a taller window, cut to the store's size).
    await dashboard.setViewportSize({ width: SIZE.width, height: 2 * SIZE.height });
    const heading = await dashboard.locator('#main h2').first().boundingBox();
    await dashboard.waitForTimeout(300);
    const clip = { x: 0, y: Math.max(0, heading.y - 24), width: SIZE.width, height: SIZE.height };
    await shoot(dashboard, 'dashboard.png', '5-dashboard.png', { clip });
    await dashboard.close();

    step("the popup, open over the brand's profile");
    page = await openAs(env, viewer, '2026-11-20T11:05:00Z');
    await page.goto('https://x.com/XDevelopers');
    await page.locator('[data-testid="UserName"] [data-reciprocity-verdict]').waitFor();
    // Opened behind the profile's tab, as the browser's own popup is: "this
    // profile" is the brand's.
    const popup = await popupOver(env, page);
    await popup.setViewportSize({ width: 380, height: 600 });
    await popup.locator('#unfollowed li').first().waitFor();
    await popup.locator('#profile .verdict').waitFor();
    await shoot(popup, 'popup.png');
    const popupShot = await popup.screenshot({ fullPage: true });
    await popup.close();
    await page.close();
    // A browser draws its popup under the toolbar, over the page: the same here.
    const framed = await env.context.newPage();
    await framed.setViewportSize(SIZE);
    await framed.setContent(`<body style="margin:0;position:relative;width:${SIZE.width}px;height:${SIZE.height}px;overflow:hidden">
      <img src="data:image/png;base64,${profileShot.toString('base64')}" style="position:absolute;inset:0;filter:brightness(.92)">
      <img src="data:image/png;base64,${popupShot.toString('base64')}" style="position:absolute;top:8px;right:24px;max-height:${SIZE.height - 16}px;border-radius:8px;box-shadow:0 8px 28px rgba(0,0,0,.35)">
    </body>`);
    await shoot(framed, 'popup-over-profile.png', '6-popup.png');
    await framed.close();

    // Last: a second viewer (the popup above shows the only one's summary).
    step('on bsky.app: an account that follows you, since when to the second, from its follow record');
    env.bsky.state.profiles.set(CHRIS_DID, chrisProfile());
    const bsky = await openBsky(env, '2025-05-19T17:41:25Z');
    await bsky.setViewportSize(SIZE);
    await bsky.goto('https://bsky.app/');
    await bsky.waitForFunction(() => !!localStorage.getItem('BSKY_STORAGE'));
    await bsky.goto(`https://bsky.app/profile/${CHRIS}`);
    const since = bsky.locator('[data-reciprocity-verdict]');
    await since.waitFor();
    await since.hover();
    await bsky.waitForTimeout(250);
    await shoot(bsky, 'bluesky.png', '7-bluesky.png');
    await bsky.close();
  } finally {
    await env.close();
  }
}

/** The small promotional tile (440×280): the name, what it answers, a badge. */
async function tile() {
  const env = await launch({ headless, viewport: { width: 440, height: 280 } });
  try {
    const page = await env.context.newPage();
    const icon = fs.readFileSync(path.join(ROOT, 'extension/icons/icon128.png')).toString('base64');
    await page.setContent(`<body style="margin:0;width:440px;height:280px;display:flex;align-items:center;gap:22px;padding:0 28px;box-sizing:border-box;
      background:linear-gradient(135deg,#15202b,#1d3a55);color:#e7e9ea;font:16px/1.35 -apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif">
      <img src="data:image/png;base64,${icon}" width="96" height="96" alt="">
      <div><div style="font-size:30px;font-weight:700">Reciprocity</div>
      <div style="margin:6px 0 14px">Who follows you back, since when — and who follows only to unfollow.</div>
      <span style="display:inline-block;padding:2px 10px;border-radius:9999px;border:1px solid #ff9f40;color:#ff9f40;background:rgba(255,159,64,.12);font-weight:600;font-size:13px">↺ Follows then flushes</span></div>
    </body>`);
    const file = path.join(ROOT, 'store/tile-440x280.png');
    await page.screenshot({ path: file });
    shots.push(file);
  } finally {
    await env.close();
  }
}
