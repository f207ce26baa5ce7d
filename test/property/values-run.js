'use strict';
// Property 2, the child side (values.test.js starts one process per group,
// so that a crash fails that group with its seed and the case it was
// running instead of taking the test runner down):
//   node test/property/values-run.js <group> <last-case file>
// Arbitrary JS values for every kind of argument of the test library's
// functions (testlib.c): each call either returns what the model says C
// computes (test/property/model.js: wrapped, truncated, rounded as a C
// conversion) or throws a TypeError, as README's "Types" says; user code
// the value runs (a getter, a Proxy trap, a callback) may throw its own
// error through. Each value is generated as a plain description (shown in
// a counterexample) and built afresh for the case.

const fs = require('fs');
const { types: { isProxy, isArrayBufferView, isAnyArrayBuffer, isTypedArray } } = require('util');
const assert = require('node:assert/strict');
const ffi = require('../..');
const { testLib, charSigned } = require('../support');
const { fc, check, checkAsync } = require('./support');
const { INTS, wrap, result } = require('./model');

const lib = ffi.dlopen(testLib);

// --- values: descriptions, and the values built from them ---

// what user code we hand to sbffi throws
class Marker extends Error {}

const FIELDS = ['x', 'y', 'min', 'max', 'a', 'b', 'i', 'd', 'tag', 'v', 'name', 'z', '', 'constructor'];

const numbers = fc.oneof(
  fc.integer(), fc.double(), fc.double({ min: -(2 ** 70), max: 2 ** 70, noNaN: true }),
  fc.constantFrom(NaN, Infinity, -Infinity, -0, 0, 0.5, -0.5, 255.9, -1.5, 2 ** 31, -(2 ** 31) - 1, 2 ** 32,
    2 ** 53, 2 ** 53 + 2, -(2 ** 53), 2 ** 63, 2 ** 64, -(2 ** 64), 1e300, 5e-324, 3.4028235677973366e38),
);
const bigints = fc.oneof(
  fc.bigInt(), fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
  fc.constantFrom(0n, -1n, 2n ** 31n, 2n ** 63n, -(2n ** 63n), 2n ** 64n - 1n, 2n ** 64n, -(2n ** 64n), 2n ** 200n),
);
const strings = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }) },	// lone surrogates too
  { weight: 1, arbitrary: fc.constantFrom('', 'a\0b', '\0', 'héllo', '\ud800', '\udc00x', '中文') },
  // past the scratch area's room and the short-string path
  { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 4, minLength: 1 }), fc.integer({ min: 20, max: 3000 })).map(([s, n]) => s.repeat(n)) },
);
const VIEWS = ['Uint8Array', 'Int8Array', 'Uint16Array', 'Int32Array', 'Float32Array', 'Float64Array', 'BigInt64Array',
  'BigUint64Array', 'Uint8ClampedArray', 'DataView', 'Buffer'];
const bufferSpec = fc.record({
  buffer: fc.constantFrom(...VIEWS, 'ArrayBuffer', 'SharedArrayBuffer'),
  bytes: fc.nat({ max: 64 }),
  offset: fc.nat({ max: 3 }),
  detached: fc.boolean({ freq: 5 }).map((b) => b || undefined),
}).map((r) => (r.detached ? r : { buffer: r.buffer, bytes: r.bytes, offset: r.offset }));
const anything = fc.anything({
  maxDepth: 2, withBigInt: true, withBoxedValues: true, withMap: true, withSet: true, withNullPrototype: true,
  withTypedArray: true, withSparseArray: true, withDate: true,
});
const OTHERS = ['null', 'undefined', 'symbol', 'Symbol.iterator', 'Number(1)', 'String(x)', 'Boolean(true)', 'Object(1n)',
  'Date', 'RegExp', 'Map', 'WeakMap', 'Promise', 'Error', 'globalThis', 'arguments', 'array with constructor Object',
  'empty array with constructor Object', 'empty Uint8Array with constructor Object'];

