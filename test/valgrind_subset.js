'use strict';
// What make check-valgrind-node runs under memcheck: a few of each of
// sbffi's native paths (calls with register, stack and struct arguments;
// strings in and out, past the scratch area too; callbacks on the JS
// thread, from a C thread and fire-and-forget; .async on the pool; a
// worker thread doing the same and ending), each checked, briefly:
// memcheck runs node some 30 times slower. Exits non-zero on a wrong
// result; memcheck's own errors are its exit code (--error-exitcode).

const assert = require('node:assert/strict');
const { Worker, isMainThread, workerData } = require('node:worker_threads');
const ffi = require('..');
const LIB = isMainThread ? require('./support').testLib : workerData.lib;

const lib = ffi.dlopen(LIB);
const libc = ffi.dlopen(null);

function calls() {
  assert.equal(lib.func('int add(int a, int b)')(2, 3), 5);
  assert.equal(lib.func('int64_t mix(int64_t a, int32_t b, double c)')(1000n, -7, 2.5), 2991n);
  // 64 arguments, most on the stack: argument k weighs k + 1
  const wsum = lib.func(`int64_t wsum64_i64(${Array(64).fill('int64_t').join(', ')})`);
  assert.equal(wsum(...Array(64).fill(1n)), 2080n);
  ffi.struct('VgVec2', { x: 'float', y: 'float' });
  ffi.struct('VgBig', { a: 'double', b: 'double', c: 'double' });
  assert.deepEqual(lib.func('VgVec2 vadd(VgVec2 a, VgVec2 b)')({ x: 1, y: 2 }, { x: 3, y: 4 }), { x: 4, y: 6 });
  assert.equal(lib.func('double big_sum(VgBig b, int32_t k)')({ a: 1, b: 2, c: 3 }, 4), 325);
  const out = new Int32Array(2);
  lib.func('void divmod(int a, int b, int *q, int *r)')(17, 5, out.subarray(0, 1), out.subarray(1));
  assert.deepEqual(Array.from(out), [3, 2]);
}

function strings() {
  const len = lib.func('size_t str_len(const char *s)');
  assert.equal(len('héllo'), 6n);
  assert.equal(len('x'.repeat(20000)), 20000n); // its own buffer, not the scratch area
  assert.equal(lib.func('const char *str_echo(const char *s)')('wörld'), 'wörld');
  const six = lib.func('size_t six_lens(const char *a, const char *b, const char *c, ' +
    'const char *d, const char *e, const char *f)');
  assert.equal(six('a', 'bb', 'ccc', 'dddd', 'eeeee', 'y'.repeat(17000)), 17015n);
  assert.equal(lib.func('const char *str_get(int which)')(3), 'héllo');
}

async function callbacks() {
  const qsort = libc.func('void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))');
  const data = Int32Array.from([5, -1, 3, 9, 0, 2]);
  const at = (p) => new Int32Array(ffi.view(p, 4))[0];
  qsort(data, BigInt(data.length), 4n, (a, b) => at(a) - at(b));
  assert.deepEqual(Array.from(data), [-1, 0, 2, 3, 5, 9]);
  const recurse = lib.func('int cb_recurse(int (*f)(int, const char *), int depth, const char *s)');
  assert.equal(recurse((d, s) => d + s.length, 3, 'abc'), 6);

  const mixed = ffi.callback('double (int i, double d, float f, int64_t big)',
    (i, d, f, big) => 2 * i + d - f + Number(big % 1000n));
  assert.equal(lib.func('int cbt_mixed_start(double (*f)(int, double, float, int64_t), int count)')(mixed, 50), 0);
  const done = lib.func('int cbt_mixed_done(void)');
  while (!done()) await new Promise((r) => setTimeout(r, 5));
  assert.equal(lib.func('int cbt_mixed_join(void)')(), 0);
  mixed.close();

  const got = [];
  const faf = ffi.callback('void (int i, double d)', (i, d) => { got.push(i + d); }, { fireAndForget: true });
  assert.equal(lib.func('int cbt_faf_start(void (*f)(int, double), int count)')(faf, 20), 0);
  while (got.length < 20) await new Promise((r) => setTimeout(r, 5));
  lib.func('void cbt_faf_join(void)')();
  faf.close();
}

async function asyncCalls() {
  const slow = lib.func('int64_t slow_echo(int64_t x, unsigned usec)');
  assert.deepEqual(await Promise.all([slow.async(1n, 1000), slow.async(2n, 1000)]), [1n, 2n]);
  assert.equal(await lib.func('size_t str_len(const char *s)').async('abc'), 3n);
}

async function main() {
  calls();
  strings();
  await callbacks();
  await asyncCalls();
  if (!isMainThread) return;
  const w = new Worker(__filename, { workerData: { lib: LIB } });
  await new Promise((resolve, reject) => {
    w.on('error', reject);
    w.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker exited ${code}`))));
  });
  console.log('valgrind subset: calls, strings, callbacks, async, a worker: ok');
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
