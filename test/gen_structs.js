'use strict';
// The struct cases of the conformance suite, in the style of GCC's
// struct-layout tests (gcc.dg/compat/struct-layout-1_generate.c): random
// struct and union types (every scalar, nested aggregates, 1-D and 2-D
// arrays, homogeneous float and double aggregates, 1 to 40 byte sizes,
// packed, pack(n), aligned(16), empty), and COUNT functions cs_<i> taking
// and returning them by value among scalars. Each cs_<i> checks every
// field of every struct it receives and returns a known value; its twin
// csc_<i>(f) calls f with the same values and checks every field of what
// f returns. gen_conformance.js calls this module and writes
//
//   structs.h     the tables' types
//   structs.c     the types, their layouts as the compiler sees them
//                 (sizeof, _Alignof, offsetof; and _Static_asserts that
//                 structs.json says the same), registry descriptions,
//                 the functions and the case table
//   structs.json  the types and cases for the JS twin
//
// A value is a tree: a BigInt per scalar (floats as their bits), an array
// per array or struct (one entry per element or member), and for a union
// { member, value }: the one member set and checked.

const { VOID, prng, randomValue, cValue, cBits, cReceived, jsonValue } =
	require('./gen_common.js');

const MAX_ARGS = 10;
// bytes of any generated type: ten of them fit the frame's stack words
const MAX_SIZE = 64;

const SCALAR_SIZE = { bool: 1, i8: 1, u8: 1, i16: 2, u16: 2, i32: 4, u32: 4,
	i64: 8, u64: 8, ptr: 8, f32: 4, f64: 8 };

const isFloat = (t) => t.kind === 'f32' || t.kind === 'f64';

// A field is { name, t (a scalar type or a generated one), dims }. An
// aggregate's layout as GCC's C lays it out (the registry's rules,
// checked against the compiler by _Static_assert in structs.c).
function elemLayout(t) {
	return t.agg ? { size: t.size, align: t.align } :
		{ size: SCALAR_SIZE[t.kind], align: SCALAR_SIZE[t.kind] };
}

function layOut(agg) {
	let end = 0, size = 0, align = 1;
	agg.offsets = agg.fields.map((f) => {
		const e = elemLayout(f.t);
		const a = agg.pack && e.align > agg.pack ? agg.pack : e.align;
		const at = agg.union ? 0 : Math.ceil(end / a) * a;
		end = at + e.size * f.dims.reduce((x, y) => x * y, 1);
		size = Math.max(size, end);
		align = Math.max(align, a);
		return at;
	});
	align = Math.max(align, agg.alignAttr);
	agg.size = Math.ceil(size / align) * align;
	agg.align = align;
}

// Whether a type has a member aligned to 16 anywhere: such a type is kept
// out of packed ones (GCC's -Wpacked-not-aligned, and GCC 13 changed how
// AAPCS64 passes it: PR108910).
const overaligned = (t) => t.agg && (t.alignAttr >= 16 || t.fields.some((f) => overaligned(f.t)));

