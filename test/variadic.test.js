'use strict';
// Variadic functions: anonymous arguments as type / value pairs, promoted
// as C promotes them, placed as each ABI places anonymous arguments
// (System V: al, Win64: both registers, Apple arm64: the stack), against
// the C library's snprintf and a test function that walks va_arg.

const test = require('node:test');
const assert = require('node:assert/strict');
const ffi = require('..');
const support = require('./support');

const lib = ffi.dlopen(support.testLib);
// msvcrt has _snprintf (C99's snprintf came with the UCRT)
const libc = support.windows ? ffi.dlopen('msvcrt.dll') : ffi.dlopen(null);
const snprintf = libc.func(`int ${support.windows ? '_snprintf' : 'snprintf'}(char *, size_t, const char *, ...)`);
const out = Buffer.alloc(256);
const format = (fmt, ...pairs) => {
  const n = snprintf(out, BigInt(out.length), fmt, ...pairs);
  return out.toString('utf8', 0, n);
};

const record = lib.func('int va_record(int64_t *ints, double *reals, const char *types, ...)');
// walks the pairs with va_arg, as the letters say (testlib.c, va_record)
function walk(letters, ...pairs) {
  const ints = new BigInt64Array(letters.length);
  const reals = new Float64Array(letters.length);
  assert.equal(record(ints, reals, letters, ...pairs), letters.length);
  return { ints: Array.from(ints), reals: Array.from(reals) };
}

test('snprintf of the C library', () => {
  assert.equal(format('%d %s %.2f %lld', 'int', 42, 'const char *', 'hi', 'double', 1.5, 'long long', 7n),
    '42 hi 1.50 7');
  assert.equal(format('no arguments'), 'no arguments');
  assert.equal(format('%c%c%c', 'char', 65, 'char', 66, 'char', 67), 'ABC');
  assert.equal(format('%u %x', 'unsigned int', 4294967295, 'unsigned int', 255), '4294967295 ff');
  assert.equal(format('%.3f %.3f', 'float', 0.5, 'double', -2.25), '0.500 -2.250');
  // a float is a double holding the float's value: 0.1f, not 0.1
  assert.equal(format('%.10f', 'float', 0.1), '0.1000000015');
  assert.equal(format('%.10f', 'double', 0.1), '0.1000000000');
  // more anonymous arguments than any ABI has registers of either kind
  const ints = Array.from({ length: 12 }, (_, i) => ['int', i * 11 - 40]).flat();
  const doubles = Array.from({ length: 10 }, (_, i) => ['double', i + 0.25]).flat();
  assert.equal(format(`${'%d '.repeat(12)}${'%.2f '.repeat(10)}`, ...ints, ...doubles),
    `${Array.from({ length: 12 }, (_, i) => `${i * 11 - 40} `).join('')}${Array.from({ length: 10 }, (_, i) => `${(i + 0.25).toFixed(2)} `).join('')}`);
  assert.equal(format('%s|%s', 'const char *', 'héllo', 'char *', 'wörld'), 'héllo|wörld');
});

test('every scalar type through va_arg, promoted as C promotes it', () => {
  const r = walk('bcChHiIqQzdfp',
    'bool', true, 'signed char', 300, 'unsigned char', -1, 'short', 40000, 'unsigned short', -2,
    'int', -5, 'unsigned int', 4294967295, 'long long', -(2n ** 62n), 'unsigned long long', 2n ** 63n,
    'size_t', 12345n, 'double', Math.PI, 'float', Math.PI, 'void *', 0x1234n);
  assert.deepEqual(r.ints.slice(0, 10), [1n, 44n, 255n, 40000n - 65536n, 65534n, -5n, 4294967295n,
    -(2n ** 62n), -(2n ** 63n), 12345n]);
  assert.equal(r.reals[10], Math.PI);
  assert.equal(r.reals[11], Math.fround(Math.PI));
  assert.equal(r.ints[12], 0x1234n);
  // long is the platform's: 32 bits on Windows
  const l = walk('lL', 'long', -7, 'unsigned long', 7);
  assert.deepEqual(l.ints, [-7n, 7n]);
});

test('more anonymous arguments than registers, interleaved', () => {
  const letters = 'id'.repeat(14);
  const pairs = [];
  for (let i = 0; i < 14; i++) pairs.push('int', i * 3 - 7, 'double', i / 4 - 1);
  const r = walk(letters, ...pairs);
  for (let i = 0; i < 14; i++) {
    assert.equal(r.ints[2 * i], BigInt(i * 3 - 7), `int ${i}`);
    assert.equal(r.reals[2 * i + 1], i / 4 - 1, `double ${i}`);
  }
});

