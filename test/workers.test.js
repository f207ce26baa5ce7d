'use strict';
// worker_threads: every thread has its own frame and scratch area, so
// concurrent calls from several threads do not see each other's arguments.

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('path');
const { Worker } = require('worker_threads');
const ffi = require('..');

const ROOT = path.join(__dirname, '..');
const LIB = require('./support').testLib;
const lib = ffi.dlopen(LIB);
const mix = lib.func('int64_t mix(int64_t a, int32_t b, double c)');
const strLen = lib.func('size_t str_len(const char *s)');
const slowEcho = lib.func('int64_t slow_echo(int64_t x, unsigned usec)');

// Worker prologue: load sbffi and the test library; wait on the shared
// start line so that all threads call at the same time.
const PROLOGUE = `
const { parentPort, workerData } = require('worker_threads');
const ffi = require(${JSON.stringify(ROOT)});
const lib = ffi.dlopen(${JSON.stringify(LIB)});
const sync = new Int32Array(workerData.sync);
function ready() {
  Atomics.add(sync, 0, 1);
  Atomics.notify(sync, 0);
  Atomics.wait(sync, 1, 0);
}
`;

function startWorker(code, workerData) {
  const w = new Worker(PROLOGUE + code, { eval: true, workerData });
  const done = new Promise((resolve, reject) => {
    let result;
    w.on('message', (m) => { result = m; });
    w.on('error', reject);
    w.on('exit', (c) => (c === 0 ? resolve(result) : reject(new Error(`worker exited with ${c}`))));
  });
  return { worker: w, done };
}

// wait (blocking the main thread) until n workers are ready, then let them go
function releaseWhenReady(sync, n) {
  const s = new Int32Array(sync);
  for (;;) {
    const got = Atomics.load(s, 0);
    if (got >= n) break;
    Atomics.wait(s, 0, got, 100);
  }
  Atomics.store(s, 1, 1);
  Atomics.notify(s, 1);
}

const CALLER = `
const mix = lib.func('int64_t mix(int64_t a, int32_t b, double c)');
const strLen = lib.func('size_t str_len(const char *s)');
const { id, calls } = workerData;
const words = Array.from({ length: 16 }, (_, i) => 'w' + id + '✓'.repeat(i + id * 3));
ready();
let bad = 0;
let firstBad = null;
for (let i = 0; i < calls; i++) {
  const a = BigInt(i * (id + 1));
  const got = mix(a, id * 1000 - i, i + 0.5);
  const want = a * 3n + BigInt(id * 1000 - i) - BigInt(i);
  if (got !== want) { bad++; if (!firstBad) firstBad = [i, String(got), String(want)]; }
  const w = words[i & 15];
  if (strLen(w) !== BigInt(Buffer.byteLength(w))) { bad++; if (!firstBad) firstBad = [i, w]; }
}
parentPort.postMessage({ bad, firstBad, calls });
`;

test('two workers and the main thread call concurrently', async () => {
  const sync = new SharedArrayBuffer(8);
  const calls = 200000;
  const ws = [1, 2].map((id) => startWorker(CALLER, { sync, id, calls }));
  releaseWhenReady(sync, 2);
  let bad = 0;
  const longWord = 'main ☃ thread'.repeat(50);
  for (let i = 0; i < calls; i++) {
    if (mix(BigInt(-i), i, 0.25) !== BigInt(-3 * i + i)) bad++;
    if (strLen(i & 1 ? longWord : 'm') !== (i & 1 ? BigInt(Buffer.byteLength(longWord)) : 1n)) bad++;
  }
  assert.equal(bad, 0, 'main thread results');
  for (const { done } of ws) {
    const r = await done;
    assert.deepEqual(r, { bad: 0, firstBad: null, calls });
  }
});

const SLOW = `
const slowEcho = lib.func('int64_t slow_echo(int64_t x, unsigned usec)');
const slowStrlen = lib.func('size_t slow_strlen(const char *s, unsigned usec)');
const { id } = workerData;
const mine = 'thread-' + id + '-' + 'é'.repeat(id * 10);
ready();
const got = [];
for (let i = 0; i < 40; i++) {
  got.push(String(slowEcho(BigInt(id * 1000000 + i), 1000)));
  got.push(String(slowStrlen(mine, 1000)));
}
parentPort.postMessage({ got, len: Buffer.byteLength(mine) });
`;

