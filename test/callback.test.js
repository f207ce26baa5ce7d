'use strict';
// Callbacks: JS functions as C function pointers, called on the JS thread
// during a call (synchronously, with a return value), and from other
// threads (marshalled to the JS thread; the caller waits, or not).

const test = require('node:test');
const assert = require('node:assert/strict');
const ffi = require('..');
const support = require('./support');

const lib = ffi.dlopen(support.testLib);
// qsort: the running process's libc; msvcrt on Windows
const libc = support.windows ? ffi.dlopen('msvcrt.dll') : ffi.dlopen(null);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(cond, what, ms = 20000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(1);
  }
}

const readInt = (p) => new Int32Array(ffi.view(p, 4))[0];

test('qsort with a JS comparator', () => {
  const qsort = libc.func('void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))');
  const data = Int32Array.from({ length: 1000 }, (_, i) => (i * 7919) % 1009 - 500);
  const want = Array.from(data).sort((a, b) => a - b);
  let calls = 0;
  const cmp = ffi.callback('int (const void *, const void *)', (a, b) => {
    calls++;
    assert.equal(typeof a, 'bigint');
    return readInt(a) - readInt(b);
  });
  assert.equal(typeof cmp.address, 'bigint');
  assert.match(cmp.signature, /^int \(\*\)\(const void \*, const void \*\)$/);
  qsort(data, BigInt(data.length), 4n, cmp);
  assert.deepEqual(Array.from(data), want);
  assert.ok(calls > 1000);
  cmp.close();
  cmp.close();	// twice is fine
  assert.throws(() => qsort(data, 1n, 4n, cmp), /closed/);
  // a plain function, valid for that call only
  qsort(data, BigInt(data.length), 4n, (a, b) => readInt(b) - readInt(a));
  assert.deepEqual(Array.from(data), want.reverse());
});

test('arguments and return values of every kind, both signature forms', () => {
  const callII = lib.func('int cb_call_ii(int (*f)(int, int), int a, int b)');
  const add = ffi.callback('int add(int a, int b)', (a, b) => a + b);
  assert.equal(callII(add, 2, 40), 42);
  assert.equal(callII(add, -2147483648, -1), 2147483647);	// wraps as C does
  add.close();
  const callDD = lib.func('double cb_call_dd(double (*f)(double, float), double a, float b)');
  const mul = ffi.callback('double', ['double', 'float'], (a, b) => a * b);
  assert.equal(callDD(mul, 1.5, 0.25), 0.375);
  mul.close();
  // the 1.x [ret, [args]] form of a function pointer parameter (its
  // lifetimes and createCallback: compat.test.js)
  const callII1 = lib.func('cb_call_ii', 'int', [['int', ['int', 'int']], 'int', 'int']);
  assert.equal(callII1((a, b) => a * b, 6, 7), 42);
});

test('recursion C -> JS -> C -> JS keeps each level\'s strings and frame', () => {
  const recurse = lib.func('int cb_recurse(int (*f)(int, const char *), int depth, const char *s)');
  const seen = [];
  const cb = ffi.callback('int (int depth, const char *s)', (depth, s) => {
    seen.push([depth, s]);
    if (depth === 0) return 1;
    // a string of another length at each level: it would overwrite the
    // outer level's in the scratch area if that were reused
    const r = recurse(cb, depth - 1, `level ${depth - 1} ${'x'.repeat(depth * 3)}`);
    return r + 1;
  });
  assert.equal(recurse(cb, 5, 'level 5 top'), 6);
  assert.deepEqual(seen.map((x) => x[0]), [5, 4, 3, 2, 1, 0]);
  assert.equal(seen[0][1], 'level 5 top');
  assert.equal(seen[3][1], `level 2 ${'x'.repeat(9)}`);
  cb.close();
});

test('more arguments than registers: 12 integers and 10 doubles', () => {
  const many = lib.func('int64_t cb_many(void *f)');
  let got;
  const cb = ffi.callback('int64_t (int, double, int64_t, double, int, double, int, double, ' +
    'int64_t, double, int, double, int, double, int, double, int, double, int, double, int64_t, int)',
  (...args) => {
    got = args;
    return -123456789012345n;
  });
  assert.equal(many(cb), -123456789012345n);
  assert.deepEqual(got, [1, 0.5, -2n, 1.5, 3, 2.5, -4, 3.5, 5000000000n, 4.5, 6, 5.5, -7,
    6.5, 8, 7.5, -9, 8.5, 10, 9.5, -11000000000n, 12]);
  cb.close();
});

