// The engine as the extension ships it (dist/www/wasm, after `cargo xtask dist`),
// loaded in Node with the engine service beside it: the messages both hosts
// answer, on a Bluesky read recorded from production (tests/fixtures/bluesky).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const WASM = path.join(root, 'dist/www/wasm');

/** A context holding the glue, the shared scripts and the engine service. */
function load() {
  const ctx = vm.createContext({ URL, TextEncoder, TextDecoder, WebAssembly, navigator: { language: 'en' }, console });
  const run = (file) => vm.runInContext(fs.readFileSync(file, 'utf8'), ctx, { filename: file });
  run(path.join(WASM, 'reciprocity_wasm.js'));
  for (const file of ['extension/messages.js', 'extension/platform.js', 'www/engine-service.js']) run(path.join(root, file));
  const glue = vm.runInContext('wasm_bindgen', ctx);
  // The options object made in the context: the glue checks its prototype.
  const init = vm.runInContext('(bytes) => wasm_bindgen.initSync({ module: new Uint8Array(bytes) })', ctx);
  init(fs.readFileSync(path.join(WASM, 'reciprocity_wasm_bg.wasm')));
  return { glue, service: vm.runInContext('ReciprocityEngineService', ctx), encoder: new TextEncoder() };
}

const BSKYR = 'did:plc:5c2r73erhng4bszmxlfdtscf';
const CHRIS = 'did:plc:wpe35pganb6d4pg4ekmfy6u5';

/** The recorded getProfiles read as the worker journals it. */
function profileEnvelope() {
  const rec = JSON.parse(fs.readFileSync(path.join(root, 'tests/fixtures/bluesky/01_getProfiles_2025-05_authed.json'), 'utf8'));
  return JSON.stringify({
    platform: 'bsky',
    viewer: BSKYR,
    at: '2025-05-19T17:41:25Z',
    method: 'GET',
    url: rec._source.request.uri,
    status: 200,
    body: rec.body,
  });
}

describe('the engine, as shipped', { skip: !fs.existsSync(WASM) && 'run cargo xtask dist first' }, () => {
  it('keeps a Bluesky viewer in a ledger of its own and answers its badges by DID or handle', () => {
    const { glue, service, encoder } = load();
    const engine = new glue.Engine();
    engine.set_clock(Date.parse('2025-05-20T00:00:00Z'));
    const done = engine.ingest(encoder.encode(profileEnvelope()));
    assert.ok(done.learned.accounts >= 1);
    const [viewer] = engine.viewers();
    assert.match(viewer, /^bsky:\d+$/);
    // Asked by DID or by its `bsky:` name, the same ledger answers.
    for (const asked of [BSKYR, viewer]) {
      const reply = service.answer(glue, engine, { type: 'annotate', viewer: asked, accounts: [CHRIS, '@chriskenny.bsky.social'] }, 'en');
      assert.ok(reply.ok);
      for (const badge of reply.badges) {
        assert.equal(badge.verdict.code, 'mutual');
        assert.equal(badge.beside_x_follows_you.label, 'Since 2023-10-24');
        assert.match(JSON.stringify(badge.verdict.evidence), /Followed you: at 2023-10-24 01:28:28 UTC/);
      }
    }
    // An X viewer with the same digits is another ledger: it knows nothing of it.
    const x = service.answer(glue, engine, { type: 'annotate', viewer: viewer.slice('bsky:'.length), accounts: [CHRIS] }, 'en');
    assert.ok(x.ok);
    assert.equal(x.badges[0], null);
  });

  it('refuses a Bluesky read whose viewer is no DID, and a page that is no page, by their codes', () => {
    const { glue, encoder } = load();
    const engine = new glue.Engine();
    const bad = JSON.parse(profileEnvelope());
    bad.viewer = '900000000000000001';
    assert.throws(
      () => engine.ingest(encoder.encode(JSON.stringify(bad))),
      (e) => e.code === 'not_a_capture',
    );
    assert.throws(
      () => glue.archive_envelope('1', '2026-01-01T00:00:00Z', 'likes', '{}'),
      (e) => e.code === 'not_a_capture',
    );
    const text = glue.archive_envelope('1', '2026-01-01T00:00:00Z', 'followers', '{"not":"a page"}');
    assert.throws(
      () => engine.ingest(encoder.encode(text)),
      (e) => typeof e.code === 'string',
    );
  });
});
