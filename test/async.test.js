'use strict';
// fn.async: the call on a thread of the libuv pool, a Promise of what the
// synchronous call returns (or throws), its arguments kept until it
// settles, callbacks from the pool thread or any other answered by JS.

const test = require('node:test');
const assert = require('node:assert/strict');
const { Worker } = require('node:worker_threads');
const ffi = require('..');
const support = require('./support');

const lib = ffi.dlopen(support.testLib);
ffi.struct('Vec2', { x: 'float', y: 'float' });
ffi.struct('Rect', { min: 'Vec2', max: 'Vec2' });
ffi.struct('Big', { a: 'double', b: 'double', c: 'double' });

test('results as the synchronous call gives them', async () => {
  const mix = lib.func('int64_t mix(int64_t a, int32_t b, double c)');
  assert.equal(await mix.async(10n, 5, 3.9), mix(10n, 5, 3.9));
  assert.deepEqual(await lib.func('Vec2 vadd(Vec2 a, Vec2 b)').async({ x: 1, y: 2 }, { x: 0.5, y: 0.25 }), { x: 1.5, y: 2.25 });
  // a struct returned through the hidden result pointer
  assert.deepEqual(await lib.func('Big big_make(double a)').async(2), { a: 2, b: 4, c: 6 });
  assert.equal(await lib.func('double big_sum(Big b, int32_t k)').async({ a: 1, b: 2, c: 3 }, 4), 325);
  assert.equal(await lib.func('const char *str_get(int which)').async(3), 'héllo');
  assert.equal(await lib.func('const char *str_echo(const char *s)').async('back again'), 'back again');
  assert.equal(await lib.func('uint64_t slow_echo(int64_t, unsigned)', { bigint: false }).async(7n, 0), 7);
  // a struct pointer's object is updated once the call has returned
  const r = {};
  await lib.func('void get_bounds(Rect *out)').async(r);
  assert.deepEqual(r, { min: { x: 1, y: 2 }, max: { x: 4, y: 8 } });
});

test('argument errors reject with what a synchronous call throws', async () => {
  const mix = lib.func('int64_t mix(int64_t a, int32_t b, double c)');
  const sync = (() => { try { mix(1n, 'x', 2); } catch (e) { return e; } })();
  const p = mix.async(1n, 'x', 2);
  assert.ok(p instanceof Promise);
  await assert.rejects(p, (e) => e instanceof TypeError && e.message === sync.message);
  await assert.rejects(mix.async(1n), /mix: expected 3 arguments, got 1/);
  await assert.rejects(lib.func('double big_sum(Big b, int32_t k)').async({ a: 1, z: 2 }, 4), /big_sum: argument 1 \(b\): struct Big has no field 'z'/);
});

test('strings and buffers stay valid until the call settles', async () => {
  const slowStrlen = lib.func('size_t slow_strlen(const char *s, unsigned usec)');
  const strLen = lib.func('size_t str_len(const char *s)');
  const long = 'y'.repeat(30000);
  const pending = [slowStrlen.async('the first string', 50000), slowStrlen.async(long, 50000),
    slowStrlen.async('héllo', 50000)];
  // synchronous calls meanwhile reuse the string scratch area
  for (let i = 0; i < 1000; i++) assert.equal(strLen('x'.repeat(i % 50)), BigInt(i % 50));
  assert.deepEqual(await Promise.all(pending), [16n, 30000n, 6n]);
  const fill = lib.func('void fill(uint8_t *p, size_t n, uint8_t v)');
  const buf = new Uint8Array(4096);
  await fill.async(buf, 4096n, 7);
  assert.ok(buf.every((b) => b === 7));
});

test('many calls run at once', async () => {
  const rendezvous = lib.func('int rendezvous(int32_t *count, int n, unsigned timeout_ms)');
  const count = new Int32Array(1);
  // each returns 1 only if all three were in C at the same time
  assert.deepEqual(await Promise.all([0, 1, 2].map(() => rendezvous.async(count, 3, 20000))), [1, 1, 1]);
});

test('a function that waits for its own thread to call back', async () => {
  const wait = lib.func('int call_on_thread_and_wait(int (*f)(int), int x)');
  assert.equal(await wait.async((x) => x * 3, 14), 42);
  const triple = ffi.callback('int (int)', (x) => x * 3);
  assert.equal(await wait.async(triple, 5), 15);
  triple.close();
});

test('plain functions given to .async are closed when it settles', async () => {
  const wait = lib.func('int call_on_thread_and_wait(int (*f)(int), int x)');
  // more calls than there are trampolines: each must have been let go
  for (let round = 0; round < 3; round++) {
    const n = Math.ceil(ffi.trampolineCount / 2);
    const results = [];
    for (let i = 0; i < n; i++) results.push(await wait.async((x) => x + 1, i));
    assert.equal(results[n - 1], n);
  }
});

test('lib.close() leaves the library loaded for calls still running', async () => {
  const own = ffi.dlopen(support.testLib);
  const slow = own.func('int64_t slow_echo(int64_t x, unsigned usec)');
  const p = slow.async(99n, 100000);
  own.close();
  assert.throws(() => slow(1n, 0), /slow_echo: library .* is closed/);
  await assert.rejects(slow.async(1n, 0), /slow_echo: library .* is closed/);
  assert.equal(await p, 99n);
});

test('.async in a worker thread', async () => {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const ffi = require(workerData.sbffi);
    const lib = ffi.dlopen(workerData.lib);
    const slow = lib.func('int64_t slow_echo(int64_t x, unsigned usec)');
    const wait = lib.func('int call_on_thread_and_wait(int (*f)(int), int x)');
    Promise.all([slow.async(5n, 10000), wait.async((x) => -x, 8)]).then((r) => parentPort.postMessage(r.map(String)));`;
  const w = new Worker(code, { eval: true, workerData: { sbffi: require.resolve('..'), lib: support.testLib } });
  const got = await new Promise((resolve, reject) => { w.on('message', resolve); w.on('error', reject); });
  assert.deepEqual(got, ['5', '-8']);
});

test('a worker that ends with calls still running', async () => {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const ffi = require(workerData.sbffi);
    const slow = ffi.dlopen(workerData.lib).func('int64_t slow_echo(int64_t x, unsigned usec)');
    for (let i = 0; i < 4; i++) slow.async(BigInt(i), 300000);
    parentPort.postMessage('started');`;
  for (const end of ['terminate', 'exit']) {
    const w = new Worker(end === 'exit' ? `${code}; process.exit(0);` : code,
      { eval: true, workerData: { sbffi: require.resolve('..'), lib: support.testLib } });
    if (end === 'terminate') {
      await new Promise((resolve) => w.once('message', resolve));
      await w.terminate();
    } else {
      await new Promise((resolve) => w.once('exit', resolve));
    }
  }
  // this thread's calls are not disturbed
  assert.equal(await lib.func('int64_t slow_echo(int64_t x, unsigned usec)').async(3n, 1000), 3n);
});
