#!/usr/bin/env node
'use strict';
// Generates the conformance suite: COUNT C functions cf_<i> with random
// signatures and argument values from SEED. Each function checks every
// argument it receives against the value it expects and returns a known
// value, so one table drives both the C dispatcher test (through the
// registry) and the JS test (through the public API). Each case also has
// cfc_<i>(f), which calls the callback f of the same signature with the
// same values and checks that f returns the expected value: the callback
// path, with a C handler behind a trampoline (check_conformance.c) and
// with a JS function behind ffi.callback (conformance.test.js).
//
//   node test/gen_conformance.js --seed N --count M --out DIR [--abi ABI]
//
// writes DIR/conformance.h, DIR/conformance.c and DIR/conformance.json.
// The C side derives every value from its 64-bit pattern by a cast, so it
// holds under any data model; the JSON spells values for the data model of
// ABI (default sysv-x64), and under win64 the functions are declared
// ms_abi, so that a Linux build calls them with the Win64 convention.

const fs = require('node:fs');
const path = require('node:path');

const MAX_ARGS = 20;

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

function parseArgs(argv) {
	const opt = {};
	for (let i = 0; i < argv.length; i += 2) {
		const key = argv[i].replace(/^--/, '');
		if (!['seed', 'count', 'out', 'abi'].includes(key) || argv[i + 1] === undefined)
			usage(`bad option ${argv[i]}`);
		opt[key] = argv[i + 1];
	}
	if (opt.seed === undefined || opt.out === undefined || !/^\d+$/.test(opt.seed))
		usage('--seed (a non-negative integer) and --out are required');
	opt.abi = opt.abi ?? 'sysv-x64';
	if (!ABIS[opt.abi])
		usage(`unknown --abi ${opt.abi} (one of ${Object.keys(ABIS).join(', ')})`);
	opt.count = Number(opt.count ?? 1000);
	if (!Number.isInteger(opt.count) || opt.count < 1)
		usage('--count must be a positive integer');
	return opt;
}

function usage(why) {
	process.stderr.write(`gen_conformance.js: ${why}\n` +
		'usage: node test/gen_conformance.js --seed N [--count 1000] --out DIR [--abi sysv-x64]\n');
	process.exit(2);
}

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

function generate(seed, count, abi) {
	const TYPES = typesFor(abi);
	const FLOATS = TYPES.filter((t) => t.kind === 'f32' || t.kind === 'f64');
	const INTEGERS = TYPES.filter((t) => !FLOATS.includes(t));
	const rng = prng(seed);
	const cases = [];
	for (let i = 0; i < count; i++) {
		// Per function, the share of float arguments: all-integer and
		// all-float signatures exhaust one register class at a time.
		const floatShare = rng.pick([0, 0.25, 0.5, 0.75, 1]);
		const nargs = rng.below(MAX_ARGS + 1);
		const args = [];
		for (let j = 0; j < nargs; j++) {
			const t = rng.chance(floatShare) ? rng.pick(FLOATS) : rng.pick(INTEGERS);
			args.push({ t, v: randomValue(rng, t.kind) });
		}
		const ret = rng.below(TYPES.length + 1) === 0 ? VOID : rng.pick(TYPES);
		const expect = ret === VOID ? null : randomValue(rng, ret.kind);
		cases.push({ name: `cf_${i}`, ret, args, expect });
	}
	return cases;
}

function emitHeader(seed, count, abi) {
	return `/* Generated by test/gen_conformance.js --seed ${seed} --count ${count}: do not edit. */
#ifndef CONFORMANCE_H
#define CONFORMANCE_H

#include <stdint.h>

#ifdef _WIN32
#define CF_API __declspec(dllexport)
#else
#define CF_API __attribute__((visibility("default")))
#endif
/* the convention the generated functions are called with */
#define CF_CALL ${abi.call}
#define CF_MAX_ARGS ${MAX_ARGS}

/* One generated function: its signature as enum sb_type ids, the argument
 * values and the expected return as 64-bit patterns (integers extended by
 * their C type, floats as their bits). */
struct cf_case {
	const char *name;
	void (*fn)(void);
	int ret;
	int nargs;
	int args[CF_MAX_ARGS];
	uint64_t values[CF_MAX_ARGS];
	uint64_t expect;
	/* cfc_<i>(f): calls f with values[], checks it returns expect */
	void (CF_CALL *call_back)(void *f);
};

extern const struct cf_case cf_cases[];
extern const unsigned cf_case_count;

/* Mismatched arguments since cf_reset, and the first one described. */
CF_API unsigned cf_failure_count(void);
CF_API const char *cf_last_failure(void);
CF_API void cf_reset(void);

#endif
`;
}