test('a thread calls back 10,000 times with mixed arguments and checks every return', async () => {
  const start = lib.func('int cbt_mixed_start(double (*f)(int, double, float, int64_t), int count)');
  const done = lib.func('int cbt_mixed_done(void)');
  const join = lib.func('int cbt_mixed_join(void)');
  let calls = 0;
  const cb = ffi.callback('double (int i, double d, float f, int64_t big)', (i, d, f, big) => {
    calls++;
    return 2 * i + d - f + Number(big % 1000n);
  });
  assert.equal(start(cb, 10000), 0);
  await until(() => done() !== 0, 'the thread');
  assert.equal(join(), 0);
  assert.equal(calls, 10000);
  cb.close();
});

test('fire-and-forget void callback from a thread', async () => {
  const start = lib.func('int cbt_faf_start(void (*f)(int, double), int count)');
  const join = lib.func('void cbt_faf_join(void)');
  assert.throws(() => ffi.callback('int (int)', () => 0, { fireAndForget: true }), /void/);
  const got = [];
  const cb = ffi.callback('void (int i, double d)', (i, d) => { got.push([i, d]); }, { fireAndForget: true });
  assert.equal(start(cb, 500), 0);
  await until(() => got.length === 500, 'the calls');
  join();
  assert.deepEqual(got[499], [499, 249.5]);
  assert.ok(got.every(([i, d], k) => i === k && d === k / 2));
  cb.close();
});

test('closing while a thread is still calling: later calls return zero', async () => {
  const start = lib.func('int cbt_loop_start(int (*f)(int))');
  const calls = lib.func('int64_t cbt_loop_calls(void)', { bigint: false });
  const zeros = lib.func('int64_t cbt_loop_zeros(void)', { bigint: false });
  const stop = lib.func('void cbt_loop_stop(void)');
  let seen = 0;
  const cb = ffi.callback('int (int)', (i) => { seen++; return i; });
  assert.equal(start(cb), 0);
  await until(() => seen >= 200, 'calls before close');
  cb.close();
  const at = calls();
  await until(() => calls() > at + 1000, 'calls after close');
  stop();
  assert.ok(zeros() > 1000, `${zeros()} zero returns`);
  const after = seen;
  await sleep(10);
  assert.equal(seen, after);
});

test('an exception in a callback: C gets zero, the call throws it', () => {
  const callII = lib.func('int cb_call_ii(int (*f)(int, int), int a, int b)');
  const boom = new Error('boom');
  let ran = false;
  const cb = ffi.callback('int (int, int)', () => { ran = true; throw boom; });
  assert.throws(() => callII(cb, 1, 2), (e) => e === boom);
  assert.ok(ran);
  // nothing left pending
  assert.equal(lib.func('int add(int, int)')(1, 2), 3);
  cb.close();
  // a wrong return kind is reported the same way, naming the callback
  const bad = ffi.callback('int (int, int)', () => 'nope');
  assert.throws(() => callII(bad, 1, 2), /callback 'int \(\*\)\(int, int\)': return value must be a number or BigInt, got a string/);
  bad.close();
  const v = lib.func('void cb_call_v(void (*f)(int), int a)');
  assert.throws(() => v(() => { throw new RangeError('inner'); }, 1), RangeError);
});

test('running out of trampolines throws a clear error', () => {
  const open = [];
  try {
    assert.throws(() => {
      for (;;) open.push(ffi.callback('void (void)', () => {}));
    }, /out of callback trampolines/);
    // all but the few other files' callbacks may hold (none here)
    assert.equal(open.length, ffi.trampolineCount);
  } finally {
    for (const cb of open) cb.close();
  }
  // and they are free again
  const cb = ffi.callback('int (int, int)', (a, b) => a + b);
  assert.equal(lib.func('int cb_call_ii(void *, int, int)')(cb, 1, 2), 3);
  cb.close();
});

