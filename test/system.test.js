'use strict';
// Real system libraries: libc (the running process), libm, zlib.

const test = require('node:test');
const assert = require('node:assert/strict');
const zlib = require('zlib');
const ffi = require('..');
const support = require('./support');

const libc = ffi.dlopen(null);

// Debian's libc6 and zlib1g (which configure makes sure of): a missing one
// is a failure, not a skip. On Windows: windows.test.js.
const libm = support.windows ? null : ffi.dlopen('libm.so.6');
const libz = support.windows ? null : ffi.dlopen('libz.so.1');

test('libc: strlen, abs, labs, getpid', { skip: support.linuxOnly }, () => {
  const strlen = libc.func('size_t strlen(const char *s)');
  assert.equal(strlen(''), 0n);
  assert.equal(strlen('hello'), 5n);
  assert.equal(strlen('héllo'), 6n);
  assert.equal(strlen('x'.repeat(100000)), 100000n);
  const abs = libc.func('int abs(int j)');
  assert.equal(abs(-5), 5);
  assert.equal(abs(-2147483648), -2147483648);
  const labs = libc.func('long labs(long j)');
  assert.equal(labs(-(2n ** 40n)), 2n ** 40n);
  assert.equal(libc.func('int getpid(void)')(), process.pid);
  assert.equal(libc.func('getpid', 'int', [])(), process.pid);
});

test('libc: memcpy, memset, memcmp between Buffers', () => {
  const memcpy = libc.func('void *memcpy(void *dest, const void *src, size_t n)');
  const memset = libc.func('void *memset(void *s, int c, size_t n)');
  const memcmp = libc.func('int memcmp(const void *a, const void *b, size_t n)');
  const src = Buffer.from('The quick brown fox');
  const dst = Buffer.alloc(src.length);
  const r = memcpy(dst, src, src.length);
  assert.equal(r, ffi.address(dst));
  assert.ok(dst.equals(src));
  memset(dst.subarray(4), 0x2a, 5);
  assert.equal(dst.toString(), 'The ***** brown fox');
  assert.ok(memcmp(dst, src, 4) === 0);
  assert.ok(memcmp(dst, src, src.length) < 0);
  // memcpy from a typed array into another through pointers returned by C
  const a = new Float64Array([1.5, 2.5, 3.5]);
  const b = new Float64Array(3);
  memcpy(ffi.address(b), ffi.address(a), 24);
  assert.deepEqual(Array.from(b), [1.5, 2.5, 3.5]);
});

test('libc: getenv, strchr, atoi, strtol with an out-pointer', { skip: support.linuxOnly }, () => {
  const getenv = libc.func('const char *getenv(const char *name)');
  process.env.SBFFI_TEST_VAR = 'v\u00e4lue';
  // Node sets the real environment, so C sees it
  assert.equal(getenv('SBFFI_TEST_VAR'), 'välue');
  assert.equal(getenv('SBFFI_SURELY_UNSET_VARIABLE'), null);
  assert.equal(getenv('PATH'), process.env.PATH);
  const strchr = libc.func('char *strchr(const char *s, int c)');
  const s = Buffer.from('hello world\0');
  const p = strchr(s, 'w'.charCodeAt(0));
  assert.equal(p, ffi.address(s) + 6n);
  assert.equal(ffi.readCString(p), 'world');
  assert.equal(strchr(s, 'z'.charCodeAt(0)), 0n);
  assert.equal(libc.func('int atoi(const char *)')('-1234xyz'), -1234);
  const strtol = libc.func('long strtol(const char *s, char **end, int base)');
  const end = new BigUint64Array(1);
  const num = Buffer.from('  ff zz\0');
  assert.equal(strtol(num, end, 16), 255n);
  assert.equal(end[0], ffi.address(num) + 4n);
});

