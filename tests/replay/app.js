// The replay's client: renders profiles, follower lists and hover cards with X's
// data-testid's, loading data with XMLHttpRequest as X's client does.
(() => {
  const primary = document.getElementById('primary');
  const layers = document.getElementById('layers');
  const QID = 'rEpLaYqUeRyId';

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
    return {
      id: u.rest_id,
      name: core.name || legacy.name || '',
      handle: core.screen_name || legacy.screen_name || '',
    };
  }

  function el(tag, attrs = {}, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    e.append(...children);
    return e;
  }

  function userName(user) {
    return el('div', { 'data-testid': 'UserName' },
      el('div', {}, el('span', { class: 'name' }, user.name)),
      el('div', {}, el('span', { class: 'handle' }, '@' + user.handle)));
  }

  async function renderProfile(handle) {
    primary.replaceChildren(el('div', { class: 'banner' }));
    const data = await call('UserByScreenName', { screen_name: handle, withSafetyModeUserFields: true }, 'json');
    const r = data && data.data && data.data.user && data.data.user.result;
    const user = describe(r) || { id: r && r.rest_id, name: r && r.__typename === 'UserUnavailable' ? 'Account suspended' : 'This account doesn’t exist', handle };
    const nav = el('nav', {},
      el('a', { href: `/${handle}/following`, 'data-spa': '' }, 'Following'),
      el('a', { href: `/${handle}/followers`, 'data-spa': '' }, 'Followers'));
    primary.replaceChildren(el('div', { class: 'banner' }), el('div', { class: 'head' }, userName(user), nav));
    primary.dataset.userId = user.id || '';
  }

  async function renderList(handle, kind) {
    primary.replaceChildren(el('div', { class: 'head' }, el('h2', {}, `@${handle} · ${kind}`)));
    const data = await call('UserByScreenName', { screen_name: handle }, 'json');
    const owner = describe(data && data.data && data.data.user && data.data.user.result);
    if (!owner) return;
    const op = kind === 'followers' ? 'Followers' : 'Following';
    const page = await call(op, { userId: owner.id, count: 20, includePromotedContent: false }, 'text');
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
    for (const u of users) {
      const cell = el('div', { 'data-testid': 'UserCell' },
        el('a', { href: `/${u.handle}`, 'data-spa': '', 'data-hover': u.handle }, u.name),
        el('span', { class: 'handle' }, '@' + u.handle));
      primary.append(cell);
    }
  }

  function route() {
    layers.replaceChildren();
    const parts = location.pathname.split('/').filter(Boolean);
    if (parts.length === 0) primary.replaceChildren(el('div', { class: 'head' }, el('h2', {}, 'Home')));
    else if (parts[1] === 'followers' || parts[1] === 'following') renderList(parts[0], parts[1]);
    else renderProfile(parts[0]);
  }

  document.addEventListener('click', (e) => {
    const a = e.target.closest('a[data-spa]');
    if (!a) return;
    e.preventDefault();
    history.pushState({}, '', a.getAttribute('href'));
    route();
  });
  window.addEventListener('popstate', route);

  // Hover cards: X renders them in the #layers portal after a short delay.
  let hoverTimer = null;
  document.addEventListener('mouseover', (e) => {
    const a = e.target.closest && e.target.closest('a[data-hover]');
    if (!a) return;
    clearTimeout(hoverTimer);
    hoverTimer = setTimeout(() => {
      const handle = a.dataset.hover;
      const rect = a.getBoundingClientRect();
      const card = el('div', { 'data-testid': 'HoverCard', style: `top:${rect.bottom + window.scrollY + 4}px;left:${rect.left}px` },
        el('a', { href: `/${handle}`, 'data-spa': '' }, a.textContent),
        el('div', {}, el('span', { class: 'handle' }, '@' + handle)));
      layers.replaceChildren(card);
    }, 150);
  });
  document.addEventListener('mouseout', (e) => {
    if (e.target.closest && e.target.closest('a[data-hover]')) clearTimeout(hoverTimer);
  });

  route();
})();