function emitSource(seed, count, cases) {
	const out = [];
	out.push(`/* Generated by test/gen_conformance.js --seed ${seed} --count ${count}: do not edit.
 * Each cf_<i> checks every argument against the value the table passes it. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#include "sbffi.h"
#include "conformance.h"

static unsigned failures;
static char first_failure[128];

CF_API unsigned cf_failure_count(void)
{
	return failures;
}

CF_API const char *cf_last_failure(void)
{
	return failures ? first_failure : "no failure";
}

CF_API void cf_reset(void)
{
	failures = 0;
}

/* arg -1: the value a callback returned */
static void cf_check(const char *fn, int arg, uint64_t got, uint64_t want)
{
	char what[24];

	if (got == want)
		return;
	if (arg < 0)
		snprintf(what, sizeof what, "callback's return");
	else
		snprintf(what, sizeof what, "argument %d", arg);
	if (failures++ == 0)
		snprintf(first_failure, sizeof first_failure,
			 "%s %s: got 0x%016llx, want 0x%016llx", fn, what,
			 (unsigned long long)got, (unsigned long long)want);
}

/* Floats are compared and built by bit pattern, so -0.0 and NaN are exact. */
static inline uint64_t cf_f32bits(float v)
{
	uint32_t b;

	memcpy(&b, &v, sizeof b);
	return b;
}

static inline uint64_t cf_f64bits(double v)
{
	uint64_t b;

	memcpy(&b, &v, sizeof b);
	return b;
}

static inline float cf_f32(uint32_t b)
{
	float v;

	memcpy(&v, &b, sizeof v);
	return v;
}

static inline double cf_f64(uint64_t b)
{
	double v;

	memcpy(&v, &b, sizeof v);
	return v;
}
`);
	for (const c of cases) {
		const params = c.args.map((a, j) => `${a.t.cc} a${j}`).join(', ') || 'void';
		out.push(`CF_API ${c.ret.cc} CF_CALL ${c.name}(${params})\n{`);
		c.args.forEach((a, j) => {
			out.push(`\tcf_check("${c.name}", ${j}, ${cReceived(a.t, 'a' + j)}, ${cBits(a.t, a.v)});`);
		});
		if (c.ret !== VOID)
			out.push(`\treturn ${cValue(c.ret, c.expect)};`);
		out.push('}\n');
		// the callback direction: the same values to f, its return checked
		const types = c.args.map((a) => a.t.cc).join(', ') || 'void';
		const values = c.args.map((a) => cValue(a.t, a.v)).join(', ');
		out.push(`CF_API void CF_CALL cfc_${c.name.slice(3)}(void *fp)\n{`);
		out.push(`\t${c.ret.cc} (CF_CALL *f)(${types}) = (${c.ret.cc} (CF_CALL *)(${types}))fp;`);
		if (c.ret === VOID) {
			out.push(`\tf(${values});`);
		} else {
			out.push(`\t${c.ret.cc} r = f(${values});\n`);
			out.push(`\tcf_check("cfc_${c.name.slice(3)}", -1, ${cReceived(c.ret, 'r')}, ${cBits(c.ret, c.expect)});`);
		}
		out.push('}\n');
	}
	out.push('const struct cf_case cf_cases[] = {');
	for (const c of cases) {
		const list = (xs) => `{ ${xs.join(', ')} }`;
		out.push(`\t{ "${c.name}", (void (*)(void))${c.name}, ${c.ret.id}, ${c.args.length},`);
		out.push(`\t  ${c.args.length ? list(c.args.map((a) => a.t.id)) : '{ 0 }'},`);
		out.push(`\t  ${c.args.length ? list(c.args.map((a) => cBits(a.t, a.v))) : '{ 0 }'},`);
		out.push(`\t  ${c.ret === VOID ? '0' : cBits(c.ret, c.expect)}, cfc_${c.name.slice(3)} },`);
	}
	out.push('};\n');
	out.push('const unsigned cf_case_count = sizeof cf_cases / sizeof cf_cases[0];\n');
	return out.join('\n');
}

function emitJson(cases) {
	// one case per line: diffs and greps stay readable
	return '[\n' + cases.map((c) => JSON.stringify({
		name: c.name,
		ret: c.ret.c,
		retKind: c.ret.kind,
		args: c.args.map((a) => a.t.c),
		argKinds: c.args.map((a) => a.t.kind),
		values: c.args.map((a) => jsonValue(a.t, a.v)),
		expected: c.ret === VOID ? null : jsonValue(c.ret, c.expect),
	})).join(',\n') + '\n]\n';
}

const opt = parseArgs(process.argv.slice(2));
const cases = generate(opt.seed, opt.count, ABIS[opt.abi]);
fs.mkdirSync(opt.out, { recursive: true });
fs.writeFileSync(path.join(opt.out, 'conformance.h'), emitHeader(opt.seed, opt.count, ABIS[opt.abi]));
fs.writeFileSync(path.join(opt.out, 'conformance.c'), emitSource(opt.seed, opt.count, cases));
fs.writeFileSync(path.join(opt.out, 'conformance.json'), emitJson(cases));