const leaf = fc.oneof(
  { weight: 5, arbitrary: numbers.map((n) => ({ n })) },
  { weight: 4, arbitrary: bigints.map((b) => ({ b })) },
  { weight: 2, arbitrary: strings.map((s) => ({ s })) },
  { weight: 1, arbitrary: fc.boolean().map((bool) => ({ bool })) },
  { weight: 2, arbitrary: fc.constantFrom(...OTHERS).map((other) => ({ other })) },
  { weight: 2, arbitrary: anything.map((any) => ({ any })) },
  { weight: 2, arbitrary: bufferSpec },
  { weight: 1, arbitrary: fc.constantFrom('open', 'closed').map((handle) => ({ handle })) },
);

const { spec } = fc.letrec((tie) => ({
  spec: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    { weight: 8, arbitrary: leaf },
    { weight: 3, arbitrary: tie('object') },
    { weight: 1, arbitrary: tie('getters') },
    { weight: 1, arbitrary: tie('proxy') },
    { weight: 2, arbitrary: tie('fn') },
  ),
  // an object literal, without a prototype, or a class instance
  object: fc.record({
    object: fc.constantFrom('literal', 'literal', 'null prototype', 'class instance', 'inherited'),
    fields: fc.dictionary(fc.constantFrom(...FIELDS), tie('spec'), { maxKeys: 4 }),
  }),
  // accessor properties: each returns its value, or throws
  getters: fc.dictionary(fc.constantFrom(...FIELDS), fc.oneof(tie('spec'), fc.constant('throws')), { maxKeys: 3 })
    .map((getters) => ({ getters })),
  proxy: fc.record({
    proxy: tie('spec'),
    trap: fc.constantFrom('none', 'get throws', 'ownKeys throws', 'getPrototypeOf throws',
      'getOwnPropertyDescriptor throws', 'has throws', 'get answers 7'),
  }),
  fn: fc.record({ fn: fc.constantFrom('returns', 'returns', 'throws', 'async', 'class', 'bound', 'generator'), returns: tie('spec') }),
}));

// what build() made detached, and what it made that may run user code
const detached = new WeakSet();
const openHandle = ffi.callback('int (int, int)', (a, b) => a - b);
const closedHandle = ffi.callback('int (int, int)', (a, b) => a + b);
closedHandle.close();

function detach(ab) {
  structuredClone(ab, { transfer: [ab] });
}

function buildBuffer(d) {
  if (d.buffer === 'ArrayBuffer' || d.buffer === 'SharedArrayBuffer') {
    const ab = d.buffer === 'ArrayBuffer' ? new ArrayBuffer(d.bytes) : new SharedArrayBuffer(d.bytes);
    if (d.detached && d.buffer === 'ArrayBuffer') {
      detach(ab);
      detached.add(ab);
    }
    return ab;
  }
  const C = d.buffer === 'Buffer' ? Buffer.from : globalThis[d.buffer];
  const width = globalThis[d.buffer] ? globalThis[d.buffer].BYTES_PER_ELEMENT || 1 : 1;
  const ab = new ArrayBuffer((d.bytes + d.offset) * width);
  const v = d.buffer === 'Buffer' ? Buffer.from(ab, d.offset, d.bytes) : new C(ab, d.offset * width, d.bytes);
  if (d.detached) {
    detach(ab);
    detached.add(v);
  }
  return v;
}

// configurable: a Proxy of it may answer another value
const withObjectConstructor = (o) => Object.defineProperty(o, 'constructor', { value: Object, configurable: true, writable: true });

