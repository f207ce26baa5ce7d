'use strict';
// A million callbacks opened, called and closed leave the process no
// bigger than 100,000 of warm-up did: the resident set, after garbage
// collection, measured every 200,000. Each cycle makes its own JS
// function (a closure), so that a slot that kept its function alive
// would keep a closure per cycle. (V8's young generation is at its
// largest from the start: common.js.)

const test = require('node:test');
const assert = require('node:assert/strict');
const { ffi, testLib, fixedYoungGeneration, rssAfterGc, mb, seconds, report } = require('./common');

const CYCLES = 1000000;
const WARMUP = 100000;
const STEP = 200000;
const BOUND = 8 * 1048576;	// 8 bytes a cycle; it wanders by about 2 MB

const lib = ffi.dlopen(testLib);
const callII = lib.func('int cb_call_ii(int (*f)(int, int), int a, int b)');
const callDD = lib.func('double cb_call_dd(double (*f)(double, float), double a, float b)');

// cycles [from, to): every other one an int callback, the rest double;
// most called once from C, every 10th closed without being called
function cycles(from, to) {
  let bad = 0;
  for (let i = from; i < to; i++) {
    const k = i & 1023;
    if (i & 1) {
      const cb = ffi.callback('int (int a, int b)', (a, b) => a * b + k);
      if (i % 10 !== 1 && callII(cb, i & 255, 3) !== (i & 255) * 3 + k) bad++;
      cb.close();
    } else {
      const cb = ffi.callback('double (double a, float b)', (a, b) => a + b + k);
      if (i % 10 !== 0 && callDD(cb, 0.5, 0.25) !== 0.75 + k) bad++;
      cb.close();
    }
  }
  return bad;
}

if (fixedYoungGeneration()) test(`${CYCLES / 1e6} million callback open/close cycles: resident memory flat`, () => {
  assert.equal(cycles(0, WARMUP), 0);
  const before = rssAfterGc();
  const seen = [];
  const t0 = Date.now();
  for (let done = 0; done < CYCLES; done += STEP) {
    assert.equal(cycles(done, done + STEP), 0, `wrong results in cycles ${done}..${done + STEP}`);
    seen.push(rssAfterGc());
  }
  const ms = Date.now() - t0;
  const after = seen[seen.length - 1];
  const peak = Math.max(...seen);
  report('callbacks', `${CYCLES / 1e6}M open/call/close cycles in ${seconds(ms)} ` +
    `(${(ms * 1e6 / CYCLES / 1000).toFixed(1)} us each); RSS after gc ${mb(before)} before, ` +
    `${mb(after)} after (most ${mb(peak)}; every ${STEP / 1e3}k: ${seen.map(mb).join(', ')})`);
  assert.ok(peak - before < BOUND, `grew by ${peak - before} bytes (bound ${BOUND})`);
  // and every trampoline is free again
  const open = [];
  for (let i = 0; i < ffi.trampolineCount; i++) open.push(ffi.callback('void (void)', () => {}));
  for (const cb of open) cb.close();
  lib.close();
});
