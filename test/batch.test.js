'use strict';
// ffi.batch: calls recorded into this thread's queue and run in order in
// one crossing; the C side logs each call it gets (test/testlib.c), so a
// test sees which calls ran, in what order, with what arguments.

const test = require('node:test');
const assert = require('node:assert/strict');
const { Worker } = require('node:worker_threads');
const ffi = require('..');
const support = require('./support');

const lib = ffi.dlopen(support.testLib);
const clear = lib.func('void log_clear(void)');
const length = lib.func('int log_length(void)');
const at = lib.func('int64_t log_at(int i)', { bigint: false });
const logI = lib.func('void log_i(int32_t tag, int32_t v)');
const logD = lib.func('void log_d(int32_t tag, double d)');
const logS = lib.func('void log_s(int32_t tag, const char *s)');
const logStack = lib.func('void log_stack(int32_t tag, int64_t a, int64_t b, int64_t c, int64_t d, int64_t e, int64_t f, int64_t g, int64_t h)');
const logCb = lib.func('void log_cb(int32_t tag, int (*f)(int), int x)');
const strHash = lib.func('uint32_t str_hash(const char *s)');
const fail = lib.func('int fail_with_errno(int e)', { errno: true });
const logErrno = lib.func('void log_i(int32_t tag, int32_t v)', { errno: true });
ffi.struct('BVec2', { x: 'float', y: 'float' });
ffi.struct('BRect', { min: 'BVec2', max: 'BVec2' });
const logVec2 = lib.func('void log_vec2(int32_t tag, BVec2 v)');
const logRect = lib.func('void log_rect(int32_t tag, BRect *r)');

// the log as [tag, value] pairs
function log() {
  const out = [];
  for (let i = 0, n = length(); i < n; i += 2) out.push([at(i), at(i + 1)]);
  clear();
  return out;
}

const L = require('../lib/frame').layout;
// records of a call with no stack word nor vector register (the lean
// dispatcher's), and of one declared { errno: true }
const SMALL = L.OFF_VEC;
const WHOLE = L.FRAME_SIZE;
const PER_QUEUE = Math.floor(L.QUEUE_SIZE / SMALL);

test('calls run in order when fn returns, one crossing for a queue; calls return undefined; the count is returned', () => {
  clear();
  const got = [];
  const n = ffi.batch(() => {
    for (let i = 0; i < 10; i++) got.push(logI(i, i * 10));
    // nothing has run yet
    got.push(length());
  });
  assert.equal(n, 11);
  assert.deepEqual(got.slice(0, 10), Array(10).fill(undefined));
  // length() itself was recorded, not made
  assert.equal(got[10], undefined);
  assert.deepEqual(log(), Array.from({ length: 10 }, (_, i) => [i, i * 10]));
  assert.equal(ffi.batch(() => {}), 0);
});

test('a queue that fills runs and starts again, unseen: 5,000 calls, every one in order', () => {
  clear();
  const n = ffi.batch(() => {
    for (let i = 0; i < 5000; i++) logI(i, 3 * i);
  });
  assert.equal(n, 5000);
  const got = log();
  assert.equal(got.length, 5000);
  for (let i = 0; i < 5000; i++) assert.deepEqual(got[i], [i, 3 * i]);
});

test('every shape of call: vector registers, stack words, structs by value and by pointer, strings, errno', () => {
  clear();
  const long = 'y'.repeat(200);
  const huge = 'z'.repeat(20000);	// more than the scratch area: a buffer of its own
  const rect = { min: { x: 5, y: 0 }, max: { x: 0, y: 0 } };
  ffi.errno(0);
  const n = ffi.batch(() => {
    logD(1, 2.5);
    logStack(2, 1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n);
    logVec2(3, { x: 4, y: 7 });
    logS(4, 'short');
    logS(5, long);
    logS(6, huge);
    // a string made per call, each its own bytes in the scratch area
    for (let i = 0; i < 100; i++) logS(100 + i, `s${i}`);
    logRect(7, rect);
    assert.equal(fail(33), undefined);
    logErrno(8, 1);
    // the object is updated once its call has run, not before
    assert.equal(rect.max.x, 0);
  });
  assert.equal(n, 109);
  const got = log();
  assert.deepEqual(got.slice(0, 6), [[1, 2500], [2, 204], [3, 4007], [4, strHash('short')], [5, strHash(long)], [6, strHash(huge)]]);
  for (let i = 0; i < 100; i++) assert.deepEqual(got[6 + i], [100 + i, strHash(`s${i}`)]);
  assert.deepEqual(got.slice(106), [[7, 5], [8, 1]]);
  assert.deepEqual(rect.max, { x: 6, y: 7 });
  // errno carries on from one call declared so to the next, as made singly
  assert.equal(ffi.errno(), 33);
});

