// @ts-check
/* bsky.app's markup, for the content script (badges.js): where a badge goes, whose
 * place it is, and who the viewer is. The only file that knows Bluesky's page
 * (social-app: React Native Web, whose `testID`s are `data-testid`s). */
(() => {
  // The four places a badge goes: a profile's header (its display name), a
  // user's hover card (a floating card with no test id: the layer social-app's
  // ProfileHoverCard draws, `will-change: transform`, whose avatar and name link
  // to one profile), a row of a followers or follows list (a ProfileCard link),
  // and a post, in a feed (FeedItem's `feedItem-by-<author's handle>`) or a
  // thread (`postThreadItem-by-<handle>`). A post's author line is PostMeta (the
  // display name and the `@handle`, each a link to the profile, then the time),
  // or for a thread's main post one profile link around the name and the
  // `@handle`; a repost's "Reposted by" line and a quoted post's own PostMeta name
  // other accounts.
  const SELECTORS = {
    profileHeader: '[data-testid="profileHeaderDisplayName"]',
    hoverCard: 'div[style*="will-change: transform"]',
    userCell: 'a[data-testid^="profileCard-"][data-testid$="-link"]',
    tweet: '[data-testid^="feedItem-by-"], [data-testid^="postThreadItem-by-"]',
  };
  const POST_AUTHOR = /^(?:feedItem|postThreadItem)-by-(.+)$/;
  // Bluesky's own "Follows you" pill has no test id: its words, in the languages
  // the extension speaks.
  const FOLLOWS_YOU = /^(?:follows you|vous suit)$/i;
  const { accountFromUrl, isDid } = globalThis.ReciprocityPlatform;

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
      return { viewer: dids.length === 1 && isDid(dids[0]) ? dids[0] : null, ambiguous: dids.length > 1 };
    } catch (_) {
      return { viewer: null, ambiguous: false };
    }
  })();

  /** The account a bsky.app `/profile/<handle or DID>[/…]` link names, as the
   * engine is asked (the popup's rule: `accountFromUrl`). @param {string} href */
  function accountOfHref(href) {
    try {
      const u = new URL(href, location.href);
      return u.hostname === 'bsky.app' ? accountFromUrl(u.href) : null;
    } catch (_) {
      return null;
    }
  }

  /** A hover card's account: its first profile link (the avatar), which its
   * name links to as well; a bio's mentions come after. Anything else drawn in
   * such a layer (many profiles, or one link alone) is no user's card.
   * @param {Element} el */
  function cardProfile(el) {
    const links = el.querySelectorAll('a[href^="/profile/"]');
    if (links.length < 2 || links.length > 20) return null;
    const first = accountOfHref(links[0].getAttribute('href') || '');
    const second = accountOfHref(links[1].getAttribute('href') || '');
    return first && first === second ? first : null;
  }

  /** A post's author line: the first link in it to the author's profile whose
   * `@handle` text is the author's (the handle its test id names); the badge goes
   * after that text's element. Only the post's profile links are read, never its
   * text. Null while the post is not drawn yet (or for a notification row with no
   * such line).
   * @param {Element} el */
  function authorHandle(el) {
    const handle = POST_AUTHOR.exec(el.getAttribute('data-testid') || '')?.[1].toLowerCase();
    if (!handle) return null;
    for (const link of el.querySelectorAll('a[href^="/profile/"]')) {
      // The app links by DID when a handle does not check out.
      const named = accountOfHref(link.getAttribute('href') || '');
      if (named !== `@${handle}` && !(named && isDid(named))) continue;
      const text = handleText(link);
      if (text?.parentElement && (text.textContent || '').trim().toLowerCase() === `@${handle}`) return { at: text.parentElement, account: named };
    }
    return null;
  }

  /** The first text in `el` that is exactly `@handle`. @param {Element} el */
  function handleText(el) {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) if (/^@\S+$/.test((n.textContent || '').trim())) return n;
    return null;
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
    for (let i = 0; i < 2 && at.parentElement; i++) {
      at = at.parentElement;
      if (at.querySelector(SELECTORS.userCell)) break;
      if (handleText(at)) return at;
    }
    return el;
  }

  /** @type {ReciprocitySite} */
  const site = {
    network: 'bsky',
    viewer: stored.viewer,
    ambiguousViewer: stored.ambiguous,
    places: SELECTORS,
    compact: ['userCell', 'tweet'],
    accountOf(place, el) {
      if (place === 'profileHeader') return accountOfHref(location.href);
      if (place === 'userCell') return accountOfHref(el.getAttribute('href') || '');
      if (place === 'tweet') return authorHandle(el)?.account ?? null;
      // A hover card is a user's once it shows links to a profile (it opens with
      // a spinner and fills in later).
      return cardProfile(el);
    },
    // Beside the display name in a header; after the @handle in a card, a row or
    // a post's author line.
    placeBadge(place, el, _account, host) {
      if (place === 'profileHeader') return void el.after(host);
      if (place === 'tweet') return void (authorHandle(el)?.at ?? el).after(host);
      const handle = handleText(el)?.parentElement;
      if (handle) handle.after(host);
      else el.append(host);
    },
    showsFollowsYou: (el) => hasFollowsYou(el.matches(SELECTORS.profileHeader) ? headerOf(el) : el),
    isAccountId: isDid,
  };
  globalThis.ReciprocitySite = site;
})();