function buildOther(name) {
  switch (name) {
    case 'null': return null;
    case 'undefined': return undefined;
    case 'symbol': return Symbol('x');
    case 'Symbol.iterator': return Symbol.iterator;
    case 'Number(1)': return Object(1);
    case 'String(x)': return Object('x');
    case 'Boolean(true)': return Object(true);
    case 'Object(1n)': return Object(1n);
    case 'Date': return new Date(0);
    case 'RegExp': return /x/g;
    case 'Map': return new Map([['x', 1]]);
    case 'WeakMap': return new WeakMap();
    case 'Promise': return Promise.resolve(1);
    case 'Error': return new Error('x');
    case 'globalThis': return globalThis;
    case 'arguments': return (function args() { return arguments; }(1, 2));	// eslint-disable-line prefer-rest-params
    case 'array with constructor Object': return withObjectConstructor([1, 2]);
    case 'empty array with constructor Object': return withObjectConstructor([]);
    case 'empty Uint8Array with constructor Object': return withObjectConstructor(new Uint8Array(0));
    default: throw new Error(`no value '${name}'`);
  }
}

class Thing {
  constructor(fields) {
    Object.assign(this, fields);
  }
}

function build(d) {
  if ('n' in d) return d.n;
  if ('b' in d) return d.b;
  if ('s' in d) return d.s;
  if ('bool' in d) return d.bool;
  if ('other' in d) return buildOther(d.other);
  if ('any' in d) return d.any;
  if ('buffer' in d) return buildBuffer(d);
  if ('handle' in d) return d.handle === 'open' ? openHandle : closedHandle;
  if ('object' in d) {
    const fields = Object.fromEntries(Object.entries(d.fields).map(([k, v]) => [k, build(v)]));
    switch (d.object) {
      case 'literal': return { ...fields };
      case 'null prototype': return Object.assign(Object.create(null), fields);
      case 'class instance': return new Thing(fields);
      default: return Object.create(fields);	// inherited: for-in sees them
    }
  }
  if ('getters' in d) {
    const o = {};
    for (const [k, v] of Object.entries(d.getters)) {
      Object.defineProperty(o, k, {
        enumerable: true,
        get: v === 'throws' ? () => { throw new Marker(`getter ${k}`); } : () => build(v),
      });
    }
    return o;
  }
  if ('proxy' in d) {
    const inner = build(d.proxy);
    const target = inner !== null && (typeof inner === 'object' || typeof inner === 'function') ? inner : {};
    const thrower = (trap) => () => { throw new Marker(`${trap} trap`); };
    const handler = {};
    if (d.trap === 'get answers 7') handler.get = () => 7;
    else if (d.trap !== 'none') handler[d.trap.split(' ')[0]] = thrower(d.trap);
    return new Proxy(target, handler);
  }
  if ('fn' in d) {
    const value = () => build(d.returns);
    switch (d.fn) {
      case 'returns': return function returns() { return value(); };
      case 'throws': return () => { throw new Marker('function'); };
      case 'async': return async () => value();
      case 'class': return class K {};
      case 'bound': return function bound() { return value(); }.bind(null);
      default: return function* gen() { yield value(); };
    }
  }
  throw new Error(`no value for ${JSON.stringify(d)}`);
}

// --- the model ---

// the outcome the model predicts: { value } or { error: 'TypeError' | 'Error' }
const TYPE_ERROR = { error: 'TypeError' };
const isBufferish = (v) => !isProxy(v) && (isArrayBufferView(v) || isAnyArrayBuffer(v));
const isCallable = (v) => typeof v === 'function';
const isHandle = (v) => v === openHandle || v === closedHandle;
// a struct's value, per README: an object; not an array, a typed array,
// a buffer, a function
const isStructObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v) && !isBufferish(v);

// C's value of a scalar field or argument; throws ModelError for a value
// sbffi must refuse
class ModelError extends Error {}
const refuse = () => { throw new ModelError(); };
function scalar(k, v) {
  if (k === 'f32') return typeof v === 'number' ? Math.fround(v) : refuse();
  if (k === 'f64') return typeof v === 'number' ? v : refuse();
  if (k === 'bool') return typeof v === 'boolean' ? v : typeof v === 'number' ? v !== 0 : refuse();
  const t = k;	// an entry of INTS
  return typeof v === 'number' || typeof v === 'bigint' ? wrap(t, v) : refuse();
}

