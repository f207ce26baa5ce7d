'use strict';
// The implementations run.js, async.js and callgrind.sh compare: for each
// function of libbench (and libc's strlen) one JS-callable per
// implementation; and the text table run.js and async.js print them in.

const path = require('path');

const BUILD = path.join(__dirname, '..', 'build', 'bench');
const LIBBENCH = path.join(BUILD, 'libbench.so');
const STR = 'hello, world';             // strlen's argument: short, ASCII

// Struct arguments: plain objects built once and reused by every
// implementation, so no loop allocates its arguments. Every Vec2 field is a
// float32 value that is not an integer (all objects keep one map, double
// fields); every Color channel is a small integer.
const VEC2 = Array.from({ length: 16 }, (_, k) => ({ x: k + 0.5, y: 0.25 * k + 0.125 }));
const COLOR = Array.from({ length: 16 }, (_, k) => ({
  r: (k * 17) & 255, g: (k * 29 + 3) & 255, b: (k * 53 + 7) & 255, a: 255 - k * 11,
}));

// the struct types, defined once per FFI by the same call: ffi.struct(name, fields)
const STRUCTS = {
  Vec2: { x: 'float', y: 'float' },
  Color: { r: 'uint8_t', g: 'uint8_t', b: 'uint8_t', a: 'uint8_t' },
};

// --- the functions: name, arguments per iteration i, expected result ---
// `data` is bound to d in the timed loop; `use` consumes an object result.
const ROWS = [
  { name: 'add_u32', args: 'i & 0xffff, 7', check: [[40, 2], 42] },
  { name: 'add_f64', args: 'i * 0.5, 1.25', check: [[0.5, 1.25], 1.75] },
  { name: 'noop', args: '', check: [[], undefined] },
  // void sink(uint32_t, uint32_t): made singly, and by sbffi in batches
  // of 1,000 (ffi.batch), the row's calls per crossing
  { name: 'sink', args: 'i, 7', check: [[1, 2], undefined] },
  { name: 'sink_batch', fn: 'sink', batch: 1000, args: 'i, 7', check: [[1, 2], undefined] },
  { name: 'sum6_f64', args: 'i * 0.5, 1.5, 2.5, 3.5, 4.5, 5.5',
    check: [[1, 2, 3, 4, 5, 6], 21] },
  { name: 'sum8_i64', args: 'i, 1, 2, 3, 4, 5, 6, 7',
    check: [[1, 2, 3, 4, 5, 6, 7, -8], 20] },
  { name: 'strlen', args: 's', check: [[STR], STR.length] },
  // C calls back into JS once: int call_int_cb(int (*cb)(int), int x)
  { name: 'callback', args: 'i & 0xffff', check: [[41], 42] },
  // structs by value, plain objects both ways
  { name: 'vadd', args: 'd[i & 15], d[(i + 7) & 15]', data: VEC2, use: 'acc += r.x;',
    check: [[{ x: 1, y: 2 }, { x: 3, y: 4 }], { x: 4, y: 6 }] },
  { name: 'cmix', args: 'd[i & 15], d[(i + 7) & 15]', data: COLOR, use: 'acc += r.r;',
    check: [[{ r: 10, g: 20, b: 30, a: 255 }, { r: 30, g: 40, b: 50, a: 1 }],
      { r: 20, g: 30, b: 40, a: 128 }] },
];

// the JS function behind every implementation's callback
const inc = (y) => y + 1;

// --- implementations: each maps row name -> JS function ---

function plainJs() {
  return {
    name: 'js',
    fns: {
      add_u32: (a, b) => (a + b) >>> 0,
      add_f64: (a, b) => a + b,
      noop: () => {},
      sink: () => {},
      sum6_f64: (a, b, c, d, e, f) => a + b + c + d + e + f,
      sum8_i64: (a, b, c, d, e, f, g, h) => a + b + c + d + e + f + g + h,
      strlen: (s) => s.length,
      callback: (x) => inc(x),
      vadd: (a, b) => ({ x: Math.fround(a.x + b.x), y: Math.fround(a.y + b.y) }),
      cmix: (a, b) => ({
        r: (a.r + b.r) >> 1, g: (a.g + b.g) >> 1, b: (a.b + b.b) >> 1, a: (a.a + b.a) >> 1,
      }),
    },
  };
}

function conventional() {
  const addon = require(path.join(BUILD, 'conventional.node'));
  const fns = { ...addon, callback: (x) => addon.callback(inc, x) };
  return { name: 'conventional', fns };
}

