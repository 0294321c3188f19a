// The worker refuses what a file dates after its clock; a capture is dated by that
// same clock, so none is ever refused for it, however long since the engine's last
// call (the browser keeps a busy worker alive for days).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openAs, ask } from './harness.mjs';
import { fixture } from '../replay/server.mjs';
import { BRAND, BRAND_ID } from '../replay/places.mjs';

let env;
before(async () => {
  env = await launch();
  env.replay.state.profiles.set(BRAND, fixture('2026-05-21_user_by_login.json'));
  env.replay.state.lists.set(`${BRAND_ID}/Followers`, fixture('2026-05-21_followers.json'));
});
after(async () => env?.close());

describe("the worker's clock", () => {
  it("captures days after the engine's last call are kept, not taken for the future", async () => {
    const viewer = '950000000000000001';
    const before = (await ask(env, { type: 'status' })).failures;
    for (const when of ['2026-11-01T10:00:00Z', '2026-11-10T10:00:00Z', '2026-11-20T10:00:00Z']) {
      const page = await openAs(env, viewer, when);
      await page.goto('https://x.com/XDevelopers/followers');
      await page.locator('[data-testid="cellInnerDiv"]').nth(20).waitFor();
      await page.waitForTimeout(300);
      await page.close();
    }
    const status = await ask(env, { type: 'status' });
    assert.equal(status.failures, before, status.lastFailure ?? '');
  });
});
