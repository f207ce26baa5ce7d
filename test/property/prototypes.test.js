'use strict';
// Property 1: whatever prototype string, type list, options or ABI name
// lib.func, ffi.explain, ffi.callback and ffi.sizeof are given, each
// returns (a function, an explanation, a handle, a size) or throws a
// TypeError or an Error, never anything else (a RangeError from a blown
// stack, a SyntaxError from generated code, a thrown non-Error), never
// crashes, and answers within TIME_BOUND. The inputs: prototypes built
// from a grammar of C declarations, the same with random edits, soups of
// C-ish tokens, and fully random strings; type lists of grammar types and
// arbitrary JS values. Sizes stay moderate: the open reports of
// pathological sizes (30,000 nested '[' and an array of 2^32 - 1 types)
// have tests of their own.

const test = require('node:test');
const assert = require('node:assert/strict');
const ffi = require('../..');
const { testLib, hostAbi } = require('../support');
const { fc, banner, property } = require('./support');

console.log(banner(__filename));
test.after(() => {
  for (const [api, n] of Object.entries(tally)) {
    console.log(`${api}: ${n.returned} returned, ${n.threw} threw, slowest ${n.slowest} ms`);
  }
});

const lib = ffi.dlopen(testLib);
const TIME_BOUND = 1000;	// ms for one call

// Types the grammar may name beyond the built-in ones
ffi.struct('PropVec2', { x: 'float', y: 'float' });
ffi.opaque('PropOpaque');

// --- the grammar ---
const WORDS = ['void', 'bool', '_Bool', 'char', 'short', 'int', 'long', 'signed', 'unsigned',
  'float', 'double', 'struct', 'union', 'enum'];
const QUALS = ['const', 'volatile', 'restrict', '__restrict'];
const NAMED = ['int8_t', 'uint8_t', 'int16_t', 'uint16_t', 'int32_t', 'uint32_t', 'int64_t', 'uint64_t',
  'size_t', 'ssize_t', 'intptr_t', 'uintptr_t', 'ptrdiff_t', 'off_t', 'wchar_t', 'pointer', 'uchar',
  'ushort', 'uint', 'ulong', 'int64', 'PropVec2', 'struct PropVec2', 'PropOpaque', 'struct PropOpaque',
  'FILE', 'struct FILE', 'enum E', 'union U', 'nope_t', 'long double', '__int128', 'char16_t'];
const CANONICAL = ['void', 'bool', 'char', 'signed char', 'unsigned char', 'short', 'unsigned short', 'int',
  'unsigned int', 'long', 'unsigned long', 'long long', 'unsigned long long', 'float', 'double', 'void *',
  'const char *', 'char *'];
// functions of the test library, so that some prototypes resolve
const SYMBOLS = ['add', 'dadd', 'echo_int', 'echo_double', 'do_nothing', 'str_len', 'ptr_addr', 'va_record'];

const ident = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[A-Za-z_$][A-Za-z0-9_$]{0,10}$/) },
  { weight: 2, arbitrary: fc.constantFrom(...SYMBOLS) },
  { weight: 1, arbitrary: fc.constantFrom(...WORDS, ...QUALS, 'main', 'x1', '_', '$', 'é', 'ĳ', 'a\u2028b', 'π') },
);

const baseType = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...CANONICAL) },
  { weight: 2, arbitrary: fc.constantFrom(...NAMED) },
  { weight: 2, arbitrary: fc.array(fc.constantFrom(...WORDS, ...QUALS), { minLength: 1, maxLength: 4 }).map((w) => w.join(' ')) },
);

const { type: typeText } = fc.letrec((tie) => ({
  type: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 6, arbitrary: tie('pointerish') },
    { weight: 1, arbitrary: tie('fnptr') },
  ),
  pointerish: fc.tuple(fc.option(fc.constantFrom(...QUALS)), baseType,
    fc.array(fc.constantFrom('*', '* const', '*const', '**', ' *', '[4]', '[]', '[0]', '[2][3]'), { maxLength: 3 }))
    .map(([q, b, stars]) => `${q ? `${q} ` : ''}${b}${stars.length ? ` ${stars.join('')}` : ''}`),
  fnptr: fc.tuple(tie('type'), fc.option(ident), tie('params'), fc.constantFrom('(*%s)', '(* %s)', '(%s)', '(**%s)', '*%s'))
    .map(([ret, name, params, decl]) => `${ret} ${decl.replace('%s', name || '')}(${params})`),
  params: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom('', 'void', '...', 'void, int'),
    fc.tuple(fc.array(tie('param'), { maxLength: 6 }), fc.boolean()).map(([ps, va]) => [...ps, ...(va ? ['...'] : [])].join(', ')),
  ),
  param: fc.tuple(tie('type'), fc.option(ident), fc.option(fc.constantFrom('[3]', '[]', '[0]', '[x]')))
    .map(([t, n, dim]) => `${t}${n ? ` ${n}` : ''}${dim || ''}`),
}));

