'use strict';
// Property 4: a model of where scalar arguments go, compared with
// ffi.explain on all four ABIs, for random signatures of every scalar
// type, named and variadic (the anonymous ones promoted as C11 6.5.2.2p6
// says). The model is written from the ABI documents, one block per ABI
// with the same two hooks (ret, place), each rule citing its section:
//   System V AMD64 psABI §3.2.3 "Parameter Passing" (1.0, 2024);
//   Microsoft x64 calling convention, "Parameter passing" and "Varargs";
//   AAPCS64 (2025Q4) §6.8.2 "Parameter passing rules", stage C;
//   Apple, "Writing ARM64 code for Apple platforms".
// Nothing here runs native code: explain classifies for any ABI on any host.

const test = require('node:test');
const assert = require('node:assert/strict');
const ffi = require('../..');
const { fc, banner, property } = require('./support');

console.log(banner(__filename));

// --- data models: each C type's size, signedness and class ---
// int: integral, fp: floating, ptr: pointer, bool: _Bool (integral too)
const COMMON = {
  bool: [1, false, 'bool'], 'signed char': [1, true], 'unsigned char': [1, false],
  short: [2, true], 'unsigned short': [2, false], int: [4, true], 'unsigned int': [4, false],
  'long long': [8, true], 'unsigned long long': [8, false],
  int8_t: [1, true], uint8_t: [1, false], int16_t: [2, true], uint16_t: [2, false],
  int32_t: [4, true], uint32_t: [4, false], int64_t: [8, true], uint64_t: [8, false],
  size_t: [8, false], ssize_t: [8, true], intptr_t: [8, true], uintptr_t: [8, false],
  float: [4, true, 'fp'], double: [8, true, 'fp'],
  'void *': [8, false, 'ptr'], 'const char *': [8, false, 'ptr'], 'char *': [8, false, 'ptr'],
  'int (*)(int)': [8, false, 'ptr'], 'double *': [8, false, 'ptr'],
};
const MODELS = {
  // psABI §3.1.2, fig. 3.1: LP64, plain char signed, wchar_t an int
  'sysv-x64': { ...COMMON, char: [1, true], long: [8, true], 'unsigned long': [8, false], wchar_t: [4, true] },
  // Microsoft, "Types and storage": LLP64 (long is 4 bytes), wchar_t 16-bit unsigned
  win64: { ...COMMON, char: [1, true], long: [4, true], 'unsigned long': [4, false], wchar_t: [2, false] },
  // AAPCS64 §10.1 (C/C++ arithmetic types): plain char and wchar_t unsigned
  aapcs64: { ...COMMON, char: [1, false], long: [8, true], 'unsigned long': [8, false], wchar_t: [4, false] },
  // Apple: "the char type is a signed type", wchar_t a signed 32-bit int
  'apple-arm64': { ...COMMON, char: [1, true], long: [8, true], 'unsigned long': [8, false], wchar_t: [4, true] },
};
const TYPES = Object.keys(MODELS['sysv-x64']);

function info(abi, type) {
  const [size, signed, cls = 'int'] = MODELS[abi][type];
  return { type, size, signed, cls };
}

function kindOf(t) {
  if (t.cls === 'bool' || t.cls === 'ptr') return t.cls;
  if (t.cls === 'fp') return t.size === 4 ? 'f32' : 'f64';
  return `${t.signed ? 'i' : 'u'}${t.size * 8}`;
}

// C11 6.5.2.2p6, the default argument promotions of an anonymous argument:
// float to double; by 6.3.1.1p2 every integer type of lower rank than int
// (bool, char, short, a 16-bit wchar_t) to int, which holds all its values.
function promote(abi, t) {
  if (t.cls === 'fp' && t.size === 4) return { ...info(abi, 'double'), promoted: 'double' };
  if ((t.cls === 'int' || t.cls === 'bool') && t.size < 4) return { ...info(abi, 'int'), promoted: 'int' };
  return t;
}

const roundUp = (n, a) => Math.ceil(n / a) * a;

