// @ts-check
/* The dashboard's tables: a window of a list (a real one can hold 100,000
 * accounts, and a table of them all takes seconds to draw), more on demand,
 * sortable by column; and the CSV of a whole list. */
import { csvCell, el } from './dom.js';
import { fetchSummary, loadMore, state } from './state.js';

const { t } = I18n;
const { download } = ReciprocityPlatform;

/** Rows drawn at a time. */
const TABLE_WINDOW = 200;

/** What a cell may hold. @typedef {Node | string | number | null | undefined} Cell */

/** A column: its heading, its cell, and how to sort by it.
 * @template R @typedef {{ label: string, cell: (r: R) => Cell, sort?: (r: R) => string | number }} Column */

/** A CSV of a whole list: the rows, or a summary's rows of the whole summary
 * (the view may hold only its first pages).
 * @param {string} file @param {string[]} header
 * @param {unknown[][] | ((whole: import('./state.js').LoadedSummary) => unknown[][])} rows */
export function csvButton(file, header, rows) {
  return el(
    'button',
    {
      type: 'button',
      onclick: async () => {
        const all = typeof rows === 'function' ? rows(await fetchSummary()) : rows;
        download(file, `${[header, ...all].map((r) => r.map(csvCell).join(',')).join('\n')}\n`, 'text/csv');
      },
    },
    t('export_csv'),
  );
}

/**
 * @template {{ id: string }} R
 * @param {string} list
 * @param {Column<R>[]} columns
 * @param {R[]} rows
 * @param {boolean} [sortable]
 * @param {number} [total] how many the whole list holds (more than `rows`:
 *   the engine sent the first pages)
 */
export function table(list, columns, rows, sortable = false, total = rows.length) {
  const head = el(
    'tr',
    {},
    ...columns.map((c, i) =>
      el(
        'th',
        { scope: 'col', 'aria-sort': sortable && c.sort ? 'none' : null },
        sortable && c.sort ? el('button', { type: 'button', 'data-col': i }, c.label) : c.label,
      ),
    ),
  );
  const body = el('tbody', {});
  /** @param {R} r */
  const row = (r) => el('tr', { 'data-reciprocity-account': r.id }, ...columns.map((c) => el('td', {}, c.cell(r))));
  /** @param {R[]} rs @param {number} [shown] */
  const draw = (rs, shown = TABLE_WINDOW) => {
    const whole = rs === rows ? Math.max(total, rs.length) : rs.length;
    const more = whole - shown;
    const next = () => (shown + TABLE_WINDOW > rs.length && whole > rs.length ? loadMore(list, shown + TABLE_WINDOW) : draw(rs, shown + TABLE_WINDOW));
    body.replaceChildren(
      ...rs.slice(0, shown).map(row),
      ...(more > 0
        ? [
            el(
              'tr',
              { class: 'more' },
              el(
                'td',
                { colspan: columns.length },
                el('button', { type: 'button', 'data-reciprocity-more': list, onclick: next }, t('show_more', { n: Math.min(more, TABLE_WINDOW), left: more })),
              ),
            ),
          ]
        : []),
    );
  };
  draw(rows, state.windows.get(list));
  state.windows.delete(list);
  const tbl = /** @type {HTMLTableElement & { redraw: (rs: R[]) => void }} */ (el('table', { 'data-reciprocity-list': list }, el('thead', {}, head), body));
  if (sortable) {
    head.addEventListener('click', (e) => {
      const b = /** @type {HTMLElement} */ (e.target).closest('button');
      if (!b?.dataset.col) return;
      const th = /** @type {HTMLElement} */ (b.parentElement);
      const dir = th.getAttribute('aria-sort') === 'descending' ? 'ascending' : 'descending';
      for (const x of head.querySelectorAll('th')) if (x.getAttribute('aria-sort')) x.setAttribute('aria-sort', 'none');
      th.setAttribute('aria-sort', dir);
      const key = /** @type {(r: R) => string | number} */ (columns[Number(b.dataset.col)].sort);
      const sign = dir === 'ascending' ? 1 : -1;
      rows.sort((x, y) => (key(x) > key(y) ? 1 : key(x) < key(y) ? -1 : 0) * sign);
      draw(rows);
    });
  }
  tbl.redraw = draw;
  return tbl;
}