// The shared-buffer addon: JS writes the arguments into one pinned
// ArrayBuffer, calls a no-argument native function and reads the result.
// Layout must match shared.c: 8-byte slots, result in slot 8, string at 128.
// A struct is its C bytes at the start of its slot; the wrapper writes the
// fields there and builds the result object from the fields it reads back.
function shared() {
  const sh = require(path.join(BUILD, 'shared.node'));
  const ab = new ArrayBuffer(4096);
  sh.init(ab);
  const u32 = new Uint32Array(ab);
  const i32 = new Int32Array(ab);
  const f64 = new Float64Array(ab);
  const i64 = new BigInt64Array(ab);
  const u64 = new BigUint64Array(ab);
  const f32 = new Float32Array(ab);
  const u8 = new Uint8Array(ab);
  const str = new Uint8Array(ab, 128, 4096 - 128 - 1);
  const enc = new TextEncoder();
  const R = 8;
  // int64 slot from a Number (no BigInt allocation) or a BigInt
  const w64 = (slot, v) => {
    if (typeof v === 'number') {
      i32[slot * 2] = v;                          // ToInt32: the low word
      i32[slot * 2 + 1] = Math.floor(v / 4294967296);
    } else {
      i64[slot] = v;
    }
  };
  // UTF-8 bytes of s into str; returns their count. A charCode loop beats
  // TextEncoder.encodeInto on short ASCII strings (about 2x here).
  const putString = (s) => {
    const n = s.length;
    if (n <= 64) {
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c > 0x7f) break;
        str[i] = c;
      }
      if (i === n) return n;
    }
    const { read, written } = enc.encodeInto(s, str);
    if (read !== n) throw new RangeError('strlen: string too long');
    return written;
  };
  return {
    name: 'shared',
    fns: {
      add_u32(a, b) { u32[0] = a; u32[2] = b; sh.add_u32(); return u32[R * 2]; },
      add_f64(a, b) { f64[0] = a; f64[1] = b; sh.add_f64(); return f64[R]; },
      noop() { sh.noop(); },
      sink(a, b) { u32[0] = a; u32[2] = b; sh.sink(); },
      sum6_f64(a, b, c, d, e, f) {
        f64[0] = a; f64[1] = b; f64[2] = c; f64[3] = d; f64[4] = e; f64[5] = f;
        sh.sum6_f64();
        return f64[R];
      },
      sum8_i64(a, b, c, d, e, f, g, h) {
        w64(0, a); w64(1, b); w64(2, c); w64(3, d);
        w64(4, e); w64(5, f); w64(6, g); w64(7, h);
        sh.sum8_i64();
        return i64[R];
      },
      strlen(s) {
        str[putString(s)] = 0;
        sh.strlen();
        return u64[R];
      },
      vadd(a, b) {
        f32[0] = a.x; f32[1] = a.y; f32[2] = b.x; f32[3] = b.y;
        sh.vadd();
        return { x: f32[R * 2], y: f32[R * 2 + 1] };
      },
      cmix(a, b) {
        u8[0] = a.r; u8[1] = a.g; u8[2] = a.b; u8[3] = a.a;
        u8[8] = b.r; u8[9] = b.g; u8[10] = b.b; u8[11] = b.a;
        sh.cmix();
        return { r: u8[R * 8], g: u8[R * 8 + 1], b: u8[R * 8 + 2], a: u8[R * 8 + 3] };
      },
    },
  };
}

// The two FFIs bind every function from its C prototype.
const SIGS = {
  add_u32: 'uint32_t add_u32(uint32_t a, uint32_t b)',
  add_f64: 'double add_f64(double a, double b)',
  noop: 'void noop(void)',
  sink: 'void sink(uint32_t a, uint32_t b)',
  sum6_f64: 'double sum6_f64(double a, double b, double c, double d, double e, double f)',
  sum8_i64: 'int64_t sum8_i64(int64_t a, int64_t b, int64_t c, int64_t d, ' +
    'int64_t e, int64_t f, int64_t g, int64_t h)',
  strlen: 'size_t strlen(const char *s)',
  vadd: 'Vec2 vadd(Vec2 a, Vec2 b)',
  cmix: 'Color cmix(Color a, Color b)',
};

// the callback row: a registered callback, passed to call_int_cb
const CALLBACKS = {
  sbffi(sbffi, lib) {
    const call = lib.func('int call_int_cb(int (*cb)(int), int x)');
    const cb = sbffi.callback('int (int)', inc);
    return (x) => call(cb, x);
  },
  koffi(koffi, lib) {
    const proto = koffi.proto('int IntCb(int)');
    const call = lib.func('int call_int_cb(IntCb *cb, int x)');
    const cb = koffi.register(inc, koffi.pointer(proto));
    return (x) => call(cb, x);
  },
};

