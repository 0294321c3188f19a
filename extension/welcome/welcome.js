// @ts-check
/* The first-run page (opened once, on install): what the badges mean, each drawn
 * as on x.com with the engine's own words, how to build a history, what is kept,
 * and how to turn badges down. */
(() => {
  const { msg, BADGE_LOOK, PAGES } = globalThis.Reciprocity;
  const { t, uiLanguage } = globalThis.ReciprocityPlatform;
  const api = /** @type {typeof chrome} */ (globalThis.ReciprocityPlatform.api);
  // The language of the words shown (the catalogue's locale), so that the page's
  // `lang` and its text agree.
  const shown = t('ui_lang');
  const lang = (shown === 'ui_lang' ? uiLanguage() : shown).toLowerCase().startsWith('fr') ? 'fr' : 'en';
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(/** @type {HTMLElement} */ (el).dataset.i18n || '');
  document.title = t('welcome_title');
  /** @type {HTMLAnchorElement} */ (document.getElementById('privacy')).href = api.runtime.getURL(PAGES.PRIVACY.replace('{lang}', lang));

  // The dashboard, at its import (its drop zone takes the focus).
  document.getElementById('import')?.addEventListener('click', () => {
    api.tabs.create({ url: api.runtime.getURL('www/index.html#import') });
  });

  const dark = matchMedia('(prefers-color-scheme: dark)');
  /** @param {wasm_bindgen.LegendEntry[]} legend */
  function draw(legend) {
    const list = /** @type {HTMLElement} */ (document.getElementById('legend'));
    list.replaceChildren();
    for (const entry of legend) {
      const badge = document.createElement('span');
      badge.className = 'badge';
      badge.dataset.key = entry.key;
      const colour = BADGE_LOOK.COLOUR[entry.severity];
      badge.style.setProperty('--c', dark.matches ? colour.dark : colour.light);
      const icon = document.createElement('span');
      icon.setAttribute('aria-hidden', 'true');
      icon.textContent = BADGE_LOOK.ICON[/** @type {wasm_bindgen.Code | 'gone'} */ (entry.key)] || '';
      badge.append(icon, ' ', entry.label);
      const dt = document.createElement('dt');
      dt.append(badge);
      const dd = document.createElement('dd');
      dd.textContent = entry.meaning;
      list.append(dt, dd);
    }
  }

  /** @type {wasm_bindgen.LegendEntry[]} */
  let legend = [];
  ReciprocityPlatform.send({ type: msg.LEGEND, lang }).then((reply) => {
    if (!reply?.ok) return;
    legend = reply.legend;
    draw(legend);
  });
  dark.addEventListener('change', () => draw(legend));
})();
