'use strict';
// 10 million calls with string and buffer arguments leave the process no
// bigger than a million calls of warm-up did: the resident set, after
// garbage collection, measured every 2 million calls. A leak of 1 byte a
// call would show as 10 MB. (V8's young generation is at its largest from
// the start: common.js.)

const test = require('node:test');
const assert = require('node:assert/strict');
const { ffi, testLib, fixedYoungGeneration, rssAfterGc, mb, seconds, report } = require('./common');

const CALLS = 10000000;
const WARMUP = 1000000;
const STEP = 2000000;
const BOUND = 4 * 1048576;

const lib = ffi.dlopen(testLib);
const n = { bigint: false };
const strLen = lib.func('size_t str_len(const char *s)', n);
const strCopy = lib.func('size_t str_copy(const char *s, char *out, size_t cap)', n);
const fill = lib.func('void fill(uint8_t *p, size_t n, uint8_t v)');
const sumI32 = lib.func('int32_t sum_i32(const int32_t *p, size_t n)');

const short = 'héllo wörld';	// 13 bytes of UTF-8
const long = 'x'.repeat(20000);	// past the scratch area: a buffer of its own per call
const out = Buffer.alloc(64);

// calls [from, to), five kinds in turn (strings short, long and made per
// call, buffers reused and made per call), every result checked
function calls(from, to) {
  let bad = 0;
  for (let i = from; i < to; i++) {
    switch (i % 5) {
    case 0: if (strLen(i % 500 === 0 ? long : short) !== (i % 500 === 0 ? 20000 : 13)) bad++; break;
    case 1: if (strCopy(`call ${i}`, out, 64) !== 5 + String(i).length) bad++; break;
    case 2: fill(out, 64, i & 255); if (out[63] !== (i & 255)) bad++; break;
    case 3: {
      const a = new Int32Array(8).fill(i & 1023);	// a fresh buffer each call
      if (sumI32(a, 8) !== 8 * (i & 1023)) bad++;
      break;
    }
    case 4: if (strLen(Buffer.from(`buf ${i & 7}\0`)) !== 5) bad++; break;	// a fresh Buffer as a string
    }
  }
  return bad;
}

if (fixedYoungGeneration()) test(`${CALLS / 1e6} million calls with strings and buffers: resident memory flat`, () => {
  assert.equal(calls(0, WARMUP), 0);
  const before = rssAfterGc();
  const seen = [];
  const t0 = Date.now();
  for (let done = 0; done < CALLS; done += STEP) {
    assert.equal(calls(done, done + STEP), 0, `wrong results in calls ${done}..${done + STEP}`);
    seen.push(rssAfterGc());
  }
  const ms = Date.now() - t0;
  const after = seen[seen.length - 1];
  const peak = Math.max(...seen);
  report('calls', `${CALLS / 1e6}M calls in ${seconds(ms)} (${(ms * 1e6 / CALLS).toFixed(0)} ns each); ` +
    `RSS after gc ${mb(before)} before, ${mb(after)} after (most ${mb(peak)}; ` +
    `every ${STEP / 1e6}M: ${seen.map(mb).join(', ')})`);
  assert.ok(peak - before < BOUND, `grew by ${peak - before} bytes (bound ${BOUND})`);
  lib.close();
});