// --- the four conventions: ret(t) names the result's register; place(args)
// gives each argument { where, offset? } and the stack bytes used ---
const ABIS = {
  'sysv-x64': {
    // §3.2.3 "Returning of Values": INTEGER in %rax, SSE in %xmm0
    ret: (t) => (t.cls === 'fp' ? 'xmm0' : 'rax'),
    place(args) {
      const GPR = ['rdi', 'rsi', 'rdx', 'rcx', 'r8', 'r9'];
      let gpr = 0;
      let sse = 0;
      let stack = 0;
      const places = args.map(({ t }) => {
        // §3.2.3 classification: float and double are SSE, the rest
        // (integers, _Bool, pointers) INTEGER; each class takes its own
        // next register (SSE: %xmm0-%xmm7, INTEGER: %rdi ... %r9)
        if (t.cls === 'fp' && sse < 8) return { where: `xmm${sse++}` };
        if (t.cls !== 'fp' && gpr < 6) return { where: GPR[gpr++] };
        // "If there are no registers available ... the whole argument is
        // passed on the stack": in argument order, each in an eightbyte
        const p = { where: 'stack', offset: stack };
        stack += 8;
        return p;
      });
      // variadic calls place anonymous arguments as named ones (%al
      // counts the vector registers): no rule of their own
      return { places, stackBytes: stack };
    },
  },
  win64: {
    // "Return values": RAX, or XMM0 for float and double
    ret: (t) => (t.cls === 'fp' ? 'xmm0' : 'rax'),
    place(args) {
      const GPR = ['rcx', 'rdx', 'r8', 'r9'];
      const places = args.map(({ t, variadic }, i) => {
        // "Parameter passing": the first four arguments by position, an
        // integer or pointer in RCX, RDX, R8, R9, a float or double in
        // XMM0-XMM3 (the other register of the slot stays unused)
        if (i < 4) {
          if (t.cls !== 'fp') return { where: GPR[i] };
          // "Varargs": a floating-point value goes in both the integer and
          // the vector register of its slot
          return { where: variadic ? `xmm${i}, ${GPR[i]}` : `xmm${i}` };
        }
        // the rest on the stack, 8 bytes each, in order (after the 32
        // bytes of home space, which the offsets here leave out)
        return { where: 'stack', offset: (i - 4) * 8 };
      });
      return { places, stackBytes: Math.max(0, args.length - 4) * 8 };
    },
  },
  aapcs64: {
    // §6.9 "Result return": as the first argument would be, x0 or v0
    ret: (t) => (t.cls === 'fp' ? 'v0' : 'x0'),
    place(args) {
      let ngrn = 0;
      let nsrn = 0;
      let nsaa = 0;
      const places = args.map(({ t }) => {
        if (t.cls === 'fp') {
          // C.1: floating point in v[NSRN] while NSRN < 8
          if (nsrn < 8) return { where: `v${nsrn++}` };
          // C.5: a float on the stack takes 8 bytes; C.6: at NSAA
          const p = { where: 'stack', offset: nsaa };
          nsaa += 8;
          return p;
        }
        // C.9: integral and pointer types of up to 8 bytes in x[NGRN]
        if (ngrn < 8) return { where: `x${ngrn++}` };
        // C.13: NGRN = 8; C.14: NSAA rounded up to 8 (no scalar here
        // needs more); C.16: a narrower argument takes 8 bytes; C.17: at NSAA
        nsaa = roundUp(nsaa, 8);
        const p = { where: 'stack', offset: nsaa };
        nsaa += 8;
        return p;
      });
      // anonymous arguments: as named ones on AAPCS64 (Linux)
      return { places, stackBytes: nsaa };
    },
  },
  'apple-arm64': {
    ret: (t) => (t.cls === 'fp' ? 'v0' : 'x0'),
    place(args) {
      let ngrn = 0;
      let nsrn = 0;
      let nsaa = 0;
      const places = args.map(({ t, variadic }) => {
        // "Variadic functions": every anonymous argument on the stack,
        // each in an 8-byte aligned slot of its own
        if (variadic) {
          nsaa = roundUp(nsaa, 8);
          const p = { where: 'stack', offset: nsaa };
          nsaa += 8;
          return p;
        }
        // registers as in AAPCS64 (C.1, C.9)
        if (t.cls === 'fp' && nsrn < 8) return { where: `v${nsrn++}` };
        if (t.cls !== 'fp' && ngrn < 8) return { where: `x${ngrn++}` };
        // "Function arguments may consume slots on the stack that are not
        // multiples of 8 bytes": each at its natural alignment and size
        nsaa = roundUp(nsaa, t.size);
        const p = { where: 'stack', offset: nsaa };
        nsaa += t.size;
        return p;
      });
      // "insert padding on the stack to maintain the 8-byte alignment"
      return { places, stackBytes: roundUp(nsaa, 8) };
    },
  },
};