function generateTypes(rng, count, TYPES) {
	const FLOATS = TYPES.filter(isFloat);
	const INTEGERS = TYPES.filter((t) => !isFloat(t));
	// plain char arrays are strings to some APIs: left out
	const ELEMS = TYPES.filter((t) => t.c !== 'char');
	const pool = [];
	let sized = 0;

	const dims = () => (rng.chance(0.3) ? [1 + rng.below(3), 1 + rng.below(3)] : [1 + rng.below(4)]);
	const scalarField = (list) => ({ t: rng.pick(list), dims: [] });
	const arrayField = (list) => ({ t: rng.pick(list), dims: dims() });
	const nestedField = () => ({ t: rng.pick(pool), dims: rng.chance(0.2) ? [1 + rng.below(2)] : [] });

	// Members of each shape of type.
	const shapes = {
		mixed: () => Array.from({ length: 1 + rng.below(8) }, () => {
			const r = rng.below(100);
			if (r < 20 && pool.length)
				return nestedField();
			return r < 40 ? arrayField(ELEMS) : scalarField(TYPES);
		}),
		// exactly `want` bytes, 1 to 40 in turn: members no wider than an
		// alignment that divides the size, so nothing rounds it up past it
		sized: () => {
			const want = 1 + (sized++ % 40);
			const align = rng.pick([1, 2, 4, 8].filter((a) => want % a === 0));
			const fits = TYPES.filter((t) => SCALAR_SIZE[t.kind] <= align);
			const fields = [{ t: rng.pick(fits.filter((t) => SCALAR_SIZE[t.kind] === align)), dims: [] }];
			let end = align;
			while (end < want) {
				const room = fits.filter((t) => {
					const s = SCALAR_SIZE[t.kind];
					return Math.ceil(end / s) * s + s <= want;
				});
				const t = rng.pick(room);
				const s = SCALAR_SIZE[t.kind];
				const at = Math.ceil(end / s) * s;
				const n = t.c === 'char' ? 1 : 1 + rng.below(Math.floor((want - at) / s));
				fields.push({ t, dims: n > 1 ? [n] : [] });
				end = at + s * n;
			}
			return fields;
		},
		// homogeneous: 1-4 floats or doubles, sometimes 5 or a mix (just
		// not one), as members, arrays and nested homogeneous structs
		hfa: () => {
			const kind = rng.pick(FLOATS);
			const want = rng.chance(0.1) ? 5 : 1 + rng.below(4);
			const fields = [];
			for (let n = 0; n < want;) {
				const sub = pool.filter((t) => t.hfa === kind && t.hfaCount <= want - n);
				if (sub.length && rng.chance(0.2)) {
					const t = rng.pick(sub);
					fields.push({ t, dims: [] });
					n += t.hfaCount;
				} else if (want - n > 1 && rng.chance(0.3)) {
					const k = 2 + rng.below(want - n - 1);
					fields.push({ t: kind, dims: k === 4 && rng.chance(0.5) ? [2, 2] : [k] });
					n += k;
				} else {
					fields.push({ t: rng.chance(0.05) ? rng.pick(FLOATS) : kind, dims: [] });
					n++;
				}
			}
			return fields;
		},
		union: () => Array.from({ length: 2 + rng.below(3) }, (_, i) => {
			if (pool.length && rng.chance(0.2))
				return nestedField();
			const list = i % 2 ? FLOATS : INTEGERS;
			return rng.chance(0.3) ? arrayField(list.filter((t) => ELEMS.includes(t))) :
				scalarField(list);
		}),
		empty: () => [],
	};
	// percent of each shape
	const weights = [['mixed', 35], ['sized', 28], ['hfa', 17], ['union', 17], ['empty', 3]];

	while (pool.length < count) {
		let r = rng.below(100);
		const [shape] = weights.find(([, w]) => (r -= w) < 0);
		const fields = shapes[shape]().map((f, i) => ({ ...f, name: `f${i}` }));
		const t = { agg: true, index: pool.length, name: `st_${pool.length}`,
			union: shape === 'union', fields, pack: 0, packed: false, alignAttr: 0 };
		// packed, pack(1/2/4) or aligned(16); an empty type stays plain
		const m = rng.below(100);
		if (fields.length && m < 12 && !fields.some((f) => overaligned(f.t))) {
			t.packed = m < 6;
			t.pack = t.packed ? 1 : rng.pick([1, 2, 4]);
		} else if (fields.length && m >= 88) {
			t.alignAttr = 16;
		}
		layOut(t);
		if (t.size > MAX_SIZE)
			continue;
		// homogeneous as AAPCS64 §5.9.5 counts it: one float kind, 1-4
		// elements, filling the size
		const leaves = homogeneous(t);
		if (leaves && leaves.n <= 4 && leaves.n * SCALAR_SIZE[leaves.t.kind] === t.size) {
			t.hfa = leaves.t;
			t.hfaCount = leaves.n;
		}
		pool.push(t);
	}
	return pool;
}

// The float kind and element count of a struct of floats only (unions
// are left out here: they are never nested into an hfa shape).
function homogeneous(t) {
	if (t.union)
		return null;
	let kind = null, n = 0;
	for (const f of t.fields) {
		const k = f.dims.reduce((x, y) => x * y, 1);
		const sub = f.t.agg ? (f.t.hfa ? { t: f.t.hfa, n: f.t.hfaCount } : null) :
			isFloat(f.t) ? { t: f.t, n: 1 } : null;
		if (!sub || (kind && sub.t !== kind))
			return null;
		kind = sub.t;
		n += sub.n * k;
	}
	return kind ? { t: kind, n } : null;
}

