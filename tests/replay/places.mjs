// Where the tests look on the replay's pages (x.com's real structure, see app.js),
// and small helpers on its fixtures, shared by the Chromium and Firefox suites.
import { fixture } from './server.mjs';

export const HEADER = '[data-testid="primaryColumn"] [data-testid="UserName"]';
export const HOVER = '#layers [data-testid="HoverCard"]';
export const CELL = '[data-testid="UserCell"]';
export const ROW = '[data-testid="cellInnerDiv"] button[data-testid="UserCell"]';
export const SIDEBAR_CELL = '[data-testid="sidebarColumn"] li[data-testid="UserCell"]';
export const BADGE = '[data-reciprocity-verdict]';
export const BRAND = 'xdevelopers';
export const BRAND_ID = '2244994945';

/** The GraphQL user objects of a real response, in order. */
export function usersOf(file) {
  const out = [];
  (function walk(o) {
    if (!o || typeof o !== 'object') return;
    if (o.__typename === 'User' && o.rest_id && o.core) out.push(o);
    else Object.values(o).forEach(walk);
  })(JSON.parse(fixture(file)));
  return out;
}

/** A real profile response whose display name is `name` (a derived copy). */
export function withDisplayName(file, name) {
  const body = JSON.parse(fixture(file));
  (function rename(o) {
    if (!o || typeof o !== 'object') return;
    if (o.__typename === 'User' && o.core) o.core.name = name;
    Object.values(o).forEach(rename);
  })(body);
  return JSON.stringify(body);
}

/** Runs in the page (Playwright's and Puppeteer's `evaluate` alike): one profile
 * fetched with fetch and with XMLHttpRequest (responseType json), and a request
 * the replay answers 404, as the page receives them.
 * @param {string} screenName */
export async function fetchBothWays(screenName) {
  const url = '/i/api/graphql/q/UserByScreenName?variables=' + encodeURIComponent(JSON.stringify({ screen_name: screenName }));
  const ok = await fetch(url, { headers: { 'x-replay-app': '1' } }).then((r) => r.text());
  const missing = await fetch('/i/api/graphql/q/UserByScreenName?variables=%7B%7D', { headers: { 'x-replay-app': '1' } }).then((r) => r.status);
  const xhr = await new Promise((resolve) => {
    const x = new XMLHttpRequest();
    x.open('GET', url);
    x.setRequestHeader('x-replay-app', '1');
    x.responseType = 'json';
    x.onload = () => resolve(JSON.stringify(x.response));
    x.send();
  });
  return { ok, missing, xhr };
}
