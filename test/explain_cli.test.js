'use strict';
// sbffi explain (bin/sbffi.js): its tables, JSON and pictures on every ABI,
// and its errors. The renderers (lib/explain_text.js, lib/explain_svg.js)
// are tested in this process, so on every runner; the command itself in a
// child process, where one can be started. Rendered in a browser: make
// check-svg (test/svg/render.test.js).

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const ffi = require('..');
const { table } = require('../lib/explain_text');
const { svg, registerRows } = require('../lib/explain_svg');

const BIN = path.join(__dirname, '..', 'bin', 'sbffi.js');
// arm64 node under qemu-user cannot start itself (no binfmt_misc); the
// copies of the package wine and qemu test hold lib/ and test/ only
const cliSkip = (spawnSync(process.execPath, ['-e', '0']).status !== 0
  && 'node cannot start another node here (qemu-user without binfmt_misc)')
  || (!fs.existsSync(BIN) && 'bin/ is not in this copy of the package');

const STRUCTS = {
  Vec2: { x: 'float', y: 'float' },
  Mixed: { i: 'int64_t', d: 'double' },
  Big: { a: 'int64_t', b: 'int64_t', c: 'int64_t' },
};
for (const [name, fields] of Object.entries(STRUCTS)) ffi.struct(name, fields);

const PROTO = 'double f(int a, float b, Vec2 v, long e)';
const BIG = 'Big g(Big b, int x)';
const MANY = 'void m(int a, int b, int c, int d, int e, int f, int g, int h, int i, int j, double x)';

function sbffi(args, options = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60000, ...options });
  if (r.error) throw r.error;
  return r;
}

// the lines of a table whose first cell is arg, as { cells }: split on two spaces
function rowsOf(text) {
  return text.split('\n').filter((l) => /^ {2}(\d+|return|ptr) /.test(l))
    .map((l) => l.trim().split(/ {2,}/));
}