// A random value of a field (its dimensions) or of a type.
function randomOf(rng, t, dims = []) {
	if (dims.length)
		return Array.from({ length: dims[0] }, () => randomOf(rng, t, dims.slice(1)));
	if (!t.agg)
		return randomValue(rng, t.kind);
	if (t.union) {
		const member = rng.below(t.fields.length);
		const f = t.fields[member];
		return { member, value: randomOf(rng, f.t, f.dims) };
	}
	return t.fields.map((f) => randomOf(rng, f.t, f.dims));
}

function generateCases(rng, count, TYPES, pool) {
	const cases = [];
	for (let i = 0; i < count; i++) {
		const structShare = rng.pick([0.25, 0.5, 0.75, 1]);
		const args = Array.from({ length: rng.below(MAX_ARGS + 1) }, () => {
			const t = rng.chance(structShare) ? rng.pick(pool) : rng.pick(TYPES);
			return { t, v: randomOf(rng, t) };
		});
		const r = rng.below(100);
		const ret = r < 55 ? rng.pick(pool) : r < 85 ? rng.pick(TYPES) : VOID;
		cases.push({ i, name: `cs_${i}`, ret, args, expect: ret === VOID ? null : randomOf(rng, ret) });
	}
	return cases;
}

// --- C ---

// A float constant of exactly these bits, for static initializers: hex
// literals, and the builtins for infinities and the canonical NaN.
function floatLiteral(kind, bits) {
	const f32 = kind === 'f32';
	const [ebits, mbits, bias] = f32 ? [8n, 23n, 127] : [11n, 52n, 1023];
	const sign = bits >> (ebits + mbits) ? '-' : '';
	const e = Number((bits >> mbits) & ((1n << ebits) - 1n));
	const m = bits & ((1n << mbits) - 1n);
	const sfx = f32 ? 'f' : '';
	const hex = (f32 ? m << 1n : m).toString(16).padStart(f32 ? 6 : 13, '0');
	if (e === Number((1n << ebits) - 1n)) {
		if (m !== 0n && m !== 1n << (mbits - 1n))
			throw new Error('only the canonical NaN is generated');
		return sign + (m ? `__builtin_nan${sfx}("")` : `__builtin_inf${sfx}()`);
	}
	if (e === 0 && m === 0n)
		return `${sign}0.0${sfx}`;
	return e === 0 ? `${sign}0x0.${hex}p${1 - bias}${sfx}` : `${sign}0x1.${hex}p${e - bias}${sfx}`;
}

// A C initializer of a value.
function cInit(t, v, dims = []) {
	if (dims.length)
		return `{ ${v.map((e) => cInit(t, e, dims.slice(1))).join(', ')} }`;
	if (!t.agg)
		return isFloat(t) ? floatLiteral(t.kind, v) : cValue(t, v);
	if (t.union) {
		const f = t.fields[v.member];
		return `{ .${f.name} = ${cInit(f.t, v.value, f.dims)} }`;
	}
	return `{ ${t.fields.map((f, j) => `.${f.name} = ${cInit(f.t, v[j], f.dims)}`).join(', ')} }`;
}

// The scalar leaves a value sets, as [C member path, type, value].
function leaves(t, v, path = '', dims = [], out = []) {
	if (dims.length) {
		v.forEach((e, k) => leaves(t, e, `${path}[${k}]`, dims.slice(1), out));
	} else if (!t.agg) {
		out.push([path, t, v]);
	} else if (t.union) {
		const f = t.fields[v.member];
		leaves(f.t, v.value, `${path}.${f.name}`, f.dims, out);
	} else {
		t.fields.forEach((f, j) => leaves(f.t, v[j], `${path}.${f.name}`, f.dims, out));
	}
	return out;
}

const decl = (cc, name) => (cc.endsWith('*') ? `${cc}${name}` : `${cc} ${name}`);
const typeC = (t) => (t.agg ? t.name : t.cc);
const fieldC = (f) => decl(typeC(f.t), f.name) + f.dims.map((d) => `[${d}]`).join('');
// enum sb_type of a scalar, CS_AGG(k) of generated type k
const typeId = (t) => (t.agg ? `CS_AGG(${t.index})` : t.id);

