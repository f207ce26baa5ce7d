'use strict';
// sbffi benchmark, .async: what one call of noop() on the libuv pool costs
// when n calls are started at once and all awaited, again and again,
// amortised per call, through sbffi's fn.async (a Promise per call) and
// koffi's (a Node-style callback per call), with the synchronous call
// beside them for scale. run.js runs this file in a process of its own:
// koffi accepts more than 256 calls in flight only if told so before it
// loads any library.
//   node bench/async.js [--quick] [--json]

const os = require('os');

const { QUICK, JSON_OUT } = require('./impls').flags('async.js');

// The rows: the load asked for, and as many calls as koffi keeps memory
// for (its resident_async_pools, 8): each call beyond those maps and
// unmaps a stack and a heap of its own.
const FLIGHTS = [1000, 8];
// a round is a whole number of batches, so fewer, longer rounds than
// run.js: one batch of pool calls takes milliseconds, not nanoseconds
const ROUNDS = QUICK ? 5 : 7;
const ROUND_NS = QUICK ? 20e6 : 150e6;
const WARMUP_NS = QUICK ? 40e6 : 200e6;
// libuv's default; the pool is sized once, from the environment
const POOL = Number(process.env.UV_THREADPOOL_SIZE) || 4;

const log = JSON_OUT ? () => {} : (...a) => console.log(...a);

let koffiConfigError = null;
try {
  require('koffi').config({ max_async_calls: Math.max(...FLIGHTS) });
} catch (e) {
  // not installed: load() below says so; anything else is koffi's error
  if (e.code !== 'MODULE_NOT_FOUND') koffiConfigError = `config: ${e.message}`;
}
const { ROWS, STR, load, makeLoop, markdown } = require('./impls');
const { impls, skipped } = load(['sbffi', 'koffi']);
const NOOP = ROWS.find((r) => r.name === 'noop');

// One batch: n calls started at once, settled when the last has returned.
// A koffi call reports through its callback: counted directly (koffi's API
// as meant), or wrapped in a Promise per call as util.promisify would (what
// a caller who wants sbffi's Promise pays). The columns, per implementation:
const BATCHES = {
  sbffi: {
    sbffi: (f, n) => () => {
      const calls = new Array(n);
      for (let i = 0; i < n; i++) calls[i] = f.async();
      return Promise.all(calls);
    },
  },
  koffi: {
    koffi: (f, n) => () => new Promise((resolve, reject) => {
      let left = n;
      const done = (err) => {
        if (err) reject(err);
        else if (--left === 0) resolve();
      };
      for (let i = 0; i < n; i++) f.async(done);
    }),
    'koffi promise': (f, n) => () => {
      const calls = new Array(n);
      for (let i = 0; i < n; i++) {
        calls[i] = new Promise((resolve, reject) => f.async((err, r) => (err ? reject(err) : resolve(r))));
      }
      return Promise.all(calls);
    },
  },
};

// n batches, one after the other
const repeat = (batch) => async (n) => {
  for (let k = 0; k < n; k++) await batch();
};

// The rows, each with its cells: a column name and run(n), which makes n
// reps of `per` calls each and settles when they have returned; or an error.
function rows() {
  const out = [
    ...FLIGHTS.map((n) => ({ key: `async_${n}`, label: `noop.async, ${n} in flight`, n, cells: [] })),
    { key: 'sync', label: 'noop, sync', cells: [] },
  ];
  for (const impl of impls) {
    const f = impl.fns.noop;
    const error = (impl.name === 'koffi' && koffiConfigError) || (impl.errors && impl.errors.noop);
    for (const row of out) {
      if (error) {
        row.cells.push({ name: impl.name, error });
      } else if (row.n) {
        for (const [name, make] of Object.entries(BATCHES[impl.name]))
          row.cells.push({ name, per: row.n, run: repeat(make(f, row.n)) });
      } else {
        const loop = makeLoop(NOOP, impl, undefined);
        row.cells.push({ name: impl.name, per: 1, run: async (n) => loop(f, n, STR) });
      }
    }
  }
  return out;
}

const hr = process.hrtime.bigint;

