// @ts-check
/* Importing: X archives read in a reader-only Worker (reader-worker.js) and sent
 * to the engine page by page, ledger exports merged; the static site's list of
 * archives, each removable. Nothing is uploaded anywhere. */
import { $, el } from './dom.js';
import { ask, ext, ok } from './engine.js';
import { chooseViewer, state } from './state.js';

const { t } = I18n;
const { msg } = Reciprocity;

const progress = /** @type {HTMLProgressElement} */ ($('#progress'));
export const status = $('#import-status');
const cancelButton = $('#cancel-import');
/** Stops the import under way. @type {(() => void) | null} */
let cancelImport = null;
cancelButton.addEventListener('click', () => cancelImport?.());
class Cancelled extends Error {}

/** The viewers, the archives and the view, drawn again after a change. */
export async function refresh() {
  await chooseViewer(status);
  await showArchives();
  await state.redraw();
}

/** Reads one archive (or, `repo`, a Bluesky repository export) in a reader-only
 * worker (a new one each time: a trap there takes nothing with it); `cancel()`
 * terminates it.
 * @param {File} file @param {(done: number, total: number) => void} onProgress @param {boolean} [repo] */
function readArchive(file, onProgress, repo = false) {
  const worker = new Worker('reader-worker.js');
  /** @type {(e: Error) => void} */
  let fail = () => {};
  /** @type {Promise<{ archive: wasm_bindgen.ArchiveRead, repo: wasm_bindgen.RepoRead, wasmBytes: number | null }>} */
  const done = new Promise((resolve, reject) => {
    fail = reject;
    worker.onmessage = (e) => {
      const d = e.data;
      if (d.progress) return onProgress(d.progress.done, d.progress.total);
      worker.terminate();
      if (d.ok) resolve(d);
      else reject(new Error(d.error));
    };
    worker.onerror = (e) => {
      e.preventDefault();
      worker.terminate();
      reject(new Error(t('reader_stopped')));
    };
  });
  worker.postMessage({ file, idsPerPage: Reciprocity.ARCHIVE_IDS_PER_PAGE, repo });
  return {
    done,
    cancel() {
      worker.terminate();
      fail(new Cancelled());
    },
  };
}

/** Reads an archive and sends its pages to the engine; 80 % of the bar is
 * reading (bytes decompressed of the lists), the rest recording.
 * @param {File} file @param {{ cancelled: boolean }} run @returns {Promise<string[]>} notes */
async function importArchive(file, run) {
  const reader = readArchive(file, (done, total) => {
    progress.value = total ? (0.8 * done) / total : 0;
  });
  cancelImport = () => {
    run.cancelled = true;
    reader.cancel();
  };
  const { archive, wasmBytes } = await reader.done;
  document.body.dataset.readerWasmBytes = String(wasmBytes ?? '');
  /** @type {ArchiveRecord} */
  const record = {
    key: `${archive.viewer}@${archive.at}`,
    file: file.name,
    viewer: archive.viewer,
    handle: archive.handle ?? null,
    at: archive.at,
    on: archive.on,
    followers: archive.followers,
    following: archive.following,
    complete: archive.complete,
  };
  const pages = archive.pages;
  for (const [i, page] of pages.entries()) {
    if (run.cancelled) {
      // The static site keeps nothing of it; the extension keeps the pages
      // recorded, which chain to no last page and so prove no absence.
      if (!ext) {
        await ask({ type: msg.REMOVE_ARCHIVE, key: record.key });
        return [t('cancelled', { name: file.name })];
      }
      return [t('cancelled_partly', { name: file.name })];
    }
    status.textContent = t('recording', { name: file.name, done: i, total: pages.length });
    const { list, part, last, json } = page;
    ok(await sendPage({ type: msg.ARCHIVE_PAGE, viewer: archive.viewer, at: archive.at, list, part, last, page: json, archive: record }));
    progress.value = 0.8 + (0.2 * (i + 1)) / pages.length;
  }
  state.viewer = archive.viewer;
  const notes = [
    t('read_archive', {
      name: file.name,
      who: archive.handle ? `@${archive.handle}` : archive.viewer,
      date: archive.on,
      followers: archive.followers,
      following: archive.following,
    }),
  ];
  if (!archive.complete) notes.push(t('archive_partial'));
  return notes;
}

/** Sends one page of an archive. The browser may stop the extension's worker
 * while it keeps a page (no answer comes back, or the channel's error): the
 * page is sent once more, to the worker the browser starts again; one kept
 * twice is harmless (the ledger does not depend on repetition).
 * @param {MessageOf<'archive-page'>} message */