test('each thread has its own frame: overlapping slow calls keep their values', async () => {
  const sync = new SharedArrayBuffer(8);
  const ids = [1, 2, 3];
  const ws = ids.map((id) => startWorker(SLOW, { sync, id }));
  releaseWhenReady(sync, ids.length);
  // the main thread overlaps too
  for (let i = 0; i < 20; i++) assert.equal(slowEcho(BigInt(-i), 1000), BigInt(-i));
  for (let k = 0; k < ids.length; k++) {
    const { got, len } = await ws[k].done;
    const id = ids[k];
    const want = [];
    for (let i = 0; i < 40; i++) want.push(String(id * 1000000 + i), String(len));
    assert.deepEqual(got, want, `worker ${id}`);
  }
});

const SHORT = `
const add = lib.func('int add(int a, int b)');
const s = lib.func('size_t str_len(const char *s)');
ready();
let sum = 0;
for (let i = 0; i < 1000; i++) sum += add(i, 1) + Number(s('abc'));
parentPort.postMessage(sum);
`;

test('a worker can exit and the main thread keeps calling', async () => {
  for (let round = 0; round < 3; round++) {
    const sync = new SharedArrayBuffer(8);
    const { done } = startWorker(SHORT, { sync });
    releaseWhenReady(sync, 1);
    assert.equal(await done, 1000 * 1001 / 2 + 3000);
    for (let i = 0; i < 1000; i++) {
      if (mix(BigInt(i), 1, 1) !== BigInt(3 * i)) assert.fail(`main call ${i} after worker exit`);
    }
    assert.equal(strLen('still fine'), 10n);
  }
});

test('a worker terminated mid-calls does not disturb the main thread', async () => {
  const sync = new SharedArrayBuffer(8);
  const code = `
const mix = lib.func('int64_t mix(int64_t a, int32_t b, double c)');
ready();
parentPort.postMessage('running');
for (;;) mix(1n, 2, 3);
`;
  const w = new Worker(PROLOGUE + code, { eval: true, workerData: { sync } });
  const running = new Promise((resolve) => w.once('message', resolve));
  releaseWhenReady(sync, 1);
  await running;
  await w.terminate();
  assert.equal(mix(10n, 5, 2.5), 33n);
  assert.equal(strLen('after terminate'), 15n);
});

test('process.exit in a worker with sbffi loaded', async () => {
  const sync = new SharedArrayBuffer(8);
  const code = `
ready();
lib.func('int add(int a, int b)')(1, 2);
process.exit(7);
`;
  const w = new Worker(PROLOGUE + code, { eval: true, workerData: { sync } });
  const exited = new Promise((resolve) => w.on('exit', resolve));
  releaseWhenReady(sync, 1);
  assert.equal(await exited, 7);
  assert.equal(lib.func('int add(int a, int b)')(40, 2), 42);
});

// A second instance of the addon on the same thread (as an embedder may
// load it) cannot take the thread's fast slot: it must still call through
// its own frame and leave the first instance's frame alone.
test('a second addon instance on one thread uses its own frame', () => {
  const m = { exports: {} };
  // the file the loader took: a source build, or the prebuilt binary
  process.dlopen(m, require('../lib/addon').addonPaths(ROOT).find((p) => require('fs').existsSync(p)));
  const b = m.exports;
  const L = b.layout;
  const mem = new ArrayBuffer(L.OFF_QUEUE + L.QUEUE_SIZE);
  b.init(mem);
  const types = new Map(b.typeInfo().map((t) => [t.name, t.id]));
  const plan = b.define(null, types.get('int64_t'), [types.get('int64_t'), types.get('int32_t'), types.get('double')]);
  const fn = Number(b.dlsym(b.dlopen(LIB), 'mix'));
  const i32 = new Int32Array(mem);
  const view = new DataView(mem);
  view.setBigInt64(plan.args[0].offset, 1000n, true);
  view.setInt32(plan.args[1].offset, 20, true);
  view.setFloat64(plan.args[2].offset, 3, true);
  i32[L.OFF_FN / 4] = fn % 2 ** 32;
  i32[L.OFF_FN / 4 + 1] = Math.floor(fn / 2 ** 32);
  i32[L.OFF_NSTACK / 4] = plan.nstack;
  i32[L.OFF_NVEC / 4] = plan.nvec;
  assert.equal(mix(1n, 2, 3), 2n); // the first instance, before
  b.call();
  assert.equal(view.getBigInt64(plan.ret.offset, true), 3017n);
  assert.equal(mix(7n, 8, 9), 20n); // and after
});
