'use strict';
// Every scalar type at its limits, C-cast wrapping, narrow arguments and
// returns, 64-bit integers as BigInt or Number, stack arguments.

const test = require('node:test');
const assert = require('node:assert/strict');
const ffi = require('..');

const support = require('./support');

const lib = ffi.dlopen(support.testLib);
const echo = (name, type, options) => lib.func(`${type} echo_${name}(${type} x)`, options);

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

// [echo name, C type, bits, signed]
const INTEGERS = [
  ['i8', 'int8_t', 8, true], ['u8', 'uint8_t', 8, false],
  ['i16', 'int16_t', 16, true], ['u16', 'uint16_t', 16, false],
  ['i32', 'int32_t', 32, true], ['u32', 'uint32_t', 32, false],
  ['char', 'char', 8, support.charSigned], ['schar', 'signed char', 8, true], ['uchar', 'unsigned char', 8, false],
  ['short', 'short', 16, true], ['ushort', 'unsigned short', 16, false],
  ['int', 'int', 32, true], ['uint', 'unsigned int', 32, false],
];
// long is 64 bits (LP64), or 32 on Windows (LLP64)
const LONGS = [['long', 'long', true], ['ulong', 'unsigned long', false]];
if (support.longSize === 4) INTEGERS.push(...LONGS.map(([n, t, s]) => [n, t, 32, s]));
const INTEGERS64 = [
  ['i64', 'int64_t', true], ['u64', 'uint64_t', false],
  ...(support.longSize === 8 ? LONGS : []),
  ['llong', 'long long', true], ['ullong', 'unsigned long long', false],
  ['size', 'size_t', false], ['ssize', 'ssize_t', true],
  ['intptr', 'intptr_t', true], ['uintptr', 'uintptr_t', false],
];

// what a C cast of the integer n to the type gives
function wrap(n, bits, signed) {
  const b = signed ? BigInt.asIntN(bits, BigInt(n)) : BigInt.asUintN(bits, BigInt(n));
  return bits === 64 ? b : Number(b);
}

for (const [name, type, bits, signed] of INTEGERS) {
  test(`${type}: limits and C-cast wrapping`, () => {
    const f = echo(name, type);
    const min = signed ? -(2 ** (bits - 1)) : 0;
    const max = signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
    for (const v of [0, 1, min, max, min + 1, max - 1]) assert.equal(f(v), v, `${type} ${v}`);
    for (const v of [max + 1, min - 1, 2 ** bits + 4, -(2 ** bits) - 3, 2 ** 40 + 17, -(2 ** 40) - 17, 2 ** 53 - 1]) {
      assert.equal(f(v), wrap(v, bits, signed), `${type} wraps ${v}`);
    }
    // fractional numbers truncate toward zero
    assert.equal(f(3.7), 3);
    assert.equal(f(-1.5), signed ? -1 : wrap(-1, bits, false));
    // NaN and infinities become 0, as ToInt32 does
    assert.equal(f(NaN), 0);
    assert.equal(f(Infinity), 0);
    // BigInt is accepted and wraps the same way
    assert.equal(f(BigInt(max)), max);
    assert.equal(f(BigInt(min)), min);
    assert.equal(f(2n ** 64n + 5n), 5);
    assert.equal(f(-1n), wrap(-1, bits, signed));
    assert.equal(typeof f(1), 'number');
  });
}

test('C-cast examples from the design', () => {
  assert.equal(echo('u8', 'uint8_t')(260), 4);
  assert.equal(echo('i8', 'int8_t')(200), -56);
  assert.equal(echo('u32', 'uint32_t')(-1), 4294967295);
  assert.equal(echo('i32', 'int32_t')(2 ** 31), -(2 ** 31));
  assert.equal(echo('u16', 'uint16_t')(-1), 65535);
});

