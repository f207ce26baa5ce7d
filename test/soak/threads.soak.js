'use strict';
// 10 C threads calling one callback 10,000 times each, every call
// blocking until the JS thread has run it; each thread checks every
// return, and JS checks that each thread's calls arrive in order.

const test = require('node:test');
const assert = require('node:assert/strict');
const { ffi, testLib, want, soakApi, RIGHT, ZEROS, WRONG, FINISHED, until, seconds, report } = require('./common');

const THREADS = 10;
const CALLS = 10000;

test(`${THREADS} C threads x ${CALLS} blocking callbacks, every return checked`, async () => {
  const lib = ffi.dlopen(testLib);
  const soak = soakApi(lib);
  const next = new Array(THREADS).fill(0);	// each thread's next i
  let outOfOrder = 0;
  const cb = ffi.callback('int (int t, int i)', (t, i) => {
    if (next[t] !== i) outOfOrder++;
    next[t] = i + 1;
    return want(t, i);
  });
  const t0 = Date.now();
  const g = soak.start(THREADS, CALLS, cb);
  assert.notEqual(g, null);
  await until(() => soak.count(g, FINISHED) === THREADS, 'the threads');
  const ms = Date.now() - t0;
  assert.equal(soak.join(g), 0, 'returns not right');
  assert.equal(soak.count(g, RIGHT), THREADS * CALLS);
  assert.equal(soak.count(g, ZEROS) + soak.count(g, WRONG), 0);
  assert.equal(outOfOrder, 0);
  assert.deepEqual(next, new Array(THREADS).fill(CALLS));
  soak.free(g);
  cb.close();
  lib.close();
  report('threads', `${THREADS} x ${CALLS} blocking callbacks in ${seconds(ms)} ` +
    `(${(ms * 1000 / (THREADS * CALLS)).toFixed(1)} us each)`);
});