test('strings of several queues: the scratch area is not reused under a call not yet run', () => {
  clear();
  const words = Array.from({ length: 3000 }, (_, i) => `word-${i}-${'x'.repeat(i % 90)}`);
  assert.equal(ffi.batch(() => { for (const w of words) logS(1, w); }), 3000);
  const got = log();
  for (let i = 0; i < words.length; i++) assert.equal(got[i][1], strHash(words[i]), words[i]);
});

test('an argument error throws out of ffi.batch, and no call still queued runs', () => {
  clear();
  assert.throws(() => ffi.batch(() => {
    logI(1, 1);
    logI(2, 'two');
  }), { name: 'TypeError', message: /log_i: argument 2 \(v\) must be a number or BigInt, got a string/ });
  assert.deepEqual(log(), []);
  // fn's own exception, the same
  const own = new Error('mine');
  assert.throws(() => ffi.batch(() => { logI(1, 1); throw own; }), (e) => e === own && e.batchCalls === 0);
  assert.deepEqual(log(), []);
  // where the queue filled first, the calls it held ran, as many as the
  // error's batchCalls says
  let error;
  try {
    ffi.batch(() => {
      for (let i = 0; i < PER_QUEUE + 10; i++) logI(i, 0);
      logI(-1, {});
    });
  } catch (e) {
    error = e;
  }
  assert.equal(error.batchCalls, PER_QUEUE);
  const got = log();
  assert.equal(got.length, PER_QUEUE);
  assert.deepEqual(got[PER_QUEUE - 1], [PER_QUEUE - 1, 0]);
  // and the next batch starts clean
  assert.equal(ffi.batch(() => logI(9, 9)), 1);
  assert.deepEqual(log(), [[9, 9]]);
});

test('callbacks: a plain function, valid until its call has run; a callback\'s own calls are made at once', () => {
  clear();
  const order = [];
  const n = ffi.batch(() => {
    for (let i = 0; i < 5; i++) {
      logCb(i, (x) => {
        // made now, inside the batched call: logged before it
        logI(100 + i, x);
        order.push(i);
        return x * 2;
      }, i + 1);
    }
    assert.deepEqual(order, []);
  });
  assert.equal(n, 5);
  assert.deepEqual(order, [0, 1, 2, 3, 4]);
  const want = [];
  for (let i = 0; i < 5; i++) want.push([100 + i, i + 1], [i, (i + 1) * 2]);
  assert.deepEqual(log(), want);
});

test('a callback handle closed inside the batch stays open until its call has run', () => {
  clear();
  const cb = ffi.callback('int (int)', (x) => x + 1);
  ffi.batch(() => {
    logCb(1, cb, 41);
    cb.close();
    assert.throws(() => logCb(2, cb, 1), /log_cb: argument 2 \(f\): callback 'int \(\*\)\(int\)' is closed/);
  });
  assert.deepEqual(log(), [[1, 42]]);
});

test('plain functions in a batch of many queues do not run out of trampolines', () => {
  clear();
  const n = ffi.batch(() => {
    for (let i = 0; i < ffi.trampolineCount + 500; i++) logCb(i, (x) => x, i);
  });
  assert.equal(n, ffi.trampolineCount + 500);
  assert.equal(log().length, ffi.trampolineCount + 500);
});

test('a callback that throws: ffi.batch throws it, and the calls after its call do not run', () => {
  clear();
  const boom = new Error('boom');
  assert.throws(() => ffi.batch(() => {
    logI(1, 1);
    logCb(2, () => { throw boom; }, 0);
    logI(3, 3);
  }), (e) => e === boom);
  // C got zero from the callback that threw
  assert.deepEqual(log(), [[1, 1], [2, 0]]);
  for (const thrown of [undefined, null, 0]) {
    assert.throws(() => ffi.batch(() => {
      logCb(1, () => { throw thrown; }, 0);
      logI(3, 3);
    }), (e) => e === thrown);
    assert.deepEqual(log(), [[1, 0]]);
  }
});

