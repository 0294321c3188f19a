// @ts-check
/* The brands the viewer marked: each one's record (quick unfollows, unfollows
 * seen, churn), filtered, sorted; flagged ones as the engine says. */
import { mark } from '../actions.js';
import { el, emptyNote } from '../dom.js';
import { accountLink, name, summary } from '../state.js';
import { csvButton, table } from '../table.js';

const { t } = I18n;

export function viewBrands() {
  const s = summary();
  const all = s.brands.map((b) => ({ id: b.account, ...b }));
  /** @type {import('../table.js').Column<(typeof all)[number]>[]} */
  const cols = [
    { label: t('col_account'), cell: (r) => accountLink(r.id), sort: (r) => name(r.id).toLowerCase() },
    { label: t('col_verdict'), cell: (r) => el('span', { class: `code-${r.code}` }, r.label), sort: (r) => (r.flagged ? 1 : 0) },
    { label: t('col_quick'), cell: (r) => r.quick_unfollows, sort: (r) => r.quick_unfollows },
    { label: t('col_unfollows'), cell: (r) => r.unfollows_seen, sort: (r) => r.unfollows_seen },
    { label: t('col_churn'), cell: (r) => r.churn_30d ?? '—', sort: (r) => r.churn_30d ?? -1 },
    { label: t('col_net'), cell: (r) => r.net_30d ?? '—', sort: (r) => r.net_30d ?? 0 },
    {
      label: t('col_actions'),
      cell: (r) =>
        el(
          'span',
          { class: 'actions' },
          el('button', { type: 'button', onclick: () => mark(r.id, { brand: false }) }, t('unmark_brand')),
          el('button', { type: 'button', onclick: () => mark(r.id, { allowlisted: true }) }, t('allow')),
        ),
    },
  ];
  const tbl = table('brands', cols, all.slice(), true);
  const filterBox = /** @type {HTMLInputElement} */ (el('input', { type: 'search', 'aria-label': t('filter'), placeholder: t('filter') }));
  const only = /** @type {HTMLInputElement} */ (el('input', { type: 'checkbox', id: 'flagged-only' }));
  const apply = () => {
    const q = filterBox.value.trim().toLowerCase();
    tbl.redraw(all.filter((r) => (!q || name(r.id).toLowerCase().includes(q) || r.id.includes(q)) && (!only.checked || r.flagged)));
  };
  filterBox.addEventListener('input', apply);
  only.addEventListener('change', apply);
  return [
    el('h2', {}, t('brands_title')),
    el(
      'div',
      { class: 'filters' },
      filterBox,
      el('label', {}, only, ' ', t('flagged_only')),
      csvButton(
        'brands.csv',
        ['account', 'handle', 'verdict', 'quick_unfollows', 'unfollows_seen', 'churn_30d', 'net_30d'],
        all.map((r) => [r.id, name(r.id), r.code, r.quick_unfollows, r.unfollows_seen, r.churn_30d ?? '', r.net_30d ?? '']),
      ),
    ),
    all.length ? tbl : emptyNote(),
  ];
}
