/* The dashboard: the whole history, from the extension's store (as its options page)
 * or from X archives read right here (as a static site). The wasm engine runs in
 * this page; nothing is uploaded anywhere. */
(async () => {
  const { t } = I18n;
  I18n.apply();
  const ext = globalThis.chrome && chrome.runtime && chrome.runtime.id && globalThis.Reciprocity ? chrome : null;
  const $ = (sel) => document.querySelector(sel);
  const main = $('#main');

  // ----- theme: the system's, or the user's choice -----
  const dark = localStorage.getItem('reciprocity.theme') ?? (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
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
  let viewer = null;
  let cache = null; // the current viewer's summary

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
    const ids = JSON.parse(engine.viewers());
    const select = $('#viewer');
    if (!ids.includes(viewer)) viewer = ids[0] || null;
    select.replaceChildren(...ids.map((id) => {
      const o = document.createElement('option');
      o.value = id;
      const who = JSON.parse(engine.annotate(id, JSON.stringify([id])))[0];
      o.textContent = who && who.account.handle ? '@' + who.account.handle : id;
      return o;
    }));
    select.value = viewer || '';
    select.closest('label').hidden = ids.length < 2;
    cache = null;
  }
  $('#viewer').addEventListener('change', (e) => {
    viewer = e.target.value;
    cache = null;
    route();
  });

  function summary() {
    if (!cache && viewer) {
      const s = JSON.parse(engine.summary(viewer));
      cache = { ...s, who: new Map(s.accounts.map((a) => [a.id, a])) };
    }
    return cache;
  }

  // ----- small helpers -----
  const el = (tag, attrs = {}, ...children) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else if (v != null && v !== false) e.setAttribute(k, v === true ? '' : v);
    }
    e.append(...children.filter((c) => c != null));
    return e;
  };
  const day = (s) => (s ? s.slice(0, 10) : '—');
  const when = (b) => (b.after ? t('between', { a: day(b.after), b: day(b.by) }) : t('by', { b: day(b.by) }));
  const days = (span) => {
    const lo = Math.floor(span.at_least / 86400);
    if (span.at_most == null) return t('days_min', { a: lo });
    return t('days', { a: lo, b: Math.ceil(span.at_most / 86400) });
  };
  const name = (id) => {
    const a = summary() && summary().who.get(id);
    return a && a.handle ? `@${a.handle}` : id;
  };
  const accountLink = (id) => el('a', { href: `#/account/${id}` }, name(id));

  function download(file, text, type) {
    const url = URL.createObjectURL(new Blob([text], { type }));
    el('a', { href: url, download: file }).click();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }
  const csvCell = (v) => {
    const s = String(v ?? '');
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  function csvButton(file, header, rows) {
    return el('button', { type: 'button', onclick: () => download(file, [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n', 'text/csv') }, t('export_csv'));
  }

  function table(list, columns, rows, sortable = false) {
    const head = el('tr', {}, ...columns.map((c, i) => el('th', { scope: 'col', 'aria-sort': sortable && c.sort ? 'none' : null },
      sortable && c.sort ? el('button', { type: 'button', 'data-col': i }, c.label) : c.label)));
    const body = el('tbody', {});
    const draw = (rs) => body.replaceChildren(...rs.map((r) => el('tr', { 'data-reciprocity-account': r.id }, ...columns.map((c) => el('td', {}, c.cell(r))))));
    draw(rows);
    const tbl = el('table', { 'data-reciprocity-list': list }, el('thead', {}, head), body);
    if (sortable) {
      head.addEventListener('click', (e) => {
        const b = e.target.closest('button[data-col]');
        if (!b) return;
        const th = b.parentElement;
        const dir = th.getAttribute('aria-sort') === 'descending' ? 'ascending' : 'descending';
        head.querySelectorAll('th').forEach((x) => x.getAttribute('aria-sort') && x.setAttribute('aria-sort', 'none'));
        th.setAttribute('aria-sort', dir);
        const key = columns[Number(b.dataset.col)].sort;
        const sign = dir === 'ascending' ? 1 : -1;
        rows.sort((x, y) => (key(x) > key(y) ? 1 : key(x) < key(y) ? -1 : 0) * sign);
        draw(rows);
      });
    }
    tbl.redraw = draw;
    return tbl;
  }

  function emptyNote() {
    const n = $('#empty').content.cloneNode(true);
    I18n.apply(n);
    return n;
  }

  // ----- views -----
  function viewUnfollowed() {
    const s = summary();
    const rows = [
      ...s.summary.unfollowed_you.map((u) => ({ id: u.account, kind: 'unfollow', bounds: u.stint.ended, lasted: u.stint.lasted })),
      ...s.summary.ended_otherwise.map((e) => ({ id: e.account, kind: e.kind, bounds: { after: null, by: e.by }, lasted: null })),
    ];
    const cols = [
      { label: t('col_account'), cell: (r) => accountLink(r.id) },
      { label: t('col_when'), cell: (r) => when(r.bounds) },
      { label: t('col_lasted'), cell: (r) => (r.lasted ? days(r.lasted) : '—') },
      { label: t('col_kind'), cell: (r) => el('span', { class: r.kind === 'unfollow' ? 'code-unfollowed_you' : 'muted' }, t('kind_' + r.kind)) },
    ];
    return [
      el('h2', {}, t('unfollowed_title')),
      el('div', { class: 'actions' }, csvButton('unfollowed.csv', ['account', 'handle', 'kind', 'after', 'by'],
        rows.map((r) => [r.id, name(r.id), r.kind, r.bounds.after || '', r.bounds.by]))),
      rows.length ? table('unfollowed_you', cols, rows) : emptyNote(),
    ];
  }

  function viewNotBack() {
    const s = summary();
    const rows = s.summary.not_following_back.map((n) => ({ id: n.account, ...n }));
    const cols = [
      { label: t('col_account'), cell: (r) => accountLink(r.id) },
      { label: t('col_since'), cell: (r) => day(r.you_followed_by) },
      { label: t('col_checked'), cell: (r) => day(r.checked) },
      { label: t('col_status'), cell: (r) => t(r.never ? 'never' : 'stopped') },
    ];
    return [
      el('h2', {}, t('not_back_title')),
      el('div', { class: 'actions' }, csvButton('not-following-back.csv', ['account', 'handle', 'you_followed_by', 'checked', 'never'],
        rows.map((r) => [r.id, name(r.id), r.you_followed_by || '', r.checked || '', r.never]))),
      rows.length ? table('not_following_back', cols, rows) : emptyNote(),
    ];
  }

  async function mark(id, change) {
    if (change.brand != null) engine.mark_brand(viewer, id, Date.now(), change.brand);
    if (change.allowlisted != null) engine.set_allowlisted(viewer, id, Date.now(), change.allowlisted);
    if (ext) await ext.runtime.sendMessage({ type: Reciprocity.msg.MARK, viewer, account: id, ...change });
    cache = null;
    route();
  }

  function viewBrands() {
    const s = summary();
    const flagged = new Set(['unfollowed_you', 'flushes_others', 'follow_churn']);
    const all = s.summary.brands.map((b) => ({ id: b.account, ...b }));
    const cols = [
      { label: t('col_account'), cell: (r) => accountLink(r.id), sort: (r) => name(r.id).toLowerCase() },
      { label: t('col_verdict'), cell: (r) => el('span', { class: 'code-' + r.code }, r.code.replace(/_/g, ' ')), sort: (r) => (flagged.has(r.code) ? 1 : 0) },
      { label: t('col_quick'), cell: (r) => r.quick_unfollows, sort: (r) => r.quick_unfollows },
      { label: t('col_unfollows'), cell: (r) => r.unfollows_seen, sort: (r) => r.unfollows_seen },
      { label: t('col_churn'), cell: (r) => r.churn_30d ?? '—', sort: (r) => r.churn_30d ?? -1 },
      { label: t('col_net'), cell: (r) => r.net_30d ?? '—', sort: (r) => r.net_30d ?? 0 },
      { label: t('col_actions'), cell: (r) => el('span', { class: 'actions' },
        el('button', { type: 'button', onclick: () => mark(r.id, { brand: false }) }, t('unmark_brand')),
        el('button', { type: 'button', onclick: () => mark(r.id, { allowlisted: true }) }, t('allow'))) },
    ];
    const tbl = table('brands', cols, all.slice(), true);
    const filterBox = el('input', { type: 'search', 'aria-label': t('filter'), placeholder: t('filter') });
    const only = el('input', { type: 'checkbox', id: 'flagged-only' });
    const apply = () => {
      const q = filterBox.value.trim().toLowerCase();
      tbl.redraw(all.filter((r) => (!q || name(r.id).toLowerCase().includes(q) || r.id.includes(q)) && (!only.checked || flagged.has(r.code))));
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
  function chart(title, data, series, opts = {}) {
    const box = el('div', { class: 'chart', 'data-chart': opts.id || '' }, el('h3', {}, title));
    requestAnimationFrame(() => {
      const width = Math.max(300, box.clientWidth - 24);
      const style = getComputedStyle(document.documentElement);
      const fg = style.getPropertyValue('--muted').trim();
      new uPlot({
        width, height: 240,
        series: [{}, ...series],
        axes: [{ stroke: fg, grid: { stroke: 'rgba(128,128,128,.15)' } }, { stroke: fg, grid: { stroke: 'rgba(128,128,128,.15)' } }],
        // A lone point gets a day either side rather than uPlot's years.
        scales: { x: { time: true, range: (u, min, max) => (max - min < 86400 ? [min - (opts.pad || 86400), max + (opts.pad || 86400)] : [min, max]) } },
        ...opts.uplot,
      }, data, box);
    });
    return box;
  }

  const secs = (iso) => Date.parse(iso) / 1000;

  function viewCharts() {
    const s = summary();
    const points = JSON.parse(engine.viewer_series(viewer));
    const counts = chart(t('chart_counts'), [points.map((p) => secs(p.at)), points.map((p) => p.followers), points.map((p) => p.following)],
      [{ label: t('followers'), stroke: '#1d9bf0', width: 2, points: { show: true } }, { label: t('following'), stroke: '#00ba7c', width: 2, points: { show: true } }],
      { id: 'counts' });
    const week = 7 * 86400;
    const buckets = new Map();
    for (const u of s.summary.unfollowed_you) {
      const w = Math.floor(secs(u.stint.ended.by) / week) * week;
      buckets.set(w, (buckets.get(w) || 0) + 1);
    }
    const weeks = [...buckets.keys()].sort((a, b) => a - b);
    const bars = chart(t('chart_unfollows'), [weeks, weeks.map((w) => buckets.get(w))],
      [{ label: t('unfollows'), stroke: '#f4212e', fill: 'rgba(244,33,46,.35)', paths: uPlot.paths.bars({ size: [0.6, 60] }), points: { show: false } }],
      { id: 'unfollows', pad: week });
    return [el('h2', {}, t('charts_title')), counts, bars];
  }

  function viewAccount(id) {
    const tl = JSON.parse(engine.timeline(viewer, id));
    if (!tl.ok) return [el('p', {}, t('no_account'))];
    const a = tl.annotation;
    const v = a.verdict;
    const who = a.account.handle ? `@${a.account.handle}` : a.account.id;
    const label = (x) => (x === viewer ? t('you') : name(x));
    const events = tl.events.map((e) => el('li', {}, `${t('ev_' + e.kind)} — ${label(e.from)} → ${label(e.to)}, ${when(e)}`));
    const counts = tl.counts.filter((c) => c.following != null);
    return [
      el('h2', {}, who, a.account.name ? el('span', { class: 'muted' }, ` · ${a.account.name}`) : null),
      el('p', { class: 'code-' + v.code, 'data-reciprocity-verdict': v.code }, I18n.lang === 'fr' ? v.text.fr : v.text.en),
      el('p', { class: 'muted' }, `${t('confidence')}: ${v.confidence}`),
      el('div', { class: 'actions' },
        el('button', { type: 'button', onclick: () => mark(a.account.id, { brand: !a.account.brand }) }, t(a.account.brand ? 'unmark_brand' : 'mark_brand')),
        el('button', { type: 'button', onclick: () => mark(a.account.id, { allowlisted: true }) }, t('allow')),
        el('button', { type: 'button', onclick: () => mark(a.account.id, { allowlisted: false }) }, t('unallow'))),
      el('h3', {}, t('timeline')),
      events.length ? el('ul', { class: 'events' }, ...events) : emptyNote(),
      counts.length > 1 ? chart(t('chart_following'), [counts.map((c) => secs(c.at)), counts.map((c) => c.following)],
        [{ label: t('following'), stroke: '#ff7a00', width: 2, points: { show: true } }], { id: 'following' }) : null,
    ];
  }

  function route() {
    const hash = location.hash || '#/unfollowed';
    for (const a of document.querySelectorAll('nav a')) a.setAttribute('aria-current', hash.startsWith(a.getAttribute('href')) ? 'page' : 'false');
    if (!viewer) {
      main.replaceChildren(emptyNote());
      return;
    }
    const account = /^#\/account\/(.+)$/.exec(hash);
    const view = account ? viewAccount(decodeURIComponent(account[1]))
      : hash.startsWith('#/not-following-back') ? viewNotBack()
        : hash.startsWith('#/brands') ? viewBrands()
          : hash.startsWith('#/charts') ? viewCharts()
            : viewUnfollowed();
    main.replaceChildren(...view.filter(Boolean));
  }
  window.addEventListener('hashchange', () => {
    route();
    main.focus({ preventScroll: true });
  });

  // ----- import and export -----
  const progress = $('#progress');
  const status = $('#import-status');
  const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));

  async function importFiles(files) {
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
      if (/\.json$/i.test(file.name)) {
        try {
          engine.import_json(new TextDecoder().decode(bytes));
          notes.push(t('read_export', { name: file.name }));
        } catch (e) {
          notes.push(t('failed', { name: file.name, error: e.message || e }));
        }
      } else {
        const r = JSON.parse(engine.ingest_archive(bytes));
        if (r.ok) {
          viewer = String(r.viewer);
          const me = JSON.parse(engine.annotate(viewer, JSON.stringify([viewer])))[0];
          const size = (kind) => (r.lists.find((l) => l.kind === kind) || {}).entries ?? '?';
          notes.push(t('read_archive', {
            name: file.name, who: me && me.account.handle ? '@' + me.account.handle : viewer, date: day(r.at),
            followers: size('followers'), following: size('following'),
          }));
        } else {
          notes.push(t('failed', { name: file.name, error: r.error }));
        }
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

  $('#files').addEventListener('change', (e) => importFiles(e.target.files));
  const drop = $('#drop');
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    importFiles(e.dataTransfer.files);
  });
  drop.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      $('#files').click();
    }
  });
  $('#export-json').addEventListener('click', () => download('reciprocity-export.json', engine.export_json(), 'application/json'));

  await pullFromExtension();
  chooseViewer();
  route();
  document.body.dataset.ready = 'true';
})().catch((e) => {
  document.getElementById('main').textContent = String((e && e.message) || e);
});
