'use strict';
// lib.close(), and the process's end, while C threads are still calling
// back: nothing crashes, the threads get right values or zeros.
//
// A library's code cannot be unmapped under threads running it (no
// library can prevent that: the program must stop them first), so the
// library the threads run in is open twice here: closing one handle is
// what a program does when it closes a library that another part of it
// (or a dependency) also opened.

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('path');
const { spawnSync } = require('child_process');
const { ffi, testLib, soakApi, want, RIGHT, ZEROS, WRONG, FINISHED, until, seconds, report } = require('./common');

const THREADS = 8;

test('lib.close() while C threads call back', async () => {
  const keeper = ffi.dlopen(testLib);	// keeps the threads' code mapped
  const soak = soakApi(keeper);
  const lib = ffi.dlopen(testLib);
  const inner = ffi.dlopen(testLib);
  const start = lib.func('void *soak_start(int threads, int calls, int (*f)(int, int))');
  const slowEcho = lib.func('int64_t slow_echo(int64_t x, unsigned usec)');
  const innerAdd = inner.func('int add(int a, int b)');
  let calls = 0;
  let innerClosed = 0;
  const cb = ffi.callback('int (int t, int i)', (t, i) => {
    if (++calls === 5000) {
      inner.close();	// from a call a C thread made
      innerClosed = calls;
    }
    return want(t, i);
  });
  const g = start(THREADS, 0, cb);
  await until(() => calls >= 1000, 'the first calls');
  const pending = slowEcho.async(42n, 100000);	// 100 ms in C as lib closes
  lib.close();
  assert.throws(() => slowEcho(1n, 0), /library .* is closed/);
  assert.throws(() => lib.func('int add(int a, int b)'), /library .* is closed/);
  await until(() => innerClosed > 0, 'the close from a callback');
  assert.throws(() => innerAdd(1, 2), /library .* is closed/);
  assert.equal(await pending, 42n);
  const at = soak.count(g, RIGHT);
  await until(() => soak.count(g, RIGHT) > at + 10000, 'calls after the closes');
  assert.equal(soak.count(g, ZEROS) + soak.count(g, WRONG), 0);
  cb.close();	// and the callback: the threads get zeros
  const zeros = soak.count(g, ZEROS);
  await until(() => soak.count(g, ZEROS) > zeros + 1000, 'zeros after close()');
  soak.stop(g);
  await until(() => soak.count(g, FINISHED) === THREADS, 'the threads');
  soak.join(g);
  assert.equal(soak.count(g, WRONG), 0);
  report('lib.close', `${THREADS} threads, ${soak.count(g, RIGHT)} right returns and ` +
    `${soak.count(g, ZEROS)} zeros, ${calls} callbacks run`);
  soak.free(g);
  keeper.close();
});

// mode: [exit code, what stderr must say]
const MODES = {
  end: [0],
  'exit-in-callback': [0],
  'exit-from-timer': [0],
  'close-then-exit': [0],
  'close-lib-then-exit': [0],
  'fire-and-forget': [0],
  worker: [0],
  'throw-in-callback': [1, /Error: thrown in a callback/],
};
const RUNS = 10;

test(`the process ends while ${THREADS} C threads call back (each way ${RUNS} times)`, () => {
  const child = path.join(__dirname, 'exit-child.js');
  const t0 = Date.now();
  for (const [mode, [code, says]] of Object.entries(MODES)) {
    for (let run = 0; run < RUNS; run++) {
      const r = spawnSync(process.execPath, [child, mode], { encoding: 'utf8', timeout: 60000 });
      const how = `${mode} (run ${run + 1}): status ${r.status}, signal ${r.signal}, stderr ${r.stderr}`;
      assert.equal(r.signal, null, how);
      assert.equal(r.status, code, how);
      assert.equal(r.stdout, 'calling\n', how);
      if (says) assert.match(r.stderr, says, how);
      else assert.equal(r.stderr, '', how);
    }
  }
  report('exit', `${Object.keys(MODES).length} ways x ${RUNS} runs in ${seconds(Date.now() - t0)}`);
});