// Layouts of the test library's structs (testlib.c), as the model reads
// them: [field, kind] with kind a scalar kind, an INTS entry, a nested
// layout, { array: n, of }, or { chars: n }.
const I8 = { bits: 8, signed: true };
const U8 = { bits: 8, signed: false };
const I32 = { bits: 32, signed: true };
const I64 = { bits: 64, signed: true };
const VEC2 = [['x', 'f32'], ['y', 'f32']];
const RECT = [['min', VEC2], ['max', VEC2]];
const WIRE = [['a', I8], ['b', I32]];
const INTDOUBLE = [['i', I64], ['d', 'f64']];
const PKT = [['tag', U8], ['v', { array: 3, of: I32 }], ['d', 'f64'], ['name', { chars: 16 }]];

// The C value of a struct: its fields, missing ones zero; the value itself
// must be given (top), a nested struct missing is all zero. The same for
// the straight-line code of lib/emit.js and for lib/codec.js (a struct
// pointer's object, a packed or char-array struct by value).
function struct(layout, v, top = true) {
  if (v === undefined && top) refuse();
  if (v === undefined) v = {};
  else if (!isStructObject(v)) refuse();
  for (const k in v) if (!layout.some(([f]) => f === k)) refuse();
  const out = {};
  for (const [f, kind] of layout) out[f] = field(kind, v[f]);
  return out;
}

function field(kind, v) {
  if (Array.isArray(kind)) return struct(kind, v, false);
  if (kind.array) {
    if (v === undefined) return Array(kind.array).fill(field(kind.of, undefined));
    if (!(Array.isArray(v) || (isTypedArray(v) && !isProxy(v)))) refuse();
    if (v.length !== kind.array) refuse();
    return Array.from({ length: kind.array }, (_, i) => field(kind.of, v[i]));
  }
  if (kind.chars) {
    if (v === undefined) return '';
    if (typeof v !== 'string') refuse();
    // UTF-8, cut at a character boundary to leave room for the NUL
    const bytes = Buffer.from(v, 'utf8');
    let n = Math.min(bytes.length, kind.chars - 1);
    while (n > 0 && n < bytes.length && (bytes[n] & 0xc0) === 0x80) n--;
    return bytes.subarray(0, n);
  }
  if (v === undefined) return typeof kind === 'string' ? 0 : 0n;
  return scalar(kind, v);
}

// f(v): what the call returns, computed from C's values; throws ModelError
// where sbffi must throw a TypeError
function predict(f) {
  try {
    return { value: f() };
  } catch (e) {
    if (e instanceof ModelError) return TYPE_ERROR;
    if (e instanceof Marker) return { error: 'Marker' };
    throw e;
  }
}

// --- the comparison ---

const same = (a, b) => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
const near = (a, b) => same(a, b) || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));

// call(): the real call; want: the model's outcome; user: whether the
// value holds user code that may throw through (a Marker allowed then)
function compare(what, call, want, user, eq = assert.deepEqual) {
  let got;
  try {
    got = { value: call() };
  } catch (e) {
    got = { error: e instanceof Marker ? 'Marker' : e.constructor === TypeError ? 'TypeError' : e.constructor === Error ? 'Error' : 'other', e };
  }
  if (got.error === 'other') assert.fail(`${what}: threw ${got.e && got.e.constructor && got.e.constructor.name}: ${got.e && got.e.message}`);
  if (user && (got.error === 'Marker' || want.error === 'Marker')) return;
  if ('value' in want) {
    assert.ok('value' in got, `${what}: threw ${got.e && got.e.message}, the model says it returns ${fc.stringify(want.value)}`);
    eq(got.value, want.value, `${what}: returned ${fc.stringify(got.value)}, the model says ${fc.stringify(want.value)}`);
  } else {
    assert.ok(!('value' in got), `${what}: returned ${fc.stringify(got.value)}, the model says it throws a ${want.error}`);
    assert.equal(got.error, want.error, `${what}: threw ${got.e.constructor.name}: ${got.e.message}; the model says a ${want.error}`);
  }
}

