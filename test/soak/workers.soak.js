'use strict';
// 8 workers at a time, each replaced 50 times: a worker opens the test
// library, makes a callback, starts two C threads calling it back without
// end (a soak_* group the main thread made, so that it can stop and join
// them whatever becomes of the worker), and makes calls, synchronous and
// .async, checking every result, until it is terminated: at a random
// moment, early in one round of five (while it loads, before or as the
// threads start), otherwise once it runs, in the middle of its calls and
// callbacks. Its C threads are told to stop at once in odd rounds (the
// calls they are in run into the termination), after the worker is gone
// in even ones (they call its closed trampolines meanwhile). They get
// zeros then, never a wrong value; no error reaches the main thread, and
// every trampoline is free at the end.
//
// A trampoline is reused as soon as its worker is gone: a C thread of an
// earlier worker that has not stopped yet may call a callback that a
// later worker opened on it. Each life's threads have numbers of their
// own, so such stray calls are told apart (and answered right).

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('path');
const { Worker } = require('worker_threads');
const { ffi, testLib, soakApi, RIGHT, ZEROS, WRONG, FINISHED, STARTED, sleep, until, rssAfterGc, mb, seconds, report } = require('./common');

const WORKERS = 8;
const ROUNDS = 50;
const C_THREADS = 2;
const WARMUP_ROUNDS = 10;
const RSS_BOUND = 16 * 1048576;	// 50 KB a worker

const lib = ffi.dlopen(testLib);
const soak = soakApi(lib);

// shared, per worker slot: [calls that went wrong, callbacks run, callbacks
// with wrong arguments, sync calls made, stray callbacks]
const SLOT = 5;

const WORKER = `
const { parentPort, workerData } = require('worker_threads');
const ffi = require(${JSON.stringify(path.join(__dirname, '..', '..'))});
const lib = ffi.dlopen(${JSON.stringify(testLib)});
const { group, slot, first, threads } = workerData;
const shared = new Int32Array(workerData.shared, slot * ${SLOT} * 4, ${SLOT});
const run = lib.func('int soak_run(void *g, int (*f)(int, int))');
const mix = lib.func('int64_t mix(int64_t a, int32_t b, double c)');
const strLen = lib.func('size_t str_len(const char *s)', { bigint: false });
const slowEcho = lib.func('int64_t slow_echo(int64_t x, unsigned usec)');
const next = new Array(threads).fill(0);
const cb = ffi.callback('int (int t, int i)', (t, i) => {
  Atomics.add(shared, 1, 1);
  if (t < first || t >= first + threads) Atomics.add(shared, 4, 1);
  else if (i !== next[t - first]) Atomics.add(shared, 2, 1);
  else next[t - first] = i + 1;
  return t * 1000000 + i + 1;
});
if (run(group, cb) !== 0) throw new Error('soak_run failed');
let round = 0;
function batch() {
  const words = ['w', 'wörd ' + slot, 'x'.repeat(300 + round % 100)];
  for (let i = 0; i < 500; i++) {
    const a = BigInt(i * (slot + 1));
    if (mix(a, slot - i, i + 0.5) !== a * 3n + BigInt(slot - i) - BigInt(i)) Atomics.add(shared, 0, 1);
    const w = words[i % 3];
    if (strLen(w) !== Buffer.byteLength(w)) Atomics.add(shared, 0, 1);
  }
  Atomics.add(shared, 3, 1000);
  const x = BigInt(slot * 1000 + round);
  slowEcho.async(x, 200).then((r) => { if (r !== x) Atomics.add(shared, 0, 1); });
  if (++round === 5) parentPort.postMessage('running');
  setImmediate(batch);	// back to the event loop: the C threads' calls run there
}
batch();
`;