// types that parse, mostly: the built-in names, qualifiers, pointers,
// the struct and the opaque type, function pointers of those
const GOOD = ['int8_t', 'uint8_t', 'int16_t', 'uint16_t', 'int32_t', 'uint32_t', 'int64_t', 'uint64_t',
  'size_t', 'ssize_t', 'intptr_t', 'uintptr_t', 'wchar_t', 'pointer', 'PropVec2', 'struct PropVec2'];
const goodType = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom('', 'const ', 'volatile '),
    fc.constantFrom(...CANONICAL.filter((t) => t !== 'void'), ...GOOD), fc.constantFrom('', '', ' *', ' const *', ' **'))
    .map(([q, t, s]) => `${q}${t}${s}`) },
  { weight: 1, arbitrary: fc.constantFrom('PropOpaque *', 'struct PropOpaque *', 'struct Undefined *', 'void *const',
    'int (*)(int)', 'void (*)(void)', 'double (*)(double, float)', 'PropVec2 (*)(PropVec2, const char *)') },
);
const paramType = fc.oneof({ weight: 4, arbitrary: goodType }, { weight: 1, arbitrary: typeText });

const params = fc.oneof(
  fc.constantFrom('', 'void', '...', 'void, ...', 'int, ...'),
  fc.tuple(fc.array(fc.tuple(paramType, fc.option(ident, { freq: 2 })).map(([t, n]) => (n ? `${t} ${n}` : t)), { maxLength: 8 }),
    fc.boolean()).map(([ps, va]) => [...ps, ...(va ? ['...'] : [])].join(', ')),
);

const fnName = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...SYMBOLS) }, { weight: 1, arbitrary: ident });
const grammarPrototype = fc.tuple(fc.oneof({ weight: 3, arbitrary: fc.constantFrom('void', ...CANONICAL) }, { weight: 2, arbitrary: paramType }),
  fnName, params, fc.constantFrom('', ';', ' ', ' ;'))
  .map(([ret, name, ps, end]) => `${ret} ${name}(${ps})${end}`);

// a grammar prototype with a few characters inserted, deleted or swapped
const CHARS = '()*,.;[]{} \t\n\0\\"\'/#=&0123456789abcxyz_$é\u{1F600}';
const edit = fc.tuple(fc.nat(), fc.constantFrom('insert', 'delete', 'dup'), fc.constantFrom(...CHARS), fc.nat({ max: 8 }));
const editedPrototype = fc.tuple(grammarPrototype, fc.array(edit, { minLength: 1, maxLength: 4 })).map(([p, edits]) => {
  let s = p;
  for (const [at, op, c, n] of edits) {
    const i = s.length ? at % (s.length + 1) : 0;
    if (op === 'insert') s = s.slice(0, i) + c + s.slice(i);
    else if (op === 'delete') s = s.slice(0, i) + s.slice(i + n + 1);
    else s = s.slice(0, i) + s.slice(i, i + n + 1).repeat(2) + s.slice(i + n + 1);
  }
  return s;
});

const TOKENS = [...WORDS, ...QUALS, ...NAMED, ...SYMBOLS, '*', '(', ')', ',', '...', '[', ']', '[3]', ';', '{', '}',
  '(*)', '(*f)', 'x', 'f', '\0', '0', '-1', '1e9', '"', '\\', '//', '/*', '*/', '\n'];
const tokenSoup = fc.tuple(fc.array(fc.constantFrom(...TOKENS), { maxLength: 40 }), fc.constantFrom(' ', '', '  ', '\t'))
  .map(([ts, sep]) => ts.join(sep));

const prototypeText = fc.oneof(
  { weight: 5, arbitrary: grammarPrototype },
  { weight: 3, arbitrary: editedPrototype },
  { weight: 2, arbitrary: tokenSoup },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...'()*, intvodchar.[]') , maxLength: 80 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 120 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 120 }) },
);

