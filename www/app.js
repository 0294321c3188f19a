// @ts-check
/* The dashboard: the whole history, from the extension's store (as its options
 * page) or from X archives read right here (as a static site). No engine runs in
 * this page (dashboard/engine.js says which one it asks). Verdicts, dates, spans
 * and events are the engine's words, in the page's language. This module draws
 * the frame: the theme, the router, export and forget, the badge settings; each
 * view is a module of dashboard/views. */
import { $, el, emptyNote } from './dashboard/dom.js';
import { ask, ext, ok } from './dashboard/engine.js';
import { refresh, wireImport } from './dashboard/import.js';
import { loadSummary, state } from './dashboard/state.js';
import { viewAccount } from './dashboard/views/account.js';
import { viewBrands } from './dashboard/views/brands.js';
import { viewCharts } from './dashboard/views/charts.js';
import { viewNotBack } from './dashboard/views/not-back.js';
import { viewUnfollowed } from './dashboard/views/unfollowed.js';

const { t } = I18n;
const { msg } = Reciprocity;
const { download } = ReciprocityPlatform;
const main = $('#main');

// ----- theme: the system's, or the user's choice -----
const dark = localStorage.getItem('reciprocity.theme') ?? (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
/** @param {string} name */
const setTheme = (name) => {
  document.documentElement.classList.toggle('dark', name === 'dark');
  $('#theme').setAttribute('aria-pressed', String(name === 'dark'));
  localStorage.setItem('reciprocity.theme', name);
};

// ----- the router: each route draws once its data is in; a later route wins
// over a slower one -----
let routing = 0;
async function route() {
  const turn = ++routing;
  const hash = location.hash || '#/unfollowed';
  for (const a of document.querySelectorAll('nav a')) a.setAttribute('aria-current', hash.startsWith(a.getAttribute('href') || '#') ? 'page' : 'false');
  /** @type {(Node | string | null)[]} */
  let view;
  try {
    if (!state.viewer) {
      view = [emptyNote()];
    } else {
      await loadSummary();
      const account = /^#\/account\/(.+)$/.exec(hash);
      view = account
        ? await viewAccount(decodeURIComponent(account[1]))
        : hash.startsWith('#/not-following-back')
          ? viewNotBack()
          : hash.startsWith('#/brands')
            ? viewBrands()
            : hash.startsWith('#/charts')
              ? await viewCharts()
              : viewUnfollowed();
    }
  } catch (e) {
    view = [el('p', { class: 'error', role: 'alert' }, ReciprocityPlatform.errorMessage(e))];
  }
  if (turn !== routing) return;
  main.replaceChildren(.../** @type {(Node | string)[]} */ (view.filter(Boolean)));
  // Which view is drawn (the tests wait for it).
  main.dataset.route = hash;
}

/** As the options page: which badges each place on x.com shows (the popup's
 * setting too), kept in the extension's storage and applied live in open tabs.
 * @param {typeof chrome} api */
async function badgeSettings(api) {
  const { keys, BADGE_DEFAULTS } = Reciprocity;
  const got = await api.storage.local.get(keys.BADGES);
  /** @type {BadgeSettings} */
  const choices = { ...BADGE_DEFAULTS, ...(got[keys.BADGES] || {}) };
  const section = $('#badge-settings');
  for (const place of /** @type {(keyof BadgeSettings)[]} */ (Object.keys(BADGE_DEFAULTS))) {
    const select = /** @type {HTMLSelectElement} */ (
      el('select', { id: `badges-${place}` }, ...['all', 'notable', 'none'].map((c) => el('option', { value: c }, t(`choice_${c}`))))
    );
    select.value = choices[place];
    select.addEventListener('change', async () => {
      choices[place] = /** @type {BadgeChoice} */ (select.value);
      await api.storage.local.set({ [keys.BADGES]: choices });
    });
    section.append(el('label', { class: 'setting' }, t(`place_${place}`), ' ', select));
  }
  section.hidden = false;
}

async function start() {
  I18n.apply();
  setTheme(dark);
  $('#theme').addEventListener('click', () => setTheme(document.documentElement.classList.contains('dark') ? 'light' : 'dark'));
  state.redraw = route;
  $('#viewer').addEventListener('change', (e) => {
    state.viewer = /** @type {HTMLSelectElement} */ (e.target).value;
    state.cache = null;
    route();
  });
  window.addEventListener('hashchange', () => {
    route();
    main.focus({ preventScroll: true });
  });
  wireImport();
  $('#export-json').addEventListener('click', async () => {
    const r = ok(await ask({ type: msg.EXPORT }));
    // As the options page the worker wrote it to IndexedDB: read it from there.
    const json = 'transfer' in r ? await ReciprocityPlatform.transfer.take(r.transfer) : r.json;
    download('reciprocity-export.json', String(json ?? ''), 'application/json');
  });
  $('#forget-all').addEventListener('click', async () => {
    if (!confirm(t('forget_all_confirm'))) return;
    ok(await ask({ type: msg.FORGET_ALL }));
    state.viewer = null;
    await refresh();
  });
  if (ext) await badgeSettings(ext);
  await refresh();
  // Opened to import (the first-run page's button): the drop zone has the focus,
  // Enter or Space opens the file picker.
  if (location.hash === '#import') $('#drop').focus();
  document.body.dataset.ready = 'true';
}

start().catch((e) => {
  main.textContent = ReciprocityPlatform.errorMessage(e);
});