test('misuse throws before any native code runs', () => {
  assert.throws(() => ffi.callback('int (int)', 42), /expected a function/);
  assert.throws(() => ffi.callback('int (blah)', () => 0), /unknown type 'blah'/);
  assert.throws(() => ffi.callback(42), /expected \(signature, fn/);
  const callII = lib.func('int cb_call_ii(int (*f)(int, int), int a, int b)');
  assert.throws(() => callII('x', 1, 2), /argument 1 \(f\) must be a function, callback, BigInt or null/);
});

test('sqlite3_exec calls a row callback (libsqlite3)', { skip: support.linuxOnly }, () => {
  const sqlite = ffi.dlopen('libsqlite3.so.0');
  const open = sqlite.func('int sqlite3_open(const char *name, void *db)');
  const close = sqlite.func('int sqlite3_close(void *db)');
  const exec = sqlite.func('int sqlite3_exec(void *db, const char *sql, ' +
    'int (*cb)(void *, int, char **, char **), void *arg, void *err)');
  const slot = new BigUint64Array(1);
  assert.equal(open(':memory:', slot), 0);
  const db = slot[0];
  assert.equal(exec(db, 'create table t(a integer, b text); ' +
    "insert into t values (1, 'one'), (2, 'two'), (3, null);", null, null, null), 0);
  const rows = [];
  const row = ffi.callback('int (void *arg, int n, char **values, char **names)', (arg, n, values, names) => {
    const v = new BigUint64Array(ffi.view(values, n * 8));
    const k = new BigUint64Array(ffi.view(names, n * 8));
    const r = {};
    for (let i = 0; i < n; i++) r[ffi.readCString(k[i])] = ffi.readCString(v[i]);
    rows.push(r);
    return 0;
  });
  assert.equal(exec(db, 'select a, b from t order by a', row, null, null), 0);
  assert.deepEqual(rows, [{ a: '1', b: 'one' }, { a: '2', b: 'two' }, { a: '3', b: null }]);
  // a non-zero return aborts the query: SQLITE_ABORT
  assert.equal(exec(db, 'select a from t', () => 1, null, null), 4);
  row.close();
  assert.equal(close(db), 0);
});

test('an exception in a callback from another thread is reported as uncaught', async () => {
  // in a worker, whose uncaught exception is an 'error' event here
  const { Worker } = require('node:worker_threads');
  const w = new Worker(`
    const ffi = require(${JSON.stringify(require('node:path').join(__dirname, '..'))});
    const lib = ffi.dlopen(${JSON.stringify(support.testLib)});
    const start = lib.func('int cbt_mixed_start(double (*f)(int, double, float, int64_t), int count)');
    const cb = ffi.callback('double (int, double, float, int64_t)', () => { throw new Error('from a thread'); });
    start(cb, 1);
    setInterval(() => {}, 1000);
  `, { eval: true });
  const err = await new Promise((resolve) => {
    w.once('error', resolve);
    w.once('exit', () => resolve(null));
  });
  assert.ok(err instanceof Error);
  assert.match(err.message, /from a thread/);
  lib.func('int cbt_mixed_join(void)')();
});

test('a worker exits while a thread is calling its callback: the thread gets zeros', async () => {
  const { Worker } = require('node:worker_threads');
  const calls = lib.func('int64_t cbt_loop_calls(void)', { bigint: false });
  const zeros = lib.func('int64_t cbt_loop_zeros(void)', { bigint: false });
  const stop = lib.func('void cbt_loop_stop(void)');
  const w = new Worker(`
    const { parentPort } = require('node:worker_threads');
    const ffi = require(${JSON.stringify(require('node:path').join(__dirname, '..'))});
    const lib = ffi.dlopen(${JSON.stringify(support.testLib)});
    const start = lib.func('int cbt_loop_start(int (*f)(int))');
    let n = 0;
    const cb = ffi.callback('int (int)', (i) => { if (++n === 100) parentPort.postMessage('running'); return i; });
    start(cb);
    setInterval(() => {}, 1000);	// calls from threads do not keep the loop alive
  `, { eval: true });
  await new Promise((resolve, reject) => { w.once('message', resolve); w.once('error', reject); });
  await w.terminate();
  const at = calls();
  await until(() => calls() > at + 1000, 'calls after the worker exited');
  stop();
  assert.ok(zeros() > 1000);
});

test('a call refused after a plain function became a callback lets go of it', () => {
  const call = lib.func('int cb_call_ii(int (*f)(int, int), int a, int b)');
  // 1.x's [ret, [args]] form too: a simple callback C never saw
  const call1x = lib.func('cb_call_ii', 'int', [['int', ['int', 'int']], 'int', 'int']);
  for (let i = 0; i < ffi.trampolineCount + 10; i++) {
    assert.throws(() => call((a, b) => a + b, 'x', 1), /cb_call_ii: argument 2 \(a\) must be a number/);
    assert.throws(() => call1x((a, b) => a + b, 1, {}), /cb_call_ii: argument 3 must be a number/);
  }
  assert.equal(call((a, b) => a * b, 6, 7), 42);
});