// Warm up and size each cell's round to about ROUND_NS, then ROUNDS rounds
// interleaved across cells, so drift hits all alike; ns per call.
async function time(live) {
  for (const c of live) {
    let n = 1, spent = 0;
    while (spent < WARMUP_NS) {
      const t0 = hr();
      await c.run(n);
      const dt = Number(hr() - t0);
      spent += dt;
      c.n = Math.max(1, Math.round(n * ROUND_NS / Math.max(dt, 1)));
      if (dt < WARMUP_NS / 8) n *= 2;
    }
    c.ns = [];
  }
  for (let k = 0; k < ROUNDS; k++) {
    for (const c of live) {
      const t0 = hr();
      await c.run(c.n);
      c.ns.push(Number(hr() - t0) / (c.n * c.per));
    }
  }
  for (const c of live) {
    const s = c.ns.slice().sort((a, b) => a - b);
    c.result = { median_ns: s[s.length >> 1], min_ns: s[0], max_ns: s[s.length - 1], calls_per_round: c.n * c.per };
  }
}

// sbffi / koffi, per row and koffi column
const KOFFI_COLUMNS = Object.keys(BATCHES.koffi);
function ratios(results) {
  const out = {};
  for (const [row, r] of Object.entries(results)) {
    out[row] = {};
    for (const k of KOFFI_COLUMNS) {
      if (r.sbffi && r.sbffi.median_ns && r[k] && r[k].median_ns) out[row][k] = r.sbffi.median_ns / r[k].median_ns;
    }
  }
  return out;
}

async function main() {
  const cpu = ((os.cpus()[0] || {}).model || 'unknown cpu').trim();
  log(`# sbffi .async benchmark: node ${process.version}, ${os.arch()}, ${cpu}, ` +
    `${os.cpus().length} cpus, ${POOL} pool threads`);
  log(`# noop(): n calls started, all awaited, again; ${ROUNDS} rounds of ` +
    `~${ROUND_NS / 1e6} ms per cell; ns/call median`);
  for (const [k, v] of Object.entries(skipped)) log(`# ${k}: skipped, ${v}`);
  const t0 = Date.now();
  const all = rows();
  const errors = [];
  const results = {};
  for (const row of all) {
    // the check: a first batch settles without an error
    for (const c of row.cells.filter((x) => x.run)) {
      try {
        await c.run(1);
      } catch (e) {
        c.error = `call: ${e.message}`;
      }
    }
    await time(row.cells.filter((c) => !c.error));
    results[row.key] = {};
    for (const c of row.cells) {
      results[row.key][c.name] = c.error ? { error: c.error } : c.result;
      if (c.error) errors.push(`${c.name} ${row.key}: ${c.error}`);
    }
  }
  const sbffiOver = ratios(results);
  const seconds = (Date.now() - t0) / 1e3;
  if (JSON_OUT) {
    console.log(JSON.stringify({
      node: process.version, arch: os.arch(), cpu, cpus: os.cpus().length, pool_threads: POOL,
      rounds: ROUNDS, quick: QUICK, skipped, results, sbffi_over: sbffiOver, errors, seconds,
    }, null, 2));
  } else {
    print(all, results, sbffiOver);
    for (const e of errors) log(`# error: ${e}`);
    log(`# ${seconds.toFixed(1)} s`);
  }
  // A failure to call through sbffi is a bug, not a timing.
  process.exitCode = errors.some((e) => e.startsWith('sbffi ')) ? 1 : 0;
}

// a column per cell name, then sbffi's ratio to each koffi column
function print(all, results, sbffiOver) {
  const names = [...new Set(all.flatMap((row) => row.cells.map((c) => c.name)))];
  const koffis = KOFFI_COLUMNS.filter((k) => names.includes(k));
  const fmt = (r) => (!r ? '-' : r.error ? 'ERROR' : r.median_ns.toFixed(r.median_ns < 10 ? 2 : 1));
  const ratio = (q) => (q ? `${q.toFixed(2)}x` : '-');
  const table = [['function', ...names, ...koffis.map((k) => `sbffi / ${k}`)]];
  for (const row of all) {
    table.push([row.label, ...names.map((n) => fmt(results[row.key][n])),
      ...koffis.map((k) => ratio(sbffiOver[row.key][k]))]);
  }
  for (const l of markdown(table)) log(l);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
