'use strict';
// What test/gen_conformance.js and test/gen_structs.js share: the ABIs'
// data models, the scalar types, the random number generator, random
// values and their C and JSON spellings.

// What differs between the ABIs for the generated code: the size of long,
// the signedness of plain char, and the calling convention attribute.
const ABIS = {
	'sysv-x64': { long: 'i64', char: 'i8', call: '' },
	// C spells long by its LLP64 width: the Linux build of the Win64 test
	// mode has an LP64 compiler, whose long would read stale upper bits
	win64: { long: 'i32', char: 'i8', call: '__attribute__((ms_abi))',
		cName: { long: 'int32_t', 'unsigned long': 'uint32_t' } },
	aapcs64: { long: 'i64', char: 'u8', call: '' },
};

// C spelling, enum sb_type, kind (width, signedness or float-ness) under
// the ABI's data model.
const typesFor = (abi) => [
	['bool', 'SB_BOOL', 'bool'],
	['char', 'SB_CHAR', abi.char],
	['signed char', 'SB_SCHAR', 'i8'],
	['unsigned char', 'SB_UCHAR', 'u8'],
	['short', 'SB_SHORT', 'i16'],
	['unsigned short', 'SB_USHORT', 'u16'],
	['int', 'SB_INT', 'i32'],
	['unsigned int', 'SB_UINT', 'u32'],
	['long', 'SB_LONG', abi.long],
	['unsigned long', 'SB_ULONG', abi.long.replace('i', 'u')],
	['long long', 'SB_LLONG', 'i64'],
	['unsigned long long', 'SB_ULLONG', 'u64'],
	['int8_t', 'SB_INT8', 'i8'],
	['uint8_t', 'SB_UINT8', 'u8'],
	['int16_t', 'SB_INT16', 'i16'],
	['uint16_t', 'SB_UINT16', 'u16'],
	['int32_t', 'SB_INT32', 'i32'],
	['uint32_t', 'SB_UINT32', 'u32'],
	['int64_t', 'SB_INT64', 'i64'],
	['uint64_t', 'SB_UINT64', 'u64'],
	['size_t', 'SB_SIZE', 'u64'],
	['ssize_t', 'SB_SSIZE', 'i64'],
	['intptr_t', 'SB_INTPTR', 'i64'],
	['uintptr_t', 'SB_UINTPTR', 'u64'],
	['float', 'SB_FLOAT', 'f32'],
	['double', 'SB_DOUBLE', 'f64'],
	['void *', 'SB_POINTER', 'ptr'],
].map(([c, id, kind]) => ({ c, cc: (abi.cName && abi.cName[c]) || c, id, kind }));
// c: the type's name (the JSON's, the JS API's); cc: its C spelling
const VOID = { c: 'void', cc: 'void', id: 'SB_VOID', kind: 'void' };

// Floating-point values worth a case of their own, as bit patterns. NaN
// is only the canonical quiet one: JavaScript engines need not keep a
// NaN's sign or payload.
const F32_SPECIAL = [0x0, 0x80000000, 0x7fc00000, 0x7f800000, 0xff800000,
	0x1, 0x807fffff, 0x800000, 0x7f7fffff, 0x3f800000, 0xbfc00000];
const F64_SPECIAL = [0x0n, 0x8000000000000000n, 0x7ff8000000000000n,
	0x7ff0000000000000n, 0xfff0000000000000n, 0x1n, 0x800fffffffffffffn,
	0x10000000000000n, 0x7fefffffffffffffn, 0x3ff0000000000000n,
	0xbff8000000000000n];

// mulberry32: small, fast, and the same sequence on every engine.
function prng(seed) {
	let a = Number(BigInt(seed) & 0xffffffffn);
	const u32 = () => {
		a = (a + 0x6d2b79f5) | 0;
		let t = Math.imul(a ^ (a >>> 15), 1 | a);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return (t ^ (t >>> 14)) >>> 0;
	};
	const below = (n) => Math.floor((u32() / 2 ** 32) * n);
	return {
		below,
		chance: (p) => u32() / 2 ** 32 < p,
		pick: (list) => list[below(list.length)],
		u64: () => (BigInt(u32()) << 32n) | BigInt(u32()),
	};
}

const WIDTH = { bool: 1, i8: 8, u8: 8, i16: 16, u16: 16, i32: 32, u32: 32,
	i64: 64, u64: 64, ptr: 64 };

// A value of the kind, as the BigInt C would see (signed kinds negative),
// or a bit pattern for floats. Limits come up often on purpose.
function randomValue(rng, kind) {
	if (kind === 'bool')
		return BigInt(rng.below(2));
	if (kind === 'f32') {
		if (rng.chance(0.4))
			return BigInt(rng.pick(F32_SPECIAL));
		let bits = rng.u64() & 0xffffffffn;
		if ((bits & 0x7f800000n) === 0x7f800000n)
			bits ^= 0x00800000n;			// no NaN or infinity
		return bits;
	}
	if (kind === 'f64') {
		if (rng.chance(0.4))
			return rng.pick(F64_SPECIAL);
		let bits = rng.u64();
		if ((bits & 0x7ff0000000000000n) === 0x7ff0000000000000n)
			bits ^= 0x0010000000000000n;
		return bits;
	}
	const w = WIDTH[kind];
	const signed = kind[0] === 'i';
	const cast = (v) => (signed ? BigInt.asIntN(w, v) : BigInt.asUintN(w, v));
	if (rng.chance(0.35)) {
		const min = signed ? -(1n << BigInt(w - 1)) : 0n;
		const max = (1n << BigInt(signed ? w - 1 : w)) - 1n;
		return cast(rng.pick([0n, 1n, -1n, min, max, min + 1n, max - 1n,
			1n << BigInt(w - 1)]));
	}
	return cast(rng.u64());
}

const hex64 = (v) => '0x' + BigInt.asUintN(64, v).toString(16).padStart(16, '0') + 'ULL';

// C expressions for a value of type t given its BigInt.
function cValue(t, v) {
	switch (t.kind) {
	case 'f32': return `cf_f32(0x${v.toString(16).padStart(8, '0')}u)`;
	case 'f64': return `cf_f64(${hex64(v)})`;
	case 'ptr': return `(void *)(uintptr_t)${hex64(v)}`;
	default: return `(${t.cc})${hex64(v)}`;
	}
}

// The value's 64-bit pattern as the C table holds it: integers extended
// by their C type, floats as their bits.
function cBits(t, v) {
	switch (t.kind) {
	case 'f32': return `0x${v.toString(16).padStart(8, '0')}u`;
	case 'f64': case 'ptr': return hex64(v);
	default: return `(uint64_t)(${t.cc})${hex64(v)}`;
	}
}

// What the callee compares: the received argument widened to 64 bits.
function cReceived(t, name) {
	switch (t.kind) {
	case 'f32': return `cf_f32bits(${name})`;
	case 'f64': return `cf_f64bits(${name})`;
	case 'ptr': return `(uint64_t)(uintptr_t)${name}`;
	default: return `(uint64_t)${name}`;
	}
}

// The JSON form: integers in decimal, floats as hex bit patterns.
function jsonValue(t, v) {
	if (t.kind === 'f32')
		return '0x' + v.toString(16).padStart(8, '0');
	if (t.kind === 'f64')
		return '0x' + v.toString(16).padStart(16, '0');
	return v.toString();
}

module.exports = { ABIS, typesFor, VOID, prng, randomValue, hex64, cValue, cBits,
	cReceived, jsonValue };
