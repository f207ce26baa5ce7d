'use strict';
// What the soak scripts share: the test library's soak_* group of C
// threads (test/testlib.c), waiting without blocking the JS thread, and
// the resident set size after garbage collection.

const v8 = require('v8');
const vm = require('vm');
const ffi = require('../..');
const support = require('../support');

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');

// soak_want(t, i) of testlib.c: what thread t's call i must return
const want = (t, i) => t * 1000000 + i + 1;

// the soak_* functions of an open test library
function soakApi(lib) {
  const n = { bigint: false };
  return {
    start: lib.func('void *soak_start(int threads, int calls, int (*f)(int, int))'),
    create: lib.func('void *soak_new(int first, int threads, int calls)'),
    run: lib.func('int soak_run(void *g, int (*f)(int, int))'),
    count: lib.func('int64_t soak_count(void *g, int which)', n),
    stop: lib.func('void soak_stop(void *g)'),
    join: lib.func('int64_t soak_join(void *g)', n),
    free: lib.func('void soak_free(void *g)'),
  };
}
const RIGHT = 0;
const ZEROS = 1;
const WRONG = 2;
const FINISHED = 3;
const STARTED = 4;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(cond, what, ms = 120000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(1);
  }
}

// V8 grows its young generation in steps (to 2 x 16 MB on 64-bit) as a
// program allocates, which moves the resident set by up to 16 MB at a
// time, long after any warm-up: the memory soaks run with it at that
// size from the start, so that what grows is what is kept. Reruns this
// script with the flags unless it has them; true: it has.
const HEAP_FLAGS = ['--min-semi-space-size=16', '--max-semi-space-size=16'];
function fixedYoungGeneration() {
  if (HEAP_FLAGS.every((f) => process.execArgv.includes(f))) return true;
  const { spawnSync } = require('child_process');
  const r = spawnSync(process.execPath, [...process.execArgv, ...HEAP_FLAGS, process.argv[1]],
    { stdio: 'inherit' });
  process.exitCode = r.status === 0 ? 0 : 1;
  if (r.signal) console.error(`${process.argv[1]}: killed by ${r.signal}`);
  return false;
}

function rssAfterGc() {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().rss;
}

const mb = (bytes) => `${(bytes / 1048576).toFixed(1)} MB`;
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

// one line of figures, for the log and the README
function report(what, figures) {
  console.log(`# soak: ${what}: ${figures}`);
}

module.exports = {
  ffi, support, testLib: support.testLib, gc, want, soakApi, RIGHT, ZEROS, WRONG, FINISHED, STARTED,
  sleep, until, fixedYoungGeneration, rssAfterGc, mb, seconds, report,
};
