'use strict';
// The implementations run.js and callgrind.sh compare: for each function of
// libbench (and libc's strlen) one JS-callable per implementation.

const path = require('path');

const BUILD = path.join(__dirname, '..', 'build', 'bench');
const LIBBENCH = path.join(BUILD, 'libbench.so');
const STR = 'hello, world';             // strlen's argument: short, ASCII

// --- the functions: name, arguments per iteration i, expected result ---
const ROWS = [
  { name: 'add_u32', args: 'i & 0xffff, 7', check: [[40, 2], 42] },
  { name: 'add_f64', args: 'i * 0.5, 1.25', check: [[0.5, 1.25], 1.75] },
  { name: 'noop', args: '', check: [[], undefined] },
  { name: 'sum6_f64', args: 'i * 0.5, 1.5, 2.5, 3.5, 4.5, 5.5',
    check: [[1, 2, 3, 4, 5, 6], 21] },
  { name: 'sum8_i64', args: 'i, 1, 2, 3, 4, 5, 6, 7',
    check: [[1, 2, 3, 4, 5, 6, 7, -8], 20] },
  { name: 'strlen', args: 's', check: [[STR], STR.length] },
  // C calls back into JS once: int call_int_cb(int (*cb)(int), int x)
  { name: 'callback', args: 'i & 0xffff', check: [[41], 42] },
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
      sum6_f64: (a, b, c, d, e, f) => a + b + c + d + e + f,
      sum8_i64: (a, b, c, d, e, f, g, h) => a + b + c + d + e + f + g + h,
      strlen: (s) => s.length,
      callback: (x) => inc(x),
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
function shared() {
  const sh = require(path.join(BUILD, 'shared.node'));
  const ab = new ArrayBuffer(4096);
  sh.init(ab);
  const u32 = new Uint32Array(ab);
  const i32 = new Int32Array(ab);
  const f64 = new Float64Array(ab);
  const i64 = new BigInt64Array(ab);
  const u64 = new BigUint64Array(ab);
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
    },
  };
}

// The two FFIs bind every function from its C prototype.
const SIGS = {
  add_u32: 'uint32_t add_u32(uint32_t a, uint32_t b)',
  add_f64: 'double add_f64(double a, double b)',
  noop: 'void noop(void)',
  sum6_f64: 'double sum6_f64(double a, double b, double c, double d, double e, double f)',
  sum8_i64: 'int64_t sum8_i64(int64_t a, int64_t b, int64_t c, int64_t d, ' +
    'int64_t e, int64_t f, int64_t g, int64_t h)',
  strlen: 'size_t strlen(const char *s)',
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
  const impl = { name, fns: {}, errors: {} };
  let lib, libc;
  try {
    lib = load(LIBBENCH);
    libc = load(null);
  } catch (e) {
    for (const r of ROWS) impl.errors[r.name] = `load: ${e.message}`;
    return impl;
  }
  for (const r of ROWS) {
    try {
      impl.fns[r.name] = r.name === 'callback' ? CALLBACKS[name](ffi, lib)
        : (r.name === 'strlen' ? libc : lib).func(SIGS[r.name]);
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
function makeLoop(row, impl, sample) {
  const use = typeof sample === 'bigint' ? 'acc += Number(r);'
    : typeof sample === 'number' ? 'acc += r;' : 'acc += 1;';
  // eslint-disable-next-line no-new-func
  return new Function('f', 'n', 's', `// ${impl.name} ${row.name}
    let acc = 0;
    for (let i = 0; i < n; i++) { const r = f(${row.args}); ${use} }
    return acc;`);
}

// Does a sample result match the expected one?
function same(got, want) {
  if (want === undefined) return got === undefined || got === null;
  return Number(got) === want;
}

module.exports = { ROWS, STR, load, makeLoop, same };
