'use strict';
// The generated struct cases (test/gen_structs.js, built by `make
// conformance` into build/conformance/structs.json) through the public JS
// API: every type is defined with ffi.struct / ffi.union and its layout
// compared with the compiler's; every cs_<i> is called with plain-object
// struct values (it checks every field it receives) and what it returns
// is compared field by field; every csc_<i> calls an ffi.callback that
// checks every field it receives and returns the expected value, which
// csc_<i> checks field by field.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const ffi = require('..');

const { dir, lib, failureCount, lastFailure, reset, scalar } = require('./conformance_lib');

const suite = JSON.parse(fs.readFileSync(path.join(dir, 'structs.json'), 'utf8'));
const types = new Map(suite.types.map((t) => [t.name, t]));

// 'float[2][3]' -> ['float', [2, 3]]
function parseType(text) {
	const m = /^(.*?)((?:\[\d+\])*)$/.exec(text);
	return [m[1], m[2] ? m[2].slice(1, -1).split('][').map(Number) : []];
}

// The JS value of a JSON value of type `text`: an object per struct, an
// array per array, a union as an object with its one member set.
function toJs(text, json) {
	const [base, dims] = parseType(text);
	if (dims.length)
		return json.map((e) => toJs(base + dims.slice(1).map((d) => `[${d}]`).join(''), e));
	const t = types.get(base);
	if (!t)
		return scalar(suite.kinds[base], json);
	return Object.fromEntries(Object.keys(json).map((f) => [f, toJs(t.fields[f], json[f])]));
}

// The first difference between a value read back and the expected JSON
// value, as a message, or null. A union is compared on its set member.
function differs(text, got, json, where) {
	const [base, dims] = parseType(text);
	if (dims.length) {
		if (!Array.isArray(got) || got.length !== dims[0])
			return `${where}: got ${String(got)}, want an array of ${dims[0]}`;
		const sub = base + dims.slice(1).map((d) => `[${d}]`).join('');
		for (let k = 0; k < dims[0]; k++) {
			const d = differs(sub, got[k], json[k], `${where}[${k}]`);
			if (d)
				return d;
		}
		return null;
	}
	const t = types.get(base);
	if (!t) {
		const kind = suite.kinds[base];
		const want = scalar(kind, json);
		const same = kind === 'f32' || kind === 'f64' ? Object.is(got, want) : got === want;
		return same ? null : `${where}: got ${String(got)}, want ${String(want)}`;
	}
	if (got === null || typeof got !== 'object')
		return `${where}: got ${String(got)}, want a ${t.kind} ${t.name}`;
	for (const f of Object.keys(json)) {
		const d = differs(t.fields[f], got[f], json[f], `${where}.${f}`);
		if (d)
			return d;
	}
	return null;
}

// Defined in order: every type's members before it.
for (const t of suite.types) {
	const options = {};
	if (t.pack)
		options.pack = t.pack;
	if (t.align)
		options.align = t.align;
	if (t.kind === 'union')
		ffi.union(t.name, t.fields, options);
	else
		ffi.struct(t.name, t.fields, options);
}

test('struct layouts are the compiler\'s', () => {
	for (const t of suite.types) {
		assert.strictEqual(ffi.sizeof(t.name), t.sizeof, `sizeof(${t.name})`);
		assert.strictEqual(ffi.alignof(t.name), t.alignof, `_Alignof(${t.name})`);
		for (const [f, at] of Object.entries(t.offsets))
			assert.strictEqual(ffi.offsetof(t.name, f), at, `offsetof(${t.name}, ${f})`);
	}
});

const signature = (c) => `${c.ret} ${c.name}(${c.args.join(', ')})`;

test('struct conformance functions receive and return every field exactly', () => {
	for (const c of suite.cases) {
		const f = lib.func(c.name, c.ret, c.args);
		reset();
		const got = f(...c.values.map((v, i) => toJs(c.args[i], v)));
		assert.strictEqual(failureCount(), 0, `${signature(c)}: ${lastFailure()}`);
		if (c.expected === null)
			assert.strictEqual(got, undefined, `${signature(c)} returned ${String(got)}`);
		else
			assert.strictEqual(differs(c.ret, got, c.expected, 'return value'), null, signature(c));
	}
});

// The callback direction: csc_<i>(f) calls f with the case's values and
// checks every field of what it returns.
test('struct conformance callbacks receive and return every field exactly', () => {
	for (const c of suite.cases) {
		const ret = c.expected === null ? undefined : toJs(c.ret, c.expected);
		let bad = null;
		let calls = 0;
		const cb = ffi.callback(c.ret, c.args, (...got) => {
			calls++;
			for (let i = 0; i < c.args.length && bad === null; i++)
				bad = differs(c.args[i], got[i], c.values[i], `argument ${i} (${c.args[i]})`);
			return ret;
		});
		const callBack = lib.func(c.callback, 'void', ['void *']);
		reset();
		callBack(cb);
		cb.close();
		const what = `${c.ret} (*)(${c.args.join(', ')}) via ${c.callback}`;
		assert.strictEqual(calls, 1, what);
		assert.strictEqual(bad, null, `${what}: ${bad}`);
		assert.strictEqual(failureCount(), 0, `${what}: ${lastFailure()}`);
	}
});