function emitHeader(seed, count) {
	return `/* Generated by test/gen_conformance.js --seed ${seed} --struct-count ${count}: do not edit. */
#ifndef CONFORMANCE_STRUCTS_H
#define CONFORMANCE_STRUCTS_H

#include <stddef.h>
#include <stdint.h>

#include "conformance.h"

#define CS_MAX_ARGS ${MAX_ARGS}
/* bytes of the largest generated type */
#define CS_MAX_SIZE ${MAX_SIZE}
/* a member or signature type: an enum sb_type, or generated type k */
#define CS_AGG(k) (-1 - (k))
#define CS_IS_AGG(t) ((t) < 0)
#define CS_AGG_INDEX(t) (-1 - (t))

/* A generated type: its registry description (members in order, each a
 * type and an element count, 2-D arrays flattened) and its layout as the
 * compiler sees it. */
struct cs_member {
	int type;
	uint32_t count;
};

struct cs_type {
	const char *name;
	int is_union;
	unsigned pack, align;
	unsigned nmembers;
	const struct cs_member *members;
	size_t size, alignment;
	const size_t *offsets;
};

/* A scalar leaf that a struct value sets (a union sets one member): its
 * place in the value's image, by the compiler's offsetof, and its bits,
 * extended by its C type as cf_check_field compares them. */
struct cs_leaf {
	uint32_t offset;
	uint8_t size;
	uint8_t is_signed;
	const char *path;
	uint64_t bits;
};

/* A struct value: its image, laid out by the compiler, and its leaves. */
struct cs_value {
	const void *image;
	unsigned nleaves;
	const struct cs_leaf *leaves;
};

/* One case: cs_<i> (fn) and csc_<i> (call_back); per argument its type
 * and its bits (a scalar) or its value (a struct: values[] is 0 there,
 * structs[] has no image for a scalar); the expected return likewise. */
struct cs_case {
	const char *name;
	void (*fn)(void);
	void (CF_CALL *call_back)(void *f);
	int ret;
	int nargs;
	const int *args;
	const uint64_t *values;
	const struct cs_value *structs;
	uint64_t expect;
	struct cs_value ret_value;
};

/* Counts, by cf_check_field, each leaf of v that image does not hold
 * (arg: as there). The images are little-endian on every ABI here. */
void cs_check_value(const char *fn, int arg, const void *image, const struct cs_value *v);

extern const struct cs_type cs_types[];
extern const unsigned cs_type_count;
extern const struct cs_case cs_cases[];
extern const unsigned cs_case_count;

#endif
`;
}

function emitTypes(types, out) {
	for (const t of types) {
		const tag = t.union ? 'union' : 'struct';
		const attr = t.packed ? '__attribute__((packed)) ' :
			t.alignAttr ? `__attribute__((aligned(${t.alignAttr}))) ` : '';
		const body = t.fields.map((f) => `${fieldC(f)}; `).join('');
		out.push(`typedef ${tag} ${t.name} ${t.name};`);
		if (t.pack && !t.packed)
			out.push(`#pragma pack(push, ${t.pack})`);
		out.push(`${tag} ${attr}${t.name} { ${body}};`);
		if (t.pack && !t.packed)
			out.push('#pragma pack(pop)');
		const asserts = [`sizeof(${t.name}) == ${t.size}`, `_Alignof(${t.name}) == ${t.align}`,
			...t.fields.map((f, j) => `offsetof(${t.name}, ${f.name}) == ${t.offsets[j]}`)];
		out.push(`_Static_assert(${asserts.join(' && ')}, "${t.name}: the layout of structs.json");`);
		if (t.fields.length) {
			const members = t.fields.map((f) =>
				`{ ${typeId(f.t)}, ${f.dims.reduce((x, y) => x * y, 1)} }`);
			out.push(`static const struct cs_member ${t.name}_m[] = { ${members.join(', ')} };`);
			out.push(`static const size_t ${t.name}_off[] = { ${t.fields.map((f) =>
				`offsetof(${t.name}, ${f.name})`).join(', ')} };`);
		}
		out.push('');
	}
	out.push('const struct cs_type cs_types[] = {');
	for (const t of types) {
		const n = t.fields.length;
		out.push(`\t{ "${t.name}", ${t.union ? 1 : 0}, ${t.pack}, ${t.alignAttr}, ${n}, ` +
			`${n ? `${t.name}_m` : 'NULL'}, sizeof(${t.name}), _Alignof(${t.name}), ` +
			`${n ? `${t.name}_off` : 'NULL'} },`);
	}
	out.push('};\n');
	out.push('const unsigned cs_type_count = sizeof cs_types / sizeof cs_types[0];\n');
}