// anything at all: what a caller passing the wrong thing might pass
const anyValue = fc.anything({
  maxDepth: 2, withBigInt: true, withBoxedValues: true, withMap: true, withSet: true,
  withNullPrototype: true, withTypedArray: true, withSparseArray: true, withDate: true,
});

const typeValue = fc.oneof(
  { weight: 6, arbitrary: goodType },
  { weight: 3, arbitrary: typeText },
  { weight: 1, arbitrary: fc.constant('...') },
  { weight: 1, arbitrary: fc.tuple(typeText, fc.array(typeText, { maxLength: 3 })) },	// sbffi 1.x [ret, [args]]
  { weight: 1, arbitrary: anyValue },
);

// a list of types, up to a few past MAX_ARGS (64)
const typeList = fc.oneof(
  { weight: 4, arbitrary: fc.array(typeValue, { maxLength: 8 }) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 60, max: 70 }), fc.constantFrom('int', 'double', 'void *', '...'))
    .map(([n, t]) => Array(n).fill(t)) },
  { weight: 1, arbitrary: fc.constantFrom([,], [, 'int'], ['int', ,]) },	// eslint-disable-line no-sparse-arrays
);

const options = fc.oneof(
  { weight: 4, arbitrary: fc.constant(undefined) },
  { weight: 2, arbitrary: fc.record({ bigint: fc.oneof(fc.boolean(), anyValue), errno: fc.oneof(fc.boolean(), anyValue) }, { requiredKeys: [] }) },
  { weight: 1, arbitrary: anyValue },
);

const abiName = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...ffi.abis) },
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constantFrom('', 'sysv', 'SYSV-X64', 'win64\0', 'toString', '__proto__', 'constructor') },
  { weight: 1, arbitrary: anyValue },
);

// --- the outcome ---

// 'ok' with the value, or 'threw' with the error; anything but a TypeError
// or a plain Error fails the property, and so does a slow answer.
// tally: per API, how many calls returned and how many threw (printed at
// the end, to show the inputs reach both sides)
const tally = {};
function outcome(what, f) {
  const t0 = performance.now();
  let r;
  try {
    r = { ok: true, value: f() };
  } catch (e) {
    r = { ok: false, error: e };
  }
  const ms = performance.now() - t0;
  assert.ok(ms < TIME_BOUND, `${what} took ${ms.toFixed(0)} ms (bound ${TIME_BOUND} ms)`);
  const api = what.slice(0, what.indexOf('('));
  tally[api] = tally[api] || { returned: 0, threw: 0, slowest: 0 };
  tally[api][r.ok ? 'returned' : 'threw']++;
  tally[api].slowest = Math.max(tally[api].slowest, Math.round(ms));
  if (!r.ok) {
    const e = r.error;
    const plain = e instanceof TypeError || (e instanceof Error && Object.getPrototypeOf(e) === Error.prototype);
    assert.ok(plain, `${what} threw ${e instanceof Error ? `a ${e.constructor.name}: ${e.message}` : `a non-Error: ${fc.stringify(e)}`}`);
    assert.equal(typeof e.message, 'string');
    assert.ok(e.message.length > 0, `${what} threw an Error without a message`);
  }
  return r;
}

// An explanation as documented: one place per argument, each where known.
function checkExplanation(e, abi) {
  assert.equal(typeof e, 'object');
  // '' is taken for the default, as undefined is
  assert.equal(e.abi, abi === undefined || abi === '' ? hostAbi : abi);
  assert.ok(ffi.abis.includes(e.abi));
  assert.equal(typeof e.function, 'string');
  assert.ok(Array.isArray(e.args));
  assert.ok(Number.isSafeInteger(e.stackBytes) && e.stackBytes >= 0 && e.stackBytes % 8 === 0, `stackBytes ${e.stackBytes}`);
  for (const a of [e.return, ...e.args]) {
    assert.equal(typeof a.type, 'string');
    assert.equal(typeof a.kind, 'string');
    assert.equal(typeof a.where, 'string');
    if ('offset' in a) assert.ok(Number.isSafeInteger(a.offset) && a.offset >= 0 && a.offset < e.stackBytes);
  }
}