test('libm: cos, pow, floor, ldexp, frexp with an out int', { skip: support.linuxOnly }, () => {
  const cos = libm.func('double cos(double x)');
  assert.equal(cos(0), 1);
  assert.equal(cos(Math.PI), -1);
  assert.ok(Math.abs(cos(1) - Math.cos(1)) < 1e-15);
  const pow = libm.func('double pow(double x, double y)');
  assert.equal(pow(2, 10), 1024);
  assert.equal(pow(2, 0.5), Math.SQRT2);
  assert.equal(pow(-8, 1 / 3), NaN);
  const floor = libm.func('double floor(double x)');
  assert.equal(floor(-1.5), -2);
  assert.ok(Object.is(floor(-0), -0));
  assert.ok(Object.is(floor(-0.0), -0));
  assert.equal(floor(Infinity), Infinity);
  const ldexp = libm.func('double ldexp(double x, int exp)');
  assert.equal(ldexp(0.75, 4), 12);
  assert.equal(ldexp(1, -1074), 5e-324);
  const frexp = libm.func('double frexp(double x, int *exp)');
  const e = new Int32Array(1);
  assert.equal(frexp(12, e), 0.75);
  assert.equal(e[0], 4);
  assert.equal(frexp(5e-324, e), 0.5);
  assert.equal(e[0], -1073);
  const sqrtf = libm.func('float sqrtf(float x)');
  assert.equal(sqrtf(2), Math.fround(Math.SQRT2));
  const fmaf = libm.func('float fmaf(float x, float y, float z)');
  assert.equal(fmaf(2, 3, 1), 7);
  const lround = libm.func('long lround(double x)');
  assert.equal(lround(-2.5), -3n);
});

test('zlib: version, crc32, adler32', { skip: support.linuxOnly }, () => {
  const version = libz.func('const char *zlibVersion(void)');
  const v = version();
  assert.equal(typeof v, 'string');
  assert.match(v, /^\d+\.\d+/);
  assert.match(v, /^1\./);
  const crc32 = libz.func('unsigned long crc32(unsigned long crc, const uint8_t *buf, unsigned int len)');
  const check = Buffer.from('123456789');
  assert.equal(crc32(0, check, check.length), 0xcbf43926n);
  assert.equal(crc32(0, null, 0), 0n);
  const data = Buffer.from('The quick brown fox jumps over the lazy dog');
  if (typeof zlib.crc32 === 'function') {
    assert.equal(crc32(0, data, data.length), BigInt(zlib.crc32(data)));
  }
  assert.equal(crc32(0, data, data.length), 0x414fa339n);
  // running CRC in two parts
  const first = crc32(0, data.subarray(0, 10), 10);
  assert.equal(crc32(first, data.subarray(10), data.length - 10), 0x414fa339n);
  const adler32 = libz.func('unsigned long adler32(unsigned long adler, const uint8_t *buf, unsigned int len)');
  assert.equal(adler32(1, Buffer.from('Wikipedia'), 9), 0x11e60398n);
});

test('zlib: compress2 / uncompress round trip', { skip: support.linuxOnly }, () => {
  const compressBound = libz.func('unsigned long compressBound(unsigned long sourceLen)');
  const compress2 = libz.func('int compress2(uint8_t *dest, unsigned long *destLen, const uint8_t *source, unsigned long sourceLen, int level)');
  const uncompress = libz.func('int uncompress(uint8_t *dest, unsigned long *destLen, const uint8_t *source, unsigned long sourceLen)');
  const Z_OK = 0;
  const Z_BUF_ERROR = -5;
  const src = Buffer.from('sbffi '.repeat(5000) + 'end');
  const bound = compressBound(src.length);
  assert.ok(bound >= BigInt(src.length));
  const out = Buffer.alloc(Number(bound));
  const outLen = new BigUint64Array([bound]);
  assert.equal(compress2(out, outLen, src, src.length, 9), Z_OK);
  const clen = Number(outLen[0]);
  assert.ok(clen > 0 && clen < src.length / 10);
  const compressed = out.subarray(0, clen);
  // node's zlib reads what the C zlib wrote
  assert.ok(zlib.inflateSync(compressed).equals(src));
  const back = Buffer.alloc(src.length);
  const backLen = new BigUint64Array([BigInt(back.length)]);
  assert.equal(uncompress(back, backLen, compressed, clen), Z_OK);
  assert.equal(backLen[0], BigInt(src.length));
  assert.ok(back.equals(src));
  // and the C zlib reads what node's zlib wrote
  const fromNode = zlib.deflateSync(src);
  backLen[0] = BigInt(back.length);
  back.fill(0);
  assert.equal(uncompress(back, backLen, fromNode, fromNode.length), Z_OK);
  assert.ok(back.equals(src));
  // too small an output buffer is reported, not overrun
  const small = Buffer.alloc(10);
  const smallLen = new BigUint64Array([10n]);
  assert.equal(uncompress(small, smallLen, compressed, clen), Z_BUF_ERROR);
});
