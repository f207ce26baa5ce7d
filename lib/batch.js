'use strict';
// ffi.batch(fn): while fn runs, this thread's calls are recorded, not
// made. Each generated function has a variant (lib/caller.js) that
// writes its arguments into the queue after this thread's frame, at the
// offsets a call writes in the frame, from the record's start (src/frame.h,
// SB_OFF_QUEUE): each record is a frame as far as its plan reads one. The
// queue runs in order, in one crossing (src/batch.c), when fn returns or
// when the next record does not fit.
//
// Strings and copies stay in the scratch area and references in S.keep
// until the records that point at them have run: the bases move past
// each record, and come back once the queue has run. A batch begun in a
// callback of a batch's call (the queue running below it) records after
// the records still running.

const { isNativeError } = require('util').types;
const frame = require('./frame');
const C = require('./codec');
const { state: S, queued, finishWork, describe } = require('./convert');

const { binding, layout: L, I32 } = frame;
const FROM = L.OFF_BATCH_FROM >> 2;
const TO = L.OFF_BATCH_TO >> 2;

// What this batch began with: the scratch position and references that
// are not its own, which the queue's run leaves alone.
let base = 0;
let keepBase = 0;
// non-const struct pointers given objects: (object, layout, view,
// offset, bigint), the objects updated once the queue has run
const laters = [];
let laterBase = 0;
// callback handles closed while a record not run yet holds them
const closings = [];

function later(target, node, view, offset, bigint) {
  laters.push(target, node, view, offset, bigint);
}

function closeLater(cb) {
  closings.push(cb);
}

// The records from S.qstart to S.qpos, run; what they held, let go of.
function flush() {
  const outer = [I32[FROM], I32[TO], S.stopDepth];
  I32[FROM] = S.qstart - L.OFF_QUEUE;
  I32[TO] = S.qpos - L.OFF_QUEUE;
  // a callback's own calls are made, not recorded; one that throws stops
  // the queue after its call (lib/callback.js)
  S.stopDepth = S.depth + 1;
  S.recording = false;
  try {
    binding.runBatch();
    S.ran += I32[FROM];
    for (let i = laterBase; i < laters.length; i += 5) {
      const decoded = C.decode(laters[i + 1], laters[i + 2], laters[i + 3], null, laters[i + 4]);
      for (const k in decoded) laters[i][k] = decoded[k];
    }
  } finally {
    [I32[FROM], I32[TO], S.stopDepth] = outer;
    S.recording = true;
    drop();
  }
  if (S.err !== undefined && S.err.thrown) finishWork();
}

// The records not run yet, gone: their temporaries closed, their strings'
// room and references let go of.
function drop() {
  laters.length = laterBase;
  const keep = S.keep;
  for (let i = keepBase; i < keep.length; i++) {
    if (keep[i] !== null && typeof keep[i] === 'object' && keep[i].temporary === true) keep[i].close();
  }
  keep.length = keepBase;
  S.keepBase = keepBase;
  S.pos = base;
  S.base = base;
  S.qpos = S.qstart;
  if (!queued()) {
    for (const cb of closings.splice(0)) cb.closeNow();
  }
}

// A record of `size` bytes does not fit after the others: they run, and
// true says it does not fit an empty queue either (this batch began
// above a running one, with little room left).
function full(size) {
  if (S.qpos !== S.qstart) flush();
  return S.qpos + size > L.OFF_QUEUE + L.QUEUE_SIZE;
}

// fn, run: what it returns must not be a promise
function record(fn) {
  const r = fn();
  if (r !== null && (typeof r === 'object' || typeof r === 'function') && typeof r.then === 'function') {
    throw new TypeError('batch: fn returned a promise: a batch records the calls fn makes before it returns');
  }
}

// ffi.batch(fn) -> the number of calls made. Inside a batch: joins it.
function batch(fn) {
  if (typeof fn !== 'function') throw new TypeError(`batch: expected a function, got ${describe(fn)}`);
  if (S.recording) {
    record(fn);
    return undefined;
  }
  const outer = [base, keepBase, laterBase, S.qstart, S.ran, S.base, S.keepBase];
  base = S.pos;
  keepBase = S.keep.length;
  laterBase = laters.length;
  S.base = base;
  S.keepBase = keepBase;
  S.qstart = S.qpos;
  S.ran = 0;
  S.recording = true;
  let ran;
  try {
    record(fn);
    flush();
  } catch (e) {
    drop();
    // which calls ran: as many as the queue held each time it filled
    if (isNativeError(e) && Object.isExtensible(e)) {
      Object.defineProperty(e, 'batchCalls', { value: S.ran, configurable: true, writable: true });
    }
    throw e;
  } finally {
    S.recording = false;
    ran = S.ran;
    [base, keepBase, laterBase, S.qstart, S.ran, S.base, S.keepBase] = outer;
  }
  if (S.err !== undefined) finishWork();
  return ran;
}

module.exports = { batch, flush, full, later, closeLater };
