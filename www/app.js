// @ts-check
/* The dashboard: the whole history, from the extension's store (as its options page)
 * or from X archives read right here (as a static site). No engine runs in this
 * page: as the options page it asks the extension's worker, as the popup does (one
 * engine per store); as a static site it asks its own engine in a dedicated Worker
 * (engine-worker.js, with its own IndexedDB store). Archives are read in a
 * reader-only Worker (reader-worker.js) and reach the engine as pages. Nothing is
 * uploaded anywhere. Verdicts, dates, spans and events are the engine's words, in
 * the page's language. */
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

  // ----- the engine, in a worker -----
  const { msg } = Reciprocity;
  /** Asks the engine: the extension's worker, or this site's own; the reply is
   * typed by the message's `type`.
   * @type {<M extends Message>(message: M) => Promise<ReplyTo<M['type']>>} */
  const ask = ext ? ReciprocityPlatform.send : siteEngine();

  /** The static site's engine worker, restarted if it stops (it replays its store).
   * @returns {<M extends Message>(message: M) => Promise<ReplyTo<M['type']>>} */
  function siteEngine() {
    /** @type {Worker | null} */
    let worker = null;
    let next = 0;
    /** @type {Map<number, (reply: never) => void>} */
    const waiting = new Map();
    const start = () => {
      const w = new Worker('engine-worker.js');
      w.onmessage = (/** @type {MessageEvent<{ id: number, reply: never }>} */ e) => {
        waiting.get(e.data.id)?.(e.data.reply);
        waiting.delete(e.data.id);
        const reply = /** @type {{ code?: unknown } | null} */ (e.data.reply);
        if (reply && reply.code === 'trapped') worker = null;
      };
      w.onerror = () => {
        worker = null;
        /** @type {Failure} */
        const stopped = { ok: false, code: 'trapped', error: 'the engine stopped' };
        for (const resolve of waiting.values()) resolve(/** @type {never} */ (stopped));
        waiting.clear();
      };
      return w;
    };
    return (message) => new Promise((resolve) => {
      worker ??= start();
      const id = next++;
      waiting.set(id, resolve);
      worker.postMessage({ id, message });
    });
  }

  /** An answer, or the error it carries.
   * @template {{ ok: boolean }} R @param {R | Failure | null | undefined} reply
   * @returns {Exclude<R, Failure>} */
  const ok = (reply) => {
    if (!reply) throw new Error('no answer from the engine');
    if ('error' in reply && reply.ok === false) throw new Error(reply.error);
    return /** @type {Exclude<R, Failure>} */ (reply);
  };

  /** @type {string | null} */
  let viewer = null;
  /** @type {{ id: string, handle: string | null }[]} */
  let viewers = [];
  /** The current viewer's summary, and who each account in it is.
   * @type {(wasm_bindgen.Summary & { who: Map<string, wasm_bindgen.Who> }) | null} */
  let cache = null;

  async function chooseViewer() {
    const r = await whileLoading(ask({ type: msg.VIEWERS, lang }));
    viewers = r.ok ? r.viewers : [];
    // The static site's store, if part of it could not be replayed.
    if (r.ok && r.problem) status.textContent = r.problem;
    const ids = viewers.map((v) => v.id);
    const select = /** @type {HTMLSelectElement} */ ($('#viewer'));
    if (!viewer || !ids.includes(viewer)) viewer = ids[0] || null;
    select.replaceChildren(...viewers.map((v) => {
      const o = document.createElement('option');
      o.value = v.id;
      o.textContent = v.handle ? '@' + v.handle : v.id;
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

  /** How many of each list of accounts the dashboard asks the engine for: a big
   * viewer's whole summary names 100,000 accounts (tens of MB). More on demand. */
  const SUMMARY_PAGE = 1000;
  let summaryLimit = SUMMARY_PAGE;

  /** The viewer's summary: the first `limit` of each list (all of it without),
   * with exact totals, and who each account in it is. As the options page it
   * comes through IndexedDB (it can be tens of MB).
   * @param {number} [limit] */
  async function fetchSummary(limit) {
    const r = ok(await ask({ type: msg.SUMMARY, viewer: /** @type {string} */ (viewer), lang, transfer: !!ext, limit }));
    const s = 'transfer' in r ? /** @type {wasm_bindgen.Summary} */ (await ReciprocityPlatform.transfer.take(r.transfer)) : r.summary;
    return { ...s, who: new Map(s.accounts.map((a) => [a.id, a])) };
  }

  /** Asks for the viewer's summary once per change (route() loads it first). */
  async function loadSummary() {
    if (!cache && viewer) cache = await whileLoading(fetchSummary(summaryLimit));
  }

  /** Waits for `work`; meanwhile, when the extension's worker is still loading
   * its store (after the browser stopped it), says how far it is.
   * @template T @param {Promise<T>} work @returns {Promise<T>} */
  async function whileLoading(work) {
    if (!ext) return work;
    let done = false;
    // Its failure is the caller's to handle: here it only ends the line.
    work.finally(() => { done = true; }).catch(() => {});
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

  /** More of the lists than the engine has sent: the next page, then the view
   * again, as far down as it was. @param {string} list @param {number} shown */
  async function loadMore(list, shown) {
    summaryLimit += SUMMARY_PAGE;
    windows.set(list, shown);
    cache = null;
    await route();
  }
  /** How far down each list was shown. @type {Map<string, number>} */
  const windows = new Map();
  /** The viewer's summary, as loaded. */
  const summary = () => /** @type {NonNullable<typeof cache>} */ (cache);

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
  /** @param {string} id @param {Map<string, wasm_bindgen.Who>} [who] */
  const name = (id, who = summary().who) => {
    const a = who.get(id);
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
  /** A CSV of a whole list: the rows, or a summary's rows of the whole summary
   * (the view may hold only its first pages).
   * @param {string} file @param {string[]} header
   * @param {unknown[][] | ((whole: NonNullable<typeof cache>) => unknown[][])} rows */
  function csvButton(file, header, rows) {
    return el('button', { type: 'button', onclick: async () => {
      const all = typeof rows === 'function' ? rows(await fetchSummary()) : rows;
      download(file, [header, ...all].map((r) => r.map(csvCell).join(',')).join('\n') + '\n', 'text/csv');
    } }, t('export_csv'));
  }

  /**
   * @template R
   * @param {string} list
   * @param {{ label: string, cell: (r: R) => any, sort?: (r: R) => any }[]} columns
   * @param {R[]} rows
   * @param {boolean} [sortable]
   * @param {number} [total] how many the whole list holds (more than `rows`:
   *   the engine sent the first pages)
   */
  function table(list, columns, rows, sortable = false, total = rows.length) {
    const head = el('tr', {}, ...columns.map((c, i) => el('th', { scope: 'col', 'aria-sort': sortable && c.sort ? 'none' : null },
      sortable && c.sort ? el('button', { type: 'button', 'data-col': i }, c.label) : c.label)));
    const body = el('tbody', {});
    /** @param {R} r */
    const row = (r) => el('tr', { 'data-reciprocity-account': /** @type {any} */ (r).id }, ...columns.map((c) => el('td', {}, c.cell(r))));
    // A window of the list: a real one can hold 100 000 accounts, and a table of
    // them all takes seconds to draw. More on demand; the CSV has them all.
    /** @param {R[]} rs @param {number} [shown] */
    const draw = (rs, shown = TABLE_WINDOW) => {
      const whole = rs === rows ? Math.max(total, rs.length) : rs.length;
      const more = whole - shown;
      const next = () => (shown + TABLE_WINDOW > rs.length && whole > rs.length ? loadMore(list, shown + TABLE_WINDOW) : draw(rs, shown + TABLE_WINDOW));
      body.replaceChildren(...rs.slice(0, shown).map(row), ...(more > 0 ? [el('tr', { class: 'more' }, el('td', { colspan: columns.length },
        el('button', { type: 'button', 'data-reciprocity-more': list, onclick: next },
          t('show_more', { n: Math.min(more, TABLE_WINDOW), left: more }))))] : []));
    };
    draw(rows, windows.get(list));
    windows.delete(list);
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

  const TABLE_WINDOW = 200;

  function emptyNote() {
    const n = /** @type {DocumentFragment} */ (/** @type {HTMLTemplateElement} */ ($('#empty')).content.cloneNode(true));
    I18n.apply(n);
    return n;
  }

  // ----- views -----
  function viewUnfollowed() {
    const s = summary();
    /** @typedef {{ id: string, kind: wasm_bindgen.EventKind, kindText: string, when: string, lasted: string, after: string | null, by: string }} EndRow */
    /** @param {wasm_bindgen.Summary} of @returns {EndRow[]} */
    const endRows = (of) => [
      ...of.unfollowed_you.map((u) => ({ id: u.account, kind: /** @type {wasm_bindgen.EventKind} */ ('unfollow'), kindText: u.kind_text,
        when: u.when, lasted: u.lasted, after: u.stint.ended.after, by: u.stint.ended.by })),
      ...of.ended_otherwise.map((e) => ({ id: e.account, kind: e.kind, kindText: e.kind_text, when: e.when, lasted: '—', after: null, by: e.by })),
    ];
    const rows = endRows(s);
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
        (whole) => endRows(whole).map((r) => [r.id, name(r.id, whole.who), r.kind, r.after || '', r.by]))),
      rows.length ? table('unfollowed_you', cols, rows, false, s.totals.unfollowed_you + s.totals.ended_otherwise) : emptyNote(),
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
        (whole) => whole.not_following_back.map((r) => [r.account, name(r.account, whole.who), r.you_followed_by || '', r.checked || '', r.never]))),
      rows.length ? table('not_following_back', cols, rows, false, s.totals.not_following_back) : emptyNote(),
    ];
  }

  /** @param {string} id @param {{ brand?: boolean, allowlisted?: boolean }} change */
  async function mark(id, change) {
    /** @type {MessageOf<'mark'>} */
    const message = { type: msg.MARK, viewer: /** @type {string} */ (viewer), account: id, ...change };
    ok(await ask(message));
    cache = null;
    route();
  }

  /** The viewer says this end was not an unfollow: here and in the extension.
   * @param {wasm_bindgen.TimelineEvent} e */
  async function notUnfollow(e) {
    /** @type {MessageOf<'mark-event'>} */
    const message = { type: msg.MARK_EVENT, viewer: /** @type {string} */ (viewer), from: e.from, to: e.to, by: e.by };
    ok(await ask(message));
    cache = null;
    route();
  }

  /** Forgets an account in the store (as the options page: the snapshot and the
   * journal). A later capture may teach it again.
   * @param {string} id */
  async function forget(id) {
    /** @type {MessageOf<'forget'>} */
    const message = { type: msg.FORGET, viewer: /** @type {string} */ (viewer), account: id };
    ok(await ask(message));
    cache = null;
    location.hash = '#/unfollowed';
    route();
  }

  function viewBrands() {
    const s = summary();
    /** @param {wasm_bindgen.BrandRecord} b */
    const flagged = (b) => b.flagged;
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

  async function viewCharts() {
    // Every unfollow counts in its week: the whole list, when the view holds only
    // its first pages.
    const s = summary().totals.unfollowed_you > summary().unfollowed_you.length ? await fetchSummary() : summary();
    /** @type {wasm_bindgen.SeriesPoint[]} */
    const points = ok(await ask({ type: msg.VIEWER_SERIES, viewer: /** @type {string} */ (viewer) })).series;
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
  async function viewAccount(id) {
    const r = await ask({ type: msg.TIMELINE, viewer: /** @type {string} */ (viewer), account: id, lang });
    if (!r.ok) return [el('p', {}, t('no_account'))];
    const tl = r.timeline;
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

  // Each route draws once its data is in; a later route wins over a slower one.
  let routing = 0;
  async function route() {
    const turn = ++routing;
    const hash = location.hash || '#/unfollowed';
    for (const a of document.querySelectorAll('nav a')) a.setAttribute('aria-current', hash.startsWith(a.getAttribute('href') || '#') ? 'page' : 'false');
    /** @type {(Node | string | null)[]} */
    let view;
    try {
      if (!viewer) {
        view = [emptyNote()];
      } else {
        await loadSummary();
        const account = /^#\/account\/(.+)$/.exec(hash);
        view = account ? await viewAccount(decodeURIComponent(account[1]))
          : hash.startsWith('#/not-following-back') ? viewNotBack()
            : hash.startsWith('#/brands') ? viewBrands()
              : hash.startsWith('#/charts') ? await viewCharts()
                : viewUnfollowed();
      }
    } catch (e) {
      view = [el('p', { class: 'error', role: 'alert' }, globalThis.ReciprocityPlatform.errorMessage(e))];
    }
    if (turn !== routing) return;
    main.replaceChildren(.../** @type {(Node | string)[]} */ (view.filter(Boolean)));
    // Which view is drawn (the tests wait for it).
    main.dataset.route = hash;
  }
  window.addEventListener('hashchange', () => {
    route();
    main.focus({ preventScroll: true });
  });

  // ----- import and export -----
  const progress = /** @type {HTMLProgressElement} */ ($('#progress'));
  const status = $('#import-status');
  const cancelButton = $('#cancel-import');
  /** Stops the import under way. @type {(() => void) | null} */
  let cancelImport = null;
  cancelButton.addEventListener('click', () => cancelImport?.());
  class Cancelled extends Error {}

  /** Reads one archive in a reader-only worker (a new one each time: a trap there
   * takes nothing with it); `cancel()` terminates it.
   * @param {File} file @param {(done: number, total: number) => void} onProgress */
  function readArchive(file, onProgress) {
    const worker = new Worker('reader-worker.js');
    /** @type {(e: Error) => void} */
    let fail = () => {};
    /** @type {Promise<{ archive: wasm_bindgen.ArchiveRead, wasmBytes: number | null }>} */
    const done = new Promise((resolve, reject) => {
      fail = reject;
      worker.onmessage = (e) => {
        const d = e.data;
        if (d.progress) return onProgress(d.progress.done, d.progress.total);
        worker.terminate();
        if (d.ok) resolve(d);
        else reject(new Error(d.error));
      };
      worker.onerror = (e) => {
        e.preventDefault();
        worker.terminate();
        reject(new Error(t('reader_stopped')));
      };
    });
    worker.postMessage({ file, idsPerPage: Reciprocity.ARCHIVE_IDS_PER_PAGE });
    return {
      done,
      cancel() {
        worker.terminate();
        fail(new Cancelled());
      },
    };
  }

  /** Reads an archive and sends its pages to the engine; 80 % of the bar is
   * reading (bytes decompressed of the lists), the rest recording.
   * @param {File} file @param {{ cancelled: boolean }} run @returns {Promise<string[]>} notes */
  async function importArchive(file, run) {
    const reader = readArchive(file, (done, total) => {
      progress.value = total ? (0.8 * done) / total : 0;
    });
    cancelImport = () => {
      run.cancelled = true;
      reader.cancel();
    };
    const { archive, wasmBytes } = await reader.done;
    document.body.dataset.readerWasmBytes = String(wasmBytes ?? '');
    /** @type {ArchiveRecord} */
    const record = {
      key: `${archive.viewer}@${archive.at}`, file: file.name, viewer: archive.viewer, handle: archive.handle ?? null,
      at: archive.at, on: archive.on, followers: archive.followers, following: archive.following, complete: archive.complete,
    };
    const pages = archive.pages;
    for (const [i, page] of pages.entries()) {
      if (run.cancelled) {
        // The static site keeps nothing of it; the extension keeps the pages
        // recorded, which chain to no last page and so prove no absence.
        if (!ext) {
          await ask({ type: msg.REMOVE_ARCHIVE, key: record.key });
          return [t('cancelled', { name: file.name })];
        }
        return [t('cancelled_partly', { name: file.name })];
      }
      status.textContent = t('recording', { name: file.name, done: i, total: pages.length });
      /** @type {MessageOf<'archive-page'>} */
      const message = { type: msg.ARCHIVE_PAGE, viewer: archive.viewer, at: archive.at, page, archive: record };
      ok(await ask(message));
      progress.value = 0.8 + (0.2 * (i + 1)) / pages.length;
    }
    viewer = archive.viewer;
    const notes = [t('read_archive', {
      name: file.name, who: archive.handle ? '@' + archive.handle : archive.viewer, date: archive.on,
      followers: archive.followers, following: archive.following,
    })];
    if (!archive.complete) notes.push(t('archive_partial'));
    return notes;
  }

  /** A ledger export, merged into the store. @param {File} file */
  async function importExport(file) {
    // As the options page, the file goes through IndexedDB, not a message.
    const message = ext
      ? { type: msg.IMPORT_JSON, transfer: await globalThis.ReciprocityPlatform.transfer.put(file) }
      : { type: msg.IMPORT_JSON, file };
    ok(await ask(/** @type {any} */ (message)));
    return [t('read_export', { name: file.name })];
  }

  /** @param {FileList | null} files */
  async function importFiles(files) {
    if (!files) return;
    const list = [...files];
    if (!list.length || cancelImport) return;
    progress.hidden = false;
    cancelButton.hidden = false;
    /** @type {string[]} */
    const notes = [];
    const started = performance.now();
    for (const file of list) {
      const run = { cancelled: false };
      status.textContent = t('reading', { name: file.name });
      progress.value = 0;
      try {
        notes.push(...(/\.json$/i.test(file.name) ? await importExport(file) : await importArchive(file, run)));
      } catch (e) {
        // The reader's and the engine's messages name what was wrong.
        notes.push(e instanceof Cancelled ? t('cancelled', { name: file.name }) : t('failed', { name: file.name, error: globalThis.ReciprocityPlatform.errorMessage(e) }));
      }
      if (run.cancelled) break;
    }
    cancelImport = null;
    cancelButton.hidden = true;
    const ms = Math.round(performance.now() - started);
    await chooseViewer();
    await showArchives();
    await route();
    status.textContent = notes.join(' ');
    progress.hidden = true;
    // Reading and recording, not redrawing (the benchmark harness reads it); set last.
    document.body.dataset.importMs = String(ms);
  }

  /** The static site's archives, each with a Remove button. */
  async function showArchives() {
    if (ext) return;
    const r = await ask({ type: msg.ARCHIVES });
    const archives = r.ok ? r.archives.sort((a, b) => a.at.localeCompare(b.at)) : [];
    $('#archive-list').replaceChildren(...archives.map((a) => el('li', { 'data-archive': a.key },
      el('span', {}, t('archive_row', { date: a.on, who: a.handle ? '@' + a.handle : a.viewer, followers: a.followers, following: a.following }), a.complete ? '' : ' ⚠'),
      el('button', { type: 'button', onclick: async () => {
        ok(await ask({ type: msg.REMOVE_ARCHIVE, key: a.key }));
        status.textContent = t('archive_removed', { name: a.file });
        await chooseViewer();
        await showArchives();
        await route();
      } }, t('remove')))));
    $('#archives').hidden = !archives.length;
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
  $('#export-json').addEventListener('click', async () => {
    /** @type {{ json?: string, transfer?: number }} */
    const r = ok(await ask({ type: msg.EXPORT }));
    // As the options page the worker wrote it to IndexedDB: read it from there.
    const json = r.transfer != null ? await globalThis.ReciprocityPlatform.transfer.take(r.transfer) : r.json;
    download('reciprocity-export.json', String(json ?? ''), 'application/json');
  });
  $('#forget-all').addEventListener('click', async () => {
    if (!confirm(t('forget_all_confirm'))) return;
    ok(await ask({ type: msg.FORGET_ALL }));
    viewer = null;
    await chooseViewer();
    await showArchives();
    await route();
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

  await chooseViewer();
  await showArchives();
  await route();
  // Opened to import (the first-run page's button): the drop zone has the focus,
  // Enter or Space opens the file picker.
  if (location.hash === '#import') $('#drop').focus();
  document.body.dataset.ready = 'true';
})().catch((e) => {
  /** @type {HTMLElement} */ (document.getElementById('main')).textContent = String((e && e.message) || e);
});
