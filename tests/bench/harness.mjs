// The browser benchmark harness (not a test: it measures and prints). Each figure
// has a baseline measured in the same run:
//  - hover card → badge, worker warm and worker stopped, against one animation
//    frame measured on the same page;
//  - worker start to ready, against a warm round trip to the worker;
//  - wasm size raw and gzipped;
//  - parse throughput of the wasm reader against serde_json::Value and JSON.parse,
//    in one page, on the bench build;
//  - a ledger of a million edges (bench/million.mjs): the first badge after a
//    worker stop against an empty store's, and what a compaction writes.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { launch, openAs, ask, stopWorker, serveDir, plainBrowser, setBadges, realArchive, ROOT, DIST } from '../e2e/harness.mjs';
import { fixture, FIXTURES } from '../replay/server.mjs';
import { million } from './million.mjs';

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const fmt = (ms) => `${ms.toFixed(2)} ms`;
const lines = [];
const say = (s) => {
  console.log(s);
  lines.push(s);
};

const env = await launch();
try {
  // Every cell badged, as the hover measurements expect.
  await setBadges(env, { profileHeader: 'all', hoverCard: 'all', userCell: 'all' });
  const viewer = '990000000000000001';
  env.replay.state.profiles.set('xdevelopers', fixture('2026-05-21_user_by_login.json'));
  env.replay.state.lists.set('2244994945/Followers', fixture('2026-05-21_followers.json'));
  const page = await openAs(env, viewer, null);
  await page.goto('https://x.com/XDevelopers/followers');
  await page.locator('[data-testid="UserCell"] [data-reciprocity-verdict]').first().waitFor();

  // Times, inside the page, from the moment a hover card has its user (X opens it
  // empty and fills it in; its avatar arrives with the data) to its badge.
  await page.evaluate(() => {
    window.__lat = [];
    let born = 0;
    new MutationObserver(() => {
      const card = document.querySelector('#layers [data-testid="HoverCard"]');
      if (card && !card.__seen && card.querySelector('[data-testid^="UserAvatar-Container-"]')) {
        card.__seen = true;
        born = performance.now();
      }
      if (card && !card.__badged && card.querySelector('[data-reciprocity-verdict]')) {
        card.__badged = true;
        window.__lat.push(performance.now() - born);
      }
    }).observe(document.body, { childList: true, subtree: true });
  });
  const cells = page.locator('[data-testid="UserCell"] a[data-hover]');
  const n = await cells.count();
  async function hoverOnce(i) {
    await page.mouse.move(0, 0);
    await page.evaluate(() => document.getElementById('layers').replaceChildren());
    const before = await page.evaluate(() => window.__lat.length);
    await cells.nth(i % n).hover();
    await page.waitForFunction((k) => window.__lat.length > k, before, { timeout: 10000 });
    return page.evaluate(() => window.__lat[window.__lat.length - 1]);
  }
  for (let i = 0; i < 5; i++) await hoverOnce(i); // warm-up
  // Cards for accounts already badged on the page: the content script's cache.
  const cached = [];
  for (let i = 0; i < 40; i++) cached.push(await hoverOnce(i + 5));

  // Cards for accounts not yet on the page (the content script has not cached
  // them): a round trip to the worker, warm or stopped. One page, as a user's tab.
  const handles = await page.$$eval('[data-testid="UserCell"] a[data-hover]', (as) => as.map((a) => a.dataset.hover));
  const home = await openAs(env, viewer, null);
  await home.goto('https://x.com/home');
  const card = (handle) =>
    home.evaluate(
      (h) =>
        new Promise((resolve) => {
          const c = document.createElement('div');
          c.setAttribute('data-testid', 'HoverCard');
          // A filled card, as X shows it once it has the user.
          const avatar = document.createElement('div');
          avatar.setAttribute('data-testid', `UserAvatar-Container-${h}`);
          c.append(avatar);
          const a = document.createElement('a');
          a.href = `/${h}`;
          a.textContent = h;
          c.append(a);
          const t0 = performance.now();
          new MutationObserver((_, o) => {
            if (c.querySelector('[data-reciprocity-verdict]')) {
              o.disconnect();
              resolve(performance.now() - t0);
            }
          }).observe(c, { childList: true, subtree: true });
          document.getElementById('layers').replaceChildren(c);
        }),
      handle,
    );
  const firstOnPage = await card(handles[0]);
  const warm = [];
  for (let i = 1; i <= 30; i++) warm.push(await card(handles[i % handles.length]));
  const cold = [];
  for (let i = 31; i < 39; i++) {
    await stopWorker(env, home);
    cold.push(await card(handles[i % handles.length]));
  }
  await home.close();
  const frames = await page.evaluate(async () => {
    const out = [];
    for (let i = 0; i < 40; i++) {
      const t = performance.now();
      await new Promise((r) => requestAnimationFrame(() => r()));
      out.push(performance.now() - t);
    }
    return out;
  });
  const frame = pct(frames, 50);
  say(`hover card → badge, account already on the page (n=${cached.length}): p50 ${fmt(pct(cached, 50))}, p95 ${fmt(pct(cached, 95))}`);
  say(
    `hover card → badge, account new to the page, worker warm (n=${warm.length}): p50 ${fmt(pct(warm, 50))}, p95 ${fmt(pct(warm, 95))} (${(pct(warm, 95) / frame).toFixed(2)}× a frame); the page's first: ${fmt(firstOnPage)}`,
  );
  say(
    `hover card → badge, account new to the page, worker stopped (n=${cold.length}): p50 ${fmt(pct(cold, 50))}, p95 ${fmt(pct(cold, 95))} (${(pct(cold, 95) / frame).toFixed(2)}× a frame)`,
  );
  say(`baseline: one animation frame on that page: p50 ${fmt(frame)}`);

  // Worker start to ready.
  const ready = [];
  const trips = [];
  for (let i = 0; i < 8; i++) {
    await stopWorker(env, page);
    const s = await ask(env, { type: 'status' });
    ready.push(s.readyMs);
    const t = performance.now();
    await ask(env, { type: 'status' });
    trips.push(performance.now() - t);
  }
  say(
    `worker start to ready (n=${ready.length}): p50 ${fmt(pct(ready, 50))}, max ${fmt(Math.max(...ready))}; baseline warm round trip p50 ${fmt(pct(trips, 50))}`,
  );

  // Size.
  const wasm = fs.readFileSync(path.join(DIST, 'www/wasm/reciprocity_wasm_bg.wasm'));
  const gz = zlib.gzipSync(wasm, { level: 9 }).length;
  say(`wasm: ${(wasm.length / 1024).toFixed(1)} KiB raw, ${(gz / 1024).toFixed(1)} KiB gzipped`);
} finally {
  await env.close();
}

