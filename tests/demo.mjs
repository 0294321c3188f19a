// The demo: Reciprocity in Chromium on the local x.com replay. A brand follows you,
// then unfollows nine days later; you browse its profile, its followers (and the
// sidebar's suggestions) and a hover card. Screenshots go to target/demo/. Headed when a display exists.
import fs from 'node:fs';
import path from 'node:path';
import { launch, openAs, setBadges, ROOT } from './e2e/harness.mjs';
import { fixture } from './replay/server.mjs';
import { usersOf } from './replay/places.mjs';

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

try {
  // The demo shows a badge on every cell (by default lists show only notable ones).
  await setBadges(env, { profileHeader: 'all', hoverCard: 'all', userCell: 'all' });
  env.replay.state.theme = 'light';
  env.replay.state.profiles.set('xdevelopers', fixture('2026-08-07_user_by_login.DERIVED-followed_by-true.json'));
  env.replay.state.lists.set('2244994945/Followers', fixture('2026-05-21_followers.json'));
  // "Who to follow" in the sidebar: accounts from the same real followers page.
  env.replay.state.sidebar = usersOf('2026-05-21_followers.json').slice(4, 7);

  step('Nov 1: you visit @XDevelopers; it follows you');
  let page = await openAs(env, viewer, '2026-11-01T10:00:00Z');
  await page.goto('https://x.com/XDevelopers');
  await page.locator('[data-reciprocity-verdict="mutual"]').waitFor();
  await page.close();

  step('Nov 10: you visit again; it no longer follows you');
  env.replay.state.profiles.set('xdevelopers', fixture('2026-08-07_user_by_login.json'));
  page = await openAs(env, viewer, '2026-11-10T10:00:00Z');
  await page.goto('https://x.com/XDevelopers');
  const badge = page.locator('[data-testid="UserName"] [data-reciprocity-verdict="unfollowed_you"]');
  await badge.waitFor();
  await badge.hover();
  await page.waitForTimeout(250);
  await shoot(page, 'profile.png', { clip: { x: 0, y: 0, width: 1000, height: 420 } });
  await page.mouse.move(0, 0);

  step('its followers: every user cell gets a badge, and so does "Who to follow"');
  await page.click('a[href="/XDevelopers/followers"]');
  await page.locator('[data-testid="UserCell"] [data-reciprocity-verdict]').first().waitFor();
  await page.mouse.move(0, 0);
  await page.waitForTimeout(250);
  await shoot(page, 'list.png', { clip: { x: 0, y: 0, width: 1000, height: 600 } });

  step('a hover card');
  await page.locator('[data-testid="UserCell"] a[data-hover]').nth(1).hover();
  await page.locator('#layers [data-testid="HoverCard"] [data-reciprocity-verdict]').waitFor();
  await page.waitForTimeout(150);
  await shoot(page, 'hovercard.png', { clip: { x: 0, y: 0, width: 1000, height: 420 } });

  step('the popup');
  const popup = await env.context.newPage();
  await popup.setViewportSize({ width: 380, height: 560 });
  await popup.goto(`chrome-extension://${env.extensionId}/popup/popup.html`);
  await popup.locator('#unfollowed li').first().waitFor();
  await shoot(popup, 'popup.png');

  console.log(`\nScreenshots (${headless ? 'headless' : 'headed'} Chromium):`);
  for (const s of shots) console.log(`  ${path.relative(process.cwd(), s).startsWith('..') ? s : s}`);
} finally {
  await env.close();
}
