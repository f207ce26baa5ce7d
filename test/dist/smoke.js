'use strict';
// What a new user does after npm install sbffi, run in the directory it was
// installed into (by make check-dist, natively with a PATH of node alone,
// under qemu-aarch64 and under wine): call the C library, and a callback.
// Prints one line per check and 'N passed, N failed'. argv[2]: where the
// addon must have come from, 'prebuilds' or 'build' (a source build).

const ffi = require('sbffi');

const windows = process.platform === 'win32';
const results = [];
const check = (what, fn) => {
  try {
    const got = fn();
    results.push(got === true);
    console.log(`${got === true ? 'ok' : 'FAIL'} ${what}${got === true ? '' : `: ${String(got)}`}`);
  } catch (e) {
    results.push(false);
    console.log(`FAIL ${what}: ${e.message}`);
  }
};

const libc = windows ? ffi.dlopen('msvcrt.dll') : ffi.dlopen(null);
check('strlen from the C library', () => libc.func('size_t strlen(const char *)')('hi') === 2n);
check('qsort with a JS comparator', () => {
  const qsort = libc.func('void qsort(void *, size_t, size_t, int (*)(const void *, const void *))');
  const a = new Int32Array([3, 1, 2]);
  qsort(a, 3n, 4n, (x, y) => ffi.decode(x, 'int32_t') - ffi.decode(y, 'int32_t'));
  return a.join() === '1,2,3' || a.join();
});
check('a struct by value', () => {
  ffi.struct('div_t', { quot: 'int', rem: 'int' });
  const r = libc.func('div_t div(int, int)')(17, 5);
  return (r.quot === 3 && r.rem === 2) || JSON.stringify(r);
});
const from = process.argv[2];
check(`the addon loaded is the one from ${from}/`, () => {
  const path = require('path');
  const dir = path.dirname(require.resolve('sbffi/package.json'));
  const want = from === 'build' ? path.join(dir, 'build', 'sbffi.node')
    : path.join(dir, 'prebuilds', `${process.platform}-${process.arch}`, 'sbffi.node');
  const loaded = Object.keys(require.cache).filter((k) => k.endsWith('.node'));
  return (loaded.length === 1 && loaded[0] === want) || `loaded ${loaded.join(', ')}`;
});
const passed = results.filter(Boolean).length;
console.log(`${passed} passed, ${results.length - passed} failed`);
process.exitCode = passed === results.length ? 0 : 1;
