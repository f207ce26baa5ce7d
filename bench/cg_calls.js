'use strict';
// Driver for callgrind.sh: WARM calls then N calls of one function through
// one implementation, in a fresh process.
//   node --single-threaded bench/cg_calls.js <impl> <function> <N> [WARM]
const { ROWS, STR, load, makeLoop, same } = require('./impls');

const [implName, fn, nArg, warmArg] = process.argv.slice(2);
const n = Number(nArg);
const warm = Number(warmArg || 20000);
const row = ROWS.find((r) => r.name === fn);
if (!row || !(n >= 0)) {
  console.error('usage: cg_calls.js <impl> <function> <N> [WARM]');
  process.exit(2);
}
const { impls, skipped } = load([implName]);
const impl = impls[0];
if (!impl) {
  console.error(`${implName}: ${skipped[implName] || 'unknown implementation'}`);
  process.exit(3);
}
const f = impl.fns[fn];
if (!f) {
  console.error(`${implName} ${fn}: ${(impl.errors || {})[fn] || 'missing'}`);
  process.exit(1);
}
const sample = f(...row.check[0]);
if (!same(sample, row.check[1])) {
  console.error(`${implName} ${fn}: wrong result ${String(sample)}`);
  process.exit(1);
}
// Chunks of CHUNK calls, so the loop itself is optimized at its entry
// rather than replaced on the stack partway through a long run.
const CHUNK = 1000;
const loop = makeLoop(row, impl, sample);
const run = (count) => {
  let acc = 0;
  for (let k = 0; k < count; k += CHUNK) acc += loop(f, Math.min(CHUNK, count - k), STR);
  return acc;
};
let acc = run(warm);
acc += run(n);
if (Number.isNaN(acc)) console.log(acc);