// The leaf table of value v of type t, named `name`.
function leafTable(t, v, name, out) {
	const rows = leaves(t, v).map(([p, lt, lv]) => {
		const size = SCALAR_SIZE[lt.kind];
		const signed = lt.kind[0] === 'i' ? 1 : 0;
		return `\t{ offsetof(${t.name}, ${p.slice(1)}), ${size}, ${signed}, "${p}", ${cBits(lt, lv)} },`;
	});
	if (rows.length)
		out.push(`static const struct cs_leaf ${name}[] = {`, ...rows, '};');
	return `{ &${name.slice(0, -2)}, ${rows.length}, ${rows.length ? name : 'NULL'} }`;
}

function emitCase(c, out) {
	const n = c.name, k = c.i;
	const values = c.args.map((a, j) => {
		if (!a.t.agg)
			return '{ NULL, 0, NULL }';
		out.push(`static const ${a.t.name} ${n}_a${j} = ${cInit(a.t, a.v)};`);
		return leafTable(a.t, a.v, `${n}_a${j}_l`, out);
	});
	let ret = '{ NULL, 0, NULL }';
	if (c.ret.agg) {
		out.push(`static const ${c.ret.name} ${n}_r = ${cInit(c.ret, c.expect)};`);
		ret = leafTable(c.ret, c.expect, `${n}_r_l`, out);
	}
	const list = (xs) => (xs.length ? `{ ${xs.join(', ')} }` : '{ 0 }');
	if (c.args.length)
		out.push(`static const struct cs_value ${n}_s[] = {\n\t${values.join(',\n\t')}\n};`);
	// the function: checks what it receives, returns the known value
	const params = c.args.map((a, j) => decl(typeC(a.t), `a${j}`)).join(', ') || 'void';
	out.push(`CF_API ${typeC(c.ret)} CF_CALL ${n}(${params})\n{`);
	c.args.forEach((a, j) => {
		if (a.t.agg)
			out.push(`\tcs_check_value("${n}", ${j}, &a${j}, &${n}_s[${j}]);`);
		else
			out.push(`\tcf_check_field("${n}", ${j}, "", ${cReceived(a.t, 'a' + j)}, ${cBits(a.t, a.v)});`);
	});
	if (c.ret.agg)
		out.push(`\treturn ${n}_r;`);
	else if (c.ret !== VOID)
		out.push(`\treturn ${cValue(c.ret, c.expect)};`);
	out.push('}\n');
	// its twin: the same values to f, what f returns checked
	const types = c.args.map((a) => typeC(a.t)).join(', ') || 'void';
	const args = c.args.map((a, j) => (a.t.agg ? `${n}_a${j}` : cValue(a.t, a.v))).join(', ');
	const rt = typeC(c.ret);
	out.push(`CF_API void CF_CALL csc_${k}(void *fp)\n{`);
	out.push(`\t${rt} (CF_CALL *f)(${types}) = (${rt} (CF_CALL *)(${types}))fp;`);
	if (c.ret === VOID) {
		out.push(`\tf(${args});`);
	} else {
		out.push(`\t${rt} r = f(${args});\n`);
		out.push(c.ret.agg ? `\tcs_check_value("csc_${k}", -1, &r, &(const struct cs_value)${ret});` :
			`\tcf_check_field("csc_${k}", -1, "", ${cReceived(c.ret, 'r')}, ${cBits(c.ret, c.expect)});`);
	}
	out.push('}\n');
	out.push(`static const int ${n}_types[] = ${list(c.args.map((a) => typeId(a.t)))};`);
	out.push(`static const uint64_t ${n}_vals[] = ${list(c.args.map((a) => (a.t.agg ? '0' : cBits(a.t, a.v))))};\n`);
	return ret;
}

