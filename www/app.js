// @ts-check
/* The dashboard: the whole history, from the extension's store (as its options page)
 * or from X archives read right here (as a static site). The wasm engine runs in
 * this page; nothing is uploaded anywhere. Verdicts, dates, spans and events are
 * the engine's words, in the page's language. */
(async () => {
  const { t, lang } = I18n;
  I18n.apply();
  // The extension's API when this is its options page; null on the static site.
  const ext = globalThis.ReciprocityPlatform.api;
  const { download } = globalThis.ReciprocityPlatform;
  /** @param {string} sel */
  const $ = (sel) => /** @type {HTMLElement} */ (document.querySelector(sel));
  const main = $('#main');

  // ----- theme: the system's, or the user's choice -----
  const dark = localStorage.getItem('reciprocity.theme') ?? (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
  /** @param {string} name */
  const setTheme = (name) => {
    document.documentElement.classList.toggle('dark', name === 'dark');
    $('#theme').setAttribute('aria-pressed', String(name === 'dark'));
    localStorage.setItem('reciprocity.theme', name);
  };
  setTheme(dark);
  $('#theme').addEventListener('click', () => setTheme(document.documentElement.classList.contains('dark') ? 'light' : 'dark'));

  // ----- the engine -----
  await wasm_bindgen({ module_or_path: new URL('wasm/reciprocity_wasm_bg.wasm', location.href) });
  let engine = new wasm_bindgen.Engine();
  /** @type {string | null} */
  let viewer = null;
  /** The current viewer's summary, and who each account in it is.
   * @type {(wasm_bindgen.Summary & { who: Map<string, wasm_bindgen.Who> }) | null} */
  let cache = null;

  async function pullFromExtension() {
    if (!ext) return;
    const r = await ext.runtime.sendMessage({ type: Reciprocity.msg.EXPORT });
    if (r && r.ok) {
      engine = new wasm_bindgen.Engine();
      engine.import_json(r.json);
    }
  }
  async function pushToExtension() {
    if (ext) await ext.runtime.sendMessage({ type: Reciprocity.msg.IMPORT_JSON, json: engine.export_json() });
  }

  function chooseViewer() {
    const ids = engine.viewers();
    const select = /** @type {HTMLSelectElement} */ ($('#viewer'));
    if (!viewer || !ids.includes(viewer)) viewer = ids[0] || null;
    select.replaceChildren(...ids.map((id) => {
      const o = document.createElement('option');
      o.value = id;
      const [who] = engine.who(id, [id]);
      o.textContent = who.handle ? '@' + who.handle : id;
      return o;
    }));
    select.value = viewer || '';
    /** @type {HTMLElement} */ (select.closest('label')).hidden = ids.length < 2;
    cache = null;
  }
  $('#viewer').addEventListener('change', (e) => {
    viewer = /** @type {HTMLSelectElement} */ (e.target).value;
    cache = null;
    route();
  });

  /** The viewer's summary (route() calls the views only once there is a viewer). */
  function summary() {
    if (!cache) {
      const s = engine.summary(/** @type {string} */ (viewer), lang);
      cache = { ...s, who: new Map(s.accounts.map((a) => [a.id, a])) };
    }
    return cache;
  }

  // ----- small helpers -----
  /** @param {string} tag @param {Record<string, any>} [attrs] @param {(Node | string | null | undefined)[]} children */
  const el = (tag, attrs = {}, ...children) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else if (v != null && v !== false) e.setAttribute(k, v === true ? '' : v);
    }
    e.append(.../** @type {(Node | string)[]} */ (children.filter((c) => c != null)));
    return e;
  };
  /** @param {string} id */
  const name = (id) => {
    const a = summary().who.get(id);
    return a && a.handle ? `@${a.handle}` : id;
  };
  /** Its page here, and for an account known only by its id (archives carry no
   * handles), its profile on X until a capture names it.
   * @param {string} id */
  const accountLink = (id) => {
    const here = el('a', { href: `#/account/${id}` }, name(id));
    if (summary().who.get(id)?.handle) return here;
    const onX = el('a', { href: `https://x.com/i/user/${id}`, target: '_blank', rel: 'noopener noreferrer', 'aria-label': t('on_x'), title: t('on_x') }, ' ↗');
    const both = document.createDocumentFragment();
    both.append(here, onX);
    return both;
  };

  /** @param {unknown} v */
  const csvCell = (v) => {
    const s = String(v ?? '');
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  /** @param {string} file @param {string[]} header @param {unknown[][]} rows */
  function csvButton(file, header, rows) {
    return el('button', { type: 'button', onclick: () => download(file, [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n', 'text/csv') }, t('export_csv'));
  }

  /**
   * @template R
   * @param {string} list
   * @param {{ label: string, cell: (r: R) => any, sort?: (r: R) => any }[]} columns
   * @param {R[]} rows
   */
  function table(list, columns, rows, sortable = false) {
    const head = el('tr', {}, ...columns.map((c, i) => el('th', { scope: 'col', 'aria-sort': sortable && c.sort ? 'none' : null },
      sortable && c.sort ? el('button', { type: 'button', 'data-col': i }, c.label) : c.label)));
    const body = el('tbody', {});
    /** @param {R[]} rs */
    const draw = (rs) => body.replaceChildren(...rs.map((r) => el('tr', { 'data-reciprocity-account': /** @type {any} */ (r).id }, ...columns.map((c) => el('td', {}, c.cell(r))))));
    draw(rows);
    const tbl = /** @type {HTMLTableElement & { redraw: (rs: R[]) => void }} */ (el('table', { 'data-reciprocity-list': list }, el('thead', {}, head), body));
    if (sortable) {
      head.addEventListener('click', (e) => {
        const b = /** @type {HTMLElement} */ (e.target).closest('button');
        if (!b || !b.dataset.col) return;
        const th = /** @type {HTMLElement} */ (b.parentElement);
        const dir = th.getAttribute('aria-sort') === 'descending' ? 'ascending' : 'descending';
        head.querySelectorAll('th').forEach((x) => x.getAttribute('aria-sort') && x.setAttribute('aria-sort', 'none'));
        th.setAttribute('aria-sort', dir);
        const key = /** @type {(r: R) => any} */ (columns[Number(b.dataset.col)].sort);
        const sign = dir === 'ascending' ? 1 : -1;
        rows.sort((x, y) => (key(x) > key(y) ? 1 : key(x) < key(y) ? -1 : 0) * sign);
        draw(rows);
      });
    }
    tbl.redraw = draw;
    return tbl;
  }

  function emptyNote() {
    const n = /** @type {DocumentFragment} */ (/** @type {HTMLTemplateElement} */ ($('#empty')).content.cloneNode(true));
    I18n.apply(n);
    return n;
  }

  // ----- views -----
  function viewUnfollowed() {
    const s = summary();
    /** @typedef {{ id: string, kind: wasm_bindgen.EventKind, kindText: string, when: string, lasted: string, after: string | null, by: string }} EndRow */
    /** @type {EndRow[]} */
    const rows = [
      ...s.unfollowed_you.map((u) => ({ id: u.account, kind: /** @type {wasm_bindgen.EventKind} */ ('unfollow'), kindText: u.kind_text,
        when: u.when, lasted: u.lasted, after: u.stint.ended.after, by: u.stint.ended.by })),
      ...s.ended_otherwise.map((e) => ({ id: e.account, kind: e.kind, kindText: e.kind_text, when: e.when, lasted: '—', after: null, by: e.by })),
    ];
    /** @type {{ label: string, cell: (r: EndRow) => any }[]} */
    const cols = [
      { label: t('col_account'), cell: (r) => accountLink(r.id) },
      { label: t('col_when'), cell: (r) => r.when },
      { label: t('col_lasted'), cell: (r) => r.lasted },
      { label: t('col_kind'), cell: (r) => el('span', { class: r.kind === 'unfollow' ? 'code-unfollowed_you' : 'muted' }, r.kindText) },
    ];
    return [
      el('h2', {}, t('unfollowed_title')),
      el('div', { class: 'actions' }, csvButton('unfollowed.csv', ['account', 'handle', 'kind', 'after', 'by'],
        rows.map((r) => [r.id, name(r.id), r.kind, r.after || '', r.by]))),
      rows.length ? table('unfollowed_you', cols, rows) : emptyNote(),
    ];
  }

  function viewNotBack() {
    const s = summary();
    const rows = s.not_following_back.map((n) => ({ id: n.account, ...n }));
    /** @type {{ label: string, cell: (r: (typeof rows)[number]) => any }[]} */
    const cols = [
      { label: t('col_account'), cell: (r) => accountLink(r.id) },
      { label: t('col_since'), cell: (r) => r.you_followed_day ?? '—' },
      { label: t('col_checked'), cell: (r) => r.checked_day ?? '—' },
      { label: t('col_status'), cell: (r) => r.status },
    ];
    return [
      el('h2', {}, t('not_back_title')),
      el('div', { class: 'actions' }, csvButton('not-following-back.csv', ['account', 'handle', 'you_followed_by', 'checked', 'never'],
        rows.map((r) => [r.id, name(r.id), r.you_followed_by || '', r.checked || '', r.never]))),
      rows.length ? table('not_following_back', cols, rows) : emptyNote(),
    ];
  }

  /** @param {string} id @param {{ brand?: boolean, allowlisted?: boolean }} change */
  async function mark(id, change) {
    const v = /** @type {string} */ (viewer);
    if (change.brand != null) engine.mark_brand(v, id, Date.now(), change.brand);
    if (change.allowlisted != null) engine.set_allowlisted(v, id, Date.now(), change.allowlisted);
    /** @type {MarkMessage} */
    const message = { type: Reciprocity.msg.MARK, viewer: v, account: id, ...change };
    if (ext) await ext.runtime.sendMessage(message);
    cache = null;
    route();
  }

  /** The viewer says this end was not an unfollow: here and in the extension.
   * @param {wasm_bindgen.TimelineEvent} e */
  async function notUnfollow(e) {
    const v = /** @type {string} */ (viewer);
    engine.mark_not_unfollow(v, e.from, e.to, e.by);
    /** @type {MarkEventMessage} */
    const message = { type: Reciprocity.msg.MARK_EVENT, viewer: v, from: e.from, to: e.to, by: e.by };
    if (ext) await ext.runtime.sendMessage(message);
    cache = null;
    route();
  }

  /** Forgets an account everywhere: this page's engine and, as the options page,
   * the extension's store (snapshot and journal). A later capture may teach it again.
   * @param {string} id */
  async function forget(id) {
    const v = /** @type {string} */ (viewer);
    engine.forget(v, id);
    /** @type {ForgetMessage} */
    const message = { type: Reciprocity.msg.FORGET, viewer: v, account: id };
    if (ext) await ext.runtime.sendMessage(message);
    cache = null;
    location.hash = '#/unfollowed';
    route();
  }

  function viewBrands() {
    const s = summary();
    /** @param {wasm_bindgen.BrandRecord} b */
    const flagged = (b) => b.severity === 'alert' || b.severity === 'warning';
    const all = s.brands.map((b) => ({ id: b.account, ...b }));
    /** @type {{ label: string, cell: (r: (typeof all)[number]) => any, sort?: (r: (typeof all)[number]) => any }[]} */
    const cols = [
      { label: t('col_account'), cell: (r) => accountLink(r.id), sort: (r) => name(r.id).toLowerCase() },
      { label: t('col_verdict'), cell: (r) => el('span', { class: 'code-' + r.code }, r.label), sort: (r) => (flagged(r) ? 1 : 0) },
      { label: t('col_quick'), cell: (r) => r.quick_unfollows, sort: (r) => r.quick_unfollows },
      { label: t('col_unfollows'), cell: (r) => r.unfollows_seen, sort: (r) => r.unfollows_seen },
      { label: t('col_churn'), cell: (r) => r.churn_30d ?? '—', sort: (r) => r.churn_30d ?? -1 },
      { label: t('col_net'), cell: (r) => r.net_30d ?? '—', sort: (r) => r.net_30d ?? 0 },
      { label: t('col_actions'), cell: (r) => el('span', { class: 'actions' },
        el('button', { type: 'button', onclick: () => mark(r.id, { brand: false }) }, t('unmark_brand')),
        el('button', { type: 'button', onclick: () => mark(r.id, { allowlisted: true }) }, t('allow'))) },
    ];
    const tbl = table('brands', cols, all.slice(), true);
    const filterBox = /** @type {HTMLInputElement} */ (el('input', { type: 'search', 'aria-label': t('filter'), placeholder: t('filter') }));
    const only = /** @type {HTMLInputElement} */ (el('input', { type: 'checkbox', id: 'flagged-only' }));
    const apply = () => {
      const q = filterBox.value.trim().toLowerCase();
      tbl.redraw(all.filter((r) => (!q || name(r.id).toLowerCase().includes(q) || r.id.includes(q)) && (!only.checked || flagged(r))));
    };
    filterBox.addEventListener('input', apply);
    only.addEventListener('change', apply);
    return [
      el('h2', {}, t('brands_title')),
      el('div', { class: 'filters' }, filterBox, el('label', {}, only, ' ', t('flagged_only')),
        csvButton('brands.csv', ['account', 'handle', 'verdict', 'quick_unfollows', 'unfollows_seen', 'churn_30d', 'net_30d'],
          all.map((r) => [r.id, name(r.id), r.code, r.quick_unfollows, r.unfollows_seen, r.churn_30d ?? '', r.net_30d ?? '']))),
      all.length ? tbl : emptyNote(),
    ];
  }

  // Charts: uPlot, sized to their box.
  /** @param {string} title @param {unknown[]} data @param {object[]} series
   * @param {{ id?: string, pad?: number, uplot?: object }} [opts] */
  function chart(title, data, series, opts = {}) {
    // The time axis spans the data, from our own numbers: half a bucket (or a day
    // for a lone point) either side, never a range uPlot guesses.
    const xs = /** @type {number[]} */ (data[0]);
    const pad = opts.pad ?? (xs.length > 1 ? 0 : 86400);
    const [lo, hi] = xs.length ? [Math.min(...xs) - pad, Math.max(...xs) + pad] : [0, 1];
    const box = el('div', { class: 'chart', 'data-chart': opts.id || '', 'data-x-min': lo, 'data-x-max': hi }, el('h3', {}, title));
    requestAnimationFrame(() => {
      const width = Math.max(300, box.clientWidth - 24);
      const style = getComputedStyle(document.documentElement);
      const fg = style.getPropertyValue('--muted').trim();
      new uPlot({
        width, height: 240,
        series: [{}, ...series],
        axes: [{ stroke: fg, grid: { stroke: 'rgba(128,128,128,.15)' } }, { stroke: fg, grid: { stroke: 'rgba(128,128,128,.15)' } }],
        scales: { x: { time: true, range: () => [lo, hi] } },
        ...opts.uplot,
      }, data, box);
    });
    return box;
  }

  /** @param {string} iso */
  const secs = (iso) => Date.parse(iso) / 1000;

  function viewCharts() {
    const s = summary();
    const points = engine.viewer_series(/** @type {string} */ (viewer));
    const counts = chart(t('chart_counts'), [points.map((p) => secs(p.at)), points.map((p) => p.followers), points.map((p) => p.following)],
      [{ label: t('followers'), stroke: '#1d9bf0', width: 2, points: { show: true } }, { label: t('following'), stroke: '#00ba7c', width: 2, points: { show: true } }],
      { id: 'counts' });
    const week = 7 * 86400;
    const buckets = new Map();
    for (const u of s.unfollowed_you) {
      const w = Math.floor(secs(u.stint.ended.by) / week) * week;
      buckets.set(w, (buckets.get(w) || 0) + 1);
    }
    const weeks = [...buckets.keys()].sort((a, b) => a - b);
    const bars = chart(t('chart_unfollows'), [weeks, weeks.map((w) => buckets.get(w))],
      [{ label: t('unfollows'), stroke: '#f4212e', fill: 'rgba(244,33,46,.35)', paths: uPlot.paths.bars({ size: [0.6, 60] }), points: { show: false } }],
      { id: 'unfollows', pad: week / 2 });
    return [el('h2', {}, t('charts_title')), counts, bars];
  }

  /** @param {string} id */
  function viewAccount(id) {
    /** @type {wasm_bindgen.Timeline} */
    let tl;
    try {
      tl = engine.timeline(/** @type {string} */ (viewer), id, lang);
    } catch (_) {
      return [el('p', {}, t('no_account'))];
    }
    const a = tl.annotation;
    const v = a.verdict;
    const who = a.account.handle ? `@${a.account.handle}` : a.account.id;
    // An unfollow or a leave the viewer knows better about can be set right.
    const events = tl.events.map((e) => el('li', {}, e.text,
      e.kind === 'unfollow' || e.kind === 'left_list'
        ? el('button', { type: 'button', class: 'inline', 'data-reciprocity-not-unfollow': `${e.from}>${e.to}`, onclick: () => notUnfollow(e) }, t('not_unfollow'))
        : null));
    const counts = tl.counts.filter((c) => c.following != null);
    return [
      el('h2', {}, who, a.account.name ? el('span', { class: 'muted' }, ` · ${a.account.name}`) : null),
      el('p', { class: 'code-' + v.code, 'data-reciprocity-verdict': v.code }, v.text),
      el('p', { class: 'muted' }, v.confidence_text),
      el('div', { class: 'actions' },
        el('button', { type: 'button', onclick: () => mark(a.account.id, { brand: !a.account.brand }) }, t(a.account.brand ? 'unmark_brand' : 'mark_brand')),
        el('button', { type: 'button', onclick: () => mark(a.account.id, { allowlisted: true }) }, t('allow')),
        el('button', { type: 'button', onclick: () => mark(a.account.id, { allowlisted: false }) }, t('unallow')),
        el('button', { type: 'button', 'data-reciprocity-forget': a.account.id, onclick: () => forget(a.account.id) }, t('forget'))),
      el('h3', {}, t('timeline')),
      events.length ? el('ul', { class: 'events' }, ...events) : emptyNote(),
      // The looks behind its record: how many, since when, and any that disagreed.
      ...tl.lists.map((l) => el('p', { class: 'muted', 'data-reciprocity-looks': l.kind }, l.text)),
      counts.length > 1 ? chart(t('chart_following'), [counts.map((c) => secs(c.at)), counts.map((c) => c.following)],
        [{ label: t('following'), stroke: '#ff7a00', width: 2, points: { show: true } }], { id: 'following' }) : null,
    ];
  }

  function route() {
    const hash = location.hash || '#/unfollowed';
    for (const a of document.querySelectorAll('nav a')) a.setAttribute('aria-current', hash.startsWith(a.getAttribute('href') || '#') ? 'page' : 'false');
    if (!viewer) {
      main.replaceChildren(emptyNote());
      return;
    }
    const account = /^#\/account\/(.+)$/.exec(hash);
    /** @type {(Node | string | null)[]} */
    const view = account ? viewAccount(decodeURIComponent(account[1]))
      : hash.startsWith('#/not-following-back') ? viewNotBack()
        : hash.startsWith('#/brands') ? viewBrands()
          : hash.startsWith('#/charts') ? viewCharts()
            : viewUnfollowed();
    main.replaceChildren(.../** @type {(Node | string)[]} */ (view.filter(Boolean)));
  }
  window.addEventListener('hashchange', () => {
    route();
    main.focus({ preventScroll: true });
  });

  // ----- import and export -----
  const progress = /** @type {HTMLProgressElement} */ ($('#progress'));
  const status = $('#import-status');
  const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));

  /** @param {FileList | null} files */
  async function importFiles(files) {
    if (!files) return;
    const list = [...files];
    if (!list.length) return;
    progress.hidden = false;
    progress.max = list.length * 2;
    progress.value = 0;
    const notes = [];
    const started = performance.now();
    for (const file of list) {
      status.textContent = t('reading', { name: file.name });
      await frame();
      const bytes = new Uint8Array(await file.arrayBuffer());
      progress.value += 1;
      await frame();
      try {
        if (/\.json$/i.test(file.name)) {
          engine.import_json(new TextDecoder().decode(bytes));
          notes.push(t('read_export', { name: file.name }));
        } else {
          const r = engine.ingest_archive(bytes);
          const v = r.viewer;
          viewer = v;
          const [me] = engine.who(v, [v]);
          /** @param {wasm_bindgen.ListKind} kind */
          const size = (kind) => r.lists.find((l) => l.kind === kind)?.entries ?? '?';
          notes.push(t('read_archive', {
            name: file.name, who: me.handle ? '@' + me.handle : v, date: r.on,
            followers: size('followers'), following: size('following'),
          }));
        }
      } catch (e) {
        // The engine's EngineError: its message names what was wrong.
        notes.push(t('failed', { name: file.name, error: globalThis.ReciprocityPlatform.errorMessage(e) }));
      }
      progress.value += 1;
    }
    await pushToExtension();
    chooseViewer();
    route();
    document.body.dataset.importMs = String(Math.round(performance.now() - started));
    status.textContent = notes.join(' ');
    progress.hidden = true;
  }

  $('#files').addEventListener('change', (e) => importFiles(/** @type {HTMLInputElement} */ (e.target).files));
  const drop = $('#drop');
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    importFiles(e.dataTransfer && e.dataTransfer.files);
  });
  drop.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      $('#files').click();
    }
  });
  $('#export-json').addEventListener('click', () => download('reciprocity-export.json', engine.export_json(), 'application/json'));
  $('#forget-all').addEventListener('click', async () => {
    if (!confirm(t('forget_all_confirm'))) return;
    engine.forget_everything();
    /** @type {ForgetAllMessage} */
    const message = { type: Reciprocity.msg.FORGET_ALL };
    if (ext) await ext.runtime.sendMessage(message);
    viewer = null;
    chooseViewer();
    route();
  });

  // As the options page: which badges each place on x.com shows (the popup's
  // setting too), kept in the extension's storage and applied live in open tabs.
  if (ext) {
    const { keys, BADGE_DEFAULTS } = Reciprocity;
    const got = await ext.storage.local.get(keys.BADGES);
    /** @type {BadgeSettings} */
    const choices = { ...BADGE_DEFAULTS, ...(got[keys.BADGES] || {}) };
    const section = $('#badge-settings');
    for (const place of /** @type {(keyof BadgeSettings)[]} */ (Object.keys(BADGE_DEFAULTS))) {
      const select = /** @type {HTMLSelectElement} */ (el('select', { id: `badges-${place}` },
        ...['all', 'notable', 'none'].map((c) => el('option', { value: c }, t(`choice_${c}`)))));
      select.value = choices[place];
      select.addEventListener('change', async () => {
        choices[place] = /** @type {BadgeChoice} */ (select.value);
        await ext.storage.local.set({ [keys.BADGES]: choices });
      });
      section.append(el('label', { class: 'setting' }, t(`place_${place}`), ' ', select));
    }
    section.hidden = false;
  }

  await pullFromExtension();
  chooseViewer();
  route();
  document.body.dataset.ready = 'true';
})().catch((e) => {
  /** @type {HTMLElement} */ (document.getElementById('main')).textContent = String((e && e.message) || e);
});