// Parse throughput: the wasm reader against serde_json::Value in wasm and against
// JSON.parse in JS, in one page. The reader's baselines are exports no user gets,
// so this loads the bench build (target/wasm-bench, made by `cargo xtask bench`).
{
  const benchDir = path.join(ROOT, 'target/wasm-bench');
  fs.writeFileSync(path.join(benchDir, 'index.html'), '<!doctype html><script src="reciprocity_wasm.js"></script>');
  const site = await serveDir(benchDir);
  const browser = await plainBrowser();
  try {
    const page = await browser.newPage();
    await page.goto(`${site.url}index.html`);
    await page.evaluate(() => wasm_bindgen({ module_or_path: 'reciprocity_wasm_bg.wasm' }));
    const bodies = fs
      .readdirSync(FIXTURES)
      .filter((f) => f.endsWith('.json'))
      .map((f) => fixture(f));
    const tp = await page.evaluate(async (texts) => {
      const enc = new TextEncoder();
      const bytes = texts.map((t) => enc.encode(t));
      const total = bytes.reduce((a, b) => a + b.length, 0);
      const time = (f) => {
        const runs = [];
        for (let r = 0; r < 15; r++) {
          const t = performance.now();
          f();
          runs.push(performance.now() - t);
        }
        runs.sort((a, b) => a - b);
        return runs[7];
      };
      const countUsers = (o) => {
        let n = 0;
        const walk = (v) => {
          if (Array.isArray(v)) v.forEach(walk);
          else if (v && typeof v === 'object') {
            if (v.__typename === 'User' && v.rest_id) n++;
            for (const k in v) walk(v[k]);
          }
        };
        walk(o);
        return n;
      };
      const wasmMs = time(() => {
        for (const b of bytes) wasm_bindgen.read_body(b);
      });
      const valueMs = time(() => {
        for (const b of bytes) wasm_bindgen.parse_value_baseline(b);
      });
      const jsMs = time(() => {
        for (const t of texts) countUsers(JSON.parse(t));
      });
      return { total, wasmMs, valueMs, jsMs };
    }, bodies);
    const mbs = (ms) => tp.total / 1e6 / (ms / 1000);
    // The hover path's engine call: typed values (what the extension uses) against
    // JSON text parsed in JS (the seam before it was typed), same ledger, same run.
    const viewer = '990000000000000001';
    const envelope = JSON.stringify({
      platform: 'x',
      viewer,
      at: '2026-11-01T10:00:00Z',
      method: 'GET',
      url: 'https://x.com/i/api/graphql/q/Followers?variables=%7B%22userId%22%3A%222244994945%22%2C%22count%22%3A20%7D',
      request_body: null,
      status: 200,
      body: JSON.parse(fixture('2026-05-21_followers.json')),
    });
    const hover = await page.evaluate(
      ({ envelope, viewer }) => {
        const engine = new wasm_bindgen.Engine();
        // The accounts of a real Followers page: each one a hover away.
        const asked = engine.ingest(new TextEncoder().encode(envelope)).changed;
        const per = (f) => {
          const runs = [];
          for (let r = 0; r < 9; r++) {
            const t = performance.now();
            for (let i = 0; i < 200; i++) f(asked[i % asked.length]);
            runs.push((performance.now() - t) / 200);
          }
          runs.sort((a, b) => a - b);
          return runs[4];
        };
        const typed = per((id) => engine.badges(viewer, [id], 'en'));
        const sameJson = per((id) => JSON.parse(engine.badges_json(viewer, [id], 'en')));
        const before = per((id) => JSON.parse(engine.annotate_json(viewer, [id], 'en')));
        return { typed, sameJson, before, n: asked.length };
      },
      { envelope, viewer },
    );
    say(
      `hover path, one account's badge from the engine (${hover.n} accounts): typed ${(hover.typed * 1000).toFixed(1)} µs; baselines: the same badge as JSON text + JSON.parse ${(hover.sameJson * 1000).toFixed(1)} µs (typed ${(hover.sameJson / hover.typed).toFixed(2)}× as fast), the whole annotation as JSON text + JSON.parse as before this seam ${(hover.before * 1000).toFixed(1)} µs (${(hover.before / hover.typed).toFixed(2)}×)`,
    );
    say(
      `parse ${(tp.total / 1e6).toFixed(2)} MB of real captures in a page: wasm reader ${mbs(tp.wasmMs).toFixed(0)} MB/s; baselines: serde_json::Value in wasm ${mbs(tp.valueMs).toFixed(0)} MB/s (reader ${(tp.valueMs / tp.wasmMs).toFixed(2)}× faster), JSON.parse + walk in JS ${mbs(tp.jsMs).toFixed(0)} MB/s (${(tp.jsMs / tp.wasmMs).toFixed(2)}×)`,
    );
  } finally {
    await browser.close();
    await site.close();
  }
}