function emitSource(seed, count, types, cases) {
	const out = [`/* Generated by test/gen_conformance.js --seed ${seed} --struct-count ${count}: do not edit.
 * The struct types, and cs_<i>, which checks every field of every struct
 * argument, and csc_<i>(f), which checks every field of what f returns. */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <sys/types.h>

#include "sbffi.h"
#include "structs.h"

void cs_check_value(const char *fn, int arg, const void *image, const struct cs_value *v)
{
	for (unsigned i = 0; i < v->nleaves; i++) {
		const struct cs_leaf *l = &v->leaves[i];
		uint64_t got = 0;

		memcpy(&got, (const unsigned char *)image + l->offset, l->size);
		if (l->is_signed && l->size < 8 && got >> (l->size * 8 - 1))
			got |= ~0ull << l->size * 8;
		cf_check_field(fn, arg, l->path, got, l->bits);
	}
}
`];
	emitTypes(types, out);
	const rets = cases.map((c) => emitCase(c, out));
	out.push('const struct cs_case cs_cases[] = {');
	cases.forEach((c, i) => {
		const n = c.name;
		out.push(`\t{ "${n}", (void (*)(void))${n}, csc_${c.i}, ${typeId(c.ret)}, ` +
			`${c.args.length}, ${n}_types, ${n}_vals, ${c.args.length ? `${n}_s` : 'NULL'},`);
		out.push(`\t  ${c.ret !== VOID && !c.ret.agg ? cBits(c.ret, c.expect) : '0'}, ${rets[i]} },`);
	});
	out.push('};\n');
	out.push('const unsigned cs_case_count = sizeof cs_cases / sizeof cs_cases[0];\n');
	return out.join('\n');
}

// --- JSON ---

const typeText = (t, dims = []) => (t.agg ? t.name : t.c) + dims.map((d) => `[${d}]`).join('');

// Integers in decimal, floats as hex bits; an array per array, an object
// per struct; a union as an object with its one member set.
function jsonOf(t, v, dims = []) {
	if (dims.length)
		return v.map((e) => jsonOf(t, e, dims.slice(1)));
	if (!t.agg)
		return jsonValue(t, v);
	if (t.union) {
		const f = t.fields[v.member];
		return { [f.name]: jsonOf(f.t, v.value, f.dims) };
	}
	return Object.fromEntries(t.fields.map((f, j) => [f.name, jsonOf(f.t, v[j], f.dims)]));
}

function emitJson(seed, abiName, TYPES, types, cases) {
	const head = { seed: String(seed), abi: abiName,
		kinds: Object.fromEntries(TYPES.map((t) => [t.c, t.kind])) };
	const typeLines = types.map((t) => JSON.stringify({
		name: t.name,
		kind: t.union ? 'union' : 'struct',
		fields: Object.fromEntries(t.fields.map((f) => [f.name, typeText(f.t, f.dims)])),
		pack: t.pack,
		align: t.alignAttr,
		sizeof: t.size,
		alignof: t.align,
		offsets: Object.fromEntries(t.fields.map((f, j) => [f.name, t.offsets[j]])),
	}));
	const caseLines = cases.map((c) => JSON.stringify({
		name: c.name,
		callback: `csc_${c.i}`,
		ret: typeText(c.ret),
		args: c.args.map((a) => typeText(a.t)),
		values: c.args.map((a) => jsonOf(a.t, a.v)),
		expected: c.ret === VOID ? null : jsonOf(c.ret, c.expect),
	}));
	const json = JSON.stringify(head);
	return `${json.slice(0, -1)},\n"types": [\n${typeLines.join(',\n')}\n],\n` +
		`"cases": [\n${caseLines.join(',\n')}\n]}\n`;
}

// The struct suite of SEED: its own random sequence, so the scalar cases
// of a seed stay what they were.
function generateStructs(seed, count, abiName, TYPES) {
	const rng = prng(BigInt(seed) ^ 0x5bd1e995n);
	const types = generateTypes(rng, Math.max(20, Math.ceil(count / 3)), TYPES);
	const cases = generateCases(rng, count, TYPES, types);
	return { types, cases };
}

module.exports = {
	generateStructs,
	emitStructHeader: emitHeader,
	emitStructSource: emitSource,
	emitStructJson: emitJson,
};
