'use strict';
// Property 3: every scalar type comes back as it went, at random values
// and at the edges of its range: through the test library's echo_<type>
// (testlib.c), as a Number and as a BigInt, with { bigint: false } for
// 64-bit types; through ffi.encode and ffi.decode, alone and in arrays;
// and as the anonymous arguments of a variadic call (va_record, which
// reads each with va_arg as its promoted type and records it).

const test = require('node:test');
const assert = require('node:assert/strict');
const ffi = require('../..');
const { testLib } = require('../support');
const { fc, banner, property } = require('./support');
const { INTS, range, wrap, result } = require('./model');

console.log(banner(__filename));

const lib = ffi.dlopen(testLib);

// in-range values, the edges weighted in
function inRange(t) {
  const { min, max } = range(t);
  const edges = [min, max, 0n, 1n, min + 1n, max - 1n, ...(t.signed ? [-1n] : [])];
  return fc.oneof({ weight: 3, arbitrary: fc.bigInt({ min, max }) }, { weight: 1, arbitrary: fc.constantFrom(...edges) });
}

const same = (a, b) => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));

for (const t of INTS) {
  const echo = lib.func(`${t.type} echo_${t.name}(${t.type})`);
  const echoNumber = lib.func(`${t.type} echo_${t.name}(${t.type})`, { bigint: false });
  property(test, `echo_${t.name}: ${t.type} round trip`, 300, () => fc.property(inRange(t), (n) => {
    assert.equal(echo(n), result(t, n));
    // as a Number where it is exact
    if (n >= -(2n ** 53n) && n <= 2n ** 53n) assert.equal(echo(Number(n)), result(t, n));
    assert.equal(echoNumber(n), Number(n));
    // past the range: wrapped, as a C cast
    const far = n + (t.signed ? 3n : 5n) * 2n ** BigInt(t.bits);
    assert.equal(echo(far), result(t, n));
  }));
}

const echoFloat = lib.func('float echo_float(float)');
const echoDouble = lib.func('double echo_double(double)');
property(test, 'echo_float: every float, and doubles rounded to float', 500, () => fc.property(
  fc.float(), fc.double(), (f, d) => {
    assert.ok(same(echoFloat(f), f), `echo_float(${f}) = ${echoFloat(f)}`);
    assert.ok(same(echoFloat(d), Math.fround(d)), `echo_float(${d}) = ${echoFloat(d)}`);
  },
));

property(test, 'echo_double: every double, -0 and NaN too', 500, () => fc.property(fc.double(), (d) => {
  assert.ok(same(echoDouble(d), d), `echo_double(${d}) = ${echoDouble(d)}`);
}));

const echoBool = lib.func('bool echo_bool(bool)');
property(test, 'echo_bool: booleans, and numbers as non-zero', 200, () => fc.property(
  fc.boolean(), fc.double(), (b, d) => {
    assert.equal(echoBool(b), b);
    assert.equal(echoBool(d), d !== 0);
  },
));

const echoPtr = lib.func('void *echo_ptr(void *)');
property(test, 'echo_ptr: any 64-bit address as a BigInt', 300, () => fc.property(
  fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.constantFrom(0n, 1n, 2n ** 63n, 2n ** 64n - 1n)), (p) => {
    assert.equal(echoPtr(p), p);
  },
));

// encode and decode: a scalar, then an array of it, in a buffer of its own
const SCALARS = [...INTS.map((t) => ({ type: t.type, arb: inRange(t), out: (n) => result(t, n) })),
  { type: 'float', arb: fc.float(), out: (x) => x }, { type: 'double', arb: fc.double(), out: (x) => x },
  { type: 'bool', arb: fc.boolean(), out: (x) => x }];
property(test, 'ffi.encode then ffi.decode, every scalar type and arrays of it', 500, () => fc.property(
  fc.constantFrom(...SCALARS.map((s) => s.type)).chain((type) => fc.tuple(fc.constant(type),
    fc.array(SCALARS.find((s) => s.type === type).arb, { minLength: 1, maxLength: 9 }))),
  fc.nat({ max: 7 }),
  ([type, values], skip) => {
    const s = SCALARS.find((x) => x.type === type);
    const size = ffi.sizeof(s.type);
    const buf = Buffer.alloc(skip + size * values.length).subarray(skip);
    ffi.encode(buf, s.type, values[0]);
    assert.ok(same(ffi.decode(buf, s.type), s.out(values[0])));
    // char[n] is a string (README, "Structs, unions and arrays")
    if (s.type === 'char') return;
    const arrayType = `${s.type}[${values.length}]`;
    ffi.encode(buf, arrayType, values);
    const back = ffi.decode(buf, arrayType);
    assert.equal(back.length, values.length);
    values.forEach((v, i) => assert.ok(same(back[i], s.out(v)), `${arrayType}[${i}]: ${back[i]} for ${v}`));
  },
));

// va_record's letters (testlib.c): the type each reads with va_arg
const record = lib.func('int va_record(int64_t *ints, double *reals, const char *types, ...)');
const letterOf = {
  bool: 'b', 'signed char': 'c', int8_t: 'c', 'unsigned char': 'C', uint8_t: 'C', char: 'c',
  short: 'h', int16_t: 'h', 'unsigned short': 'H', uint16_t: 'H', int: 'i', int32_t: 'i',
  'unsigned int': 'I', uint32_t: 'I', long: 'l', 'unsigned long': 'L', 'long long': 'q', int64_t: 'q',
  'unsigned long long': 'Q', uint64_t: 'Q', size_t: 'z', 'void *': 'p', double: 'd', float: 'f',
};
// one anonymous argument: [type, value, the int64 or double C records]
const anonymous = fc.oneof(
  ...INTS.filter((t) => letterOf[t.type]).map((t) => inRange(t).map((n) => {
    // char: the letter reads an int, which holds the char's value whatever its sign
    const letter = t.type === 'char' ? (t.signed ? 'c' : 'C') : letterOf[t.type];
    return [t.type, t.bits <= 32 ? Number(n) : n, letter, BigInt.asIntN(64, n)];
  })),
  fc.boolean().map((b) => ['bool', b, 'b', b ? 1n : 0n]),
  fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map((p) => ['void *', p, 'p', BigInt.asIntN(64, p)]),
  fc.double().map((d) => ['double', d, 'd', d]),
  fc.double().map((d) => ['float', d, 'f', Math.fround(d)]),
);
property(test, 'variadic anonymous arguments: every scalar type, promoted, through va_arg', 300, () => fc.property(
  fc.array(anonymous, { maxLength: 30 }), (args) => {
    const ints = new BigInt64Array(args.length);
    const reals = new Float64Array(args.length);
    const letters = args.map((a) => a[2]).join('');
    assert.equal(record(ints, reals, letters, ...args.flatMap(([type, v]) => [type, v])), args.length);
    args.forEach(([type, v, letter, want], k) => {
      const got = 'df'.includes(letter) ? reals[k] : ints[k];
      assert.ok(same(got, want), `anonymous argument ${k + 1} (${type} ${fc.stringify(v)}): recorded ${got}, expected ${want}`);
    });
  },
));

test('the integer model: wrap', () => {
  assert.equal(wrap({ bits: 8, signed: false }, 260), 4n);
  assert.equal(wrap({ bits: 32, signed: true }, 2 ** 31), -(2n ** 31n));
  assert.equal(wrap({ bits: 16, signed: true }, -1.9), -1n);
  assert.equal(wrap({ bits: 64, signed: false }, NaN), 0n);
});