async function sendPage(message) {
  /** @type {ReplyTo<'archive-page'> | undefined} */
  let reply;
  try {
    reply = await ask(message);
  } catch (e) {
    if (!ext) throw e;
  }
  return reply ?? ask(message);
}

/** A Bluesky repository export: its owner's follows, one page to the engine.
 * @param {File} file @param {{ cancelled: boolean }} run @returns {Promise<string[]>} notes */
async function importRepo(file, run) {
  const reader = readArchive(file, () => {}, true);
  cancelImport = () => {
    run.cancelled = true;
    reader.cancel();
  };
  const { repo } = await reader.done;
  /** @type {ArchiveRecord} */
  const record = {
    key: `${repo.viewer}@${repo.at}`,
    file: file.name,
    viewer: repo.viewer,
    handle: null,
    at: repo.at,
    on: repo.on,
    followers: 0,
    following: repo.following,
    complete: true,
  };
  status.textContent = t('recording', { name: file.name, done: 0, total: 1 });
  progress.value = 0.8;
  ok(
    await sendPage({
      type: msg.ARCHIVE_PAGE,
      network: 'bsky',
      viewer: repo.viewer,
      at: repo.at,
      list: 'following',
      part: 0,
      last: true,
      page: repo.json,
      archive: record,
    }),
  );
  progress.value = 1;
  return [t('read_repo', { name: file.name, who: repo.viewer, date: repo.on, following: repo.following })];
}

/** A ledger export, merged into the store. @param {File} file */
async function importExport(file) {
  // As the options page, the file goes through IndexedDB, not a message.
  const message = ext ? { type: msg.IMPORT_JSON, transfer: await ReciprocityPlatform.transfer.put(file) } : { type: msg.IMPORT_JSON, file };
  ok(await ask(message));
  return [t('read_export', { name: file.name })];
}

/** @param {FileList | null} files */
export async function importFiles(files) {
  if (!files) return;
  const list = [...files];
  if (!list.length || cancelImport) return;
  progress.hidden = false;
  cancelButton.hidden = false;
  /** @type {string[]} */
  const notes = [];
  const started = performance.now();
  for (const file of list) {
    const run = { cancelled: false };
    status.textContent = t('reading', { name: file.name });
    progress.value = 0;
    try {
      const kind = /\.json$/i.test(file.name) ? importExport : /\.car$/i.test(file.name) ? importRepo : importArchive;
      notes.push(...(await kind(file, run)));
    } catch (e) {
      // The reader's and the engine's messages name what was wrong.
      notes.push(e instanceof Cancelled ? t('cancelled', { name: file.name }) : t('failed', { name: file.name, error: ReciprocityPlatform.errorMessage(e) }));
    }
    if (run.cancelled) break;
  }
  cancelImport = null;
  cancelButton.hidden = true;
  const ms = Math.round(performance.now() - started);
  await refresh();
  status.textContent = notes.join(' ');
  progress.hidden = true;
  // Reading and recording, not redrawing (the benchmark harness reads it); set last.
  document.body.dataset.importMs = String(ms);
}

/** The static site's archives, each with a Remove button. */
export async function showArchives() {
  if (ext) return;
  const r = await ask({ type: msg.ARCHIVES });
  const archives = r.ok ? r.archives.sort((a, b) => a.at.localeCompare(b.at)) : [];
  $('#archive-list').replaceChildren(
    ...archives.map((a) =>
      el(
        'li',
        { 'data-archive': a.key },
        el(
          'span',
          {},
          t('archive_row', { date: a.on, who: a.handle ? `@${a.handle}` : a.viewer, followers: a.followers, following: a.following }),
          a.complete ? '' : ' ⚠',
        ),
        el(
          'button',
          {
            type: 'button',
            onclick: async () => {
              ok(await ask({ type: msg.REMOVE_ARCHIVE, key: a.key }));
              status.textContent = t('archive_removed', { name: a.file });
              await refresh();
            },
          },
          t('remove'),
        ),
      ),
    ),
  );
  $('#archives').hidden = !archives.length;
}

/** The file picker and the drop zone. */
export function wireImport() {
  $('#files').addEventListener('change', (e) => importFiles(/** @type {HTMLInputElement} */ (e.target).files));
  const drop = $('#drop');
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    importFiles(e.dataTransfer?.files ?? null);
  });
  drop.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      $('#files').click();
    }
  });
}