// every cell of an SVG: its data-* attributes, fill and texts by class
function cellsOf(doc) {
  return [...doc.matchAll(/<g class="cell" ([^>]*)>(.*?)<\/g>/g)].map(([, attrs, inner]) => {
    const c = Object.fromEntries([...attrs.matchAll(/data-([a-z]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    c.fill = /<rect [^>]*fill="([^"]+)"/.exec(inner)[1];
    for (const m of inner.matchAll(/<text class="(\w+)"[^>]*>([^<]*)<\/text>/g)) c[m[1]] = m[2];
    return c;
  });
}

// per ABI: where a, b, v and e of PROTO go, and the words of its rules
const EXPECTED = {
  'sysv-x64': { where: ['rdi', 'xmm0', 'xmm1', 'rsi'], how: 'INTEGER', vhow: '8 bytes: SSE', cite: '§3.2.3 "Classification", rule 4' },
  win64: { where: ['rcx', 'xmm1', 'r8', 'r9'], how: 'position 1', vhow: '8 bytes: as an integer', cite: '"Parameter passing"' },
  aapcs64: { where: ['x0', 'v0', 'v1, v2', 'x1'], how: 'NGRN = 0', vhow: 'HFA: 2 members of 4 bytes', cite: '§6.8.2 B.3, C.2' },
  'apple-arm64': { where: ['x0', 'v0', 'v1, v2', 'x1'], how: 'NGRN = 0', vhow: 'HFA: 2 members of 4 bytes', cite: '§6.8.2 B.3, C.2' },
};

test('every ABI is covered', () => {
  assert.deepEqual(Object.keys(EXPECTED).sort(), ffi.abis.slice().sort());
});

for (const abi of ffi.abis) {
  const x = EXPECTED[abi];
  test(`table, ${abi}: each argument's type, place, class and rule`, () => {
    const text = table(ffi.explain(PROTO, abi));
    assert.match(text, new RegExp(`^${abi}: `));
    assert.match(text, /double f\(int a, float b, Vec2 v, long e\)/);
    const rows = rowsOf(text);
    const args = rows.filter((r) => /^\d+$/.test(r[0]));
    assert.deepEqual(args.map((r) => r.slice(0, 4)),
      [['1', 'a', 'int', x.where[0]], ['2', 'b', 'float', x.where[1]], ['3', 'v', 'Vec2', x.where[2]], ['4', 'e', 'long', x.where[3]]]);
    assert.equal(args[0][4], x.how);
    assert.equal(args[2][4], x.vhow);
    assert.match(args[2][5], /^\[\d\] /);
    assert.ok(args[2][5].endsWith(x.cite), args[2][5]);
    // each rule cited is spelled out below the table, under its number
    for (const r of args) assert.ok(text.includes(`\n  ${r[5].split(' ')[0]} `), r[5]);
    assert.deepEqual(rows.find((r) => r[0] === 'return').slice(1, 3), ['double', abi === 'sysv-x64' || abi === 'win64' ? 'xmm0' : 'v0']);
    assert.ok(!text.includes('\x1b['), 'no colour unless asked');
  });

  test(`table, ${abi}: a large struct and its hidden result pointer`, () => {
    const e = ffi.explain(BIG, abi);
    const rows = rowsOf(table(e));
    const ptr = rows.find((r) => r[0] === 'ptr');
    assert.deepEqual(ptr.slice(1, 4), ['Big *', e.return.pointer, 'hidden result pointer']);
    assert.deepEqual(rows.find((r) => r[0] === 'return').slice(1, 3), ['Big', `memory (pointer in ${e.return.pointer})`]);
    const b = rows.find((r) => r[0] === '1');
    assert.equal(b[3], abi === 'sysv-x64' ? 'sp+0' : `${e.args[0].where} (pointer to a copy)`);
    assert.equal(b[4], abi === 'sysv-x64' ? '24 bytes: MEMORY' : '24 bytes: by reference');
  });

  test(`table, ${abi}: stack offsets from sp at the call`, () => {
    const e = ffi.explain(MANY, abi);
    const rows = rowsOf(table(e));
    const base = abi === 'win64' ? 32 : 0;
    for (const [i, p] of e.args.entries()) {
      if (p.where === 'stack') assert.equal(rows[i][3], `sp+${base + p.offset}`, p.name);
    }
    assert.match(table(e), new RegExp(`stack arguments: ${e.stackBytes} bytes from sp${base ? '\\+32' : ''}`));
  });

  test(`table, ${abi}: a variadic call's anonymous arguments and the rule of the call`, () => {
    const text = table(ffi.explain('int printf(const char *fmt, ...)', abi, { varargs: ['double', 'float'] }));
    assert.match(text, /int printf\(const char \*fmt, \.\.\. double, float\)/);
    const rows = rowsOf(text);
    assert.deepEqual(rows.filter((r) => r[1] === '...').map((r) => r[2]), ['double', 'float -> double']);
    assert.match(text, /\n {2}anonymous arguments: \[\d\] /);
  });
}

test('table: the rules that differ between the ABIs', () => {
  const where = (proto, abi, n, varargs) => rowsOf(table(ffi.explain(proto, abi, varargs && { varargs })))[n];
  // Win64 puts an anonymous double in both registers of its position
  assert.deepEqual(where('int p(const char *f, ...)', 'win64', 1, ['double']).slice(3, 5), ['xmm1, rdx', 'position 2, in both']);
  // Apple puts anonymous arguments on the stack, and packs named ones
  assert.match(where('int p(const char *f, ...)', 'apple-arm64', 1, ['double']).at(-1), /Apple, "Update code that passes arguments to variadic functions"$/);
  assert.deepEqual(['i', 'j'].map((n) => where(MANY, 'apple-arm64', n.charCodeAt(0) - 97)[3]), ['sp+0', 'sp+4']);
  assert.deepEqual(['i', 'j'].map((n) => where(MANY, 'aapcs64', n.charCodeAt(0) - 97)[3]), ['sp+0', 'sp+8']);
  // System V: a struct split into eightbytes of two classes
  const text = table(ffi.explain('void s(Mixed m)', 'sysv-x64'));
  assert.match(text, /\n {2}1 +m +Mixed +rdi, xmm0 +16 bytes: INTEGER, SSE /);
  assert.match(text, /\n +bytes 0-7 +rdi +INTEGER\n +bytes 8-15 +xmm0 +SSE\n/);
});

test('table: colour codes when asked for', () => {
  const text = table(ffi.explain(PROTO, 'sysv-x64'), { color: true });
  assert.ok(text.includes('\x1b[36mrdi\x1b[0m'), 'integer registers in cyan');
  assert.ok(text.includes('\x1b[35mxmm0\x1b[0m'), 'vector registers in magenta');
  assert.equal(text.replace(/\x1b\[\d+m/g, ''), table(ffi.explain(PROTO, 'sysv-x64')));
});

test('every placement has a rule: tables of many shapes on every ABI', () => {
  ffi.struct('Empty', {});
  ffi.struct('Quad', { a: 'double', b: 'double', c: 'double', d: 'double' });
  const protos = [
    'Empty e0(Empty e, Quad q, Quad r, Quad s, Vec2 v, bool t, char *p, Mixed m, Big b, float f)',
    'Vec2 e1(void)', 'Mixed e2(void)', 'Quad e3(void)', 'Empty e4(void)', 'void *e5(void)', 'float e6(void)',
    `void e7(${Array(10).fill('Mixed').join(', ')}, ${Array(10).fill('double').join(', ')})`,
  ];
  for (const abi of ffi.abis) {
    for (const p of protos) assert.doesNotThrow(() => table(ffi.explain(p, abi)), `${abi}: ${p}`);
    assert.doesNotThrow(() => table(ffi.explain('void v(int, ...)', abi, { varargs: ['Vec2', 'Big', 'Quad', 'char'] })));
  }
});

test('svg: the ABI\'s registers as two rows, each argument\'s cells labelled in its colour', () => {
  for (const abi of ffi.abis) {
    const e = ffi.explain(PROTO, abi);
    const doc = e.svg();
    assert.match(doc, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="\d+" height="\d+" viewBox="0 0 \d+ \d+">\n/);
    assert.ok(doc.endsWith('</svg>\n'));
    assert.equal(doc, e.svg(), 'deterministic');
    assert.equal((doc.match(/<g\b/g) || []).length, (doc.match(/<\/g>/g) || []).length);
    const cells = cellsOf(doc);
    const regs = registerRows(ffi.explain, abi);
    assert.deepEqual(cells.filter((c) => c.row === 'integer').map((c) => c.place), regs.integer);
    assert.deepEqual(cells.filter((c) => c.row === 'vector').map((c) => c.place), regs.vector);
    const fills = new Map();
    for (const [i, p] of e.args.entries()) {
      const mine = cells.filter((c) => c.arg === String(i + 1));
      const places = p.parts ? p.parts.map((q) => q.where) : [p.where];
      assert.deepEqual(mine.map((c) => c.place).sort(), places.sort(), `${abi}: ${p.name}`);
      for (const c of mine) assert.equal(c.label, p.name);
      assert.equal(new Set(mine.map((c) => c.fill)).size, 1, 'one colour per argument');
      fills.set(mine[0].fill, p.name);
      if (p.parts) assert.deepEqual(mine.map((c) => c.piece), p.parts.map((q) => `bytes ${q.bytes[0]}-${q.bytes[1]}`));
    }
    assert.equal(fills.size, e.args.length, 'a colour of its own for each');
    const free = cells.filter((c) => (c.row === 'integer' || c.row === 'vector') && !c.arg);
    assert.ok(free.every((c) => c.fill === '#ffffff' && c.label === undefined), 'unused registers empty');
    assert.deepEqual(cells.filter((c) => c.role === 'return').map((c) => [c.place, c.label]),
      [[e.return.where, 'return']]);
  }
});

test('svg: the stack as 8-byte slots from sp up, Win64\'s shadow space below the arguments', () => {
  for (const abi of ffi.abis) {
    const e = ffi.explain(MANY, abi);
    const cells = cellsOf(e.svg());
    const base = abi === 'win64' ? 32 : 0;
    const stack = cells.filter((c) => c.row === 'stack');
    assert.deepEqual(stack.filter((c) => c.role === 'shadow').map((c) => [c.place, c.piece]),
      base ? [['sp+0', 'rcx home'], ['sp+8', 'rdx home'], ['sp+16', 'r8 home'], ['sp+24', 'r9 home']] : []);
    const onStack = e.args.filter((p) => p.where === 'stack');
    assert.deepEqual(stack.filter((c) => c.arg).map((c) => [c.place, c.label]),
      onStack.map((p) => [`sp+${base + p.offset}`, p.name]));
    // slots drawn from sp upwards: the lowest address last, at the bottom
    const ys = [...e.svg().matchAll(/data-row="stack" data-place="sp\+(\d+)"[^>]*>(?:<title>[^<]*<\/title>)?<rect x="\d+" y="(\d+)"/g)]
      .map((m) => [Number(m[1]), Number(m[2])]);
    for (const [off, y] of ys) {
      for (const [off2, y2] of ys) if (Math.floor(off / 8) < Math.floor(off2 / 8)) assert.ok(y > y2, `${abi}: sp+${off} below sp+${off2}`);
    }
  }
  // no stack arguments: no slot drawn
  assert.ok(!cellsOf(ffi.explain(PROTO, 'sysv-x64').svg()).some((c) => c.row === 'stack'));
});

test('svg: aggregates in pieces, hidden result pointers, a variadic copy', () => {
  const sysv = cellsOf(ffi.explain(BIG, 'sysv-x64').svg());
  assert.deepEqual(sysv.filter((c) => c.arg === '1').map((c) => [c.place, c.piece]),
    [['sp+0', 'bytes 0-7'], ['sp+8', 'bytes 8-15'], ['sp+16', 'bytes 16-23']]);
  assert.deepEqual(sysv.filter((c) => c.role).map((c) => [c.role, c.place, c.label]),
    [['result-pointer', 'rdi', 'result ptr'], ['return', 'memory', 'return']]);
  // x8 is no argument register: drawn after the integer row's registers
  const arm = cellsOf(ffi.explain(BIG, 'aapcs64').svg());
  const ints = arm.filter((c) => c.row === 'integer').map((c) => c.place);
  assert.deepEqual(ints, [...registerRows(ffi.explain, 'aapcs64').integer, 'x8']);
  assert.equal(arm.find((c) => c.place === 'x0').piece, 'pointer to copy');
  const win = cellsOf(ffi.explain('int p(const char *f, ...)', 'win64', { varargs: ['double'] }).svg());
  assert.deepEqual(win.filter((c) => c.arg === '2').map((c) => [c.place, c.label, c.piece]),
    [['rdx', 'arg 2', 'copy'], ['xmm1', 'arg 2', undefined]]);
  // Apple packs two ints into one slot
  const apple = cellsOf(ffi.explain(MANY, 'apple-arm64').svg());
  assert.deepEqual(apple.filter((c) => c.row === 'stack').map((c) => c.place), ['sp+0', 'sp+4']);
});

test('svg: several explanations stacked in one document, and .svg() stays out of JSON', () => {
  const list = ffi.abis.map((abi) => ffi.explain(PROTO, abi));
  const doc = svg(list, ffi.explain);
  assert.deepEqual([...doc.matchAll(/<g class="explain" data-abi="([^"]+)"/g)].map((m) => m[1]), ffi.abis);
  const e = ffi.explain(PROTO, 'win64');
  assert.deepEqual(Object.keys(e), ['abi', 'function', 'return', 'args', 'stackBytes']);
  assert.ok(!JSON.stringify(e).includes('svg'));
});

test('sbffi explain: a table per ABI, as the API renders it', { skip: cliSkip }, () => {
  const structs = ['--struct', 'struct Vec2 { float x, y; }'];
  for (const abi of ffi.abis) {
    const r = sbffi(['explain', PROTO, '--abi', abi, ...structs]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, table(ffi.explain(PROTO, abi)));
  }
  const all = sbffi(['explain', PROTO, '--abi', 'all', ...structs]);
  assert.equal(all.stdout, ffi.abis.map((abi) => table(ffi.explain(PROTO, abi))).join('\n'));
  const two = sbffi(['explain', PROTO, '--abi', 'win64,aapcs64', ...structs]);
  assert.equal(two.stdout, ['win64', 'aapcs64'].map((abi) => table(ffi.explain(PROTO, abi))).join('\n'));
  const host = sbffi(['explain', 'int f(int)']);
  assert.equal(host.stdout, table(ffi.explain('int f(int)')));
});

test('sbffi explain --json: what ffi.explain returns, on every ABI', { skip: cliSkip }, () => {
  const structs = ['--struct', 'struct Vec2 { float x, y; }'];
  for (const abi of ffi.abis) {
    const r = sbffi(['explain', PROTO, '--abi', abi, '--json', ...structs]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), JSON.parse(JSON.stringify(ffi.explain(PROTO, abi))));
  }
  const all = JSON.parse(sbffi(['explain', PROTO, '--abi', 'all', '--json', ...structs]).stdout);
  assert.deepEqual(all.map((e) => e.abi), ffi.abis);
  const va = JSON.parse(sbffi(['explain', 'void h(int, ...)', '--abi', 'apple-arm64', '--varargs', 'double, int (*)(int, int)', '--json']).stdout);
  assert.deepEqual(va, JSON.parse(JSON.stringify(ffi.explain('void h(int, ...)', 'apple-arm64', { varargs: ['double', 'int (*)(int, int)'] }))));
});

test('sbffi explain --svg: the picture ffi.explain(...).svg() draws', { skip: cliSkip }, () => {
  const r = sbffi(['explain', 'void h(int, ...)', '--abi', 'apple-arm64', '--varargs', 'double,int', '--svg']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, ffi.explain('void h(int, ...)', 'apple-arm64', { varargs: ['double', 'int'] }).svg());
  const all = sbffi(['explain', 'int f(int)', '--abi', 'all', '--svg']);
  assert.equal(all.stdout, svg(ffi.abis.map((abi) => ffi.explain('int f(int)', abi)), ffi.explain));
});

test('sbffi explain --types: a JSON object of struct fields, or a list of C declarations', { skip: cliSkip }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sbffi-explain-'));
  try {
    const object = path.join(dir, 'object.json');
    fs.writeFileSync(object, JSON.stringify({ ...STRUCTS, Pair: 'int32_t a; Vec2 b;' }));
    const list = path.join(dir, 'list.json');
    fs.writeFileSync(list, JSON.stringify(['struct Big { int64_t a, b, c; }', 'union U { int i; float f; }']));
    const expect = (proto, abi) => JSON.parse(JSON.stringify(ffi.explain(proto, abi)));
    ffi.struct('Pair', 'int32_t a; Vec2 b;');
    ffi.union('union U { int i; float f; }');
    for (const [file, proto] of [[object, 'Big g(Pair p, Mixed m)'], [list, 'Big g(Big b, U u)']]) {
      const r = sbffi(['explain', proto, '--abi', 'win64', '--types', file, '--json']);
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout), expect(proto, 'win64'));
    }
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, '{ "Vec2": ');
    const r = sbffi(['explain', 'int f(int)', '--types', bad]);
    assert.equal(r.status, 1);
    assert.ok(r.stderr.startsWith(`sbffi: ${bad}: `), r.stderr);
    fs.writeFileSync(bad, '42');
    assert.match(sbffi(['explain', 'int f(int)', '--types', bad]).stderr, /expected an object of struct definitions or a list of C declarations/);
    assert.match(sbffi(['explain', 'int f(int)', '--types', path.join(dir, 'none.json')]).stderr, /ENOENT/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('sbffi explain: a bad prototype gives the API\'s message and exit status 1', { skip: cliSkip }, () => {
  const cases = [
    [['int f(Foo)'], () => ffi.explain('int f(Foo)')],
    [['int f('], () => ffi.explain('int f(')],
    [['int f(int)', '--abi', 'vax'], () => ffi.explain('int f(int)', 'vax')],
    [['int f(int)', '--varargs', 'double'], () => ffi.explain('int f(int)', undefined, { varargs: ['double'] })],
    [['void f(int, ...)', '--varargs', 'Nope'], () => ffi.explain('void f(int, ...)', undefined, { varargs: ['Nope'] })],
    [['int f(int)', '--struct', 'struct { int x; }'], () => ffi.struct('struct { int x; }')],
  ];
  for (const [args, api] of cases) {
    const r = sbffi(['explain', ...args]);
    assert.equal(r.status, 1, args.join(' '));
    assert.equal(r.stdout, '');
    assert.throws(api, (e) => r.stderr === `sbffi: ${e.message}\n`, r.stderr);
  }
});

test('sbffi: usage errors exit 2, --help 0', { skip: cliSkip }, () => {
  for (const args of [['explain'], ['explain', 'int f(int)', 'int g(int)'], ['explain', 'int f(int)', '--bogus'],
    ['explain', 'int f(int)', '--json', '--svg'], ['frobnicate'], []]) {
    const r = sbffi(args);
    assert.equal(r.status, 2, args.join(' '));
    assert.match(r.stdout + r.stderr, /sbffi explain/);
  }
  const help = sbffi(['explain', '--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /^Usage: sbffi explain 'PROTOTYPE' \[options\]/);
  for (const o of ['--abi', '--types', '--struct', '--varargs', '--json', '--svg', '--no-color']) assert.ok(help.stdout.includes(o), o);
});

test('sbffi explain: colour on a terminal or with --color, plain when piped or with --no-color', { skip: cliSkip }, () => {
  const plain = table(ffi.explain('int f(int)', 'sysv-x64'));
  const coloured = table(ffi.explain('int f(int)', 'sysv-x64'), { color: true });
  const run = (...args) => sbffi(['explain', 'int f(int)', '--abi', 'sysv-x64', ...args]).stdout;
  assert.equal(run(), plain, 'a pipe');
  assert.equal(run('--color'), coloured);
  assert.equal(run('--color', '--no-color'), plain);
  const { explain } = require('../bin/explain');
  assert.equal(explain(['int f(int)', '--abi', 'sysv-x64'], { tty: true, env: {} }), coloured);
  assert.equal(explain(['int f(int)', '--abi', 'sysv-x64'], { tty: true, env: { NO_COLOR: '1' } }), plain);
});
