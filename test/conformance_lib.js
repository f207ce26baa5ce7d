'use strict';
// What both generated conformance tests (conformance.test.js,
// struct_conformance.test.js) share: the generated library and its
// failure counters, and the JS value of a scalar as the JSON spells it.
const path = require('node:path');
const ffi = require('..');
const support = require('./support');

const lib = ffi.dlopen(support.conformanceLib);

// Floats travel as bit patterns in the JSON, so -0, NaN and denormals
// come back exactly.
const view = new DataView(new ArrayBuffer(8));
function fromBits(kind, hex) {
	if (kind === 'f32') {
		view.setUint32(0, Number(hex), true);
		return view.getFloat32(0, true);
	}
	view.setBigUint64(0, BigInt(hex), true);
	return view.getFloat64(0, true);
}

// A scalar's JS value per the API's conventions: 64-bit integers and
// pointers are BigInt, bool is boolean, narrower integers are Number.
function scalar(kind, text) {
	switch (kind) {
	case 'bool': return text !== '0';
	case 'f32': case 'f64': return fromBits(kind, text);
	case 'i64': case 'u64': case 'ptr': return BigInt(text);
	default: return Number(text);
	}
}

module.exports = {
	dir: path.dirname(support.conformanceLib),
	lib,
	failureCount: lib.func('cf_failure_count', 'unsigned int', []),
	lastFailure: lib.func('cf_last_failure', 'const char *', []),
	reset: lib.func('cf_reset', 'void', []),
	scalar,
};
