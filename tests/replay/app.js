// The replay's client: renders profiles, follower lists, hover cards, the sidebar
// and the account switcher on the structure of x.com's real pages (saved in
// November 2025, and the code of extensions that work on x.com in 2026), loading
// data with XMLHttpRequest as X's client does:
//  - Followers/Following rows are `button[data-testid="UserCell"]` in
//    `div[data-testid="cellInnerDiv"]`: the avatar, the name and the @handle are
//    three links to the same /handle, then X's "Follows you", a follow button
//    `[data-testid="<id>-follow"]` (or `-unfollow`), and a bio whose @mentions are
//    links too; a click anywhere else in the row opens the profile.
//  - "Who to follow" in the sidebar: `li[role="listitem"][data-testid="UserCell"]`.
//  - `#layers` (the portal for popups) is inside `#react-root`.
//  - A user's hover card opens as an empty shell and fills in later; its avatar
//    container `[data-testid^="UserAvatar-Container-"]` arrives with the data.
//  - The account switcher and the verified-badge popup are `HoverCard`s too.
//  - The profile header shows the display name, then the @handle, then X's own
//    "Follows you" (`[data-testid="userFollowIndicator"]`).
//  - Posts (home, a profile's posts, a thread, search) are
//    `article[data-testid="tweet"]` in `cellInnerDiv`: the author's avatar in
//    `[data-testid="Tweet-User-Avatar"]`, then `[data-testid="User-Name"]` (the
//    display name and the @handle as links, then the post's time), the text, and a
//    quoted post as a `role=link` block with its own avatar and an author line
//    without links. A click on a post opens it; on the quote, the quoted post. A
//    repost shows its original author, under "… reposted". Rows are recycled:
//    `window.replay.recycle(i, j)` rewrites row i in place with post j.
(() => {
  const primary = document.getElementById('primary');
  const sidebar = document.getElementById('sidebar');
  const layers = document.getElementById('layers');
  const QID = 'rEpLaYqUeRyId';
  // Every user the client has loaded, by lower-case handle (X's client caches too).
  const known = new Map();

  function call(op, variables, responseType) {
    return new Promise((resolve) => {
      const xhr = new XMLHttpRequest();
      const url = `/i/api/graphql/${QID}/${op}?variables=${encodeURIComponent(JSON.stringify(variables))}&features=%7B%7D`;
      xhr.open('GET', url);
      xhr.setRequestHeader('x-replay-app', '1');
      xhr.responseType = responseType;
      xhr.onload = () => {
        if (xhr.status !== 200) return resolve(null);
        resolve(responseType === 'json' ? xhr.response : JSON.parse(xhr.responseText));
      };
      xhr.onerror = () => resolve(null);
      xhr.send();
    });
  }

  // Whatever layout the user object has.
  function describe(u) {
    if (!u || u.__typename !== 'User') return null;
    const core = u.core || {};
    const legacy = u.legacy || {};
    const rel = u.relationship_perspectives || {};
    const user = {
      id: u.rest_id,
      name: core.name || legacy.name || '',
      handle: core.screen_name || legacy.screen_name || '',
      bio: (u.profile_bio && u.profile_bio.description) || legacy.description || '',
      followedBy: rel.followed_by ?? legacy.followed_by ?? false,
      following: rel.following ?? legacy.following ?? false,
      verified: !!(u.is_blue_verified || (u.verification && u.verification.is_blue_verified)),
    };
    if (user.handle) known.set(user.handle.toLowerCase(), user);
    return user;
  }

  function el(tag, attrs = {}, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    e.append(...children);
    return e;
  }

  const followsYou = () => el('div', { 'data-testid': 'userFollowIndicator' }, el('span', {}, 'Follows you'));
  const avatar = (user) => el('div', { 'data-testid': `UserAvatar-Container-${user.handle}`, class: 'avatar' },
    el('a', { href: `/${user.handle}`, 'data-spa': '', tabindex: '-1', 'aria-hidden': 'true' }, el('span', { class: 'pic' })));
  // A bio's @mentions are links, as on X.
  function bio(text) {
    const out = el('div', { class: 'bio' });
    for (const part of text.split(/(@[A-Za-z0-9_]{1,15})/)) {
      out.append(/^@[A-Za-z0-9_]{1,15}$/.test(part) ? el('a', { href: `/${part.slice(1)}`, 'data-spa': '' }, part) : part);
    }
    return out;
  }

  function userName(user) {
    return el('div', { 'data-testid': 'UserName' },
      el('div', {}, el('span', { class: 'name' }, user.name),
        user.verified ? el('button', { 'data-testid': 'icon-verified', type: 'button', 'aria-label': 'Verified account', class: 'verified' }, '✔') : ''),
      el('div', { class: 'handle-line' }, el('div', {}, el('span', { class: 'handle' }, '@' + user.handle)), user.followedBy ? followsYou() : ''));
  }

  // ----- posts -----
  // A post as X's client reads it (a `Tweet`, or one wrapped with visibility
  // results): who wrote it, its text, what it quotes; a repost is its original.
  function post(result) {
    const t = result && (result.tweet || result);
    if (!t || !t.legacy || !t.core) return null;
    const rt = t.legacy.retweeted_status_result && post(t.legacy.retweeted_status_result.result);
    const user = describe(t.core.user_results && t.core.user_results.result);
    if (!user) return null;
    if (rt) return { ...rt, repostedBy: user };
    const quoted = t.quoted_status_result && post(t.quoted_status_result.result);
    return { id: t.rest_id, user, text: t.legacy.full_text || '', quoted };
  }

  // The posts of a timeline answer, in order: each entry's `tweet_results` (quotes
  // and reposts sit inside them).
  function postsOf(body) {
    const out = [];
    const walk = (o) => {
      if (Array.isArray(o)) return o.forEach(walk);
      if (!o || typeof o !== 'object') return;
      if (o.tweet_results) {
        const p = post(o.tweet_results.result);
        if (p) out.push(p);
        return;
      }
      Object.values(o).forEach(walk);
    };
    walk(body);
    return out;
  }

  function authorLine(p, links) {
    const name = el('div', { class: 'dn' }, el('span', {}, p.user.name));
    const handle = el('span', { class: 'handle' }, '@' + p.user.handle);
    return el('div', { 'data-testid': 'User-Name' },
      el('div', {}, links ? el('a', { href: `/${p.user.handle}`, 'data-spa': '', 'data-hover': p.user.handle, role: 'link', class: 'name' }, name) : name),
      el('div', { class: 'when' }, links ? el('a', { href: `/${p.user.handle}`, 'data-spa': '', tabindex: '-1' }, handle) : handle,
        ' · ', links ? el('a', { href: `/${p.user.handle}/status/${p.id}`, 'data-spa': '' }, el('time', {}, 'now')) : el('time', {}, 'now')));
  }

  function article(p) {
    const quote = p.quoted ? el('div', { role: 'link', tabindex: '0', class: 'quote', 'data-href': `/${p.quoted.user.handle}/status/${p.quoted.id}` },
      el('div', { class: 'quote-head' }, avatar(p.quoted.user), authorLine(p.quoted, false)),
      el('div', { 'data-testid': 'tweetText' }, p.quoted.text)) : '';
    return el('article', { 'data-testid': 'tweet', role: 'article', tabindex: '0', 'data-href': `/${p.user.handle}/status/${p.id}` },
      p.repostedBy ? el('div', { 'data-testid': 'socialContext', class: 'muted' }, `${p.repostedBy.name} reposted`) : '',
      el('div', { class: 'row' },
        el('div', { 'data-testid': 'Tweet-User-Avatar' }, avatar(p.user)),
        el('div', { class: 'content' }, authorLine(p, true), el('div', { 'data-testid': 'tweetText' }, p.text), quote,
          el('div', { role: 'group' }, el('button', { type: 'button', 'data-testid': 'reply' }, '💬'), el('button', { type: 'button', 'data-testid': 'like' }, '♡')))));
  }

  let shownPosts = [];
  async function renderPosts(op, variables, into) {
    const body = await call(op, variables, 'json');
    shownPosts = postsOf(body);
    const list = el('div', { 'aria-label': 'Timeline', class: 'timeline' },
      ...shownPosts.map((p) => el('div', { 'data-testid': 'cellInnerDiv' }, article(p))));
    into.append(list);
  }

  // X reuses a row's nodes for another post as the list scrolls: the same
  // article, author line and avatar, rewritten in place.
  function recycle(i, j) {
    const row = document.querySelectorAll('article[data-testid="tweet"]')[i];
    const p = shownPosts[j];
    if (!row || !p) return false;
    row.dataset.href = `/${p.user.handle}/status/${p.id}`;
    row.querySelector('[data-testid="Tweet-User-Avatar"] [data-testid^="UserAvatar-Container-"]').setAttribute('data-testid', `UserAvatar-Container-${p.user.handle}`);
    const line = row.querySelector('[data-testid="User-Name"]');
    line.querySelector('.dn span').textContent = p.user.name;
    line.querySelector('.handle').textContent = '@' + p.user.handle;
    for (const a of line.querySelectorAll('a')) a.setAttribute('href', a.getAttribute('href').replace(/^\/[^/]+/, `/${p.user.handle}`));
    line.querySelector('a[data-hover]').dataset.hover = p.user.handle;
    row.querySelector('[data-testid="tweetText"]').textContent = p.text;
    row.querySelector('.quote')?.remove();
    return true;
  }
  window.replay = { recycle };

  async function renderNotifications() {
    primary.replaceChildren(el('div', { class: 'head' }, el('h2', {}, 'Notifications')));
    const body = await call('NotificationsTimeline', { timeline_type: 'All', count: 20 }, 'json');
    const items = [];
    (function walk(o) {
      if (Array.isArray(o)) return o.forEach(walk);
      if (!o || typeof o !== 'object') return;
      if (o.notification_icon) {
        items.push(el('div', { 'data-testid': 'cellInnerDiv' }, el('article', { 'data-testid': 'notification', class: 'note' },
          el('span', { class: 'icon' }, o.notification_icon === 'person_icon' ? '👤' : '♥'), ' ', (o.rich_message && o.rich_message.text) || '')));
        return;
      }
      Object.values(o).forEach(walk);
    })(body);
    primary.append(el('div', { 'aria-label': 'Timeline: Notifications' }, ...items));
  }

  async function renderHome() {
    primary.replaceChildren(el('div', { class: 'head' }, el('h2', {}, 'Home')));
    await renderPosts('HomeTimeline', { count: 20, includePromotedContent: true }, primary);
  }

  async function renderThread(handle, id) {
    primary.replaceChildren(el('div', { class: 'head' }, el('h2', {}, 'Post')));
    await renderPosts('TweetDetail', { focalTweetId: id, with_rux_injections: false }, primary);
  }

  async function renderSearch(q) {
    primary.replaceChildren(el('div', { class: 'head' }, el('h2', {}, `Search: ${q}`)));
    await renderPosts('SearchTimeline', { rawQuery: q, count: 20, product: 'Top' }, primary);
  }

  async function renderProfile(handle) {
    primary.replaceChildren(el('div', { class: 'banner' }));
    const data = await call('UserByScreenName', { screen_name: handle, withSafetyModeUserFields: true }, 'json');
    const r = data && data.data && data.data.user && data.data.user.result;
    const user = describe(r) || { id: r && r.rest_id, name: r && r.__typename === 'UserUnavailable' ? 'Account suspended' : 'This account doesn’t exist', handle };
    const nav = el('nav', {},
      el('a', { href: `/${handle}/following`, 'data-spa': '' }, 'Following'),
      el('a', { href: `/${handle}/followers`, 'data-spa': '' }, 'Followers'));
    primary.replaceChildren(el('div', { class: 'banner' }), el('div', { class: 'head' }, userName(user), user.bio ? bio(user.bio) : '', nav));
    primary.dataset.userId = user.id || '';
    if (user.id) await renderPosts('UserTweets', { userId: user.id, count: 20, includePromotedContent: true }, primary);
  }

  // One user cell: a row `button` (lists) or an `li` (the sidebar).
  function cell(user, tag) {
    const follow = user.following
      ? el('button', { type: 'button', 'data-testid': `${user.id}-unfollow`, class: 'follow' }, 'Following')
      : el('button', { type: 'button', 'data-testid': `${user.id}-follow`, class: 'follow' }, 'Follow');
    const attrs = tag === 'li' ? { role: 'listitem', 'data-testid': 'UserCell' } : { role: 'button', tabindex: '0', 'data-testid': 'UserCell', type: 'button' };
    return el(tag, { ...attrs, 'data-href': `/${user.handle}` },
      avatar(user),
      el('div', { class: 'body' },
        el('div', { class: 'top' },
          el('a', { href: `/${user.handle}`, 'data-spa': '', 'data-hover': user.handle, class: 'name' }, el('span', {}, user.name)),
          el('a', { href: `/${user.handle}`, 'data-spa': '', tabindex: '-1', class: 'handle' }, el('span', {}, '@' + user.handle)),
          user.followedBy ? followsYou() : '',
          follow),
        user.bio ? bio(user.bio) : ''));
  }

  function usersOf(page) {
    const users = [];
    const walk = (o) => {
      if (Array.isArray(o)) return o.forEach(walk);
      if (o && typeof o === 'object') {
        if (typeof o.entryId === 'string' && o.entryId.startsWith('user-')) {
          const u = describe(o.content && o.content.itemContent && o.content.itemContent.user_results && o.content.itemContent.user_results.result);
          if (u) users.push(u);
          return;
        }
        Object.values(o).forEach(walk);
      }
    };
    walk(page);
    return users;
  }

  async function renderList(handle, kind) {
    primary.replaceChildren(el('div', { class: 'head' }, el('h2', {}, `@${handle} · ${kind}`)));
    const data = await call('UserByScreenName', { screen_name: handle }, 'json');
    const owner = describe(data && data.data && data.data.user && data.data.user.result);
    if (!owner) return;
    const op = kind === 'followers' ? 'Followers' : 'Following';
    const page = await call(op, { userId: owner.id, count: 20, includePromotedContent: false }, 'text');
    const list = el('div', { 'aria-label': `Timeline: ${kind}` });
    for (const u of usersOf(page)) list.append(el('div', { 'data-testid': 'cellInnerDiv' }, cell(u, 'button')));
    primary.append(list);
  }

  // "Who to follow": the accounts the replay is told to suggest.
  async function renderSidebar() {
    const res = await fetch('/__replay/sidebar.json').catch(() => null);
    const users = res && res.ok ? (await res.json()).map(describe).filter(Boolean) : [];
    sidebar.replaceChildren(users.length ? el('aside', { 'aria-label': 'Who to follow' },
      el('h2', {}, 'Who to follow'), el('ul', {}, ...users.map((u) => cell(u, 'li')))) : '');
  }

  function route() {
    layers.replaceChildren();
    const parts = location.pathname.split('/').filter(Boolean);
    if (parts.length === 0 || parts[0] === 'home') renderHome();
    else if (parts[0] === 'notifications') renderNotifications();
    else if (parts[0] === 'search') renderSearch(new URLSearchParams(location.search).get('q') || '');
    else if (parts[1] === 'status' && parts[2]) renderThread(parts[0], parts[2]);
    else if (parts[1] === 'followers' || parts[1] === 'following') renderList(parts[0], parts[1]);
    else renderProfile(parts[0]);
    renderSidebar();
  }

  function go(href) {
    history.pushState({}, '', href);
    route();
  }

  // Clicks bubble to the app's root, as React's delegated listeners do: a link
  // navigates; anywhere else in a user cell opens that user's profile.
  document.getElementById('react-root').addEventListener('click', (e) => {
    const a = e.target.closest('a[data-spa]');
    if (a) {
      e.preventDefault();
      return go(a.getAttribute('href'));
    }
    if (e.target.closest('button.follow')) return;
    const switcher = e.target.closest('[data-testid="SideNav_AccountSwitcher_Button"]');
    if (switcher) return openSwitcher(switcher);
    const verified = e.target.closest('[data-testid="icon-verified"]');
    if (verified) return openVerified(verified);
    const row = e.target.closest('[data-testid="UserCell"][data-href]');
    if (row) return go(row.dataset.href);
    // A post (or the post it quotes) opens where a click lands, unless on a button.
    if (e.target.closest('button')) return;
    const post = e.target.closest('.quote[data-href], article[data-testid="tweet"][data-href]');
    if (post) go(post.dataset.href);
  });
  window.addEventListener('popstate', route);

  function popup(anchor, ...children) {
    const rect = anchor.getBoundingClientRect();
    const card = el('div', { 'data-testid': 'HoverCard', style: `top:${rect.bottom + window.scrollY + 4}px;left:${rect.left}px` }, ...children);
    layers.replaceChildren(card);
    return card;
  }

  // The account switcher: the viewer's own accounts, as user cells.
  function openSwitcher(button) {
    const accounts = JSON.parse(button.dataset.accounts || '[]');
    popup(button, el('div', { role: 'menu' },
      ...accounts.map((u) => cell({ ...u, bio: '', followedBy: false, following: false }, 'li')),
      el('a', { href: '/i/flow/login', role: 'menuitem' }, 'Add an existing account')));
  }

  // The verified-badge popup: words about the profile's owner, no avatar.
  function openVerified(icon) {
    const handle = location.pathname.split('/').filter(Boolean)[0] || '';
    popup(icon, el('div', {}, el('span', {}, `@${handle} `), 'is verified because it is subscribed to X Premium. ',
      el('a', { href: '/i/premium_sign_up', 'data-spa': '' }, 'Upgrade')));
  }

  // Hover cards: X opens an empty shell in #layers after a short delay, then fills
  // it once it has the user.
  let hoverTimer = null;
  document.addEventListener('mouseover', (e) => {
    const a = e.target.closest && e.target.closest('a[data-hover]');
    if (!a) return;
    clearTimeout(hoverTimer);
    hoverTimer = setTimeout(() => {
      const handle = a.dataset.hover;
      const card = popup(a, el('div', { role: 'progressbar', 'aria-label': 'Loading', class: 'spinner' }));
      setTimeout(() => {
        if (!card.isConnected) return;
        const user = known.get(handle.toLowerCase()) || { handle, name: a.textContent, bio: '', followedBy: false };
        card.replaceChildren(
          avatar(user),
          el('div', {}, el('a', { href: `/${handle}`, 'data-spa': '', class: 'name' }, user.name)),
          el('div', { class: 'handle-line' }, el('a', { href: `/${handle}`, 'data-spa': '', tabindex: '-1' }, el('span', { class: 'handle' }, '@' + handle)),
            user.followedBy ? followsYou() : ''),
          user.bio ? bio(user.bio) : '');
      }, Number(document.body.dataset.hoverFillMs || 250));
    }, 150);
  });
  document.addEventListener('mouseout', (e) => {
    if (e.target.closest && e.target.closest('a[data-hover]')) clearTimeout(hoverTimer);
  });

  route();
})();
