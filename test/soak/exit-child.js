'use strict';
// A process that ends while C threads are calling back into it, never
// joined: exit.soak.js runs it once per way of ending (argv[2]) and checks
// how it ended. Prints 'calling' once the threads' calls are arriving.

const { Worker } = require('worker_threads');
const ffi = require('../..');
const { testLib, soakApi, want } = require('./common');

const mode = process.argv[2];
const THREADS = 8;
const lib = ffi.dlopen(testLib);
const soak = soakApi(lib);

// f(t, i) for THREADS threads without end; then() once n calls have run
function calling(n, then, fn = want) {
  let calls = 0;
  const cb = ffi.callback('int (int t, int i)', (t, i) => {
    if (++calls === n) then(cb);
    return fn(t, i);
  });
  soak.start(THREADS, 0, cb);
  return cb;
}

const ready = () => console.log('calling');

switch (mode) {
case 'end':	// the event loop runs out: the callback does not hold it
  calling(200, ready);
  setTimeout(() => {}, 50);
  break;
case 'exit-in-callback':	// process.exit from a call a C thread made
  calling(200, () => { ready(); process.exit(0); });
  setInterval(() => {}, 1000);
  break;
case 'exit-from-timer':	// process.exit while calls are blocked waiting
  calling(200, () => { ready(); setTimeout(() => process.exit(0), 5); }).ref();	// holds the loop
  break;
case 'close-then-exit':	// the callback closed, the threads getting zeros
  calling(200, (cb) => { ready(); cb.close(); setTimeout(() => process.exit(0), 5); });
  setInterval(() => {}, 1000);
  break;
case 'close-lib-then-exit': {	// a second handle of the library closed by a call
  const other = ffi.dlopen(testLib);	// from a C thread (lib keeps the code mapped)
  calling(200, () => { ready(); other.close(); setTimeout(() => process.exit(0), 5); });
  setInterval(() => {}, 1000);
  break;
}
case 'throw-in-callback':	// an uncaught exception from a thread's call
  calling(200, () => { ready(); throw new Error('thrown in a callback'); });
  setInterval(() => {}, 1000);
  break;
case 'fire-and-forget': {	// the queue full of calls nobody waits for
  const cb = ffi.callback('void (int i, double d)', () => {}, { fireAndForget: true });
  const start = lib.func('int cbt_faf_start(void (*f)(int, double), int count)');
  start(cb, 1000000);
  calling(200, () => { ready(); setTimeout(() => process.exit(0), 5); });
  setInterval(() => {}, 1000);
  break;
}
case 'worker': {	// a worker being called back when the process exits
  const w = new Worker(`
    const { parentPort } = require('worker_threads');
    const ffi = require(${JSON.stringify(require('path').join(__dirname, '..', '..'))});
    const { testLib, soakApi, want } = require(${JSON.stringify(require.resolve('./common'))});
    const soak = soakApi(ffi.dlopen(testLib));
    let calls = 0;
    const cb = ffi.callback('int (int t, int i)', (t, i) => {
      if (++calls === 200) parentPort.postMessage('calling');
      return want(t, i);
    });
    soak.start(${THREADS}, 0, cb);
    setInterval(() => {}, 1000);
  `, { eval: true });
  w.once('message', () => { ready(); setTimeout(() => process.exit(0), 5); });
  break;
}
default:
  throw new Error(`exit-child.js: no mode ${mode}`);
}
