// @ts-check
/* What the dashboard shows now: whose history (the viewer), their summary as
 * loaded, how far down each list was shown, and how to draw the view again. */
import { $, el } from './dom.js';
import { ask, ext, ok } from './engine.js';

const { msg } = Reciprocity;
const { t, lang } = I18n;

/** How many of each list of accounts the dashboard asks the engine for: a big
 * viewer's whole summary names 100,000 accounts (tens of MB). More on demand. */
const SUMMARY_PAGE = 1000;

/** A summary, and who each account in it is.
 * @typedef {wasm_bindgen.Summary & { who: Map<string, wasm_bindgen.Who> }} LoadedSummary */

export const state = {
  /** @type {string | null} */
  viewer: null,
  /** @type {{ id: string, network: 'x' | 'bsky', handle: string | null }[]} */
  viewers: [],
  /** The current viewer's summary, as loaded. @type {LoadedSummary | null} */
  cache: null,
  summaryLimit: SUMMARY_PAGE,
  /** How far down each list was shown. @type {Map<string, number>} */
  windows: new Map(),
  /** Draws the current view again (set by the router). @type {() => Promise<void>} */
  redraw: async () => {},
};

/** The viewer's summary, as loaded (route() loads it before any view). */
export const summary = () => /** @type {LoadedSummary} */ (state.cache);

/** The viewer, once one is chosen (views are drawn only then). */
export const viewerId = () => /** @type {string} */ (state.viewer);

/** The viewer's summary: the first `limit` of each list (all of it without),
 * with exact totals, and who each account in it is. As the options page it
 * comes through IndexedDB (it can be tens of MB).
 * @param {number} [limit] @returns {Promise<LoadedSummary>} */
export async function fetchSummary(limit) {
  const r = ok(await ask({ type: msg.SUMMARY, viewer: viewerId(), lang, transfer: !!ext, limit }));
  const s = 'transfer' in r ? /** @type {wasm_bindgen.Summary} */ (await ReciprocityPlatform.transfer.take(r.transfer)) : r.summary;
  return { ...s, who: new Map(s.accounts.map((a) => [a.id, a])) };
}

/** Asks for the viewer's summary once per change. */
export async function loadSummary() {
  if (!state.cache && state.viewer) state.cache = await whileLoading(fetchSummary(state.summaryLimit));
}

/** Forgets the loaded summary and draws again (after a change). */
export async function changed() {
  state.cache = null;
  await state.redraw();
}

/** More of the lists than the engine has sent: the next page, then the view
 * again, as far down as it was. @param {string} list @param {number} shown */
export async function loadMore(list, shown) {
  state.summaryLimit += SUMMARY_PAGE;
  state.windows.set(list, shown);
  await changed();
}

/** Waits for `work`; meanwhile, when the extension's worker is still loading
 * its store (after the browser stopped it), says how far it is.
 * @template T @param {Promise<T>} work @returns {Promise<T>} */
export async function whileLoading(work) {
  if (!ext) return work;
  let done = false;
  // Its failure is the caller's to handle: here it only ends the line.
  work
    .finally(() => {
      done = true;
    })
    .catch(() => {});
  const main = $('#main');
  const line = el('p', { class: 'muted', role: 'status', 'data-reciprocity-loading': '' });
  const poll = async () => {
    while (!done) {
      const r = await ask({ type: msg.LOADING });
      if (done || !r.ok || r.whole) break;
      line.textContent = t('loading_store', { loaded: r.loaded, total: r.total });
      if (!line.isConnected) main.replaceChildren(line);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  poll();
  return work;
}

/** The viewers the store knows, in the picker; the current one kept if it is
 * still there. @param {HTMLElement} status where a store's problem is said */
export async function chooseViewer(status) {
  const r = await whileLoading(ask({ type: msg.VIEWERS, lang }));
  state.viewers = r.ok ? r.viewers : [];
  // The static site's store, if part of it could not be replayed.
  if (r.ok && r.problem) status.textContent = r.problem;
  const ids = state.viewers.map((v) => v.id);
  const select = /** @type {HTMLSelectElement} */ ($('#viewer'));
  if (!state.viewer || !ids.includes(state.viewer)) state.viewer = ids[0] || null;
  // Each network's accounts side by side, under its name.
  const option = (/** @type {{ id: string, handle: string | null }} */ v) => el('option', { value: v.id }, v.handle ? `@${v.handle}` : v.id);
  select.replaceChildren(
    ...[
      ['x', 'X'],
      ['bsky', 'Bluesky'],
    ]
      .map(([network, label]) => [label, state.viewers.filter((v) => v.network === network)])
      .filter(([, vs]) => vs.length)
      .map(([label, vs]) => el('optgroup', { label: String(label) }, .../** @type {typeof state.viewers} */ (vs).map(option))),
  );
  select.value = state.viewer || '';
  /** @type {HTMLElement} */ (select.closest('label')).hidden = ids.length < 2;
  state.cache = null;
}

/** An account's name: its handle, else its DID (Bluesky), else its id.
 * @param {string} id @param {Map<string, wasm_bindgen.Who>} [who] */
export const name = (id, who = summary().who) => {
  const a = who.get(id);
  return a?.handle ? `@${a.handle}` : (a?.did ?? id);
};

/** Its page here, and for an account known by no handle (archives and exports
 * carry none), its profile on its network until a read names it: on X by its
 * id, on Bluesky by its DID.
 * @param {string} id */
export const accountLink = (id) => {
  const here = el('a', { href: `#/account/${id}` }, name(id));
  const a = summary().who.get(id);
  if (a?.handle) return here;
  const bsky = state.viewer?.startsWith('bsky:');
  if (bsky && !a?.did) return here;
  const [href, label] = bsky ? [`https://bsky.app/profile/${a?.did}`, t('on_bsky')] : [`https://x.com/i/user/${id}`, t('on_x')];
  const there = el('a', { href, target: '_blank', rel: 'noopener noreferrer', 'aria-label': label, title: label }, ' ↗');
  const both = document.createDocumentFragment();
  both.append(here, there);
  return both;
};
