// The demo: Reciprocity in Chromium on the local x.com replay, the whole story.
// @X follows you, then unfollows nine days later; @XDevelopers is seen dropping
// five accounts it had followed days before (two looks at its Following, dated by
// X's own cursor), and is flagged on its profile and on its posts; a notification
// dates a new follower to the second. Screenshots go to target/demo/. Headed when
// a display exists.
import fs from 'node:fs';
import path from 'node:path';
import { launch, openAs, setBadges, ROOT } from './e2e/harness.mjs';
import { fixture } from './replay/server.mjs';
import { usersOf, followingDated, DROPPED, withOwnPost, withFollowedBy, profileOf, AUTHOR, BRAND_ID } from './replay/places.mjs';

const out = path.join(ROOT, 'target/demo');
fs.mkdirSync(out, { recursive: true });
const headless = !process.env.DISPLAY;
const env = await launch({ headless });
const viewer = '900000000000000001';
const step = (s) => console.log(`· ${s}`);
const shots = [];
const shoot = async (page, name, opts = {}) => {
  const file = path.join(out, name);
  await page.screenshot({ path: file, ...opts });
  shots.push(file);
};
const TOP = { clip: { x: 0, y: 0, width: 1000, height: 520 } };
const s = env.replay.state;

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
  await shoot(page, 'unfollowed.png', { clip: { x: 0, y: 0, width: 1000, height: 420 } });
  await page.close();

  step('Nov 17 and Nov 20: two looks at @XDevelopers\' Following; X\'s cursor dates its follows to Nov 14, and five are gone by Nov 20');
  for (const [when, gone] of [['2026-11-17T09:00:00Z', []], ['2026-11-20T09:00:00Z', DROPPED]]) {
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
  await shoot(page, 'profile.png', { clip: { x: 0, y: 0, width: 1000, height: 640 } });
  await page.close();

  step('the home timeline: its post carries the flag, no one else\'s does');
  page = await openAs(env, viewer, '2026-11-20T10:05:00Z');
  await page.goto('https://x.com/home');
  // Its own post (not a quote of it): the author line at the top of the post.
  const onPost = page.locator('article .content > [data-testid="User-Name"] [data-reciprocity-verdict="flushes_others"]').first();
  await onPost.waitFor();
  await onPost.scrollIntoViewIfNeeded();
  await onPost.hover();
  await page.waitForTimeout(250);
  const box = await onPost.boundingBox();
  await shoot(page, 'tweet.png', { clip: { x: 0, y: Math.max(0, box.y - 200), width: 1000, height: 480 } });
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
  await shoot(page, 'follower.png', { clip: { x: 0, y: 0, width: 1000, height: 420 } });

  step('its followers: every user cell gets a badge, and so does "Who to follow"');
  await page.goto('https://x.com/XDevelopers/followers');
  await page.locator('[data-testid="UserCell"] [data-reciprocity-verdict]').first().waitFor();
  await page.mouse.move(0, 0);
  await page.waitForTimeout(250);
  await shoot(page, 'list.png', { clip: { x: 0, y: 0, width: 1000, height: 600 } });

  step('a hover card');
  await page.locator('[data-testid="UserCell"] a[data-hover]').nth(1).hover();
  await page.locator('#layers [data-testid="HoverCard"] [data-reciprocity-verdict]').waitFor();
  await page.waitForTimeout(150);
  await shoot(page, 'hovercard.png', TOP);

  step('the popup');
  const popup = await env.context.newPage();
  await popup.setViewportSize({ width: 380, height: 560 });
  await popup.goto(`chrome-extension://${env.extensionId}/popup/popup.html`);
  await popup.locator('#unfollowed li').first().waitFor();
  await shoot(popup, 'popup.png');

  console.log(`\nScreenshots (${headless ? 'headless' : 'headed'} Chromium):`);
  for (const f of shots) console.log(`  ${f}`);
} finally {
  await env.close();
}