function bindAll(name, load, ffi) {
  // ffi.batch(fn), where the FFI has one: sbffi's
  const impl = { name, fns: {}, errors: {}, batch: typeof ffi.batch === 'function' ? ffi.batch : null };
  let lib, libc;
  try {
    lib = load(LIBBENCH);
    libc = load(null);
  } catch (e) {
    for (const r of ROWS) impl.errors[r.name] = `load: ${e.message}`;
    return impl;
  }
  let structError = null;
  try {
    for (const [type, fields] of Object.entries(STRUCTS)) ffi.struct(type, fields);
  } catch (e) {
    structError = `struct: ${e.message}`;
  }
  for (const r of ROWS) {
    if (r.batch && !impl.batch) continue;
    if (structError && r.data) {
      impl.errors[r.name] = structError;
      continue;
    }
    try {
      impl.fns[r.name] = r.name === 'callback' ? CALLBACKS[name](ffi, lib)
        : (r.name === 'strlen' ? libc : lib).func(SIGS[r.fn || r.name]);
    } catch (e) {
      impl.errors[r.name] = `bind: ${e.message}`;
    }
  }
  return impl;
}

// load(only): the implementations named in `only` (all when omitted), and
// why any were skipped. sbffi is skipped only while lib/ cannot be required
// at all; once it loads, any failure to bind a function is an error.
function load(only) {
  const want = (n) => !only || only.includes(n);
  const impls = [];
  const skipped = {};
  if (want('js')) impls.push(plainJs());
  if (want('conventional')) impls.push(conventional());
  if (want('shared')) impls.push(shared());
  if (want('sbffi')) {
    let sbffi = null;
    try {
      sbffi = require('..');
    } catch (e) {
      skipped.sbffi = `require('..') failed: ${e.message.split('\n')[0]}`;
    }
    if (sbffi) impls.push(bindAll('sbffi', (p) => sbffi.dlopen(p), sbffi));
  }
  if (want('koffi')) {
    let koffi = null;
    try {
      koffi = require('koffi');
    } catch (e) {
      skipped.koffi = 'not installed (make -C bench koffi)';
    }
    if (koffi) impls.push(bindAll('koffi', (p) => koffi.load(p), koffi));
  }
  return { impls, skipped };
}

// One loop function per (row, implementation), compiled separately so that
// every call site keeps its own type feedback. The source must differ per
// implementation: V8 caches compiled Function sources, and closures from the
// cache share one feedback vector, which would make the call megamorphic.
// The result feeds acc so no call can be dropped.
// A row with data (the struct rows) reads its arguments from d, that row's
// array, shared by every implementation.
function makeLoop(row, impl, sample) {
  const use = row.use ? row.use : typeof sample === 'bigint' ? 'acc += Number(r);'
    : typeof sample === 'number' ? 'acc += r;' : 'acc += 1;';
  const body = `// ${impl.name} ${row.name}
    let acc = 0;
    for (let i = 0; i < n; i++) { const r = f(${row.args}); ${use} }
    return acc;`;
  // a batch row: the same loop, ffi.batch around each row.batch calls
  if (row.batch) {
    const batched = `// ${impl.name} ${row.name}
      let acc = 0;
      for (let k = 0; k < n; k += ${row.batch}) {
        const end = Math.min(n, k + ${row.batch});
        acc += B(() => { for (let i = k; i < end; i++) f(${row.args}); });
      }
      return acc;`;
    // eslint-disable-next-line no-new-func
    return new Function('B', `return function (f, n, s) {${batched}};`)(impl.batch);
  }
  // eslint-disable-next-line no-new-func
  if (!row.data) return new Function('f', 'n', 's', body);
  // eslint-disable-next-line no-new-func
  return new Function('d', `return function (f, n, s) {${body}};`)(row.data);
}

// Does a sample result match the expected one? A struct result must be a
// plain object with exactly the expected fields.
function same(got, want) {
  if (want === undefined) return got === undefined || got === null;
  if (typeof want === 'object') {
    if (got === null || typeof got !== 'object' || Object.getPrototypeOf(got) !== Object.prototype)
      return false;
    const keys = Object.keys(want);
    return Object.keys(got).length === keys.length &&
      keys.every((k) => Object.prototype.hasOwnProperty.call(got, k) && got[k] === want[k]);
  }
  return Number(got) === want;
}

// A Markdown table's lines: the first row is the header, the first column
// left-aligned, the others (numbers) right-aligned.
function markdown(table) {
  const w = table[0].map((_, j) => Math.max(...table.map((r) => r[j].length)));
  const line = (r) => '| ' + r.map((c, j) => (j ? c.padStart(w[j]) : c.padEnd(w[j]))).join(' | ') + ' |';
  const rule = '|' + w.map((n, j) => (j ? '-'.repeat(n + 1) + ':' : '-'.repeat(n + 2))).join('|') + '|';
  return [line(table[0]), rule, ...table.slice(1).map(line)];
}

// The command line of run.js and async.js: --quick, --json, nothing else.
function flags(script) {
  const argv = process.argv.slice(2);
  for (const a of argv) {
    if (a !== '--quick' && a !== '--json') {
      console.error(`usage: node bench/${script} [--quick] [--json] (unknown: ${a})`);
      process.exit(2);
    }
  }
  return { QUICK: argv.includes('--quick'), JSON_OUT: argv.includes('--json') };
}

module.exports = { flags, ROWS, STR, load, makeLoop, same, markdown };
