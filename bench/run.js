'use strict';
// sbffi benchmark: ns/call of the same C functions called through plain JS,
// a conventional Node-API addon, a hand-written shared-buffer addon, sbffi
// and koffi (when installed), all in this one process. Informative only:
// timings never gate CI. Then async.js: the cost of fn.async.
//   node bench/run.js [--quick] [--json]

const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const { QUICK, JSON_OUT } = require('./impls').flags('run.js');

const ROUNDS = QUICK ? 5 : 7;
const ROUND_NS = QUICK ? 10e6 : 60e6;   // target length of one timed round
const WARMUP_NS = QUICK ? 20e6 : 100e6;

const log = JSON_OUT ? () => {} : (...a) => console.log(...a);

const { ROWS, STR, load, makeLoop, same, markdown } = require('./impls');
const { impls: IMPLS, skipped } = load();

let sink = 0;
const hr = process.hrtime.bigint;

function timeRow(row, impls) {
  // set up and check every implementation
  const cells = [];
  for (const impl of impls) {
    const f = impl.fns[row.name];
    if (!f) {
      // a row an implementation does not have (shared: callbacks) is '-'
      const error = impl.errors && impl.errors[row.name];
      if (error) cells.push({ impl, error });
      continue;
    }
    let sample;
    try {
      sample = f(...row.check[0]);
    } catch (e) {
      cells.push({ impl, error: `call: ${e.message}` });
      continue;
    }
    if (!same(sample, row.check[1])) {
      cells.push({ impl, error: `wrong result ${String(sample)}, want ${row.check[1]}` });
      continue;
    }
    cells.push({ impl, f, loop: makeLoop(row, impl, sample), n: 0, ns: [] });
  }
  const live = cells.filter((c) => c.loop);
  // warm up, and size each implementation's round to about ROUND_NS
  for (const c of live) {
    let n = 1000, spent = 0;
    while (spent < WARMUP_NS) {
      const t0 = hr();
      sink += c.loop(c.f, n, STR);
      const dt = Number(hr() - t0);
      spent += dt;
      if (dt < WARMUP_NS / 8) n *= 2;
      c.n = Math.max(1000, Math.round(n * ROUND_NS / Math.max(dt, 1)));
    }
  }
  // rounds interleaved across implementations, so drift hits all alike
  for (let k = 0; k < ROUNDS; k++) {
    for (const c of live) {
      const t0 = hr();
      sink += c.loop(c.f, c.n, STR);
      c.ns.push(Number(hr() - t0) / c.n);
    }
  }
  for (const c of live) {
    const s = c.ns.slice().sort((a, b) => a - b);
    c.median = s[s.length >> 1];
    c.min = s[0];
    c.max = s[s.length - 1];
  }
  return cells;
}

// --- run ---
const cpu = (os.cpus()[0] || {}).model || 'unknown cpu';
log(`# sbffi benchmark: node ${process.version}, ${os.arch()}, ${cpu.trim()}`);
log(`# ${ROUNDS} rounds of ~${ROUND_NS / 1e6} ms per cell; ns/call median ` +
  `(ratio to the conventional addon)`);
for (const [k, v] of Object.entries(skipped)) log(`# ${k}: skipped, ${v}`);

const t0 = Date.now();
const results = {};
const errors = [];
for (const row of ROWS) {
  results[row.name] = {};
  for (const c of timeRow(row, IMPLS)) {
    if (c.error) {
      results[row.name][c.impl.name] = { error: c.error };
      errors.push(`${c.impl.name} ${row.name}: ${c.error}`);
    } else {
      results[row.name][c.impl.name] = {
        median_ns: c.median, min_ns: c.min, max_ns: c.max, calls_per_round: c.n,
      };
    }
  }
  const conv = results[row.name].conventional;
  for (const r of Object.values(results[row.name])) {
    if (r.median_ns !== undefined && conv && conv.median_ns)
      r.ratio_conventional = r.median_ns / conv.median_ns;
  }
}

// --- goals (informative) ---
const get = (fn, impl) => (results[fn][impl] || {}).median_ns;
const goal = {};
if (get('add_u32', 'sbffi') && get('add_u32', 'shared')) {
  goal.sbffi_over_shared_add_u32 = get('add_u32', 'sbffi') / get('add_u32', 'shared');
  goal.sbffi_over_conventional_add_u32 = get('add_u32', 'sbffi') / get('add_u32', 'conventional');
}
// structs by value: sbffi at least 10x as fast as koffi
const STRUCT_ROWS = ['vadd', 'cmix'].filter((fn) => get(fn, 'sbffi') && get(fn, 'koffi'));
if (STRUCT_ROWS.length) {
  goal.koffi_over_sbffi_structs = {};
  for (const fn of STRUCT_ROWS) goal.koffi_over_sbffi_structs[fn] = get(fn, 'koffi') / get(fn, 'sbffi');
}
if (results.add_u32.koffi && results.add_u32.sbffi) {
  goal.rows_slower_than_koffi = ROWS.map((r) => r.name).filter((fn) =>
    get(fn, 'koffi') !== undefined && !(get(fn, 'sbffi') < get(fn, 'koffi')));
}
// batches: sink in batches of 1,000 at most 5 ns a call and 0.4x sink made singly
if (get('sink_batch', 'sbffi') && get('sink', 'sbffi')) {
  goal.sbffi_batch_ns = get('sink_batch', 'sbffi');
  goal.sbffi_batch_over_single = get('sink_batch', 'sbffi') / get('sink', 'sbffi');
}

