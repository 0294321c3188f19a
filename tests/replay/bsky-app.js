// The replay's bsky.app, on social-app's structure (React Native Web renders
// `testID` as `data-testid`): what matters to Reciprocity is kept as the real app
// has it, the rest is plain.
//  - `fetch` is taken once at module load (src/state/session/network.ts), so a
//    hook installed later would see nothing.
//  - Reads go to the user's PDS host with the AppView proxy header and the
//    session's bearer token; the session (with its tokens) lives in localStorage
//    under BSKY_STORAGE (src/state/persisted), resumed by refreshSession.
//  - /profile/:name: resolveHandle, then getProfile; the header's display name is
//    `profileHeaderDisplayName`, its handle line holds the "Follows you" pill.
//  - /profile/:name/followers|follows: getFollowers/getFollows, 30 a page, the
//    next page when the last rows scroll into view; `?sort=` passes on as the
//    app's `sort` (behind its FollowSortEnable gate); rows are ProfileCard links
//    `profileCard-<handle>-link` with a "Follows you" pill.
//  - Hover cards (ProfileHoverCard/index.web.tsx): the first pointer move over an
//    avatar prefetches getProfile; after 500 ms a floating layer
//    (`will-change: transform`) opens with a spinner and fills in when the read is
//    back (cached 30 s: a second hover reads nothing).
//  - /notifications: listNotifications; follows are rows like a list's.
//  - / (home): getTimeline; each post is a FeedItem (`feedItem-by-<handle>`,
//    src/view/com/posts/PostFeedItem.tsx): a repost's "Reposted by" line (a link
//    to the reposter), the avatar, then PostMeta (src/view/com/util/PostMeta.tsx:
//    the display name and `\u00a0@handle`, each a link to the profile, then the
//    time, a link to the post), the text, and a quoted post with its own
//    PostMeta (its avatar shown).
//  - /profile/:name/post/:rkey/liked-by and /reposted-by: getLikes (each like's
//    `actor`) and getRepostedBy, rows as a followers list's
//    (ProfileCardWithFollowBtn, src/view/com/post-thread/PostLikedBy.tsx).
//  - /profile/:name/post/:rkey: getPostThread; the main post
//    (ThreadItemAnchor: one profile link around the display name and the
//    `@handle`) and its replies (ThreadItemPost: PostMeta), each
//    `postThreadItem-by-<handle>`.
(() => {
  const realFetch = globalThis.fetch;
  const PDS = 'https://morel.us-east.host.bsky.network';
  const root = document.getElementById('root');
  const portal = document.getElementById('portal');

  const stored = () => {
    try {
      return JSON.parse(localStorage.getItem('BSKY_STORAGE') || 'null')?.session?.currentAccount ?? null;
    } catch (_) {
      return null;
    }
  };

  async function xrpc(nsid, params = {}, init = {}) {
    const u = new URL(`/xrpc/${nsid}`, PDS);
    for (const [k, v] of Object.entries(params)) if (v != null) u.searchParams.append(k, v);
    const headers = { 'atproto-proxy': 'did:web:api.bsky.app#bsky_appview', ...(init.headers || {}) };
    const s = stored();
    if (s?.accessJwt) headers.authorization = `Bearer ${s.accessJwt}`;
    const r = await realFetch(u.href, { ...init, headers });
    return r.json();
  }

  /** Signs in (createSession) or resumes (refreshSession), keeping the session as
   * the app does, tokens included. */
  async function session() {
    const had = stored();
    const s = had
      ? await xrpc('com.atproto.server.refreshSession', {}, { method: 'POST' })
      : await xrpc('com.atproto.server.createSession', {}, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ identifier: 'viewer', password: 'replay' }) });
    if (!s.did) return localStorage.removeItem('BSKY_STORAGE');
    const account = { service: 'https://bsky.social', pdsUrl: PDS, did: s.did, handle: s.handle, accessJwt: s.accessJwt, refreshJwt: s.refreshJwt, active: true };
    localStorage.setItem('BSKY_STORAGE', JSON.stringify({ colorMode: 'system', session: { accounts: [account], currentAccount: account } }));
  }

  const el = (tag, attrs = {}, ...children) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k === 'style') Object.assign(e.style, v);
      else e.setAttribute(k, v);
    }
    e.append(...children.filter((c) => c != null));
    return e;
  };
  const pill = () => el('div', { class: 'pill' }, el('div', {}, 'Follows you'));

  // ----- hover cards -----
  const cache = new Map(); // did → { at, profile }
  async function profileOf(did) {
    const hit = cache.get(did);
    if (hit && Date.now() - hit.at < 30000) return hit.profile;
    const profile = await xrpc('app.bsky.actor.getProfile', { actor: did });
    cache.set(did, { at: Date.now(), profile });
    return profile;
  }
  function hoverTarget(did, child) {
    const target = el('div', { class: 'hover-target', style: { display: 'inline-block' } }, child);
    let moved = false;
    let timer = null;
    let card = null;
    target.addEventListener('pointermove', () => {
      if (moved) return;
      moved = true;
      profileOf(did).catch(() => {});
      timer = setTimeout(() => {
        const rect = target.getBoundingClientRect();
        const inner = el('div', { style: { willChange: 'transform', animation: 'fadeIn 300ms both' } }, el('div', { class: 'card' }, el('div', { class: 'spinner' }, '…')));
        card = el('div', { style: { position: 'absolute', left: `${rect.left}px`, top: `${rect.bottom + window.scrollY + 4}px` } }, inner);
        portal.append(card);
        profileOf(did).then((p) => {
          if (!card || !p.did) return;
          const href = `/profile/${p.handle}`;
          inner.firstChild.replaceChildren(
            el('a', { href, 'aria-label': 'View profile' }, el('span', { class: 'avatar' })),
            el('a', { href, 'aria-label': 'View profile' }, el('div', { style: { fontWeight: '700' } }, p.displayName || p.handle)),
            el('div', { class: 'row' }, p.viewer?.followedBy ? pill() : null, el('div', { class: 'handle' }, `@${p.handle}`)),
            el('div', {}, `${p.followersCount ?? 0} followers · ${p.followsCount ?? 0} following`),
          );
        });
      }, 500);
    });
    target.addEventListener('pointerleave', () => {
      moved = false;
      clearTimeout(timer);
      setTimeout(() => {
        card?.remove();
        card = null;
      }, 150);
    });
    return target;
  }

  // ----- rows (ProfileCard) -----
  function row(p) {
    return el(
      'a',
      { 'data-testid': `profileCard-${p.handle}-link`, href: `/profile/${p.handle}`, 'aria-label': `View ${p.displayName || p.handle}'s profile` },
      el(
        'div',
        { class: 'row' },
        hoverTarget(p.did, el('span', { class: 'avatar' })),
        el('div', { style: { flex: '1' } }, el('div', { style: { fontWeight: '700' } }, p.displayName || p.handle), el('div', { class: 'handle' }, `@${p.handle}`)),
        el('button', { type: 'button' }, p.viewer?.following ? 'Following' : 'Follow'),
      ),
      p.viewer?.followedBy ? el('div', { class: 'row' }, pill()) : null,
    );
  }

  // ----- posts (FeedItem) -----
  function postMeta(author, href, showAvatar) {
    const profile = `/profile/${author.handle}`;
    return el(
      'div',
      { class: 'row' },
      showAvatar ? el('span', { class: 'avatar', style: { width: '16px', height: '16px' } }) : null,
      el('a', { href: profile, 'aria-label': 'View profile', style: { fontWeight: '700' } }, author.displayName || author.handle),
      el('a', { href: profile, 'aria-label': 'View profile', class: 'handle' }, `\u00a0@${author.handle}`),
      el('a', { href, class: 'handle' }, '· 2h'),
    );
  }
  function feedItem(item) {
    const { post, reason } = item;
    const href = `/profile/${post.author.handle}/post/${post.uri.split('/').pop()}`;
    const quoted = post.embed?.record;
    return el(
      'div',
      { 'data-testid': `feedItem-by-${post.author.handle}`, role: 'link', class: 'post' },
      reason?.by ? el('div', { class: 'handle' }, el('a', { href: `/profile/${reason.by.handle}` }, `Reposted by ${reason.by.displayName || reason.by.handle}`)) : null,
      el(
        'div',
        { class: 'row', style: { alignItems: 'flex-start' } },
        hoverTarget(post.author.did, el('span', { class: 'avatar' })),
        el(
          'div',
          { style: { flex: '1' } },
          postMeta(post.author, href, false),
          el('div', {}, post.record?.text || ''),
          quoted?.author
            ? el('div', { role: 'link', class: 'quote' }, postMeta(quoted.author, `/profile/${quoted.author.handle}/post/${quoted.uri.split('/').pop()}`, true), el('div', {}, quoted.value?.text || ''))
            : null,
        ),
      ),
    );
  }

  function threadAnchor(post) {
    return el(
      'div',
      { 'data-testid': `postThreadItem-by-${post.author.handle}`, class: 'post' },
      el(
        'div',
        { class: 'row' },
        hoverTarget(post.author.did, el('span', { class: 'avatar' })),
        el('a', { href: `/profile/${post.author.handle}` }, el('div', { style: { fontWeight: '800' } }, post.author.displayName || post.author.handle), el('div', { class: 'handle' }, `@${post.author.handle}`)),
      ),
      el('div', { style: { fontSize: '18px' } }, post.record?.text || ''),
    );
  }
  function threadReply(post) {
    const href = `/profile/${post.author.handle}/post/${post.uri.split('/').pop()}`;
    return el(
      'div',
      { 'data-testid': `postThreadItem-by-${post.author.handle}`, class: 'post' },
      el('div', { class: 'row', style: { alignItems: 'flex-start' } }, hoverTarget(post.author.did, el('span', { class: 'avatar' })), el('div', { style: { flex: '1' } }, postMeta(post.author, href, false), el('div', {}, post.record?.text || ''))),
    );
  }

  // ----- screens -----
  async function didOf(name) {
    if (name.startsWith('did:')) return name;
    return (await xrpc('com.atproto.identity.resolveHandle', { handle: name })).did;
  }

  async function profileScreen(name) {
    const did = await didOf(name);
    const p = await xrpc('app.bsky.actor.getProfile', { actor: did });
    if (!p.did) return root.replaceChildren(el('div', {}, 'Profile not found'));
    root.replaceChildren(
      el('div', { class: 'banner' }),
      el('span', { class: 'avatar big' }),
      el(
        'div',
        { class: 'header' },
        el('div', { class: 'row' }, el('div', { 'data-testid': 'profileHeaderDisplayName', style: { fontSize: '28px', fontWeight: '800' } }, p.displayName || p.handle)),
        el('div', { class: 'row' }, p.viewer?.followedBy && !p.viewer?.blockedBy ? pill() : null, el('div', { class: 'handle' }, `@${p.handle}`)),
        el('div', { class: 'row' }, el('a', { href: `/profile/${p.handle}/followers` }, `${p.followersCount ?? 0} followers`), el('a', { href: `/profile/${p.handle}/follows` }, `${p.followsCount ?? 0} following`)),
        el('div', {}, p.description || ''),
      ),
      el('div', { class: 'tabs' }, ...['Posts', 'Replies', 'Media', 'Videos', 'Feeds'].map((t) => el('span', {}, t))),
    );
  }

  async function listScreen(name, which) {
    const did = await didOf(name);
    const nsid = which === 'followers' ? 'app.bsky.graph.getFollowers' : 'app.bsky.graph.getFollows';
    const sort = new URLSearchParams(location.search).get('sort');
    const list = el('div', { class: 'list' });
    root.replaceChildren(el('h2', {}, which), list);
    let cursor;
    let loading = false;
    let done = false;
    const more = async () => {
      if (loading || done) return;
      loading = true;
      const page = await xrpc(nsid, { actor: did, limit: 30, cursor, sort });
      const rows = page.followers || page.follows || [];
      list.append(...rows.map(row));
      cursor = page.cursor;
      done = !cursor || rows.length === 0;
      loading = false;
      const last = list.lastElementChild;
      if (last && !done) watch.observe(last);
    };
    const watch = new IntersectionObserver((entries) => {
      for (const e of entries)
        if (e.isIntersecting) {
          watch.unobserve(e.target);
          more();
        }
    });
    await more();
  }

  async function notificationsScreen() {
    const body = await xrpc('app.bsky.notification.listNotifications', { limit: 40 });
    const follows = (body.notifications || []).filter((n) => n.reason === 'follow');
    root.replaceChildren(el('h2', {}, 'Notifications'), ...follows.map((n) => row(n.author)));
  }

  async function route() {
    const parts = location.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] === 'profile' && parts[1] && !parts[2]) return profileScreen(parts[1]);
    if (parts[0] === 'profile' && parts[1] && (parts[2] === 'followers' || parts[2] === 'follows')) return listScreen(parts[1], parts[2]);
    if (parts[0] === 'profile' && parts[2] === 'post' && parts[3] && (parts[4] === 'liked-by' || parts[4] === 'reposted-by'))
      return whoScreen(parts[1], parts[3], parts[4]);
    if (parts[0] === 'profile' && parts[2] === 'post' && parts[3]) return threadScreen(parts[1], parts[3]);
    if (parts[0] === 'notifications') return notificationsScreen();
    return homeScreen();
  }

  async function threadScreen(name, rkey) {
    const did = await didOf(name);
    const body = await xrpc('app.bsky.feed.getPostThread', { uri: `at://${did}/app.bsky.feed.post/${rkey}` });
    const thread = body.thread;
    if (!thread?.post) return root.replaceChildren(el('div', {}, 'Post not found'));
    root.replaceChildren(threadAnchor(thread.post), ...(thread.replies || []).map((r) => threadReply(r.post)));
  }

  /** Who liked or reposted a post: a list of rows. */
  async function whoScreen(name, rkey, which) {
    const did = await didOf(name);
    const uri = `at://${did}/app.bsky.feed.post/${rkey}`;
    const accounts =
      which === 'liked-by'
        ? ((await xrpc('app.bsky.feed.getLikes', { uri, limit: 50 })).likes || []).map((l) => l.actor)
        : (await xrpc('app.bsky.feed.getRepostedBy', { uri, limit: 50 })).repostedBy || [];
    root.replaceChildren(el('h2', {}, which === 'liked-by' ? 'Liked by' : 'Reposted by'), ...accounts.map(row));
  }

  async function homeScreen() {
    const body = await xrpc('app.bsky.feed.getTimeline', { limit: 30 });
    root.replaceChildren(el('h2', {}, 'Following'), ...(body.feed || []).map(feedItem));
  }

  // Client-side navigation, as the app's links do.
  document.addEventListener('click', (e) => {
    const a = e.target instanceof Element ? e.target.closest('a[href^="/"]') : null;
    if (!a || e.defaultPrevented) return;
    e.preventDefault();
    history.pushState(null, '', a.getAttribute('href'));
    route();
  });
  window.addEventListener('popstate', route);

  session().then(route, route);
})();
