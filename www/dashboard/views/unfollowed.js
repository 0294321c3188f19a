// @ts-check
/* Who unfollowed the viewer, and whose follows ended otherwise (gone, blocked,
 * removed): when, after how long. */
import { el, emptyNote } from '../dom.js';
import { accountLink, name, summary } from '../state.js';
import { csvButton, table } from '../table.js';

const { t } = I18n;

/** @typedef {{ id: string, kind: wasm_bindgen.EventKind, kindText: string, when: string, lasted: string, after: string | null, by: string }} EndRow */

/** @param {wasm_bindgen.Summary} of @returns {EndRow[]} */
const endRows = (of) => [
  ...of.unfollowed_you.map((u) => ({
    id: u.account,
    kind: /** @type {wasm_bindgen.EventKind} */ ('unfollow'),
    kindText: u.kind_text,
    when: u.when,
    lasted: u.lasted,
    after: u.stint.ended.after,
    by: u.stint.ended.by,
  })),
  ...of.ended_otherwise.map((e) => ({ id: e.account, kind: e.kind, kindText: e.kind_text, when: e.when, lasted: '—', after: null, by: e.by })),
];

export function viewUnfollowed() {
  const s = summary();
  const rows = endRows(s);
  /** @type {import('../table.js').Column<EndRow>[]} */
  const cols = [
    { label: t('col_account'), cell: (r) => accountLink(r.id) },
    { label: t('col_when'), cell: (r) => r.when },
    { label: t('col_lasted'), cell: (r) => r.lasted },
    { label: t('col_kind'), cell: (r) => el('span', { class: r.kind === 'unfollow' ? 'code-unfollowed_you' : 'muted' }, r.kindText) },
  ];
  return [
    el('h2', {}, t('unfollowed_title')),
    el(
      'div',
      { class: 'actions' },
      csvButton('unfollowed.csv', ['account', 'handle', 'kind', 'after', 'by'], (whole) =>
        endRows(whole).map((r) => [r.id, name(r.id, whole.who), r.kind, r.after || '', r.by]),
      ),
    ),
    rows.length ? table('unfollowed_you', cols, rows, false, s.totals.unfollowed_you + s.totals.ended_otherwise) : emptyNote(),
  ];
}
