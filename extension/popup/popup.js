/* The popup: the current profile's record, the viewer's summary, pause, export,
 * the dashboard, and a notice when captures failed to read. */
const api = globalThis.browser ?? globalThis.chrome;
const { msg } = globalThis.Reciprocity;
const t = (key) => api.i18n.getMessage(key) || key;
const french = (api.i18n.getUILanguage() || '').toLowerCase().startsWith('fr');
const $ = (id) => document.getElementById(id);

for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);

const send = (message) => api.runtime.sendMessage(message);

function download(name, text) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function who(a) {
  return a.handle ? `@${a.handle}` : a.id;
}

function item(text) {
  const li = document.createElement('li');
  li.textContent = text;
  return li;
}

async function currentTab() {
  const [tab] = await api.tabs.query({ active: true, currentWindow: true });
  return tab;
}

async function viewerOf(tab) {
  // The signed-in account of the x.com tab (its content script reads the page's
  // cookie); away from x.com, the only viewer the store holds, if just one.
  const status = await send({ type: msg.STATUS });
  let viewer = null;
  if (tab && tab.id != null) {
    const reply = await api.tabs.sendMessage(tab.id, { type: msg.WHO }).catch(() => null);
    viewer = reply && reply.viewer;
  }
  if (!viewer && status.viewers.length === 1) viewer = status.viewers[0];
  return { status, viewer, tab };
}

async function main() {
  const tab = await currentTab().catch(() => null);
  const { status, viewer } = await viewerOf(tab);
  $('pause').checked = status.paused;
  $('paused-notice').hidden = !status.paused;
  $('failures').hidden = !status.failures;
  const cannotSave = /^could not/.test(status.storeProblem || '');
  $('store-full').hidden = !cannotSave;
  $('store-problem').hidden = cannotSave || !(status.storeProblem || status.keptAside);
  $('signed-out').hidden = !!viewer;

  const handle = tab && tab.url && /^https:\/\/(x|twitter)\.com\/([A-Za-z0-9_]{1,15})(?:[/?#]|$)/.exec(tab.url);
  const profile = $('profile');
  if (!handle || !viewer) {
    profile.textContent = t('popup_no_profile');
  } else {
    const reply = await send({ type: msg.ANNOTATE, viewer, accounts: ['@' + handle[2]] });
    const a = reply.ok && reply.annotations[0];
    if (!a) {
      profile.textContent = t('popup_unknown_profile');
    } else {
      const p = document.createElement('p');
      p.className = 'verdict';
      p.dataset.reciprocityVerdict = a.verdict.code;
      p.textContent = `${who(a.account)} — ${french ? a.verdict.text.fr : a.verdict.text.en}`;
      const conf = document.createElement('p');
      conf.className = 'muted';
      conf.textContent = `${t('confidence')}: ${t('confidence_' + a.verdict.confidence)}`;
      profile.replaceChildren(p, conf);
    }
  }

  if (viewer) {
    const s = await send({ type: msg.SUMMARY, viewer });
    const names = new Map((s.accounts || []).map((a) => [a.id, a]));
    const name = (id) => (names.get(id) ? who(names.get(id)) : id);
    const unf = s.summary.unfollowed_you.slice(0, 5).map((u) => item(`${name(u.account)} — ${u.stint.ended.by.slice(0, 10)}`));
    $('unfollowed').replaceChildren(...(unf.length ? unf : [item(t('popup_none'))]));
    const nb = s.summary.not_following_back.slice(0, 5).map((n) => item(name(n.account)));
    $('not-back').replaceChildren(...(nb.length ? nb : [item(t('popup_none'))]));
  }
}

$('pause').addEventListener('change', async (e) => {
  await send({ type: msg.SET_PAUSED, paused: e.target.checked });
  $('paused-notice').hidden = !e.target.checked;
});
$('export').addEventListener('click', async () => {
  const r = await send({ type: msg.EXPORT });
  if (r.ok) download('reciprocity-export.json', r.json);
});
$('export-failures').addEventListener('click', async () => {
  const r = await send({ type: msg.EXPORT_FAILURES });
  if (r.ok) download('reciprocity-failed-captures.json', JSON.stringify(r.failures, null, 2));
});
$('dashboard').addEventListener('click', () => api.runtime.openOptionsPage());

main().catch((e) => {
  $('profile').textContent = String(e.message || e);
});