// The signature of a generated function, given to lib.func again, gives
// the same signature back. One class is left out, a limitation of the
// prototype parser rather than of the signature text: a function
// returning a function pointer (lib.func('add', 'void (*)(void)', []),
// 1.x's ['void', []]) has the signature C writes,
// 'void (*add(void))(void)', but the parser does not take such a
// prototype ("no function name"). Its mark: a '(' before 'name('.
function returnsFunction(sig, name) {
  const at = sig.indexOf(`${name}(`);
  return at > 0 && sig.slice(0, at).includes('(');
}

// name: the function's
function roundTrip(fn, name) {
  if (returnsFunction(fn.signature, name)) return;
  const again = outcome(`lib.func(${JSON.stringify(fn.signature)}) (a generated signature)`, () => lib.func(fn.signature));
  assert.ok(again.ok, `the signature ${JSON.stringify(fn.signature)} does not parse again: ${again.ok || again.error.message}`);
  assert.equal(again.value.signature, fn.signature);
}

property(test, 'prototype strings: lib.func, ffi.explain, ffi.callback', 1500, () => fc.property(prototypeText, abiName, (proto, abi) => {
  const f = outcome(`lib.func(${JSON.stringify(proto)})`, () => lib.func(proto));
  if (f.ok) {
    assert.equal(typeof f.value, 'function');
    assert.equal(typeof f.value.signature, 'string');
    assert.equal(typeof f.value.address, 'bigint');
  }
  // explain answers for the host exactly when lib.func can parse it
  const host = outcome(`ffi.explain(${JSON.stringify(proto)})`, () => ffi.explain(proto));
  if (host.ok) checkExplanation(host.value, hostAbi);
  if (f.ok) assert.ok(host.ok, `lib.func takes ${JSON.stringify(proto)}, explain does not: ${host.ok || host.error.message}`);
  if (f.ok) roundTrip(f.value, host.value.function);
  const e = outcome(`ffi.explain(${JSON.stringify(proto)}, ${fc.stringify(abi)})`, () => ffi.explain(proto, abi));
  if (e.ok) checkExplanation(e.value, abi);
  const cb = outcome(`ffi.callback(${JSON.stringify(proto)}, fn)`, () => ffi.callback(proto, () => 0));
  if (cb.ok) {
    assert.equal(typeof cb.value.address, 'bigint');
    cb.value.close();
  }
}));

property(test, 'type lists: lib.func(name, ret, args, options)', 1500, () => fc.property(
  fc.oneof(fc.constantFrom(...SYMBOLS), ident, anyValue), typeValue, typeList, options,
  (name, ret, args, opts) => {
    const what = `lib.func(${fc.stringify(name)}, ${fc.stringify(ret)}, ${fc.stringify(args)}, ${fc.stringify(opts)})`;
    const f = outcome(what, () => lib.func(name, ret, args, opts));
    if (f.ok) {
      assert.equal(typeof f.value, 'function');
      roundTrip(f.value, String(name));
    }
  },
));

property(test, 'ffi.explain(prototype, abi, { varargs })', 1000, () => fc.property(
  grammarPrototype.map((p) => p.replace(/\)(\s*;?)$/, (m, end) => (/\(\s*\)/.test(p) ? `...)${end}` : `, ...)${end}`))),
  abiName,
  fc.oneof({ weight: 4, arbitrary: fc.record({ varargs: fc.array(typeValue, { maxLength: 8 }) }) }, options),
  (proto, abi, opts) => {
    const e = outcome(`ffi.explain(${JSON.stringify(proto)}, ${fc.stringify(abi)}, ${fc.stringify(opts)})`,
      () => ffi.explain(proto, abi, opts));
    if (e.ok) checkExplanation(e.value, abi);
  },
));

property(test, 'ffi.sizeof, ffi.alignof of any type text', 1000, () => fc.property(
  fc.oneof(typeText, tokenSoup, anyValue), abiName, (type, abi) => {
    const s = outcome(`ffi.sizeof(${fc.stringify(type)}, ${fc.stringify(abi)})`, () => ffi.sizeof(type, abi));
    if (s.ok) assert.ok(Number.isSafeInteger(s.value) && s.value >= 0, `size ${s.value}`);
    const a = outcome(`ffi.alignof(${fc.stringify(type)}, ${fc.stringify(abi)})`, () => ffi.alignof(type, abi));
    if (a.ok) assert.ok(a.value >= 1 && (a.value & (a.value - 1)) === 0, `alignment ${a.value}`);
  },
));