for (const [name, type, signed] of INTEGERS64) {
  test(`${type}: 64-bit limits as BigInt, Number input`, () => {
    const f = echo(name, type);
    const lims = signed ? [INT64_MIN, INT64_MAX, -1n, 0n, 1n] : [0n, 1n, UINT64_MAX, 2n ** 63n];
    for (const v of lims) assert.equal(f(v), v, `${type} ${v}`);
    // BigInt wraps like a C cast
    assert.equal(f(2n ** 64n + 5n), 5n);
    assert.equal(f(-1n), signed ? -1n : UINT64_MAX);
    assert.equal(f(UINT64_MAX), signed ? -1n : UINT64_MAX);
    // Numbers split exactly into 64 bits (integers) and truncate (fractions)
    const w = (n) => wrap(n, 64, signed);
    for (const v of [0, 1, -1, 2 ** 31, 2 ** 32, 2 ** 32 + 1, -(2 ** 32) - 1, 2 ** 53 - 1, -(2 ** 53) + 1,
      2 ** 60 + 2 ** 40, -(2 ** 60) - 2 ** 12, 2 ** 63, -(2 ** 63), 2 ** 64 + 2 ** 12, 1e19, -1e19]) {
      assert.equal(f(v), w(v), `${type} from Number ${v}`);
    }
    assert.equal(f(2 ** 64 + 5), w(2n ** 64n)); // 2**64+5 is 2**64 as a double
    assert.equal(f(3.7), 3n);
    assert.equal(f(-1.5), w(-1));
    assert.equal(f(-3.7), w(-3));
    assert.equal(f(-0.5), 0n);
    assert.equal(f(2 ** 33 + 0.5), 2n ** 33n);
    assert.equal(f(-(2 ** 33) - 0.5), w(-(2n ** 33n)));
    assert.equal(typeof f(1), 'bigint');
  });

  test(`${type}: { bigint: false } returns Numbers`, () => {
    const f = echo(name, type, { bigint: false });
    assert.equal(f(0), 0);
    assert.equal(f(2 ** 53 - 1), 2 ** 53 - 1);
    assert.equal(f(-1), signed ? -1 : 2 ** 64);
    assert.equal(f(2 ** 32 + 7), 2 ** 32 + 7);
    if (signed) {
      assert.equal(f(-(2 ** 53) + 1), -(2 ** 53) + 1);
      assert.equal(f(-(2 ** 32) - 7), -(2 ** 32) - 7);
      assert.equal(f(INT64_MIN), -(2 ** 63));
      assert.equal(f(INT64_MAX), 2 ** 63);
    } else {
      assert.equal(f(UINT64_MAX), 2 ** 64);
      assert.equal(f(2n ** 63n), 2 ** 63);
    }
    assert.equal(typeof f(5n), 'number');
  });
}

test('name/ret/args form with { bigint: false }', () => {
  const f = lib.func('echo_i64', 'int64_t', ['int64_t'], { bigint: false });
  assert.equal(f(-42), -42);
  assert.equal(lib.func('echo_i64', 'int64_t', ['int64_t'])(-42), -42n);
});

test('bool', () => {
  const f = echo('bool', 'bool');
  assert.equal(f(true), true);
  assert.equal(f(false), false);
  assert.equal(f(1), true);
  assert.equal(f(0), false);
  assert.equal(f(256), true); // a Number is compared with 0, not truncated to a byte
  assert.equal(f(-1), true);
  assert.equal(f(0.5), true);
  assert.equal(lib.func('int take_bool(bool b)')(true), 1);
  assert.equal(lib.func('int take_bool(_Bool b)')(false), 0);
  assert.equal(lib.func('bool ret_true(void)')(), true);
});

test('double: limits, -0, NaN, infinities, denormals', () => {
  const f = echo('double', 'double');
  for (const v of [0, 1.5, -2.25, Math.PI, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE,
    5e-324, 2.2250738585072014e-308, 1e308, Infinity, -Infinity, 2 ** 53 + 2]) {
    assert.equal(f(v), v);
  }
  assert.ok(Object.is(f(-0), -0));
  assert.ok(Object.is(f(0), 0));
  assert.ok(Number.isNaN(f(NaN)));
});

test('float: rounding, -0, NaN, infinities, denormals', () => {
  const f = echo('float', 'float');
  for (const v of [0.1, 1 / 3, Math.PI, 3.4028234663852886e38, 1.17549435e-38, 1.4e-45, 16777217, -1.1]) {
    assert.equal(f(v), Math.fround(v), `float ${v}`);
  }
  assert.equal(f(1.4e-45), 1.401298464324817e-45);
  assert.equal(f(1e39), Infinity); // too big for a float
  assert.equal(f(-1e39), -Infinity);
  assert.equal(f(1e-46), 0);
  assert.equal(f(Infinity), Infinity);
  assert.equal(f(-Infinity), -Infinity);
  assert.ok(Object.is(f(-0), -0));
  assert.ok(Number.isNaN(f(NaN)));
});

test('pointers as BigInt', () => {
  const f = echo('ptr', 'void *');
  for (const v of [0n, 1n, 0xdeadbeefn, 0x7fffffffffffn, UINT64_MAX, 2n ** 63n]) assert.equal(f(v), v);
  assert.equal(f(null), 0n);
  assert.equal(f(-1n), UINT64_MAX);
  assert.equal(lib.func('int *echo_ptr(int *p)')(0x1234n), 0x1234n);
  assert.equal(lib.func('echo_ptr', 'pointer', ['pointer'])(0x10n), 0x10n);
});