test('nested ffi.batch joins the outer one; a batch inside a callback of a batched call is its own', () => {
  clear();
  let inner;
  const n = ffi.batch(() => {
    logI(1, 1);
    inner = ffi.batch(() => { logI(2, 2); logI(3, 3); });
    logI(4, 4);
  });
  assert.equal(inner, undefined);
  assert.equal(n, 4);
  assert.deepEqual(log(), [[1, 1], [2, 2], [3, 3], [4, 4]]);
  const counts = [];
  ffi.batch(() => {
    logCb(1, (x) => {
      counts.push(ffi.batch(() => { for (let i = 0; i < 400; i++) logS(10, `in${i}`); }));
      return x;
    }, 7);
    logS(2, 'after');
  });
  assert.deepEqual(counts, [400]);
  const got = log();
  assert.equal(got.length, 402);
  assert.deepEqual(got[399], [10, strHash('in399')]);
  assert.deepEqual(got.slice(400), [[1, 7], [2, strHash('after')]]);
});

test('a batch inside a callback with the queue nearly full below it: a call that does not fit is made at once', () => {
  clear();
  let inner;
  // the outer queue filled but for less than a whole frame when it runs
  const before = Math.floor((L.QUEUE_SIZE - WHOLE) / SMALL);
  ffi.batch(() => {
    for (let i = 0; i < before; i++) logI(0, i);
    logCb(1, (x) => {
      inner = ffi.batch(() => { logErrno(2, 2); logI(3, 3); });
      return x;
    }, 5);
  });
  assert.equal(inner, 2);
  const got = log();
  assert.equal(got.length, before + 3);
  assert.deepEqual(got.slice(before), [[2, 2], [3, 3], [1, 5]]);
});

test('.async calls inside a batch are made, not batched', async () => {
  clear();
  const slowEcho = lib.func('int64_t slow_echo(int64_t x, unsigned usec)');
  let p;
  ffi.batch(() => {
    p = slowEcho.async(5n, 0);
    logI(1, 1);
  });
  assert.equal(await p, 5n);
  assert.deepEqual(log(), [[1, 1]]);
});

test('lib.close() inside a batch: its calls recorded before still run, later ones throw', () => {
  clear();
  const own = ffi.dlopen(support.testLib);
  const f = own.func('void log_i(int32_t tag, int32_t v)');
  ffi.batch(() => {
    f(1, 1);
    own.close();
    assert.throws(() => f(2, 2), /log_i: library .* is closed/);
    logI(3, 3);
  });
  assert.deepEqual(log(), [[1, 1], [3, 3]]);
});

test('bad arguments of ffi.batch', () => {
  assert.throws(() => ffi.batch(), { name: 'TypeError', message: 'batch: expected a function, got undefined' });
  assert.throws(() => ffi.batch(42), { name: 'TypeError', message: 'batch: expected a function, got number 42' });
  clear();
  assert.throws(() => ffi.batch(async () => { logI(1, 1); }), { name: 'TypeError', message: /batch: fn returned a promise/ });
  assert.deepEqual(log(), []);
});

test('a worker thread\'s batch is its own', async () => {
  clear();
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const ffi = require(workerData.root);
    const lib = ffi.dlopen(workerData.lib);
    const logI = lib.func('void log_i(int32_t tag, int32_t v)');
    parentPort.postMessage(ffi.batch(() => { for (let i = 0; i < 1000; i++) logI(7, i); }));
  `;
  const w = new Worker(code, { eval: true, workerData: { root: require.resolve('..'), lib: support.testLib } });
  // the log is one for all threads: the main thread's batch waits for the
  // worker's, and its queue is untouched by it
  let n;
  ffi.batch(() => {
    logI(8, -1);
  });
  n = await new Promise((resolve, reject) => { w.on('message', resolve); w.on('error', reject); });
  const main = [];
  ffi.batch(() => { for (let i = 0; i < 10; i++) main.push(logI(8, i)); });
  assert.equal(n, 1000);
  const got = log();
  assert.equal(got.length, 1011);
  // each batch ran in its order, whole
  assert.deepEqual(got.filter(([t]) => t === 7).map(([, v]) => v), Array.from({ length: 1000 }, (_, i) => i));
  assert.deepEqual(got.filter(([t]) => t === 8).map(([, v]) => v), [-1, ...Array.from({ length: 10 }, (_, i) => i)]);
});
