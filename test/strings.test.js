'use strict';
// const char * arguments from JS strings (UTF-8, in the scratch area or their
// own buffer), const char * returns as strings, char * returns as pointers.

const test = require('node:test');
const assert = require('node:assert/strict');
const ffi = require('..');

const support = require('./support');

const lib = ffi.dlopen(support.testLib);
const strLen = lib.func('size_t str_len(const char *s)');
const strHash = lib.func('uint32_t str_hash(const char *s)');
const strCopy = lib.func('size_t str_copy(const char *s, char *out, size_t cap)');
const strEcho = lib.func('const char *str_echo(const char *s)');
const SCRATCH = 16 * 1024;

// 32-bit FNV-1a over the UTF-8 bytes, as str_hash computes it in C
function fnv1a(s) {
  let h = 2166136261;
  for (const b of Buffer.from(s, 'utf8')) {
    h ^= b;
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h;
}

// strings of each kind and size, with their UTF-8 lengths
const samples = {
  empty: '',
  ascii: 'hello, world',
  latin1: 'héllo',
  emoji: 'a😀b🎉',
  cjk: '中文字符',
  mixed: 'Ünïcödé ✓ 日本語 🚀 text',
  long: 'x'.repeat(100 * 1024),
  longMultiByte: 'é中😀'.repeat(10 * 1024),
  justUnder: 'y'.repeat(Math.floor(SCRATCH / 3) - 1),
  justOver: 'z'.repeat(Math.floor(SCRATCH / 3) + 1),
};

test('strlen of UTF-8 encoded arguments', () => {
  assert.equal(strLen(''), 0n);
  assert.equal(strLen('abc'), 3n);
  assert.equal(strLen('héllo'), 6n);
  assert.equal(strLen('😀'), 4n);
  assert.equal(strLen('中文'), 6n);
  for (const [name, s] of Object.entries(samples)) {
    assert.equal(strLen(s), BigInt(Buffer.byteLength(s)), name);
  }
});

test('string content arrives intact (checksum)', () => {
  for (const [name, s] of Object.entries(samples)) {
    assert.equal(strHash(s), fnv1a(s), name);
  }
});

test('string content arrives intact (copied into a Buffer)', () => {
  for (const [name, s] of Object.entries(samples)) {
    const bytes = Buffer.from(s, 'utf8');
    const out = Buffer.alloc(bytes.length + 1, 0xaa);
    assert.equal(strCopy(s, out, out.length), BigInt(bytes.length), name);
    assert.ok(out.subarray(0, bytes.length).equals(bytes), name);
    assert.equal(out[bytes.length], 0, `${name} NUL`);
  }
  // truncated copy
  const out = Buffer.alloc(4);
  assert.equal(strCopy('abcdef', out, 4), 6n);
  assert.equal(out.toString('latin1'), 'abc\0');
});

test('a string is cut at an embedded NUL, as C sees it', () => {
  assert.equal(strLen('ab\0cd'), 2n);
  assert.equal(strEcho('ab\0cd'), 'ab');
});

test('lone surrogates are encoded as U+FFFD', () => {
  assert.equal(strLen('\ud800'), 3n);
  assert.equal(strEcho('a\udc00b'), 'a\ufffdb');
  assert.equal(strLen('\ud800'.repeat(SCRATCH)), BigInt(3 * SCRATCH));
});

test('many string arguments in one call, together bigger than the scratch area', () => {
  const six = lib.func('size_t six_lens(const char *a, const char *b, const char *c, const char *d, const char *e, const char *f)');
  const sixHash = lib.func('uint32_t six_hash(const char *, const char *, const char *, const char *, const char *, const char *)');
  const expectHash = (ss) => ss.reduce((h, s) => (Math.imul(h, 31) + fnv1a(s)) >>> 0, 0);
  const cases = [
    ['a', 'bb', 'ccc', 'dddd', 'eeeee', 'ffffff'],
    ['', '', '', '', '', ''],
    Array.from({ length: 6 }, (_, i) => String.fromCharCode(97 + i).repeat(5000)),
    Array.from({ length: 6 }, (_, i) => `${'é'.repeat(2000)}${i}`),
    Array.from({ length: 6 }, (_, i) => (i % 2 ? '中' : 'q').repeat(3000 + i)),
    ['small', 'x'.repeat(40000), 'small', '😀'.repeat(3000), '', 'tail'],
  ];
  for (const ss of cases) {
    const total = ss.reduce((n, s) => n + Buffer.byteLength(s), 0);
    assert.equal(six(...ss), BigInt(total));
    assert.equal(sixHash(...ss), expectHash(ss));
  }
});

test('strings among integer, double and stack arguments', () => {
  const f = lib.func('int64_t str_mixed(int a, const char *s1, double d, const char *s2, int64_t b, int64_t c, int64_t e, const char *s3)');
  // s3 is the 7th integer-class argument: on the stack
  assert.equal(f(1, 'ab', 2.9, 'xyz', 10n, 20, 30, 'q'), 1n + 2n + 2000n + 3000000n + 60n + 1000000000n);
  assert.equal(f(0, 'é'.repeat(6000), 0, 'b'.repeat(9000), 0, 0, 0, '😀'), 12000n * 1000n + 9000n * 1000000n + 4n * 1000000000n);
});

test('repeated calls reuse the scratch area', () => {
  for (let i = 0; i < 20000; i++) {
    const s = `item ${i} ✓`;
    if (strLen(s) !== BigInt(Buffer.byteLength(s))) assert.fail(`call ${i}`);
  }
  for (let i = 0; i < 200; i++) {
    const s = String(i).repeat(1000 + i * 37);
    assert.equal(strHash(s), fnv1a(s));
  }
});

test('const char * returns are strings; NULL is null', () => {
  const get = lib.func('const char *str_get(int which)');
  assert.equal(get(0), null);
  assert.equal(get(1), '');
  assert.equal(get(2), 'hello');
  assert.equal(get(3), 'héllo');
  assert.equal(get(4), '中文');
  assert.equal(get(99), null);
  // spellings of const char *
  assert.equal(lib.func('const char* str_get(int)')(2), 'hello');
  assert.equal(lib.func('char const *str_get(int)')(2), 'hello');
  assert.equal(lib.func('str_get', 'const char *', ['int'])(3), 'héllo');
});

test('const char * echo: the argument comes back (scratch and own buffer)', () => {
  for (const [name, s] of Object.entries(samples)) assert.equal(strEcho(s), s, name);
  assert.equal(strEcho(null), null);
  assert.equal(strLen(null), 2n ** 64n - 1n); // NULL reaches C
});

test('Buffers pass where const char * is expected', () => {
  assert.equal(strLen(Buffer.from('buffer\0')), 6n);
  assert.equal(strHash(Buffer.from('héllo\0')), fnv1a('héllo'));
  assert.equal(strLen(new Uint8Array([65, 66, 0, 67])), 2n);
});

test('char * return stays a pointer; readCString reads it', () => {
  const mut = lib.func('char *str_mutable(void)');
  const p = mut();
  assert.equal(typeof p, 'bigint');
  assert.notEqual(p, 0n);
  assert.equal(ffi.readCString(p), 'mutable');
  // C modifies it in place through a char * argument given as a pointer
  const upper = lib.func('void str_upper(char *s)');
  upper(p);
  assert.equal(ffi.readCString(p), 'MUTABLE');
  assert.equal(ffi.readCString(0n), null);
  assert.equal(ffi.readCString(null), null);
  // the same pointer read back through a const char * echo
  assert.equal(lib.func('const char *echo_ptr(void *p)')(p), 'MUTABLE');
  // a char * parameter takes a writable Buffer
  const buf = Buffer.from('shout\0');
  upper(buf);
  assert.equal(buf.toString('latin1'), 'SHOUT\0');
  // and a string (written by C into a temporary, which is harmless)
  upper('temporary');
});

test('readCString of UTF-8 in a Buffer', () => {
  const b = Buffer.from('naïve 😀\0rest');
  assert.equal(ffi.readCString(ffi.address(b)), 'naïve 😀');
});

// Strings up to 64 UTF-16 units are encoded by hand in JS, longer ones by
// Node's encoder: both must give Buffer's bytes, at every kind of character
// and on both sides of the boundary.
test('hand-encoded short strings match Buffer byte for byte', () => {
  const pieces = ['a', 'é', '€', '😀', '\ud800', '\udfff', '\ud83d\ude00', 'z\ud83d', '\u07ff', '\u0800', '\uffff'];
  for (const p of pieces) {
    for (const n of [1, 2, 21, 32, 63, 64, 65]) {
      const s = p.repeat(n).slice(0, n);
      assert.equal(strHash(s), fnv1a(s), JSON.stringify(s));
      assert.equal(strLen(s), BigInt(Buffer.byteLength(s)), JSON.stringify(s));
    }
  }
});
