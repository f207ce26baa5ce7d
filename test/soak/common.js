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
    create: lib.func('void *soak_new(int threads, int calls)'),
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

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(cond, what, ms = 120000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(1);
  }
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
  ffi, support, testLib: support.testLib, gc, want, soakApi, RIGHT, ZEROS, WRONG, FINISHED,
  sleep, until, rssAfterGc, mb, seconds, report,
};