test('narrow returns are extended from the right width', () => {
  assert.equal(lib.func('int8_t ret_i8_minus1(void)')(), -1);
  assert.equal(lib.func('uint8_t ret_u8_max(void)')(), 255);
  assert.equal(lib.func('int16_t ret_i16_minus1(void)')(), -1);
  assert.equal(lib.func('uint16_t ret_u16_max(void)')(), 65535);
  // the same values through a wider C return read with a narrow type
  assert.equal(lib.func('uint8_t echo_u32(uint32_t x)')(0x12345678), 0x78);
  assert.equal(lib.func('int8_t echo_u32(uint32_t x)')(0xff), -1);
  assert.equal(lib.func('int16_t echo_i64(int64_t x)')(0x18000n), -32768);
  assert.equal(lib.func('void do_nothing(void)')(), undefined);
});

test('callee receives narrow integers properly extended', () => {
  const takeI8 = lib.func('int take_i8(int8_t x)');
  const takeU8 = lib.func('unsigned take_u8(uint8_t x)');
  const takeI16 = lib.func('int take_i16(int16_t x)');
  const takeU16 = lib.func('unsigned take_u16(uint16_t x)');
  assert.equal(takeI8(-5), -5);
  assert.equal(takeI8(-128), -128);
  assert.equal(takeI8(255), -1);
  assert.equal(takeU8(255), 255);
  assert.equal(takeU8(-1), 255);
  assert.equal(takeI16(-32768), -32768);
  assert.equal(takeU16(65535), 65535);
  assert.equal(lib.func('int64_t widen_i8(int8_t x)')(-5), -5n);
  assert.equal(lib.func('uint64_t widen_u8(uint8_t x)')(-1), 255n);
  assert.equal(lib.func('int64_t widen_i16(int16_t x)')(-2), -2n);
  assert.equal(lib.func('uint64_t widen_u16(uint16_t x)')(65535), 65535n);
  assert.equal(lib.func('int64_t widen_i32(int32_t x)')(-7), -7n);
  assert.equal(lib.func('uint64_t widen_u32(uint32_t x)')(-1), 4294967295n);
});

test('narrow values fill the low 32 bits of the register (as clang expects)', () => {
  // raw_reg32 is uint32_t in C: it shows all 32 low bits of the register
  const u32 = (x) => x >>> 0;
  const asI8 = lib.func('uint32_t raw_reg32(int8_t x)');
  const asU8 = lib.func('uint32_t raw_reg32(uint8_t x)');
  const asI16 = lib.func('uint32_t raw_reg32(int16_t x)');
  const asU16 = lib.func('uint32_t raw_reg32(uint16_t x)');
  const asBool = lib.func('uint32_t raw_reg32(bool x)');
  // dirty the register slot first
  lib.func('uint32_t raw_reg32(uint32_t x)')(0xffffffff);
  assert.equal(asU8(0x1ff), 0xff);
  assert.equal(asU16(0x1ffff), 0xffff);
  assert.equal(asBool(true), 1);
  assert.equal(asBool(7), 1);
  assert.equal(asI8(-5), u32(-5));
  assert.equal(asI8(0x80), u32(-128));
  assert.equal(asI16(-5), u32(-5));
  assert.equal(asI16(0x8000), u32(-32768));
  assert.equal(asI8(5), 5);
  // and on the stack
  const st = lib.func('uint32_t raw_stack32(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, int8_t)');
  const stU = lib.func('uint32_t raw_stack32(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint8_t)');
  lib.func('uint32_t raw_stack32(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint32_t)')(0, 0, 0, 0, 0, 0, 0xffffffff);
  assert.equal(stU(0, 0, 0, 0, 0, 0, 0x1ff), 0xff);
  assert.equal(st(0, 0, 0, 0, 0, 0, -3), u32(-3));
});

test('stack arguments: 10 mixed-width integers', () => {
  const f = lib.func('int check_ints10(int8_t, uint8_t, int16_t, uint16_t, int32_t, uint32_t, int64_t, uint64_t, int8_t, int16_t)');
  const good = [-1, 200, -300, 60000, -100000, 4000000000, INT64_MIN + 7n, UINT64_MAX - 8n, -9, -10000];
  assert.equal(f(...good), 0);
  // each argument is checked where it is
  for (let i = 0; i < good.length; i++) {
    const bad = good.slice();
    bad[i] = typeof bad[i] === 'bigint' ? bad[i] + 1n : bad[i] + 1;
    assert.equal(f(...bad), i + 1, `argument ${i + 1}`);
  }
  // wrapped equivalents are the same C values
  assert.equal(f(255, -56, -300, -5536, -100000, -294967296, INT64_MIN + 7n, -9n, 247, -10000), 0);
});