// whether a description holds user code that may throw a Marker: a
// getter, a Proxy trap, a function
function mayThrow(d) {
  if (d === null || typeof d !== 'object' || 'any' in d) return false;
  if ('getters' in d) return Object.values(d.getters).some((g) => g === 'throws' || mayThrow(g));
  if ('fn' in d) return d.fn === 'throws' || mayThrow(d.returns);
  if ('proxy' in d) return d.trap.endsWith('throws') || mayThrow(d.proxy);
  if ('object' in d) return Object.values(d.fields).some(mayThrow);
  return false;
}

// --- the groups: one property each ---

const groups = {};

// every integer type, bool, float, double (echo_<type>)
const echo = Object.fromEntries([
  ...INTS.map((t) => [t.name, { fn: lib.func(`${t.type} echo_${t.name}(${t.type})`), model: (v) => result(t, scalar(t, v)) }]),
  ['bool', { fn: lib.func('bool echo_bool(bool)'), model: (v) => scalar('bool', v) }],
  ['float', { fn: lib.func('float echo_float(float)'), model: (v) => scalar('f32', v) }],
  ['double', { fn: lib.func('double echo_double(double)'), model: (v) => scalar('f64', v) }],
]);
groups.scalars = {
  name: 'arbitrary values for every scalar argument (echo_<type>)',
  runs: 3000,
  arb: fc.tuple(fc.constantFrom(...Object.keys(echo)), spec),
  run([type, d]) {
    const v = build(d);
    const { fn, model } = echo[type];
    compare(`echo_${type}(${fc.stringify(d)})`, () => fn(v), predict(() => model(v)), false,
      (a, b, m) => assert.ok(same(a, b), m));
  },
};

// every kind of pointer, through ptr_addr(const void *), which returns the
// address it got, declared with each pointer type
ffi.struct('Vec2', { x: 'float', y: 'float' });
ffi.struct('Rect', { min: 'Vec2', max: 'Vec2' });
const POINTERS = ['void *', 'const void *', 'int32_t *', 'const char *', 'char *', 'int (*)(int, int)', 'Vec2 *',
  'const Vec2 *', 'Rect *'];
const ptrAddr = Object.fromEntries(POINTERS.map((t) => [t, lib.func('ptr_addr', 'uintptr_t', [t])]));
const NONZERO = Symbol('a non-NULL address');
const UPDATED = Symbol('a non-NULL address, or a TypeError updating the object');
function pointerModel(type, v) {
  if (typeof v === 'bigint') return BigInt.asUintN(64, v);
  if (v === null) return 0n;
  if (isHandle(v)) {
    if (v === closedHandle) throw Object.assign(new ModelError(), { plain: true });
    return v.address;
  }
  if (isBufferish(v)) return detached.has(v) ? refuse() : ffi.address(v);
  if (typeof v === 'string') return type.includes('char') ? NONZERO : refuse();
  if (isCallable(v)) return type.includes('(*)') ? NONZERO : refuse();
  // a struct pointer takes an object, copied in for the call
  const layout = { 'Vec2 *': VEC2, 'const Vec2 *': VEC2, 'Rect *': RECT }[type];
  if (layout && isStructObject(v)) {
    struct(layout, v);
    // a non-const pointer's object gets its fields back after the call:
    // a getter without a setter, a Proxy or a frozen object may refuse
    // them with a TypeError then (strict mode assignment)
    return type.startsWith('const') ? NONZERO : UPDATED;
  }
  return refuse();
}
groups.pointers = {
  name: 'arbitrary values for every pointer argument (ptr_addr)',
  runs: 3000,
  arb: fc.tuple(fc.constantFrom(...POINTERS), spec),
  run([type, d]) {
    const v = build(d);
    let want;
    try {
      want = { value: pointerModel(type, v) };
    } catch (e) {
      if (e instanceof Marker) want = { error: 'Marker' };
      else if (e instanceof ModelError) want = { error: e.plain ? 'Error' : 'TypeError' };
      else throw e;
    }
    const what = `ptr_addr((${type}) ${fc.stringify(d)})`;
    if (want.value === UPDATED) {
      try {
        assert.notEqual(ptrAddr[type](v), 0n, what);
      } catch (e) {
        if (!(e instanceof Marker) && e.constructor !== TypeError) throw e;
      }
      return;
    }
    compare(what, () => ptrAddr[type](v), want, mayThrow(d), (got, exp, m) => {
      assert.equal(typeof got, 'bigint', m);
      if (exp === NONZERO) assert.notEqual(got, 0n, m);
      else assert.equal(got, exp, m);
    });
  },
};

