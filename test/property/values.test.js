'use strict';
// Property 2: arbitrary JS values for every kind of argument give a
// correct call or a TypeError, never a crash (test/property/values-run.js
// has the values, the model and the groups). Each group runs in a child
// process: one that dies (a signal, an abort) fails its test here with
// the seed, the case it was running and the command that reruns it,
// while the other groups still run.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { banner, seed, only } = require('./support');

console.log(banner(__filename));

const RUN = path.join(__dirname, 'values-run.js');
const GROUPS = {
  scalars: 'arbitrary values for every scalar argument (echo_<type>)',
  pointers: 'arbitrary values for every pointer argument (ptr_addr)',
  strings: 'strings and null for const char * (str_echo, str_len)',
  structs: 'arbitrary values for struct arguments by value',
  callbacks: 'arbitrary functions and values for function pointers C calls (cb_call_ii, call_vec2_cb)',
  variadic: 'arbitrary values for variadic anonymous arguments (va_record)',
  async: 'arbitrary values for .async calls (echo_<type>.async)',
};
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sbffi-property-'));
test.after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('the groups here are the groups of values-run.js', () => {
  const { groups } = require('./values-run');
  assert.deepEqual(Object.fromEntries(Object.entries(groups).map(([k, g]) => [k, g.name])), GROUPS);
});

for (const [group, name] of Object.entries(GROUPS)) {
  test(name, { timeout: 180000 }, (t) => {
    if (only !== null && only !== name) return t.skip(`FC_ONLY=${only}`);
    const lastCase = path.join(dir, `${group}.case`);
    const r = spawnSync(process.execPath, [RUN, group, lastCase], { encoding: 'utf8', timeout: 150000 });
    const output = `${r.stdout}${r.stderr}`.trim();
    if (r.status === 0) return undefined;
    if (r.status === 1) assert.fail(output);	// a property failed: its report says how to rerun it
    const caseText = fs.existsSync(lastCase) ? fs.readFileSync(lastCase, 'utf8') : '(none started)';
    const how = r.error && r.error.code === 'ETIMEDOUT' ? 'timed out' : r.signal ? `was killed by ${r.signal}` : `exited with status ${r.status}`;
    return assert.fail(`the '${group}' process ${how} (seed ${seed}), running the case\n  ${caseText}\n` +
      `  rerun: FC_SEED=${seed} FC_ONLY='${name}' make check-property\n` +
      `  alone: FC_SEED=${seed} FC_ONLY='${name}' node test/property/values-run.js ${group}\n${output}`);
  });
}
