// @ts-check
/* Small DOM helpers the dashboard's views share. */

/** @param {string} sel */
export const $ = (sel) => /** @type {HTMLElement} */ (document.querySelector(sel));

/** Attribute values `el` accepts: text, a flag, or a listener (`on…`). */
/** @typedef {string | number | boolean | null | undefined | ((e: Event) => unknown)} AttrValue */

/** An element with its attributes and children.
 * @param {string} tag @param {Record<string, AttrValue>} [attrs] @param {(Node | string | number | null | undefined)[]} children */
export const el = (tag, attrs = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (typeof v === 'function') e.addEventListener(k.slice(2), v);
    else if (v != null && v !== false) e.setAttribute(k, v === true ? '' : String(v));
  }
  e.append(...children.filter((c) => c != null).map((c) => (typeof c === 'number' ? String(c) : c)));
  return e;
};

/** One cell of a CSV. @param {unknown} v */
export const csvCell = (v) => {
  const s = String(v ?? '');
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** The "nothing here yet" note (a template of the page). */
export function emptyNote() {
  const n = /** @type {DocumentFragment} */ (/** @type {HTMLTemplateElement} */ ($('#empty')).content.cloneNode(true));
  I18n.apply(n);
  return n;
}
