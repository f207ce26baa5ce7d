'use strict';
// The generated conformance suite (test/gen_conformance.js, built by
// `make conformance`) through the public JS API: every function is called
// with its recorded values; it checks each argument it receives, and its
// return value is compared here.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const ffi = require('..');

const { dir, lib, failureCount, lastFailure, reset, scalar: toJs } = require('./conformance_lib');

const cases = JSON.parse(fs.readFileSync(path.join(dir, 'conformance.json'), 'utf8'));

test('conformance functions receive and return every value exactly', () => {
	for (const c of cases) {
		const f = lib.func(c.name, c.ret, c.args);
		reset();
		const got = f(...c.values.map((v, i) => toJs(c.argKinds[i], v)));
		assert.strictEqual(failureCount(), 0, `${c.name}(${c.args.join(', ')}): ${lastFailure()}`);
		const what = `${c.ret} ${c.name}(${c.args.join(', ')}) returned ${String(got)}`;
		if (c.expected === null)
			assert.strictEqual(got, undefined, what);
		else if (c.retKind === 'f32' || c.retKind === 'f64')
			// exact: a float comes back widened, so it equals its bits' value
			assert.ok(Object.is(got, toJs(c.retKind, c.expected)), what);
		else
			assert.strictEqual(got, toJs(c.retKind, c.expected), what);
	}
});

// The callback direction: cfc_<i>(f) calls f with the case's values and
// checks that it returns the expected value; f is a JS function behind a
// trampoline that checks each argument it receives.
function sameValue(kind, got, want) {
	return kind === 'f32' || kind === 'f64' ? Object.is(got, want) : got === want;
}

test('conformance callbacks receive and return every value exactly', () => {
	for (const c of cases) {
		const want = c.values.map((v, i) => toJs(c.argKinds[i], v));
		const ret = c.expected === null ? undefined : toJs(c.retKind, c.expected);
		let bad = null;
		let calls = 0;
		const cb = ffi.callback(c.ret, c.args, (...got) => {
			calls++;
			for (let i = 0; i < want.length && bad === null; i++) {
				if (!sameValue(c.argKinds[i], got[i], want[i]))
					bad = `argument ${i} (${c.args[i]}): got ${String(got[i])}, want ${String(want[i])}`;
			}
			return ret;
		});
		const callBack = lib.func(`cfc_${c.name.slice(3)}`, 'void', ['void *']);
		reset();
		callBack(cb);
		cb.close();
		const what = `${c.ret} (*)(${c.args.join(', ')}) via cfc_${c.name.slice(3)}`;
		assert.strictEqual(calls, 1, what);
		assert.strictEqual(bad, null, `${what}: ${bad}`);
		assert.strictEqual(failureCount(), 0, `${what}: ${lastFailure()}`);
	}
});
