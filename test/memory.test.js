'use strict';
// Nothing is kept per call: a million calls with string and buffer
// arguments leave the process no bigger than a warm-up did. A leak of
// even 8 bytes a call would show as 8 MB.

const test = require('node:test');
const assert = require('node:assert/strict');
const v8 = require('v8');
const vm = require('vm');
const ffi = require('..');

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');

const libc = ffi.dlopen(null);
const strlen = libc.func('size_t strlen(const char *s)');
const memset = libc.func('void *memset(void *s, int c, size_t n)');

function calls(n) {
  const buf = Buffer.alloc(64);
  const long = 'x'.repeat(20000); // past the scratch area: a buffer of its own per call
  let sum = 0n;
  for (let i = 0; i < n; i++) {
    sum += strlen(i % 100 === 0 ? long : 'héllo wörld');
    memset(buf, i & 255, 64n);
    memset(new Uint8Array(16), 1, 16n);
  }
  return sum;
}

function rssAfterGc() {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().rss;
}

test('a million calls do not grow the process', () => {
  calls(200000);
  const before = rssAfterGc();
  calls(1000000);
  const grown = rssAfterGc() - before;
  assert.ok(grown < 8 * 1024 * 1024, `grew by ${grown} bytes`);
});
