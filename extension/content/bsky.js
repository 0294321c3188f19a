// @ts-check
/* bsky.app's markup, for the content script (badges.js): where a badge goes, whose
 * place it is, and who the viewer is. The only file that knows Bluesky's page
 * (social-app: React Native Web, whose `testID`s are `data-testid`s). */
(() => {
  // The three places a badge goes: a profile's header (its display name), a
  // user's hover card (a floating card with no test id: the layer social-app's
  // ProfileHoverCard draws, `will-change: transform`, holding links to one
  // profile), and a row of a followers or follows list (a ProfileCard link).
  const SELECTORS = {
    profileHeader: '[data-testid="profileHeaderDisplayName"]',
    hoverCard: 'div[style*="will-change: transform"]',
    userCell: 'a[data-testid^="profileCard-"][data-testid$="-link"]',
  };
  // Bluesky's own "Follows you" pill has no test id: its words, in the languages
  // the extension speaks.
  const FOLLOWS_YOU = /^(?:follows you|vous suit)$/i;
  const DID = /^did:(?:plc:[a-z2-7]{24}|web:[A-Za-z0-9.-]{1,253})$/;
  const HANDLE = /^(?=.{3,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

  /** The current account's DID in bsky.app's storage (`BSKY_STORAGE`, or the
   * newer `BSKY_SESSION_STORAGE_V1`), read once per document and pinned (the hook
   * does the same); its tokens beside it are never read out. `ambiguous`: the two
   * name different accounts, and nothing is recorded. */
  const stored = (() => {
    try {
      /** @param {string} key */
      const read = (key) => {
        const text = localStorage.getItem(key);
        return text ? JSON.parse(text) : null;
      };
      const dids = [
        ...new Set([read('BSKY_STORAGE')?.session?.currentAccount?.did, read('BSKY_SESSION_STORAGE_V1')?.currentDid].filter((d) => typeof d === 'string')),
      ];
      return { viewer: dids.length === 1 && DID.test(dids[0]) ? dids[0] : null, ambiguous: dids.length > 1 };
    } catch (_) {
      return { viewer: null, ambiguous: false };
    }
  })();

  /** The account a `/profile/<handle or DID>[/…]` path names, as the engine is
   * asked. @param {string} href */
  function accountOfHref(href) {
    try {
      const u = new URL(href, location.href);
      if (u.hostname !== 'bsky.app') return null;
      const m = /^\/profile\/([^/]+)/.exec(u.pathname);
      if (!m) return null;
      const name = decodeURIComponent(m[1]);
      if (DID.test(name)) return name;
      return HANDLE.test(name) ? `@${name.toLowerCase()}` : null;
    } catch (_) {
      return null;
    }
  }

  /** The profile most links in `el` go to (a hover card's avatar and name both
   * do; a bio's mentions once each). @param {Element} el */
  function commonProfile(el) {
    /** @type {Map<string, number>} */
    const counts = new Map();
    for (const a of el.querySelectorAll('a[href^="/profile/"]')) {
      const account = accountOfHref(a.getAttribute('href') || '');
      if (account) counts.set(account, (counts.get(account) || 0) + 1);
    }
    const best = [...counts].sort((x, y) => y[1] - x[1])[0];
    return best ? best[0] : null;
  }

  /** Whether `el` holds a text that is exactly Bluesky's "Follows you".
   * @param {Element} el */
  function hasFollowsYou(el) {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) if (FOLLOWS_YOU.test((n.textContent || '').trim())) return true;
    return false;
  }

  /** The header around a profile's display name: the nearest ancestor holding
   * its handle line too (two levels up in social-app's header), never a list.
   * @param {Element} el */
  function headerOf(el) {
    let at = el;
    for (let i = 0; i < 3 && at.parentElement; i++) {
      at = at.parentElement;
      if (at.querySelector(SELECTORS.userCell)) break;
      if ([...at.querySelectorAll('*')].some((c) => c.children.length === 0 && /^@\S+$/.test((c.textContent || '').trim()))) return at;
    }
    return el;
  }

  /** @type {ReciprocitySite} */
  const site = {
    network: 'bsky',
    viewer: stored.viewer,
    ambiguousViewer: stored.ambiguous,
    places: SELECTORS,
    compact: ['userCell'],
    accountOf(place, el) {
      if (place === 'profileHeader') return accountOfHref(location.href);
      if (place === 'userCell') return accountOfHref(el.getAttribute('href') || '');
      // A hover card is a user's once it shows links to a profile (it opens with
      // a spinner and fills in later).
      return commonProfile(el);
    },
    // Beside the display name in a header; after the @handle in a card or a row.
    placeBadge(place, el, _account, host) {
      if (place === 'profileHeader') return void el.after(host);
      const handle = [...el.querySelectorAll('*')].find((c) => c.children.length === 0 && /^@\S+$/.test((c.textContent || '').trim()));
      if (handle) handle.after(host);
      else el.append(host);
    },
    showsFollowsYou: (el) => hasFollowsYou(el.matches(SELECTORS.profileHeader) ? headerOf(el) : el),
    isAccountId: (id) => DID.test(id),
  };
  globalThis.ReciprocitySite = site;
})();
