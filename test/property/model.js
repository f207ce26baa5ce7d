'use strict';
// A JS model of what C receives for a JS value, as README's "Types" table
// says: integers wrap to their type's width as a C cast would (fractions
// truncated, NaN and the infinities 0), a float is rounded to float, bool
// is non-zero; and of which values each kind of argument takes at all.
// Written from the README, not from lib/convert.js.

const { longSize, charSigned } = require('../support');

// The scalar types of the test library's echo_<name> functions (testlib.c):
// [name, C type, bits, signed]; bits 0: floating or bool or pointer.
const INTS = [
  ['i8', 'int8_t', 8, true], ['u8', 'uint8_t', 8, false],
  ['i16', 'int16_t', 16, true], ['u16', 'uint16_t', 16, false],
  ['i32', 'int32_t', 32, true], ['u32', 'uint32_t', 32, false],
  ['i64', 'int64_t', 64, true], ['u64', 'uint64_t', 64, false],
  ['char', 'char', 8, charSigned], ['schar', 'signed char', 8, true], ['uchar', 'unsigned char', 8, false],
  ['short', 'short', 16, true], ['ushort', 'unsigned short', 16, false],
  ['int', 'int', 32, true], ['uint', 'unsigned int', 32, false],
  ['long', 'long', longSize * 8, true], ['ulong', 'unsigned long', longSize * 8, false],
  ['llong', 'long long', 64, true], ['ullong', 'unsigned long long', 64, false],
  ['size', 'size_t', 64, false], ['ssize', 'ssize_t', 64, true],
  ['intptr', 'intptr_t', 64, true], ['uintptr', 'uintptr_t', 64, false],
].map(([name, type, bits, signed]) => ({ name, type, bits, signed }));

const range = ({ bits, signed }) => (signed
  ? { min: -(2n ** BigInt(bits - 1)), max: 2n ** BigInt(bits - 1) - 1n }
  : { min: 0n, max: 2n ** BigInt(bits) - 1n });

// The integer C gets for a Number or BigInt, as a BigInt: the value
// truncated toward zero (NaN, the infinities: 0), then wrapped.
function wrap({ bits, signed }, v) {
  let n;
  if (typeof v === 'bigint') n = v;
  else n = Number.isFinite(v) ? BigInt(Math.trunc(v)) : 0n;
  return signed ? BigInt.asIntN(bits, n) : BigInt.asUintN(bits, n);
}

// What a call returns for C integer n of this type: a Number up to 32
// bits, a BigInt for 64 (a Number, rounded, with { bigint: false })
const result = (t, n, bigint = true) => (t.bits <= 32 || !bigint ? Number(n) : n);

const TWO64 = 2n ** 64n;

module.exports = { INTS, range, wrap, result, TWO64 };