// one worker's life: started, terminated at a random moment, its C
// threads stopped and joined; what they saw
async function life(slot, round, shared) {
  const first = (slot * ROUNDS + round) * C_THREADS;
  const g = soak.create(first, C_THREADS, 0);
  const w = new Worker(WORKER, { eval: true, workerData: { group: g, slot, first, threads: C_THREADS, shared } });
  let error = null;
  let running = false;
  w.on('error', (e) => { error = e; });
  w.on('message', (m) => { if (m === 'running') running = true; });
  const exited = new Promise((resolve) => w.once('exit', resolve));
  if (round % 5 === 0) {
    await sleep(Math.floor(Math.random() * 40));
  } else {
    await Promise.race([until(() => running || error, 'the worker running'), exited]);
    await sleep(Math.floor(Math.random() * 20));
  }
  const terminated = w.terminate();
  if (round & 1) soak.stop(g);
  await terminated;
  await exited;
  soak.stop(g);
  // (a thread may be in a call to a trampoline another worker has
  // opened since: it waits for that worker's JS thread, never this one)
  await until(() => soak.count(g, FINISHED) === soak.count(g, STARTED), 'the C threads');
  soak.join(g);
  const seen = [soak.count(g, RIGHT), soak.count(g, ZEROS), soak.count(g, WRONG)];
  soak.free(g);
  if (error) throw error;
  return { running, seen };
}

test(`${WORKERS} workers created and terminated ${ROUNDS} times each while calling and called back`, async () => {
  const shared = new SharedArrayBuffer(WORKERS * SLOT * 4);
  const counts = new Int32Array(shared);
  const t0 = Date.now();
  const totals = { lives: 0, running: 0, right: 0, zeros: 0, wrong: 0 };
  const rounds = (from, to) => Promise.all(Array.from({ length: WORKERS }, async (_, slot) => {
    for (let round = from; round < to; round++) {
      const { running, seen } = await life(slot, round, shared);
      totals.lives++;
      if (running) totals.running++;
      totals.right += seen[0];
      totals.zeros += seen[1];
      totals.wrong += seen[2];
    }
  }));
  // the first rounds grow the process as workers without sbffi do (about
  // 20 MB: the threads' malloc arenas); after them it stays
  const rssStart = rssAfterGc();
  await rounds(0, WARMUP_ROUNDS);
  const rssBefore = rssAfterGc();
  await rounds(WARMUP_ROUNDS, ROUNDS);
  const ms = Date.now() - t0;
  const rssAfter = rssAfterGc();
  let calls = 0;
  let callbacks = 0;
  let strays = 0;
  for (let s = 0; s < WORKERS; s++) {
    assert.equal(counts[s * SLOT], 0, `worker slot ${s}: calls that went wrong`);
    assert.equal(counts[s * SLOT + 2], 0, `worker slot ${s}: callbacks with wrong arguments`);
    callbacks += counts[s * SLOT + 1];
    calls += counts[s * SLOT + 3];
    strays += counts[s * SLOT + 4];
  }
  report('workers', `${totals.lives} workers (${totals.running} terminated running, the rest early) in ` +
    `${seconds(ms)}; ${calls} calls, ${callbacks} callbacks run (${strays} stray); the C threads got ${totals.right} right ` +
    `returns, ${totals.zeros} zeros, ${totals.wrong} wrong; RSS after gc ${mb(rssStart)} at the start, ` +
    `${mb(rssBefore)} after ${WARMUP_ROUNDS} rounds, ${mb(rssAfter)} after ${ROUNDS}`);
  assert.equal(totals.lives, WORKERS * ROUNDS);
  assert.equal(totals.wrong, 0, 'wrong returns to the C threads');
  assert.ok(totals.right > 0 && callbacks > 0 && calls > 0);
  assert.ok(rssAfter - rssBefore < RSS_BOUND, `grew by ${rssAfter - rssBefore} bytes after the first rounds`);
  // every trampoline is free again
  const open = [];
  for (let i = 0; i < ffi.trampolineCount; i++) open.push(ffi.callback('void (void)', () => {}));
  for (const cb of open) cb.close();
});