// The explanation the model predicts, in explain's shape
function predict(abi, ret, named, anonymous) {
  const args = [...named.map((a) => ({ ...a, t: info(abi, a.type), variadic: false })),
    ...anonymous.map((type) => ({ type, t: promote(abi, info(abi, type)), variadic: true }))];
  const { places, stackBytes } = ABIS[abi].place(args);
  const r = info(abi, ret === 'void' ? 'int' : ret);
  return {
    return: ret === 'void' ? { type: 'void', kind: 'void', where: 'none' } : { type: ret, kind: kindOf(r), where: ABIS[abi].ret(r) },
    args: args.map((a, i) => ({
      type: a.type,
      kind: kindOf(a.t),
      where: places[i].where,
      ...(a.name ? { name: a.name } : {}),
      ...(a.variadic ? { variadic: true } : {}),
      ...(a.t.promoted ? { promoted: a.t.promoted } : {}),
      ...(places[i].offset !== undefined ? { offset: places[i].offset } : {}),
    })),
    stackBytes,
  };
}

// explain's answer, with only the fields the model speaks of
function explained(abi, ret, named, anonymous) {
  // a function pointer's name goes inside its declarator: int (*a)(int)
  const params = named.map((a) => (!a.name ? a.type : a.type.includes('(*)') ? a.type.replace('(*)', `(*${a.name})`) : `${a.type} ${a.name}`));
  if (anonymous !== null) params.push('...');
  const proto = `${ret} f(${params.join(', ') || 'void'})`;
  const e = ffi.explain(proto, abi, anonymous && anonymous.length ? { varargs: anonymous } : undefined);
  assert.equal(e.abi, abi);
  assert.equal(e.function, 'f');
  return { proto, e: { return: e.return, args: e.args, stackBytes: e.stackBytes } };
}

const typeArb = fc.constantFrom(...TYPES);
const signature = fc.record({
  // not a function pointer: the prototype parser does not take one as
  // the return type ('int (*f(void))(int)' does not parse, a limitation)
  ret: fc.constantFrom('void', ...TYPES.filter((t) => !t.includes('('))),
  named: fc.array(fc.record({ type: typeArb, name: fc.option(fc.constantFrom('a', 'b', 'x1', 'count'), { freq: 3 }) })
    .map(({ type, name }) => (name ? { type, name } : { type })), { maxLength: 24 }),
  // null: not variadic; else the anonymous arguments' types
  anonymous: fc.option(fc.array(typeArb, { maxLength: 14 }), { freq: 2 }),
});

for (const abi of ffi.abis) {
  property(test, `placement model = ffi.explain on ${abi}`, 600, () => fc.property(signature, ({ ret, named, anonymous }) => {
    const { proto, e } = explained(abi, ret, named, anonymous);
    const want = predict(abi, ret, named, anonymous || []);
    assert.deepEqual(e, want, `${proto}${anonymous && anonymous.length ? ` with varargs ${JSON.stringify(anonymous)}` : ''} on ${abi}`);
  }));
}

test('the model knows every ABI explain does', () => {
  assert.deepEqual(Object.keys(ABIS).sort(), [...ffi.abis].sort());
});

// A few fixed points of the model, against the documents' own examples
test('the model: document examples', () => {
  const where = (abi, named, anon = []) => predict(abi, 'void', named.map((type) => ({ type })), anon).args.map((a) => a.where);
  // psABI: the classes count separately
  assert.deepEqual(where('sysv-x64', ['int', 'double', 'int']), ['rdi', 'xmm0', 'rsi']);
  // Microsoft: "func1(int a, double b, int c, float d)": a in RCX, b in XMM1, c in R8, d in XMM3
  assert.deepEqual(where('win64', ['int', 'double', 'int', 'float']), ['rcx', 'xmm1', 'r8', 'xmm3']);
  // Apple: a char after eight integers takes one byte of the stack
  assert.deepEqual(predict('apple-arm64', 'void', [...Array(8).fill({ type: 'long' }), { type: 'char' }, { type: 'short' }], [])
    .args.slice(8).map((a) => a.offset), [0, 2]);
});
