// The extension on x.com's real structure (the rebuilt replay: button rows in
// cellInnerDiv, sidebar li cells, three links and a bio mention per cell, #layers
// inside #react-root, hover cards that fill in late, the account switcher and the
// verified popup as HoverCards, X's own "Follows you"): the right account is badged,
// a badge never navigates, and nothing is badged that is not a user's place.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openAs, ask, badge, badgeShadow, setBadges } from './harness.mjs';
import { fixture } from '../replay/server.mjs';
import { HEADER, HOVER, ROW, SIDEBAR_CELL as SIDEBAR, BRAND, usersOf } from '../replay/places.mjs';

let env;
before(async () => {
  env = await launch();
  await setBadges(env, { profileHeader: 'all', hoverCard: 'all', userCell: 'all' });
  env.replay.state.profiles.set(BRAND, fixture('2026-05-21_user_by_login.json'));
  env.replay.state.lists.set('2244994945/Followers', fixture('2026-05-21_followers.json'));
});
after(async () => env?.close());

async function followersPage(viewer) {
  const page = await openAs(env, viewer, '2026-11-01T10:00:00Z');
  await page.goto('https://x.com/XDevelopers/followers');
  await badge(page, ROW).first().waitFor({ timeout: 10000 });
  return page;
}

describe("x.com's real structure", () => {
  it('button rows: the badge sits in the row, a click on it shows its evidence and never navigates', async () => {
    const page = await followersPage('930000000000000001');
    const row = page.locator(ROW).first();
    const handle = await row.locator('a[data-hover]').getAttribute('data-hover');
    // Three links to the same profile, and the badge is that profile's.
    assert.equal(await row.locator(`a[href="/${handle}"]`).count(), 3);
    const host = row.locator('[data-reciprocity-verdict]');
    const users = usersOf('2026-05-21_followers.json');
    assert.equal(await host.getAttribute('data-reciprocity-account'), users.find((u) => u.core.screen_name === handle).rest_id);
    const before = page.url();
    await host.click();
    await page.waitForTimeout(300);
    assert.equal(page.url(), before, "the badge is not part of the row's click target");
    assert.ok((await badgeShadow(page, `${ROW} [data-reciprocity-verdict]`)).tipShown, 'its evidence shows');
    await host.focus();
    await page.keyboard.press('Enter');
    assert.equal(page.url(), before, 'nor is Enter on it');
    // The row itself still opens the profile.
    await row.locator('.body').click({ position: { x: 4, y: 4 } });
    await page.waitForURL(`https://x.com/${handle}`);
    await page.close();
  });

  it("a bio mention never takes a cell's badge: the avatar and the links name the user", async () => {
    const users = usersOf('2026-05-21_followers.json');
    // A derived copy: the first follower's bio mentions another follower.
    const page0 = JSON.parse(fixture('2026-05-21_followers.json'));
    const mentioned = users[1].core.screen_name;
    (function walk(o) {
      if (!o || typeof o !== 'object') return;
      if (o.__typename === 'User' && o.rest_id === users[0].rest_id) {
        o.legacy.description = `Ex @${mentioned}; views mine`;
        if (o.profile_bio) o.profile_bio.description = o.legacy.description;
      } else Object.values(o).forEach(walk);
    })(page0);
    env.replay.state.lists.set('2244994945/Followers', JSON.stringify(page0));
    const page = await followersPage('930000000000000002');
    const row = page.locator(ROW).first();
    assert.equal(await row.locator(`.bio a[href="/${mentioned}"]`).count(), 1, 'the bio mention is a link');
    assert.equal(await row.locator('[data-reciprocity-verdict]').getAttribute('data-reciprocity-account'), users[0].rest_id);
    env.replay.state.lists.set('2244994945/Followers', fixture('2026-05-21_followers.json'));
    await page.close();
  });

  it('"Who to follow" cells in the sidebar are badged like list cells', async () => {
    const users = usersOf('2026-05-21_followers.json');
    env.replay.state.sidebar = users.slice(3, 5);
    const page = await followersPage('930000000000000003');
    await page.waitForFunction((sel) => document.querySelectorAll(`${sel} [data-reciprocity-verdict]`).length === 2, SIDEBAR, { timeout: 10000 });
    const ids = await page.$$eval(`${SIDEBAR} [data-reciprocity-verdict]`, (hs) => hs.map((h) => h.getAttribute('data-reciprocity-account')));
    assert.deepEqual(
      ids,
      users.slice(3, 5).map((u) => u.rest_id),
    );
    env.replay.state.sidebar = [];
    await page.close();
  });

  it('a hover card is badged once it has filled in, for its user', async () => {
    const page = await followersPage('930000000000000004');
    await page.evaluate(() => {
      document.body.dataset.hoverFillMs = '700';
    });
    const name = page.locator(`${ROW} a[data-hover]`).nth(2);
    const handle = await name.getAttribute('data-hover');
    await name.hover();
    await page.locator(`${HOVER} [role="progressbar"]`).waitFor();
    await page.waitForTimeout(300);
    assert.equal(await badge(page, HOVER).count(), 0, 'no badge on the empty shell');
    await page.locator(`${HOVER} [data-testid="UserAvatar-Container-${handle}"]`).waitFor();
    await badge(page, HOVER).first().waitFor({ timeout: 10000 });
    const users = usersOf('2026-05-21_followers.json');
    assert.equal(await badge(page, HOVER).first().getAttribute('data-reciprocity-account'), users.find((u) => u.core.screen_name === handle).rest_id);
    await page.close();
  });

  it('nothing is badged in the account switcher or in the verified popup', async () => {
    const users = usersOf('2026-05-21_followers.json');
    // The switcher's accounts are accounts the ledger knows (badged in the list).
    env.replay.state.accounts = users.slice(0, 2).map((u) => ({ id: u.rest_id, handle: u.core.screen_name, name: u.core.name }));
    const page = await followersPage('930000000000000005');
    await page.click('[data-testid="SideNav_AccountSwitcher_Button"]');
    await page.locator(`${HOVER} [data-testid="UserCell"]`).first().waitFor();
    await page.waitForTimeout(500);
    assert.equal(await page.locator(`${HOVER} [data-reciprocity-verdict]`).count(), 0, "the switcher: the viewer's own accounts");
    // The profile of a verified account: its verified popup names it, with no avatar.
    await page.goto('https://x.com/XDevelopers');
    await badge(page, HEADER).first().waitFor({ timeout: 10000 });
    await page.click('[data-testid="icon-verified"]');
    await page.locator(HOVER).waitFor();
    assert.match(await page.textContent(HOVER), /@XDevelopers is verified/);
    await page.waitForTimeout(500);
    assert.equal(await page.locator(`${HOVER} [data-reciprocity-verdict]`).count(), 0, 'the verified popup');
    env.replay.state.accounts = [];
    await page.close();
  });

  it('beside X\'s own "Follows you", the badge says since when, and X is the fresher word', async () => {
    const viewer = '930000000000000006';
    env.replay.state.profiles.set(BRAND, fixture('2026-08-07_user_by_login.DERIVED-followed_by-true.json'));
    let page = await openAs(env, viewer, '2026-11-01T10:00:00Z');
    await page.goto('https://x.com/XDevelopers');
    await page.locator(`${HEADER} [data-testid="userFollowIndicator"]`).waitFor();
    const host = badge(page, HEADER).first();
    await host.waitFor({ timeout: 10000 });
    assert.equal(await host.getAttribute('data-reciprocity-beside-x'), 'true');
    let shadow = await badgeShadow(page, `${HEADER} [data-reciprocity-verdict]`);
    assert.match(shadow.text, /Seen since 2026-11-01/);
    assert.doesNotMatch(shadow.text.split('Seen since')[0], /Follows you|Mutual/, "not X's words again");
    await page.close();

    // Later the ledger sees it unfollow.
    env.replay.state.profiles.set(BRAND, fixture('2026-08-07_user_by_login.json'));
    page = await openAs(env, viewer, '2026-11-10T10:00:00Z');
    await page.goto('https://x.com/XDevelopers');
    await page.waitForFunction(
      (sel) => document.querySelector(sel)?.getAttribute('data-reciprocity-verdict') === 'unfollowed_you',
      `${HEADER} [data-reciprocity-verdict]`,
      { timeout: 10000 },
    );
    await page.close();
    // Recording paused, X shows "Follows you" again: the ledger cannot know yet, and
    // X's word wins over its "Unfollowed you".
    await ask(env, { type: 'set-paused', paused: true });
    env.replay.state.profiles.set(BRAND, fixture('2026-08-07_user_by_login.DERIVED-followed_by-true.json'));
    page = await openAs(env, viewer, '2026-11-12T10:00:00Z');
    await page.goto('https://x.com/XDevelopers');
    await page.locator(`${HEADER} [data-testid="userFollowIndicator"]`).waitFor();
    await page.waitForFunction(
      (sel) => document.querySelector(sel)?.getAttribute('data-reciprocity-beside-x') === 'true',
      `${HEADER} [data-reciprocity-verdict]`,
      { timeout: 10000 },
    );
    shadow = await badgeShadow(page, `${HEADER} [data-reciprocity-verdict]`);
    assert.match(shadow.text, /Unfollowed you before/);
    assert.match(shadow.text, /X shows it follows you now/);
    await ask(env, { type: 'set-paused', paused: false });
    await page.close();
  });
});