test('strings, structs and struct handles as anonymous arguments', () => {
  const Vec2 = ffi.struct('Vec2', { x: 'float', y: 'float' });
  ffi.struct('Big', { a: 'double', b: 'double', c: 'double' });
  ffi.struct('Pair', { x: 'int64_t', y: 'int64_t' });
  const r = walk('sVBPsV', 'const char *', 'hello', Vec2, { x: 2, y: 0.5 }, 'Big', { a: 1, b: 2, c: 3 },
    'struct Pair', { x: 4n, y: 5n }, 'const char *', 'zz', 'Vec2', { x: -1, y: 0 });
  assert.equal(r.ints[0], BigInt(5 * 256 + 'h'.charCodeAt(0)));
  assert.equal(r.reals[1], 2000.5);
  assert.equal(r.reals[2], 321);
  assert.equal(r.ints[3], 4005n);
  assert.equal(r.ints[4], BigInt(2 * 256 + 'z'.charCodeAt(0)));
  assert.equal(r.reals[5], -1000);
});

test('the same list of types twice, then other lists, from one function', () => {
  for (let i = 0; i < 3; i++) {
    assert.deepEqual(walk('id', 'int', i, 'double', i / 2).reals[1], i / 2);
    assert.deepEqual(walk('di', 'double', i / 2, 'int', i).ints[1], BigInt(i));
    assert.deepEqual(walk('', ).ints, []);
  }
});

test('.async of a variadic function', async () => {
  const ints = new BigInt64Array(2);
  const reals = new Float64Array(2);
  assert.equal(await record.async(ints, reals, 'qd', 'long long', 9n, 'double', 0.75), 2);
  assert.equal(ints[0], 9n);
  assert.equal(reals[1], 0.75);
  await assert.rejects(record.async(ints, reals, 'q', 'long long'), /va_record: expected 3 fixed arguments/);
});

test('bad pairs are refused before the call, naming the argument', () => {
  const ints = new BigInt64Array(4);
  const reals = new Float64Array(4);
  assert.throws(() => record(ints, reals), /va_record: expected 3 fixed arguments, then a type and a value for each variadic one; got 2/);
  assert.throws(() => record(ints, reals, 'i', 'int'), TypeError);
  assert.throws(() => record(ints, reals, 'i', 'innt', 1), /va_record: argument 4: unknown type 'innt'/);
  assert.throws(() => record(ints, reals, 'i', 42, 1), /va_record: argument 4: type must be a string/);
  assert.throws(() => record(ints, reals, 'i', 'void', 1), /va_record: argument 4: void is not an argument type/);
  assert.throws(() => record(ints, reals, 'ii', 'int', 1, 'int', 'x'), /va_record: argument 7 must be a number or BigInt, got a string/);
  assert.throws(() => record(ints, reals, 'd', 'double', 1n), /va_record: argument 5 must be a number, got bigint 1/);
  const tooMany = [];
  for (let i = 0; i < 62; i++) tooMany.push('int', i);
  assert.throws(() => record(ints, reals, 'i', ...tooMany), /va_record: too many arguments \(at most 64\)/);
});

test('the signature and explain of a variadic function', () => {
  assert.equal(record.signature, 'int va_record(int64_t * ints, double * reals, const char * types, ...)');
  const promoted = ffi.explain('int f(const char *, ...)', 'sysv-x64', { varargs: ['float', 'char', 'double'] });
  assert.deepEqual(promoted.args.slice(1).map((a) => [a.type, a.kind, a.where, a.promoted, a.variadic]), [
    ['float', 'f64', 'xmm0', 'double', true], ['char', 'i32', 'rsi', 'int', true], ['double', 'f64', 'xmm1', undefined, true]]);
  // Win64: an anonymous double in its vector register and its integer one
  const win = ffi.explain('int f(const char *, ...)', 'win64', { varargs: ['double', 'int', 'double'] });
  assert.deepEqual(win.args.map((a) => a.where), ['rcx', 'xmm1, rdx', 'r8', 'xmm3, r9']);
  // AAPCS64: as named arguments; Apple: every anonymous one on the stack
  assert.deepEqual(ffi.explain('int f(const char *, ...)', 'aapcs64', { varargs: ['int', 'double'] }).args.map((a) => a.where),
    ['x0', 'x1', 'v0']);
  const apple = ffi.explain('int f(const char *, ...)', 'apple-arm64', { varargs: ['int', 'double'] });
  assert.deepEqual(apple.args.map((a) => [a.where, a.offset]), [['x0', undefined], ['stack', 0], ['stack', 8]]);
  assert.equal(apple.stackBytes, 16);
});