// strings: const char * both ways, and its length in C
const strEcho = lib.func('const char *str_echo(const char *s)');
const strLen = lib.func('size_t str_len(const char *s)');
// C's string: UTF-8 (a lone surrogate as U+FFFD), up to the first NUL
const cString = (s) => {
  const bytes = Buffer.from(s, 'utf8');
  const nul = bytes.indexOf(0);
  return nul < 0 ? bytes : bytes.subarray(0, nul);
};
groups.strings = {
  name: 'strings and null for const char * (str_echo, str_len)',
  runs: 1500,
  arb: fc.oneof({ weight: 4, arbitrary: strings.map((s) => ({ s })) }, { weight: 1, arbitrary: fc.constant({ other: 'null' }) }),
  run(d) {
    const v = build(d);
    const c = v === null ? null : cString(v);
    compare(`str_echo(${fc.stringify(d)})`, () => strEcho(v), { value: c === null ? null : c.toString('utf8') }, false);
    compare(`str_len(${fc.stringify(d)})`, () => strLen(v), { value: c === null ? 2n ** 64n - 1n : BigInt(c.length) }, false);
  },
};

// structs by value: straight-line code (Vec2, Rect, IntDouble) and the
// codec (packed Wire, Pkt with its arrays and char[16])
ffi.struct('Wire', { a: 'char', b: 'int32_t' }, { pack: 1 });
ffi.struct('IntDouble', { i: 'int64_t', d: 'double' });
ffi.struct('Pkt', { tag: 'uint8_t', v: 'int32_t[3]', d: 'double', name: 'char[16]' });
const STRUCT_FNS = {
  rect_of: {
    fn: lib.func('Rect rect_of(Vec2 a, Vec2 b)'),
    call: (f, v) => f(v, { x: 1, y: 2 }),
    model: (v) => ({ min: struct(VEC2, v), max: { x: 1, y: 2 } }),
  },
  wire_b: {
    fn: lib.func('int32_t wire_b(Wire w)'),
    call: (f, v) => f(v),
    model: (v) => {
      const w = struct(WIRE, v);
      return Number(BigInt.asIntN(32, w.a * 1000n + w.b));
    },
  },
  intdouble_sum: {
    fn: lib.func('double intdouble_sum(IntDouble s)'),
    call: (f, v) => f(v),
    model: (v) => {
      const s = struct(INTDOUBLE, v);
      return Number(s.i) + s.d;
    },
    near: true,
  },
  pkt_sum: {
    fn: lib.func('double pkt_sum(Pkt p)'),
    call: (f, v) => f(v),
    model: (v) => {
      const p = struct(PKT, v);
      const [v0, v1, v2] = p.v.map(Number);
      const nul = p.name.indexOf(0);
      return Number(p.tag) + v0 * 10 + v1 * 100 + v2 * 1000 + p.d + (nul < 0 ? p.name.length : nul) * 1e6;
    },
    near: true,
  },
};
groups.structs = {
  name: 'arbitrary values for struct arguments by value',
  runs: 2500,
  arb: fc.tuple(fc.constantFrom(...Object.keys(STRUCT_FNS)), spec),
  run([name, d]) {
    const v = build(d);
    const s = STRUCT_FNS[name];
    compare(`${name}(${fc.stringify(d)})`, () => s.call(s.fn, v), predict(() => s.model(v)), mayThrow(d),
      s.near ? (a, b, m) => assert.ok(near(a, b), m) : assert.deepEqual);
  },
};

