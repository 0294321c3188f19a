// @ts-check
/* x.com's markup, for the content script (badges.js): where a badge goes, whose
 * place it is, and who the viewer is. The only file that knows X's page. */
(() => {
  const { handleFromUrl } = globalThis.ReciprocityPlatform;

  // The four places a badge goes: a profile's header, a user's hover card, a user
  // cell (Followers/Following rows are `button` cells in `cellInnerDiv`; "Who to
  // follow" in the sidebar are `li` cells, badged like any list: a suggestion is
  // where a record matters most), and a post's author line (timelines, threads,
  // search; a quoted post has its own author line in the same article).
  // `#layers` is inside `#react-root`.
  const SELECTORS = {
    profileHeader: '[data-testid="primaryColumn"] [data-testid="UserName"]',
    hoverCard: '#layers [data-testid="HoverCard"]',
    userCell: '[data-testid="UserCell"]',
    tweet: 'article[data-testid="tweet"] [data-testid="User-Name"]',
  };
  // Inside those places.
  const PARTS = {
    // A user's avatar; its test id ends with the user's handle. A hover card is a
    // user's once it has one (it opens as an empty shell and fills in later); the
    // verified-badge popup never has one.
    avatar: '[data-testid^="UserAvatar-Container-"]',
    avatarPrefix: 'UserAvatar-Container-',
    // X's own "Follows you".
    followIndicator: '[data-testid="userFollowIndicator"]',
    // The account switcher is a HoverCard of the viewer's own accounts, as cells.
    hoverCardOf: '[data-testid="HoverCard"]',
    // A post and its author's avatar column; a quoted post is a `div[role=link]`
    // block inside the article (its links are `a[role=link]`), with its own avatar
    // and author line (no links in it).
    tweet: 'article[data-testid="tweet"]',
    tweetAvatar: '[data-testid="Tweet-User-Avatar"]',
    quote: 'div[role="link"]',
  };

  // The signed-in account, from X's `twid` cookie, read once per document and
  // pinned (the hook does the same): a page cannot switch whose ledger it writes.
  // More than one `twid` (a page can plant one under a path) is no viewer at all.
  const TWIDS = document.cookie.split(/;\s*/).filter((c) => c.startsWith('twid='));
  const viewer = (() => {
    if (TWIDS.length !== 1) return null;
    try {
      const id = decodeURIComponent(decodeURIComponent(TWIDS[0].slice(5))).replace(/^u=/, '');
      return /^\d{1,20}$/.test(id) ? id : null;
    } catch (_) {
      return null;
    }
  })();

  /** @param {string} href */
  const handleFromHref = (href) => handleFromUrl(href, location.href, { profileOnly: true });

  /** The `@handle` texts in an element, in document order.
   * @param {Element} el */
  function handlesInText(el) {
    const out = [];
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const m = /^@([A-Za-z0-9_]{1,15})$/.exec((n.textContent || '').trim());
      if (m) out.push(m[1]);
    }
    return out;
  }

  const HANDLE = /^[A-Za-z0-9_]{1,15}$/;

  /** Whose place this is, as a handle, or null when it is not a user's (or not yet).
   * @param {keyof BadgeSettings} place @param {Element} el */
  function handleOf(place, el) {
    if (place === 'profileHeader') {
      // The page's URL says whose profile this is; a display name can be any text,
      // "@somebrand" included. The header's @handle must agree with it.
      const fromUrl = handleFromUrl(location.href);
      const shown = handlesInText(el);
      if (fromUrl) return shown.some((h) => h.toLowerCase() === fromUrl.toLowerCase()) ? fromUrl : null;
      return shown[shown.length - 1] || null;
    }
    // The account switcher's rows are the viewer's own accounts; its card and the
    // verified popup are no user's hover card.
    if (place === 'userCell' && el.closest(PARTS.hoverCardOf)) return null;
    if (place === 'tweet') return authorOf(el);
    if (place === 'hoverCard' && (el.querySelector(SELECTORS.userCell) || !el.querySelector(PARTS.avatar))) return null;
    // The avatar names the user; a bio's mentions are links too, so links come next:
    // the one whose text is its own @handle, else the handle most links go to.
    const avatar = avatarHandle(el.querySelector(PARTS.avatar));
    if (avatar) return avatar;
    /** @type {Map<string, number>} */
    const counts = new Map();
    for (const a of el.querySelectorAll('a[href]')) {
      const h = handleFromHref(a.getAttribute('href') || '');
      if (!h) continue;
      if ((a.textContent || '').trim().toLowerCase() === `@${h.toLowerCase()}`) return h;
      counts.set(h, (counts.get(h) || 0) + 1);
    }
    const common = [...counts].sort((x, y) => y[1] - x[1])[0];
    return common ? common[0] : handlesInText(el)[0] || null;
  }

  /** @param {Element | null | undefined} el */
  const avatarHandle = (el) => {
    const h = el?.getAttribute('data-testid')?.slice(PARTS.avatarPrefix.length);
    return h && HANDLE.test(h) ? h : null;
  };

  /** A post's author, from its avatar: the post's own (in its avatar column) for
   * the article's first author line, the quoted post's for the line inside its
   * block. A display name can be any text ("@somebrand" too): the avatar is what
   * names the user; the last @handle of the line is the fallback.
   * @param {Element} line */
  function authorOf(line) {
    const article = line.closest(PARTS.tweet);
    if (!article) return null;
    const quote = line.closest(PARTS.quote);
    const inQuote = quote && article.contains(quote) && quote !== article;
    const avatar = inQuote ? quote.querySelector(PARTS.avatar) : article.querySelector(`${PARTS.tweetAvatar} ${PARTS.avatar}`);
    const shown = handlesInText(line);
    return avatarHandle(avatar) || shown[shown.length - 1] || null;
  }

  /** @type {ReciprocitySite} */
  const site = {
    network: 'x',
    viewer,
    ambiguousViewer: TWIDS.length > 1,
    places: SELECTORS,
    compact: ['userCell', 'tweet'],
    accountOf(place, el) {
      const handle = handleOf(place, el);
      return handle ? `@${handle.toLowerCase()}` : null;
    },
    // After the place's @handle link, else at its end; on a post, inline after
    // the display name (appended to the author line it would wrap to a line of
    // its own).
    placeBadge(place, el, account, host) {
      if (place === 'tweet') {
        const name = el.querySelector('span')?.parentElement;
        if (name) return void name.append(host);
      }
      const at = [...el.querySelectorAll('a[href]')].find((a) => (a.textContent || '').trim().toLowerCase() === account);
      if (at) at.after(host);
      else el.append(host);
    },
    showsFollowsYou: (el) => !!el.querySelector(PARTS.followIndicator),
    isAccountId: (id) => /^\d{1,20}$/.test(id),
  };
  globalThis.ReciprocitySite = site;
})();
