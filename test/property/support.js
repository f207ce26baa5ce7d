'use strict';
// What the property tests share: fast-check (test/property/package.json,
// installed by make check-property), the seed, the run counts and the
// report of a failure.
//
//   FC_SEED=n     the seed (default SEED below); one seed drives every property
//   FC_RUNS=x     multiplies every property's number of runs (default 1)
//   FC_ONLY=name  runs only the property of that name (the others skip)
//   FC_PATH=p     with FC_ONLY: replays the counterexample at that path
//
// A failure names all four: `FC_SEED=s make check-property` reruns the
// whole suite as it failed, and the FC_ONLY/FC_PATH line replays the one
// case that failed, shrunk.

const path = require('path');
const fc = require('fast-check');

const SEED = 20110511;

function envInt(name, dflt) {
  const v = process.env[name];
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new Error(`${name} must be an integer, got '${v}'`);
  return n | 0;
}

const seed = envInt('FC_SEED', SEED);
const scale = process.env.FC_RUNS ? Number(process.env.FC_RUNS) : 1;
if (!(scale > 0)) throw new Error(`FC_RUNS must be a positive number, got '${process.env.FC_RUNS}'`);
const only = process.env.FC_ONLY || null;
const replay = process.env.FC_PATH || undefined;

const runs = (n) => Math.max(1, Math.round(n * scale));

function banner(file) {
  return `fast-check seed ${seed} (${path.basename(file)}; rerun with FC_SEED=${seed} make check-property)`;
}

// The command lines that reproduce a failed run, for its message
function rerun(name, details) {
  return `seed ${details.seed}, path ${details.counterexamplePath}\n` +
    `  rerun everything: FC_SEED=${details.seed} make check-property\n` +
    `  replay this case: FC_SEED=${details.seed} FC_ONLY='${name}' FC_PATH='${details.counterexamplePath}' ` +
    'node --test test/property/';
}

function failure(name, details) {
  const e = details.errorInstance;
  const cause = e instanceof Error ? `${e.constructor.name}: ${e.message}` : fc.stringify(e);
  return new Error(`property '${name}' failed: ${rerun(name, details)}\n${fc.defaultReportMessage(details)}\n` +
    `Error: ${cause}`);
}

// fc.check with our seed; throws an Error that says how to rerun.
// Returns false when FC_ONLY names another property.
function check(name, property, numRuns) {
  if (only !== null && only !== name) return false;
  const params = { seed, numRuns: runs(numRuns), ...(only === name && replay ? { path: replay, endOnFailure: true } : {}) };
  const details = fc.check(property, params);
  if (details.failed) {
    throw failure(name, details);
  }
  return true;
}

async function checkAsync(name, property, numRuns) {
  if (only !== null && only !== name) return false;
  const params = { seed, numRuns: runs(numRuns), ...(only === name && replay ? { path: replay, endOnFailure: true } : {}) };
  const details = await fc.check(property, params);
  if (details.failed) {
    throw failure(name, details);
  }
  return true;
}

// A node:test test running one property; skipped when FC_ONLY names another.
function property(test, name, numRuns, makeProperty, options = {}) {
  test(name, { timeout: 120000, ...options }, (t) => {
    if (only !== null && only !== name) return t.skip(`FC_ONLY=${only}`);
    const p = makeProperty();
    return p.isAsync() ? checkAsync(name, p, numRuns) : check(name, p, numRuns);
  });
}

module.exports = {
  fc, seed, runs, only, replay, banner, rerun, check, checkAsync, property,
};
