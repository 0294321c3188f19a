// @ts-check
/* One account: its verdict with its evidence, its timeline, the looks behind
 * its record, its following over time; and what the viewer can do about it. */
import { forget, mark, notUnfollow } from '../actions.js';
import { chart, secs } from '../chart.js';
import { el, emptyNote } from '../dom.js';
import { ask } from '../engine.js';
import { viewerId } from '../state.js';

const { t, lang } = I18n;
const { msg } = Reciprocity;

/** @param {string} id */
export async function viewAccount(id) {
  const r = await ask({ type: msg.TIMELINE, viewer: viewerId(), account: id, lang });
  if (!r.ok) return [el('p', {}, t('no_account'))];
  const tl = r.timeline;
  const a = tl.annotation;
  const v = a.verdict;
  const who = a.account.handle ? `@${a.account.handle}` : a.account.id;
  // An unfollow or a leave the viewer knows better about can be set right.
  const events = tl.events.map((e) =>
    el(
      'li',
      {},
      e.text,
      e.kind === 'unfollow' || e.kind === 'left_list'
        ? el(
            'button',
            { type: 'button', class: 'inline', 'data-reciprocity-not-unfollow': `${e.from}>${e.to}`, onclick: () => notUnfollow(e) },
            t('not_unfollow'),
          )
        : null,
    ),
  );
  const counts = tl.counts.filter((c) => c.following != null);
  return [
    el('h2', {}, who, a.account.name ? el('span', { class: 'muted' }, ` · ${a.account.name}`) : null),
    el('p', { class: `code-${v.code}`, 'data-reciprocity-verdict': v.code }, v.text),
    el('p', { class: 'muted' }, v.confidence_text),
    el(
      'div',
      { class: 'actions' },
      el('button', { type: 'button', onclick: () => mark(a.account.id, { brand: !a.account.brand }) }, t(a.account.brand ? 'unmark_brand' : 'mark_brand')),
      el('button', { type: 'button', onclick: () => mark(a.account.id, { allowlisted: true }) }, t('allow')),
      el('button', { type: 'button', onclick: () => mark(a.account.id, { allowlisted: false }) }, t('unallow')),
      el('button', { type: 'button', 'data-reciprocity-forget': a.account.id, onclick: () => forget(a.account.id) }, t('forget')),
    ),
    el('h3', {}, t('timeline')),
    events.length ? el('ul', { class: 'events' }, ...events) : emptyNote(),
    // The looks behind its record: how many, since when, and any that disagreed.
    ...tl.lists.map((l) => el('p', { class: 'muted', 'data-reciprocity-looks': l.kind }, l.text)),
    counts.length > 1
      ? chart(
          t('chart_following'),
          [counts.map((c) => secs(c.at)), counts.map((c) => c.following)],
          [{ label: t('following'), stroke: '#ff7a00', width: 2, points: { show: true } }],
          { id: 'following' },
        )
      : null,
  ];
}
