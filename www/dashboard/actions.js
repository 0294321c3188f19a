// @ts-check
/* What the viewer does from the dashboard: marks (brand, allowlisted), "not an
 * unfollow", forget. Each is the engine's; the view is drawn again after. */
import { ask, ok } from './engine.js';
import { changed, viewerId } from './state.js';

const { msg } = Reciprocity;

/** @param {string} id @param {{ brand?: boolean, allowlisted?: boolean }} change */
export async function mark(id, change) {
  ok(await ask({ type: msg.MARK, viewer: viewerId(), account: id, ...change }));
  await changed();
}

/** The viewer says this end was not an unfollow: here and in the extension.
 * @param {wasm_bindgen.TimelineEvent} e */
export async function notUnfollow(e) {
  ok(await ask({ type: msg.MARK_EVENT, viewer: viewerId(), from: e.from, to: e.to, by: e.by }));
  await changed();
}

/** Forgets an account in the store (as the options page: the snapshot and the
 * journal). A later capture may teach it again.
 * @param {string} id */
export async function forget(id) {
  ok(await ask({ type: msg.FORGET, viewer: viewerId(), account: id }));
  location.hash = '#/unfollowed';
  await changed();
}