test('stack arguments: 12 doubles', () => {
  const f = lib.func('int check_doubles12(double, double, double, double, double, double, double, double, double, double, double, double)');
  const good = Array.from({ length: 12 }, (_, i) => i + 1.5);
  assert.equal(f(...good), 0);
  for (let i = 0; i < 12; i++) {
    const bad = good.slice();
    bad[i] = -1;
    assert.equal(f(...bad), i + 1);
  }
});

test('stack arguments: integers, doubles and floats interleaved', () => {
  const f = lib.func(`int check_mixed(int i1, double d1, int64_t i2, float f1, double d2,
    int8_t i3, double d3, uint16_t i4, float f2, double d4, int32_t i5, double d5, uint64_t i6,
    double d6, int i7, float f3, double d7, int16_t i8, double d8, int64_t i9, double d9,
    float f4, uint32_t i10, double d10)`);
  const good = [11, 1.25, -22n, 1.5, 2.25, -33, 3.25, 44, 2.5, 4.25, -55, 5.25, 66n, 6.25, -77,
    3.5, 7.25, -88, 8.25, -99, 9.25, 4.5, 110, 10.25];
  assert.equal(f(...good), 0);
  const numbers = good.slice();
  numbers[2] = -22;
  numbers[12] = 66;
  assert.equal(f(...numbers), 0);
  for (let i = 0; i < good.length; i++) {
    const bad = good.slice();
    bad[i] = typeof bad[i] === 'bigint' ? bad[i] + 1n : bad[i] + 1;
    assert.equal(f(...bad), i + 1, `argument ${i + 1}`);
  }
});

test('64 arguments: the most a signature may have', () => {
  const n = 64;
  const ints = lib.func('wsum64_i64', 'int64_t', Array(n).fill('int64_t'));
  const dbls = lib.func('wsum64_f64', 'double', Array(n).fill('double'));
  const iv = Array.from({ length: n }, (_, i) => BigInt((i * 7919) % 1000 - 500) * 1000000007n);
  const expect = iv.reduce((s, v, i) => s + v * BigInt(i + 1), 0n);
  assert.equal(ints(...iv), BigInt.asIntN(64, expect));
  const dv = Array.from({ length: n }, (_, i) => (i % 5) + 0.5);
  let sum = 0;
  for (let i = 0; i < n; i += 8) {
    let part = 0;
    for (let j = i; j < i + 8; j++) part += dv[j] * (j + 1);
    sum += part;
  }
  assert.equal(dbls(...dv), dv.reduce((s, v, i) => s + v * (i + 1), 0));
  assert.ok(Math.abs(dbls(...dv) - sum) < 1e-9);
});

test('repeated calls leave no stale state between signatures', () => {
  const scale = lib.func('double scale_mixed(double x, float by, int64_t offset)');
  const add = lib.func('int add(int a, int b)');
  for (let i = 0; i < 1000; i++) {
    assert.equal(scale(i, 2, -i), i);
    assert.equal(add(i, -2 * i), 0 - i);
  }
});

test('type spellings', () => {
  const [L, UL] = support.longSize === 8 ? ['i64', 'u64'] : ['i32', 'u32'];
  const same = [
    ['unsigned', 'u32'], ['unsigned int', 'u32'], ['int unsigned', 'u32'], ['signed', 'i32'],
    ['long int', L], ['long unsigned int', UL], ['unsigned long long int', 'u64'],
    ['short int', 'i16'], ['unsigned short int', 'u16'], ['signed char', 'i8'], ['const int', 'i32'],
    ['volatile unsigned char', 'u8'], ['uint', 'u32'], ['ulong', UL], ['int8', 'i8'], ['uint64', 'u64'],
    ['ptrdiff_t', 'i64'], ['off_t', 'i64'], ['_Bool', 'bool'], ['pointer', 'ptr'], ['int *', 'ptr'],
    ['struct foo *', 'ptr'], ['int (*)(int)', 'ptr'], ['char **', 'ptr'],
  ];
  for (const [t, kind] of same) {
    assert.equal(ffi.explain(`void f(${t})`).args[0].kind, kind, t);
  }
  assert.equal(ffi.explain('void f(int (*cb)(int, int))').args[0].name, 'cb');
  assert.equal(ffi.explain('void f(int v[4])').args[0].kind, 'ptr');
  assert.throws(() => ffi.explain('void f(long double)'), TypeError);
  assert.throws(() => ffi.explain('void f(short long)'), TypeError);
  assert.throws(() => ffi.explain('void f(char char)'), TypeError);
  // unsigned char through 'unsigned char' spelled in a call
  assert.equal(lib.func('unsigned char echo_uchar(unsigned char)')(-1), 255);
  assert.equal(lib.func('long unsigned int echo_ulong(unsigned long int)')(-1),
    support.longSize === 8 ? UINT64_MAX : 2 ** 32 - 1);
});
