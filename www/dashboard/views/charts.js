// @ts-check
/* The viewer's counts over time, and unfollows by week. */
import { chart, secs } from '../chart.js';
import { el } from '../dom.js';
import { ask, ok } from '../engine.js';
import { fetchSummary, summary, viewerId } from '../state.js';

const { t } = I18n;
const { msg } = Reciprocity;

export async function viewCharts() {
  // Every unfollow counts in its week: the whole list, when the view holds only
  // its first pages.
  const s = summary().totals.unfollowed_you > summary().unfollowed_you.length ? await fetchSummary() : summary();
  const points = ok(await ask({ type: msg.VIEWER_SERIES, viewer: viewerId() })).series;
  const counts = chart(
    t('chart_counts'),
    [points.map((p) => secs(p.at)), points.map((p) => p.followers), points.map((p) => p.following)],
    [
      { label: t('followers'), stroke: '#1d9bf0', width: 2, points: { show: true } },
      { label: t('following'), stroke: '#00ba7c', width: 2, points: { show: true } },
    ],
    { id: 'counts' },
  );
  const week = 7 * 86400;
  /** @type {Map<number, number>} */
  const buckets = new Map();
  for (const u of s.unfollowed_you) {
    const w = Math.floor(secs(u.stint.ended.by) / week) * week;
    buckets.set(w, (buckets.get(w) || 0) + 1);
  }
  const weeks = [...buckets.keys()].sort((a, b) => a - b);
  const bars = chart(
    t('chart_unfollows'),
    [weeks, weeks.map((w) => buckets.get(w))],
    [{ label: t('unfollows'), stroke: '#f4212e', fill: 'rgba(244,33,46,.35)', paths: uPlot.paths.bars({ size: [0.6, 60] }), points: { show: false } }],
    { id: 'unfollows', pad: week / 2 },
  );
  return [el('h2', {}, t('charts_title')), counts, bars];
}
