// @ts-check
/* The popup: the current profile's record, the viewer's summary, pause, export,
 * the dashboard, and a notice when captures failed to read. Every verdict, date
 * and span is the engine's, in the browser's language. */
(() => {
  const { msg, SITE_ORIGINS } = globalThis.Reciprocity;
  const { t, download, accountFromUrl, uiLanguage } = globalThis.ReciprocityPlatform;
  const api = /** @type {typeof chrome} */ (globalThis.ReciprocityPlatform.api);
  const lang = uiLanguage();
  /** @param {string} id */
  const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(/** @type {HTMLElement} */ (el).dataset.i18n || '');

  const { send } = ReciprocityPlatform;

  /** @param {wasm_bindgen.Who | undefined} a @param {string} id */
  const who = (a, id) => (a?.handle ? `@${a.handle}` : id);

  /** @param {string} text */
  function item(text) {
    const li = document.createElement('li');
    li.textContent = text;
    return li;
  }

  async function currentTab() {
    const [tab] = await api.tabs.query({ active: true, currentWindow: true });
    return tab;
  }

  /** The signed-in account of the x.com tab (its content script reads the page's
   * cookie); away from x.com, the only viewer the store holds, if just one.
   * @param {chrome.tabs.Tab | null} tab @param {StatusReply} status */
  async function viewerOf(tab, status) {
    let viewer = null;
    if (tab && tab.id != null) {
      const reply = await api.tabs.sendMessage(tab.id, { type: msg.WHO }).catch(() => null);
      viewer = reply?.viewer;
      // Two signed-in accounts' cookies on one page: nothing is recorded there.
      $('ambiguous').hidden = !reply?.ambiguous;
      if (reply?.ambiguous) return null;
    }
    if (!viewer && status.viewers.length === 1) viewer = status.viewers[0];
    return viewer;
  }

  /** While the worker loads its store (after the browser stopped it), how far
   * it is; the rest of the popup waits for it. @param {Promise<unknown>} work */
  async function sayLoading(work) {
    let done = false;
    // Its failure is the caller's to handle: here it only ends the line.
    work
      .finally(() => {
        done = true;
      })
      .catch(() => {});
    while (!done) {
      const r = await send({ type: msg.LOADING }).catch(() => null);
      if (done || !r || !r.ok || r.whole) break;
      $('loading-count').textContent = `${r.loaded} / ${r.total}`;
      $('loading').hidden = false;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    $('loading').hidden = true;
  }

  async function main() {
    const tab = await currentTab().catch(() => null);
    const asked = send({ type: msg.STATUS });
    sayLoading(asked);
    const status = await asked;
    if (!status.ok) throw new Error(status.error);
    const viewer = await viewerOf(tab, status);
    /** @type {HTMLInputElement} */ ($('pause')).checked = status.paused;
    $('paused-notice').hidden = !status.paused;
    $('failures').hidden = !status.failures;
    /** @type {HTMLInputElement} */ ($('record-private')).checked = status.recordPrivate;
    // Each kind of trouble in its own words: a capture set aside, a full disk, a
    // corrupt store, a store the engine could not load.
    $('set-aside').hidden = !status.setAside;
    $('too-large').hidden = !status.refused.tooLarge;
    $('too-large-count').textContent = String(status.refused.tooLarge);
    $('trimmed').hidden = !status.trimmed;
    $('trimmed-count').textContent = String(status.trimmed);
    // Damaged parts of the store, set aside alone: what they held is said.
    $('lost-parts').hidden = !status.lostParts.parts;
    $('lost-parts-count').textContent = `${status.lostParts.accounts} / ${status.lostParts.edges}`;
    $('rate-limited').hidden = !status.refused.rateLimited;
    $('rate-limited-count').textContent = String(status.refused.rateLimited);
    $('store-full').hidden = status.storeProblemKind !== 'cannot_save';
    $('engine-failed').hidden = status.storeProblemKind !== 'engine_failed';
    $('store-problem').hidden = status.storeProblemKind !== 'corrupt' && !status.keptAside;
    // Withdrawn access to a site (both browsers let the user; Firefox asks for
    // each) is not being signed out: nothing runs there until it is given back.
    // On one of the sites, that site's access counts; elsewhere, any site's.
    const granted = await Promise.all(SITE_ORIGINS.map((origin) => api.permissions.contains({ origins: [origin] }).catch(() => true)));
    const here = SITE_ORIGINS.findIndex((origin) => !!tab?.url && tab.url.startsWith(origin.slice(0, -1)));
    const access = here >= 0 ? granted[here] : granted.some(Boolean);
    $('no-access').hidden = access;
    $('signed-out').hidden = !!viewer || !access || !$('ambiguous').hidden;

    // The same rule as the content scripts: X's own pages are not profiles; on
    // bsky.app, `/profile/<handle or DID>`.
    const account = tab?.url ? accountFromUrl(tab.url) : null;
    const profile = $('profile');
    if (!account || !viewer) {
      profile.textContent = t('popup_no_profile');
    } else {
      const reply = await send({ type: msg.ANNOTATE, viewer, accounts: [account], lang });
      const a = reply.ok && reply.badges[0];
      if (!a) {
        profile.textContent = t('popup_unknown_profile');
      } else {
        const p = document.createElement('p');
        p.className = 'verdict';
        p.dataset.reciprocityVerdict = a.verdict.code;
        p.textContent = `${who(a.account, a.account.id)} — ${a.verdict.text}`;
        const conf = document.createElement('p');
        conf.className = 'muted';
        conf.textContent = a.verdict.confidence_text;
        profile.replaceChildren(p, conf);
      }
    }

    if (viewer) {
      const reply = await send({ type: msg.SUMMARY, viewer, lang, limit: 5 });
      if (!reply.ok) throw new Error(reply.error);
      if (!('summary' in reply)) throw new Error('no summary');
      const s = reply.summary;
      const names = new Map(s.accounts.map((a) => [a.id, a]));
      /** @param {string} id */
      const name = (id) => who(names.get(id), id);
      const unf = s.unfollowed_you.slice(0, 5).map((u) => item(`${name(u.account)} — ${u.when}`));
      $('unfollowed').replaceChildren(...(unf.length ? unf : [item(t('popup_none'))]));
      const nb = s.not_following_back.slice(0, 5).map((n) => item(name(n.account)));
      $('not-back').replaceChildren(...(nb.length ? nb : [item(t('popup_none'))]));
    }
  }

  $('pause').addEventListener('change', async (e) => {
    const checked = /** @type {HTMLInputElement} */ (e.target).checked;
    await send({ type: msg.SET_PAUSED, paused: checked });
    $('paused-notice').hidden = !checked;
  });
  $('record-private').addEventListener('change', async (e) => {
    await send({ type: msg.SET_RECORD_PRIVATE, on: /** @type {HTMLInputElement} */ (e.target).checked });
  });
  // The export is the current viewer's ledger (all of them away from x.com).
  $('export').addEventListener('click', async () => {
    const tab = await currentTab().catch(() => null);
    const status = await send({ type: msg.STATUS });
    if (!status.ok) return;
    const viewer = await viewerOf(tab, status);
    const r = await send(viewer ? { type: msg.EXPORT, viewer } : { type: msg.EXPORT });
    if (!r.ok) return;
    const json = 'transfer' in r ? await ReciprocityPlatform.transfer.take(r.transfer) : r.json;
    if (json != null) download(viewer ? `reciprocity-export-${viewer}.json` : 'reciprocity-export.json', String(json));
  });
  const exportRaw = async () => {
    const r = await send({ type: msg.EXPORT_RAW });
    if (r.ok) download('reciprocity-raw.json', JSON.stringify(r.raw));
  };
  $('export-raw').addEventListener('click', exportRaw);
  $('export-raw-lost').addEventListener('click', exportRaw);
  $('clear-failures').addEventListener('click', async () => {
    await send({ type: msg.CLEAR_FAILURES });
    $('failures').hidden = true;
    $('set-aside').hidden = true;
  });
  $('export-failures').addEventListener('click', async () => {
    const r = await send({ type: msg.EXPORT_FAILURES });
    if (r.ok) download('reciprocity-failed-captures.json', JSON.stringify(r.failures, null, 2));
  });
  $('dashboard').addEventListener('click', () => api.runtime.openOptionsPage());
  /** @type {HTMLAnchorElement} */ ($('privacy-link')).href = api.runtime.getURL(
    globalThis.Reciprocity.PAGES.PRIVACY.replace('{lang}', lang.toLowerCase().startsWith('fr') ? 'fr' : 'en'),
  );
  // Asks the browser to give the access back (it asks the user).
  $('grant-access').addEventListener('click', async () => {
    if (await api.permissions.request({ origins: [...SITE_ORIGINS] }).catch(() => false)) location.reload();
  });

  // Which badges each place shows: kept in storage, applied live in open tabs.
  (async () => {
    const { keys, BADGE_DEFAULTS } = globalThis.Reciprocity;
    const got = await api.storage.local.get(keys.BADGES);
    /** @type {BadgeSettings} */
    const choices = { ...BADGE_DEFAULTS, ...(got[keys.BADGES] || {}) };
    const section = $('badge-settings');
    for (const place of /** @type {(keyof BadgeSettings)[]} */ (Object.keys(BADGE_DEFAULTS))) {
      const select = document.createElement('select');
      select.id = `badges-${place}`;
      for (const choice of ['all', 'notable', 'none']) {
        const o = document.createElement('option');
        o.value = choice;
        o.textContent = t(`choice_${choice}`);
        select.append(o);
      }
      select.value = choices[place];
      select.addEventListener('change', async () => {
        choices[place] = /** @type {BadgeChoice} */ (select.value);
        await api.storage.local.set({ [keys.BADGES]: choices });
      });
      const label = document.createElement('label');
      label.className = 'setting';
      label.append(t(`place_${place}`), ' ', select);
      section.append(label);
    }
  })();

  main().catch((e) => {
    $('profile').textContent = String(e.message || e);
  });
})();
