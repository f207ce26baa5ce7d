'use strict';
// The pictures of sbffi explain --svg, rendered by headless Chromium
// (Debian's chromium): every label is in the rendered page's text, has a
// size, lies inside its cell and inside the picture. Run by make check-svg
// (not with the test/*.test.js that wine and qemu run too); CHROMIUM names
// the browser, else chromium on PATH; skipped, saying so, without one.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const ffi = require('../..');

const DOCS_IMG = path.join(__dirname, '..', '..', 'docs', 'img');
const CHROMIUM = process.env.CHROMIUM || 'chromium';
const found = spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8' });
const skip = found.status !== 0 && `${CHROMIUM} not found: install Debian's chromium (or set CHROMIUM) to render the pictures`;

ffi.struct('Vec2', { x: 'float', y: 'float' });
ffi.struct('Big', { a: 'int64_t', b: 'int64_t', c: 'int64_t' });
const CASES = [
  ['double f(int a, float b, Vec2 v, long e)'],
  ['Big g(Big b, int x)'],
  ['void m(int a, int b, int c, int d, int e, int f, int g, int h, int i, int j, double x)'],
  ['void h(int n, ...)', { varargs: ['double', 'int', 'Vec2'] }],
];

// In the page: per picture, each text's string, size, and whether it lies
// inside its cell's rectangle (if in a cell) and inside the picture.
const PROBE = `
const inside = (a, b) => a.x >= b.x - 1 && a.y >= b.y - 1
  && a.x + a.width <= b.x + b.width + 1 && a.y + a.height <= b.y + b.height + 1;
const out = [...document.querySelectorAll('section')].map((s) => {
  const svg = s.querySelector('svg');
  const frame = { x: 0, y: 0, width: svg.width.baseVal.value, height: svg.height.baseVal.value };
  const texts = [...svg.querySelectorAll('text')].map((t) => {
    const b = t.getBBox();
    const m = t.getCTM();
    const box = { x: b.x + m.e, y: b.y + m.f, width: b.width, height: b.height };
    const rect = t.closest('g.cell') && t.closest('g.cell').querySelector('rect');
    const r = rect && rect.getBBox();
    const cell = r && { x: r.x + m.e, y: r.y + m.f, width: r.width, height: r.height };
    return { text: t.textContent, width: b.width, inCell: !cell || inside(box, cell), inPicture: inside(box, frame) };
  });
  return { name: s.dataset.name, rendered: s.innerText, texts };
});
document.getElementById('result').textContent = JSON.stringify(out);
`;

function render(pictures) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sbffi-svg-'));
  try {
    const page = path.join(dir, 'page.html');
    fs.writeFileSync(page, ['<!doctype html><html><body>',
      ...pictures.map(([name, svg]) => `<section data-name="${name}">${svg}</section>`),
      '<pre id="result"></pre>', `<script>${PROBE}</script>`, '</body></html>'].join('\n'));
    const r = spawnSync(CHROMIUM, ['--headless', '--no-sandbox', '--disable-gpu', `--user-data-dir=${path.join(dir, 'profile')}`,
      '--dump-dom', `file://${page}`], { encoding: 'utf8', timeout: 120000, maxBuffer: 64 << 20 });
    if (r.error) throw r.error;
    const m = /<pre id="result">(.*?)<\/pre>/s.exec(r.stdout);
    assert.ok(m && m[1], `no result from ${CHROMIUM} (status ${r.status}): ${r.stderr.slice(-2000)}`);
    const text = m[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
    return JSON.parse(text);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function checkLaidOut(p) {
  for (const t of p.texts) {
    assert.ok(t.width > 0, `${p.name}: '${t.text}' has no width (no font?)`);
    assert.ok(t.inCell, `${p.name}: '${t.text}' overflows its cell`);
    assert.ok(t.inPicture, `${p.name}: '${t.text}' lies outside the picture`);
  }
}

test('explain pictures on every ABI: labels rendered, in their cells', { skip }, () => {
  const pictures = [];
  const expected = new Map();
  for (const abi of ffi.abis) {
    for (const [proto, options] of CASES) {
      const e = ffi.explain(proto, abi, options);
      const name = `${abi} ${proto}`;
      pictures.push([name, e.svg()]);
      expected.set(name, e);
    }
  }
  const result = render(pictures);
  assert.equal(result.length, pictures.length);
  for (const p of result) {
    checkLaidOut(p);
    const e = expected.get(p.name);
    // every argument's label and every register it takes, as rendered text
    e.args.forEach((a, i) => {
      assert.ok(p.rendered.includes(a.name || `arg ${i + 1}`), `${p.name}: label of argument ${i + 1}`);
      for (const w of (a.parts ? a.parts.map((q) => q.where) : a.where.split(', '))) {
        if (w !== 'stack') assert.ok(p.rendered.includes(w), `${p.name}: ${w}`);
      }
    });
    if (e.return.pointer) assert.ok(p.rendered.includes('result ptr'), `${p.name}: the hidden result pointer`);
    assert.ok(p.rendered.includes(e.abi), p.name);
  }
});

test('the guide\'s pictures (docs/img): every label rendered inside its cell', { skip }, () => {
  const files = fs.readdirSync(DOCS_IMG).filter((f) => f.endsWith('.svg')).sort();
  assert.ok(files.length >= 20, `docs/img holds ${files.length} pictures`);
  const result = render(files.map((f) => [f, fs.readFileSync(path.join(DOCS_IMG, f), 'utf8').replace(/^<\?xml[^>]*>/, '')]));
  for (const p of result) {
    checkLaidOut(p);
    for (const t of p.texts) assert.ok(p.rendered.includes(t.text), `${p.name}: '${t.text}' in the rendered text`);
  }
});
