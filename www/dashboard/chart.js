// @ts-check
/* Charts: uPlot, sized to their box. */
import { el } from './dom.js';

/** Seconds since the epoch of an RFC 3339 time. @param {string} iso */
export const secs = (iso) => Date.parse(iso) / 1000;

/** @param {string} title @param {unknown[]} data @param {object[]} series
 * @param {{ id?: string, pad?: number, uplot?: object }} [opts] */
export function chart(title, data, series, opts = {}) {
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
    new uPlot(
      {
        width,
        height: 240,
        series: [{}, ...series],
        axes: [
          { stroke: fg, grid: { stroke: 'rgba(128,128,128,.15)' } },
          { stroke: fg, grid: { stroke: 'rgba(128,128,128,.15)' } },
        ],
        scales: { x: { time: true, range: () => [lo, hi] } },
        ...opts.uplot,
      },
      data,
      box,
    );
  });
  return box;
}
