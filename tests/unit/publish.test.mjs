// What a person reads before installing: the privacy policy (the README's words,
// shipped in the extension, en and fr), the store listings (en and fr, every
// permission justified, a summary the stores accept) and their pictures.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (f) => fs.readFileSync(path.join(ROOT, f), 'utf8');

/** The body of a markdown section, by its heading (up to the next heading of
 * that level or higher). */
function section(md, heading) {
  const lines = md.split('\n');
  const start = lines.findIndex((l) => l.replace(/^#+ /, '') === heading && /^#+ /.test(l));
  assert.ok(start >= 0, `no section "${heading}"`);
  const level = lines[start].indexOf(' ');
  const end = lines.findIndex((l, i) => i > start && /^#+ /.test(l) && l.indexOf(' ') <= level);
  return lines
    .slice(start + 1, end < 0 ? undefined : end)
    .join('\n')
    .trim();
}

const words = (s) =>
  s
    .replace(/\*\*|`/g, '')
    .replace(/\s+/g, ' ')
    .trim();
const textOfHtml = (html) =>
  html
    .slice(html.indexOf('<main>'), html.indexOf('</main>'))
    .replace(/<\/?(strong|code)>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
const bullets = (md) => md.split('\n').filter((l) => l.startsWith('- ')).length;

describe('the privacy policy', () => {
  const readme = section(read('README.md'), 'Privacy: what is kept, where, for how long');
  const en = read('docs/privacy.md');
  const fr = read('docs/privacy.fr.md');

  it('says exactly what the README says', () => {
    assert.equal(section(en, 'What is kept, where, for how long'), readme);
  });

  it('says it in French point for point', () => {
    const headings = (md) => md.split('\n').filter((l) => /^#+ /.test(l)).length;
    assert.equal(headings(fr), headings(en));
    assert.equal(bullets(fr), bullets(en));
    assert.equal(bullets(section(fr, 'Ce qui est gardé, où, combien de temps')), bullets(readme));
    assert.equal((fr.match(/\*\*/g) || []).length, (en.match(/\*\*/g) || []).length);
  });

  it('is shipped in both packages, in both languages, with the same words', () => {
    for (const browser of ['chrome', 'firefox']) {
      for (const [page, md] of [
        ['en.html', en],
        ['fr.html', fr],
      ]) {
        const file = path.join(ROOT, 'dist', browser, 'privacy', page);
        assert.ok(fs.existsSync(file), `${file} (run cargo xtask dist)`);
        assert.equal(words(textOfHtml(fs.readFileSync(file, 'utf8'))), words(md.replace(/^#+ /gm, '').replace(/^- /gm, '')));
      }
    }
  });
});

describe('the store listings', () => {
  const manifest = JSON.parse(read('extension/manifest.json'));
  const en = read('store/en.md');
  const fr = read('store/fr.md');
  const sections = (md) => md.split('\n').filter((l) => l.startsWith('## '));

  it('have the same sections in en and fr', () => {
    assert.equal(sections(en).length, sections(fr).length);
    assert.ok(sections(en).length >= 8, sections(en).join(', '));
  });

  it("sum the extension up within the stores' 132 characters, and describe it at length", () => {
    for (const [md, summary, description] of [
      [en, 'Summary', 'Description'],
      [fr, 'Résumé', 'Description'],
    ]) {
      const s = section(md, summary);
      assert.ok(s.length > 40 && s.length <= 132, `${s.length}: ${s}`);
      assert.ok(!s.includes('\n'));
      assert.ok(section(md, description).length > 600);
    }
    // The manifest's own description (the Chrome Web Store's limit too), in both languages.
    for (const lang of ['en', 'fr']) {
      const d = JSON.parse(read(`extension/_locales/${lang}/messages.json`)).extDescription.message;
      assert.ok(d.length <= 132, `${lang} ${d.length}: ${d}`);
    }
  });

  it('justify every permission and host the manifest asks for, and no other', () => {
    const asked = [...manifest.permissions, ...manifest.host_permissions].sort();
    for (const [md, title] of [
      [en, 'Permissions'],
      [fr, 'Autorisations'],
    ]) {
      const justified = section(md, title)
        .split('\n')
        .filter((l) => l.startsWith('- `'))
        .map((l) => l.slice(3, l.indexOf('`', 3)))
        .sort();
      assert.deepEqual(justified, asked);
    }
  });

  it('show screenshots at 1280×800 in both languages and a 440×280 tile', () => {
    const png = (file) => {
      const b = fs.readFileSync(path.join(ROOT, 'store', file));
      assert.equal(b.toString('latin1', 1, 4), 'PNG', file);
      return [b.readUInt32BE(16), b.readUInt32BE(20)];
    };
    for (const md of [en, fr]) {
      const files = [...md.matchAll(/`((?:screenshots\/)?[\w.-]+\.png)`/g)].map((m) => m[1]);
      assert.ok(files.length >= 6, files.join(', '));
      for (const f of files) {
        assert.deepEqual(png(f), f.startsWith('tile') ? [440, 280] : [1280, 800], f);
      }
    }
  });
});

describe('the version', () => {
  it('comes from the workspace into both packages', () => {
    const version = /\[workspace\.package\][^[]*?\nversion = "([^"]+)"/.exec(read('Cargo.toml'))[1];
    assert.equal(JSON.parse(read('extension/manifest.json')).version, undefined, 'one place: Cargo.toml');
    for (const browser of ['chrome', 'firefox']) {
      assert.equal(JSON.parse(read(`dist/${browser}/manifest.json`)).version, version);
    }
  });
});