// function pointers C calls: a JS function (a callback for the call), a
// handle, or a value of no pointer kind (never an address: C would call it)
const callII = lib.func('int cb_call_ii(int (*f)(int, int), int a, int b)');
const callVec2 = lib.func('Vec2 call_vec2_cb(Vec2 (*f)(Vec2, Rect), Vec2 v, Rect r)');
const notAddress = spec.filter((d) => !('b' in d) && !('buffer' in d) && !['null', 'empty Uint8Array with constructor Object'].includes(d.other) &&
  !('any' in d && (typeof d.any === 'bigint' || d.any === null || isBufferish(d.any))));
groups.callbacks = {
  name: 'arbitrary functions and values for function pointers C calls (cb_call_ii, call_vec2_cb)',
  runs: 1500,
  arb: fc.tuple(fc.oneof({ weight: 3, arbitrary: spec.filter((d) => 'fn' in d || 'handle' in d) }, { weight: 1, arbitrary: notAddress }),
    fc.integer(), fc.integer(), fc.boolean()),
  run([d, a, b, structs]) {
    const f = build(d);
    // the open handle is an int (int, int): C calling it as a Vec2
    // function gets whatever its registers hold
    if (structs && f === openHandle) return;
    const user = mayThrow(d);
    const returned = (call) => predict(() => {
      if (f === closedHandle) throw Object.assign(new ModelError(), { plain: true });
      if (f === openHandle) return call((x, y) => x - y);	// the handle's own function
      if (!isCallable(f)) return refuse();
      let r;
      try {
        r = call(f);
      } catch (e) {
        if (e instanceof Marker) throw e;
        return refuse();	// the callback's own TypeError, rethrown by the call
      }
      return r;
    });
    if (!structs) {
      let want = returned((g) => {
        const r = g(a, b);
        return Number(scalar(I32, r));
      });
      if (f === closedHandle) want = { error: 'Error' };
      compare(`cb_call_ii(${fc.stringify(d)}, ${a}, ${b})`, () => callII(f, a, b), want, user);
    } else {
      const v = { x: Math.fround(a), y: Math.fround(b) };
      const r = { min: { x: 1, y: 2 }, max: { x: 3, y: 4 } };
      let want = returned((g) => struct(VEC2, g(v, r)));
      if (f === closedHandle) want = { error: 'Error' };
      compare(`call_vec2_cb(${fc.stringify(d)}, ${fc.stringify(v)}, r)`, () => callVec2(f, v, r), want, user);
    }
  },
};

