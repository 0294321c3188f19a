// @ts-check
/* Whom the viewer follows and who does not follow back: since when, last checked. */
import { el, emptyNote } from '../dom.js';
import { accountLink, name, summary } from '../state.js';
import { csvButton, table } from '../table.js';

const { t } = I18n;

export function viewNotBack() {
  const s = summary();
  const rows = s.not_following_back.map((n) => ({ id: n.account, ...n }));
  /** @type {import('../table.js').Column<(typeof rows)[number]>[]} */
  const cols = [
    { label: t('col_account'), cell: (r) => accountLink(r.id) },
    { label: t('col_since'), cell: (r) => r.you_followed_day ?? '—' },
    { label: t('col_checked'), cell: (r) => r.checked_day ?? '—' },
    { label: t('col_status'), cell: (r) => r.status },
  ];
  return [
    el('h2', {}, t('not_back_title')),
    el(
      'div',
      { class: 'actions' },
      csvButton('not-following-back.csv', ['account', 'handle', 'you_followed_by', 'checked', 'never'], (whole) =>
        whole.not_following_back.map((r) => [r.account, name(r.account, whole.who), r.you_followed_by || '', r.checked || '', r.never]),
      ),
    ),
    rows.length ? table('not_following_back', cols, rows, false, s.totals.not_following_back) : emptyNote(),
  ];
}
