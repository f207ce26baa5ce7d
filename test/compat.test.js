'use strict';
// sbffi 1.x callback lifetimes: a plain function for a [ret, [args]]
// parameter is a simple callback, valid for the call and after it until C
// has called it once, holding the event loop open until then;
// createCallback's handle lasts until .destroy() and holds the loop too.
// Modern callbacks hold it only when ref()'d. Whether a program stays
// alive is seen from outside: a child process (or a worker) whose only
// work left is a callback a C thread calls later. (The 1.x suite itself
// runs in make check-sbffi1.)

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('path');
const { spawnSync } = require('child_process');
const { Worker } = require('worker_threads');
const ffi = require('..');
const support = require('./support');

const ROOT = path.join(__dirname, '..');
const LIB = support.testLib;
const lib = ffi.dlopen(LIB);
// the test library's thread: f(v), f(v + 1) ... count times, after usec
const laterDone = lib.func('int cbt_later_done(void)');
const laterResult = lib.func('int cbt_later_result(int i)');
const laterJoin = lib.func('void cbt_later_join(void)');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function untilDone(ms = 20000) {
  const end = Date.now() + ms;
  while (!laterDone()) {
    if (Date.now() > end) throw new Error('timed out waiting for the C thread');
    await sleep(1);
  }
  laterJoin();
}

// Scripts run alone: sbffi, the test library and the thread's entry, as
// 1.x declares it (later1) and as a C prototype (later).
const PROLOGUE = `
const ffi = require(${JSON.stringify(ROOT)});
const LIB = ${JSON.stringify(LIB)};
const later1 = ffi.getNativeFunction(LIB, 'cbt_later_start', 'int', [['int', ['int']], 'int', 'int', 'uint32_t']);
const later = ffi.dlopen(LIB).func('int cbt_later_start(int (*f)(int), int v, int count, unsigned usec)');
`;

// node on PROLOGUE + code in a process of its own: { status, lines }.
// arm64 node under qemu-user cannot start itself (no binfmt_misc here).
const canSpawn = spawnSync(process.execPath, ['-e', '0']).status === 0;
const spawnSkip = !canSpawn && 'node cannot start another node here (qemu-user without binfmt_misc)';
function alone(code) {
  const r = spawnSync(process.execPath, ['-e', PROLOGUE + code], { encoding: 'utf8', timeout: 60000 });
  if (r.error) throw r.error;
  return { status: r.status, lines: r.stdout.split(/\r?\n/).filter(Boolean), stderr: r.stderr };
}

test('a simple callback a C thread calls after the call returned gets its value, once', async () => {
  const start = ffi.getNativeFunction(LIB, 'cbt_later_start', 'int', [['int', ['int']], 'int', 'int', 'uint32_t']);
  const seen = [];
  assert.equal(start((v) => { seen.push(v); return v * 2; }, 21, 3, 1000), 0);
  assert.deepEqual(seen, []);
  await untilDone();
  // the first call reached JS; the callback then closed itself, so the
  // others got zero
  assert.deepEqual(seen, [21]);
  assert.deepEqual([0, 1, 2].map((i) => laterResult(i)), [42, 0, 0]);
});

test('a simple callback called twice during the call reaches JS twice', () => {
  const twice = ffi.getNativeFunction(LIB, 'cbt_twice', 'int', [['int', ['int']], 'int']);
  const seen = [];
  assert.equal(twice((v) => { seen.push(v); return v * 10; }, 4), 90);
  assert.deepEqual(seen, [4, 5]);
});

test('a simple callback keeps the process alive until a C thread has called it', { skip: spawnSkip }, () => {
  const r = alone(`
later1((v) => { console.log('called ' + v); return 0; }, 42, 1, 300000);
console.log('returned');
`);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.lines, ['returned', 'called 42']);
});

test('a simple callback C called during the call lets the process exit', { skip: spawnSkip }, () => {
  const r = alone(`
const twice = ffi.getNativeFunction(LIB, 'cbt_twice', 'int', [['int', ['int']], 'int']);
console.log(twice((v) => v, 1));
`);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.lines, ['3']);
});

test('an ffi.callback is unref\'d: the process exits before a C thread calls it; ref() keeps it', { skip: spawnSkip }, () => {
  const quiet = alone(`
const cb = ffi.callback('int (int)', (v) => { console.log('called ' + v); return 0; });
later(cb, 7, 1, 1500000);
console.log('returned');
`);
  assert.equal(quiet.status, 0, quiet.stderr);
  assert.deepEqual(quiet.lines, ['returned']);
  const kept = alone(`
const cb = ffi.callback('int (int)', (v) => { console.log('called ' + v); cb.close(); return 0; });
if (cb.ref() !== cb) throw new Error('ref() must return the callback');
later(cb, 7, 1, 300000);
`);
  assert.equal(kept.status, 0, kept.stderr);
  assert.deepEqual(kept.lines, ['called 7']);
  const dropped = alone(`
const cb = ffi.callback('int (int)', (v) => { console.log('called ' + v); return 0; });
if (cb.ref().unref() !== cb) throw new Error('unref() must return the callback');
later(cb, 7, 1, 1500000);
`);
  assert.equal(dropped.status, 0, dropped.stderr);
  assert.deepEqual(dropped.lines, []);
});

test('createCallback\'s handle keeps the process alive until destroy()', { skip: spawnSkip }, () => {
  const r = alone(`
let n = 0;
const cb = ffi.createCallback((v) => {
  console.log('called ' + v);
  if (++n === 2) cb.destroy();
  return 0;
}, ['int', ['int']]);
later1(cb, 5, 2, 200000);
`);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.lines, ['called 5', 'called 6']);
});

test('a worker whose only work left is a simple callback ends once C has called it', { timeout: 60000 }, async () => {
  const w = new Worker(`${PROLOGUE}
const { parentPort } = require('worker_threads');
later1((v) => { parentPort.postMessage(v); return 0; }, 9, 1, 200000);
`, { eval: true });
  const got = [];
  w.on('message', (m) => got.push(m));
  const code = await new Promise((resolve, reject) => {
    w.on('error', reject);
    w.on('exit', resolve);
  });
  laterJoin();
  assert.equal(code, 0);
  assert.deepEqual(got, [9]);
});

test('createCallback', () => {
  const callII = lib.func('cb_call_ii', 'int', [['int', ['int', 'int']], 'int', 'int']);
  const cb = ffi.createCallback((a, b) => a - b, ['int', ['int', 'int']]);
  assert.ok(cb instanceof ffi.Callback);
  assert.equal(typeof cb.address, 'bigint');
  // called any number of times, until destroy()
  assert.equal(callII(cb, 50, 8), 42);
  assert.equal(callII(cb, 8, 50), -42);
  cb.destroy();
  assert.equal(cb.closed, true);
  assert.throws(() => callII(cb, 1, 2), /closed/);
  assert.equal(cb.ref(), cb);	// closed: nothing to hold
  assert.throws(() => ffi.createCallback(() => 0, 'int', ['int']), /createCallback: expected/);
  assert.throws(() => ffi.createCallback(() => 0, ['int']), /createCallback: expected/);
});