// async.js, with the same flags, in a process of its own: koffi takes its
// limit on calls in flight only before it loads a library. Its output goes
// to ours; with --json it is returned (null if it printed none).
function runAsync() {
  const r = spawnSync(process.execPath, [path.join(__dirname, 'async.js'), ...process.argv.slice(2)], {
    stdio: ['ignore', JSON_OUT ? 'pipe' : 'inherit', 'inherit'], encoding: 'utf8',
  });
  if (r.status !== 0) {
    const e = `async.js: exit status ${r.status}${r.signal ? ', ' + r.signal : ''}`;
    errors.push(e);
    log(`# error: ${e}`);
  }
  if (!JSON_OUT) return null;
  try {
    return JSON.parse(r.stdout);
  } catch {
    return null;
  }
}

const names = IMPLS.map((i) => i.name);
if (JSON_OUT) {
  const seconds = (Date.now() - t0) / 1e3;
  const async = runAsync();
  console.log(JSON.stringify({
    node: process.version, arch: os.arch(), cpu: cpu.trim(), rounds: ROUNDS,
    quick: QUICK, skipped, results, goal, errors, checksum: sink, seconds, async,
  }, null, 2));
} else {
  const fmt = (r) => {
    if (!r) return '-';
    if (r.error) return 'ERROR';
    const ns = r.median_ns < 10 ? r.median_ns.toFixed(2) : r.median_ns.toFixed(1);
    return r.ratio_conventional === undefined ? ns
      : `${ns} (${r.ratio_conventional.toFixed(2)}x)`;
  };
  const table = [['function', ...names]];
  for (const row of ROWS) table.push([row.name, ...names.map((n) => fmt(results[row.name][n]))]);
  for (const l of markdown(table)) log(l);
  for (const e of errors) log(`# error: ${e}`);
  if (goal.sbffi_over_shared_add_u32 !== undefined) {
    const a = goal.sbffi_over_shared_add_u32, b = goal.sbffi_over_conventional_add_u32;
    log(`# goal: sbffi add_u32 / shared add_u32 = ${a.toFixed(2)} (target <= 1.15: ` +
      `${a <= 1.15 ? 'met' : 'NOT met'}); / conventional = ${b.toFixed(2)} ` +
      `(target <= 0.50: ${b <= 0.5 ? 'met' : 'NOT met'})`);
  } else {
    log('# goal: sbffi add_u32 / shared add_u32: n/a (no sbffi result)');
  }
  if (goal.rows_slower_than_koffi) {
    const s = goal.rows_slower_than_koffi;
    log(`# goal: sbffi faster than koffi on every row: ${s.length ? 'NO (' + s.join(', ') + ')' : 'yes'}`);
  }
  if (goal.sbffi_batch_ns !== undefined) {
    const ns = goal.sbffi_batch_ns, r = goal.sbffi_batch_over_single;
    log(`# goal: sink in batches of 1,000: ${ns.toFixed(2)} ns a call (target <= 5: ${ns <= 5 ? 'met' : 'NOT met'}), ` +
      `${r.toFixed(2)}x sink made singly (target <= 0.40: ${r <= 0.4 ? 'met' : 'NOT met'})`);
  }
  if (goal.koffi_over_sbffi_structs) {
    const q = Object.entries(goal.koffi_over_sbffi_structs);
    log(`# goal: koffi / sbffi on struct rows: ${q.map(([fn, r]) => `${fn} ${r.toFixed(1)}x`).join(', ')} ` +
      `(target >= 10: ${q.every(([, r]) => r >= 10) ? 'met' : 'NOT met'})`);
  }
  log(`# ${((Date.now() - t0) / 1e3).toFixed(1)} s`);
  log('');
  runAsync();
}
// A failure to bind or call through sbffi is a bug, not a timing; so is a
// failed async.js, which exits non-zero only for sbffi's failures.
process.exitCode = errors.some((e) => e.startsWith('sbffi ') || e.startsWith('async.js')) ? 1 : 0;