// The dashboard: importing a real-size archive (5 GB: media around 100,000
// followers and 100,000 following), as a static site, by path. Baseline, same run:
// reading just the bytes of the entries it needs with Blob.slice in JS (no zip
// reader, no parsing). Memory: the reader's wasm instance and the renderer's peak
// resident size. Then the CLI on the same archive, with its peak.
{
  const file = await realArchive('bench-5g', { 'media-gib': 5, followers: 100000, following: 100000, date: '2026-11-01T09:00:00.000Z' });
  // Where the list entries sit, written beside the archive by its maker.
  const entries = JSON.parse(fs.readFileSync(file.replace(/\.zip$/, '.entries.json'), 'utf8'));
  const size = fs.statSync(file).size;
  const site = await serveDir(path.join(ROOT, 'dist/www'));
  const runs = [];
  const reads = [];
  let wasmBytes = 0;
  let rendererPeak = 0;
  try {
    for (let i = 0; i < 3; i++) {
      // A fresh browser each run: the renderer's peak is this import's.
      const browser = await plainBrowser();
      const page = await (await browser.newContext()).newPage();
      await page.goto(`${site.url}index.html#/brands`);
      await page.waitForSelector('body[data-ready="true"]');
      await page.evaluate(() => {
        document.body.dataset.importMs = '';
      });
      await page.setInputFiles('#files', file);
      await page.waitForFunction(() => document.body.dataset.importMs !== '', null, { timeout: 120000 });
      runs.push(Number(await page.evaluate(() => document.body.dataset.importMs)));
      wasmBytes = Math.max(wasmBytes, Number(await page.evaluate(() => document.body.dataset.readerWasmBytes)));
      reads.push(
        await page.evaluate(async (ranges) => {
          const f = /** @type {HTMLInputElement} */ (document.getElementById('files')).files[0];
          const t = performance.now();
          // The directory (the file's last 400 KB) and each entry's bytes.
          await f.slice(Math.max(0, f.size - 400_000)).arrayBuffer();
          for (const r of ranges) await f.slice(r.offset, r.offset + r.compressed).arrayBuffer();
          return performance.now() - t;
        }, entries),
      );
      rendererPeak = Math.max(rendererPeak, rendererPeakKb());
      await browser.close();
    }
  } finally {
    await site.close();
  }
  say(
    `dashboard import of a ${(size / 2 ** 30).toFixed(1)} GiB archive (100k followers, 100k following; static site, n=${runs.length}): median ${fmt(pct(runs, 50))}; baseline reading the same entries' bytes with Blob.slice ${fmt(pct(reads, 50))} (${(pct(runs, 50) / pct(reads, 50)).toFixed(1)}×); reader wasm memory ${(wasmBytes / 2 ** 20).toFixed(1)} MiB; renderer peak ${(rendererPeak / 1024).toFixed(0)} MiB`,
  );

  // The CLI (release build) on the same archive: time and peak resident size.
  const { execFileSync } = await import('node:child_process');
  execFileSync('cargo', ['build', '--release', '-q', '-p', 'reciprocity-cli'], { cwd: ROOT, stdio: 'inherit' });
  const store = path.join(ROOT, 'target/bench-cli.rcpr');
  fs.rmSync(store, { force: true });
  // GNU time prints "<seconds> <peak KiB>" on stderr.
  const { spawnSync } = await import('node:child_process');
  const timed = spawnSync('/usr/bin/time', ['-f', '%e %M', path.join(ROOT, 'target/release/reciprocity'), 'ingest', '--store', store, file], {
    encoding: 'utf8',
  });
  const [secs, kb] = timed.stderr.trim().split(/\s+/).slice(-2).map(Number);
  const fd = fs.openSync(file, 'r');
  const t = performance.now();
  for (const r of [{ offset: Math.max(0, size - 400_000), compressed: Math.min(size, 400_000) }, ...entries]) {
    fs.readSync(fd, Buffer.alloc(r.compressed), 0, r.compressed, r.offset);
  }
  const baseline = performance.now() - t;
  fs.closeSync(fd);
  say(
    `CLI ingest of the same archive: ${fmt(secs * 1000)}, peak ${(kb / 1024).toFixed(1)} MiB resident; baseline reading the same bytes from disk ${fmt(baseline)}`,
  );
}

// A heavy user's ledger: a million edges in the extension.
await million(say);

/** The largest peak resident size (VmHWM, KiB) of Chromium's renderer processes. */
function rendererPeakKb() {
  let peak = 0;
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes('--type=renderer')) continue;
      const m = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) peak = Math.max(peak, Number(m[1]));
    } catch (_) {
      // A process that ended meanwhile.
    }
  }
  return peak;
}
fs.mkdirSync(path.join(ROOT, 'target'), { recursive: true });
fs.writeFileSync(path.join(ROOT, 'target/bench-browser.txt'), `${lines.join('\n')}\n`);