// anonymous arguments of every promoted type, with any value
const record = lib.func('int va_record(int64_t *ints, double *reals, const char *types, ...)');
const VARARGS = { int: 'i', 'unsigned int': 'I', 'long long': 'q', 'unsigned long long': 'Q', double: 'd', float: 'f', char: 'c', bool: 'b', 'void *': 'p' };
groups.variadic = {
  name: 'arbitrary values for variadic anonymous arguments (va_record)',
  runs: 1500,
  arb: fc.array(fc.tuple(fc.constantFrom(...Object.keys(VARARGS)), spec), { minLength: 1, maxLength: 6 }),
  run(pairs) {
    const values = pairs.map(([, d]) => build(d));
    const letters = pairs.map(([t]) => VARARGS[t]).join('');
    const ints = new BigInt64Array(pairs.length);
    const reals = new Float64Array(pairs.length);
    const want = predict(() => pairs.map(([t], k) => {
      const v = values[k];
      switch (t) {
        case 'double': return scalar('f64', v);
        case 'float': return scalar('f32', v);
        case 'bool': return scalar('bool', v) ? 1n : 0n;
        case 'char': return BigInt.asIntN(64, scalar({ bits: 8, signed: charSigned }, v));
        case 'void *': {
          if (typeof v === 'bigint') return BigInt.asIntN(64, v);
          if (v === null) return 0n;
          if (isBufferish(v) && !detached.has(v)) return BigInt.asIntN(64, ffi.address(v));
          if (isHandle(v) && v === openHandle) return BigInt.asIntN(64, v.address);
          if (v === closedHandle) throw Object.assign(new ModelError(), { plain: true });
          return refuse();
        }
        default: {
          const type = { int: I32, 'unsigned int': { bits: 32, signed: false }, 'long long': I64, 'unsigned long long': I64 }[t];
          return BigInt.asIntN(64, scalar(type, v));
        }
      }
    }));
    if (want.error === 'TypeError' && pairs.some(([t, d]) => t === 'void *' && d.handle === 'closed')) want.error = 'either';
    const what = `va_record(ints, reals, '${letters}', ${pairs.map(([t, d]) => `'${t}', ${fc.stringify(d)}`).join(', ')})`;
    let got;
    try {
      got = { value: record(ints, reals, letters, ...pairs.flatMap(([t], k) => [t, values[k]])) };
    } catch (e) {
      got = { error: e.constructor === TypeError ? 'TypeError' : e.constructor === Error ? 'Error' : 'other', e };
    }
    if ('value' in want) {
      assert.ok('value' in got, `${what}: threw ${got.e && got.e.message}`);
      assert.equal(got.value, pairs.length);
      want.value.forEach((w, k) => {
        const rec = 'df'.includes(letters[k]) ? reals[k] : ints[k];
        assert.ok(same(rec, w), `${what}: anonymous argument ${k + 1} recorded ${rec}, the model says ${w}`);
      });
    } else {
      assert.ok(!('value' in got), `${what}: returned, the model says it throws`);
      if (want.error === 'either') assert.ok(got.error === 'TypeError' || got.error === 'Error', `${what}: threw ${got.e.message}`);
      else assert.equal(got.error, want.error, `${what}: threw ${got.e.constructor.name}: ${got.e.message}`);
    }
  },
};

// .async: the same conversions, a rejection instead of a throw
groups.async = {
  name: 'arbitrary values for .async calls (echo_<type>.async)',
  runs: 500,
  async: true,
  arb: fc.tuple(fc.constantFrom(...Object.keys(echo)), spec),
  async run([type, d]) {
    const v = build(d);
    const { fn, model } = echo[type];
    const want = predict(() => model(v));
    let got;
    try {
      got = { value: await fn.async(v) };
    } catch (e) {
      got = { error: e.constructor === TypeError ? 'TypeError' : 'other', e };
    }
    const what = `echo_${type}.async(${fc.stringify(d)})`;
    if ('value' in want) {
      assert.ok('value' in got, `${what}: rejected with ${got.e && got.e.message}`);
      assert.ok(same(got.value, want.value), `${what}: resolved ${fc.stringify(got.value)}, the model says ${fc.stringify(want.value)}`);
    } else {
      assert.equal(got.error, want.error, `${what}: ${'value' in got ? `resolved ${fc.stringify(got.value)}` : got.e.message}`);
    }
  },
};

// --- running one group ---

async function main() {
  const [group, lastCase] = process.argv.slice(2);
  const g = groups[group];
  if (!g) throw new Error(`no group '${group}' (known: ${Object.keys(groups).join(', ')})`);
  // the case about to run, for the parent to show should this process die
  const note = (input) => {
    if (lastCase) fs.writeFileSync(lastCase, fc.stringify(input));
  };
  const prop = g.async
    ? fc.asyncProperty(g.arb, async (input) => { note(input); await g.run(input); })
    : fc.property(g.arb, (input) => { note(input); g.run(input); });
  const ran = await (g.async ? checkAsync(g.name, prop, g.runs) : check(g.name, prop, g.runs));
  console.log(ran ? `${g.name}: passed` : `${g.name}: skipped (FC_ONLY)`);
}

module.exports = { groups, build, spec };

if (require.main === module) {
  main().then(() => {
    openHandle.close();
    process.exit(0);
  }, (e) => {
    console.error(e.message);
    process.exit(1);
  });
}
