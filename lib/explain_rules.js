'use strict';
// The rule behind each placement ffi.explain reports, per ABI, cited from
// the document the classifier follows (src/abi_*.c carry the same
// citations beside the code): what the table of `sbffi explain` prints in
// its "how" and "rule" columns, and what its pictures need to know of
// the stack. Keyed by ruleKey(): what happened to an argument or result.
//
// Each rule: cite (the section), says (the rule in a sentence) and, where
// the ABI's own vocabulary says it better than a register name, how(p, n, e):
// the placement p of argument n (1-based) of the explanation e, in words.

const FLOAT = new Set(['f32', 'f64']);

const regNumber = (where) => where.replace(/^\D+/, '');
const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

// --- System V AMD64 psABI 1.0 (src/abi_sysv_x64.c) ---
const sysvStack = {
  cite: '§3.2.3 "Passing", figure 3.3',
  says: 'no register of its class is left: it takes the next 8-byte stack slot, in argument order, while the other class still fills its registers',
};
const sysvEightbytes = (p) => `${p.size} bytes: ${p.parts.map((q) => q.class).join(', ')}`;

const sysv = {
  title: 'System V AMD64 psABI',
  stackBase: 0,
  rules: {
    int: {
      cite: '§3.2.3 "Passing"',
      says: 'integers and pointers are class INTEGER and take the next free register of rdi, rsi, rdx, rcx, r8, r9',
      how: () => 'INTEGER',
    },
    float: {
      cite: '§3.2.3 "Passing"',
      says: 'float and double are class SSE and take the next free register of xmm0-xmm7, counted apart from the integer registers',
      how: () => 'SSE',
    },
    'int-stack': { ...sysvStack, how: () => 'INTEGER, no register left' },
    'float-stack': { ...sysvStack, how: () => 'SSE, no register left' },
    'agg-regs': {
      cite: '§3.2.3 "Classification", rule 4',
      says: 'an aggregate of up to 16 bytes is cut into eightbytes; each is INTEGER if it holds anything but float or double, else SSE, and takes the next register of its class',
      how: sysvEightbytes,
    },
    'agg-stack': {
      cite: '§3.2.3 "Classification", rules 1 and 5; "Passing"',
      says: 'over 16 bytes, or with a field at an unaligned offset, an aggregate is MEMORY; so is one whose eightbytes do not all fit in the registers left: it is copied whole onto the stack, in eightbytes, and later arguments may still take registers',
      how: (p) => `${p.size} bytes: ${p.size > 16 ? 'MEMORY' : 'MEMORY, or too few registers left'}`,
    },
    'agg-empty': {
      cite: '§3.2.3 (GNU C)',
      says: 'an empty struct (size 0 in GNU C) has no eightbyte and is not passed',
      how: () => 'empty',
    },
    variadic: {
      cite: '§3.5.7 "Variable Argument Lists"',
      says: 'anonymous arguments are placed as named ones are; al carries an upper bound of the vector registers used',
    },
    'ret-int': { cite: '§3.2.3 "Returning of Values"', says: 'a class INTEGER result comes back in rax', how: () => 'INTEGER' },
    'ret-float': { cite: '§3.2.3 "Returning of Values"', says: 'a class SSE result comes back in xmm0', how: () => 'SSE' },
    'ret-agg': {
      cite: '§3.2.3 "Returning of Values"',
      says: 'an aggregate result in registers: its INTEGER eightbytes in rax then rdx, its SSE ones in xmm0 then xmm1',
      how: sysvEightbytes,
    },
    'ret-memory': {
      cite: '§3.2.3 "Returning of Values"',
      says: 'a MEMORY result is written to storage the caller provides; its address goes in rdi as a hidden first argument (the others shift one register on) and comes back in rax',
      how: (p) => `${p.size} bytes: MEMORY`,
    },
    'ret-empty': { cite: '§3.2.3 (GNU C)', says: 'an empty struct result has no eightbyte: nothing comes back', how: () => 'empty' },
  },
};

// --- Microsoft x64 calling convention (src/abi_win64.c) ---
// position n of the four slots; a hidden result pointer takes the first
const position = (n, e) => `position ${n + (e.return.pointer ? 1 : 0)}`;
const win64Stack = {
  cite: '"Parameter passing"',
  says: 'the fifth and later positions take 8-byte stack slots in order, above the 32-byte shadow space the caller reserves for the four register arguments',
  how: (p, n, e) => position(n, e),
};

const win64 = {
  title: 'Microsoft x64 calling convention',
  // stack arguments start above the shadow space: sp + 32 at the call
  stackBase: 32,
  shadow: 'shadow space: the callee may home rcx, rdx, r8, r9 here',
  rules: {
    int: {
      cite: '"Parameter passing"',
      says: 'the first four arguments go by position, one slot each: an integer or a pointer takes rcx, rdx, r8 or r9, the one of its position',
      how: (p, n, e) => position(n, e),
    },
    float: {
      cite: '"Parameter passing"',
      says: 'a float or double among the first four takes xmm0-xmm3, the one of its position; the integer register of that position stays unused',
      how: (p, n, e) => position(n, e),
    },
    'int-stack': win64Stack,
    'float-stack': win64Stack,
    'agg-regs': {
      cite: '"Parameter passing"',
      says: 'a struct or union of 1, 2, 4 or 8 bytes passes as an integer of that size in its position\'s integer register or slot, whatever its fields',
      how: (p) => `${p.size} bytes: as an integer`,
    },
    'agg-ref': {
      cite: '"Parameter passing"',
      says: 'a struct or union of any other size (16 and empty ones too) passes as a pointer to a 16-byte aligned copy the caller makes, in its position\'s slot',
      how: (p) => `${p.size} bytes: by reference`,
    },
    'vararg-float': {
      cite: '"Varargs"',
      says: 'an anonymous float or double goes in the integer register of its position as well, for a callee that homes rcx-r9 and walks them with va_arg',
      how: (p, n, e) => `${position(n, e)}, in both`,
    },
    variadic: {
      cite: '"Varargs"',
      says: 'anonymous arguments take positions as named ones do; a floating-point one is in both registers of its position',
    },
    'ret-int': { cite: '"Return values"', says: 'a scalar of up to 64 bits comes back in rax' },
    'ret-float': { cite: '"Return values"', says: 'a float or double comes back in xmm0' },
    'ret-agg': {
      cite: '"Return values"',
      says: 'a struct or union of 1, 2, 4 or 8 bytes comes back in rax, float fields too',
      how: (p) => `${p.size} bytes: as an integer`,
    },
    'ret-memory': {
      cite: '"Return values"',
      says: 'any other size is written to memory the caller provides; its address is passed in rcx, which takes position 1 and moves every argument one position on, and comes back in rax',
      how: (p) => `${p.size} bytes: in memory`,
    },
    'ret-empty': { cite: '"Return values" (GCC)', says: 'an empty struct result comes back nowhere and takes no position' },
  },
};

// --- AAPCS64 §6.8.2 "Parameter passing rules", §6.9 "Result return"
// (src/abi_aapcs64.c); rule names are stage B and C's ---
const hfa = (p) => `HFA: ${plural(p.parts.length, 'member')} of ${p.parts[0].bytes[1] - p.parts[0].bytes[0] + 1} bytes`;
const dwords = (p) => `${p.size} bytes: ${plural(p.parts.length, 'double-word')}`;
const nsaa = (p) => `NSAA = ${p.offset}`;

const aapcs64 = {
  title: 'AAPCS64 (Procedure Call Standard for the Arm 64-bit Architecture)',
  stackBase: 0,
  rules: {
    int: {
      cite: '§6.8.2 C.9',
      says: 'an integer or a pointer goes in x[NGRN], the next of x0-x7, and NGRN is incremented',
      how: (p) => `NGRN = ${regNumber(p.where)}`,
    },
    float: {
      cite: '§6.8.2 C.1',
      says: 'a float or double goes in v[NSRN], the next of v0-v7, counted apart from the x registers',
      how: (p) => `NSRN = ${regNumber(p.where)}`,
    },
    'int-stack': {
      cite: '§6.8.2 C.13, C.14, C.16',
      says: 'NGRN is 8, the x registers are all taken: NGRN stays 8 and the argument takes an 8-byte slot at NSAA, the next stacked argument address',
      how: nsaa,
    },
    'float-stack': {
      cite: '§6.8.2 C.5, C.6',
      says: 'NSRN is 8, the v registers are all taken: the argument takes an 8-byte slot at NSAA',
      how: nsaa,
    },
    'agg-hfa': {
      cite: '§6.8.2 B.3, C.2',
      says: 'a homogeneous floating-point aggregate (one to four members of one floating-point type) takes one v register per member, consecutive, if all fit',
      how: hfa,
    },
    'agg-regs': {
      cite: '§6.8.2 C.10, C.12',
      says: 'a composite of up to 16 bytes takes consecutive x registers, as if loaded from a double-word aligned copy; one of natural alignment 16 starts at an even NGRN',
      how: dwords,
    },
    'agg-ref': {
      cite: '§6.8.2 B.4',
      says: 'a composite over 16 bytes that is not an HFA is copied by the caller, and a pointer to the copy is passed in its place',
      how: (p) => `${p.size} bytes: by reference`,
    },
    'agg-stack': {
      cite: '§6.8.2 C.3, C.13-C.15',
      says: 'not enough registers are left for all of it: NSRN (an HFA) or NGRN becomes 8 and the whole composite goes on the stack at NSAA, never split',
      how: nsaa,
    },
    'agg-empty': { cite: '§6.8.2 (GNU C)', says: 'an empty struct (size 0 in GNU C) is not passed', how: () => 'empty' },
    variadic: {
      cite: '§6.8.2',
      says: 'anonymous arguments are classified as named ones are (va_list records the registers)',
    },
    'ret-int': { cite: '§6.9 "Result return"', says: 'a result goes where a first argument of its type would: an integer or pointer in x0' },
    'ret-float': { cite: '§6.9 "Result return"', says: 'a float or double result comes back in v0' },
    'ret-hfa': { cite: '§6.9 "Result return"', says: 'an HFA result comes back in v0-v3, one member each', how: hfa },
    'ret-agg': {
      cite: '§6.9 "Result return"',
      says: 'any other composite of up to 16 bytes comes back in x0 and x1, as if loaded from memory',
      how: dwords,
    },
    'ret-memory': {
      cite: '§6.9 "Result return"',
      says: 'a larger result is written to memory the caller provides, its address passed in x8, which is no argument register: nothing shifts',
      how: (p) => `${p.size} bytes: in memory`,
    },
    'ret-empty': { cite: '§6.9 (GNU C)', says: 'an empty struct result: nothing comes back' },
  },
};

// --- Apple's arm64 variant: AAPCS64 but for these (Apple, "Writing ARM64
// code for Apple platforms") ---
const appleStack = {
  cite: 'Apple, "Pass arguments to functions correctly"',
  says: 'stack arguments take their own size at their natural alignment, not 8-byte slots: two ints share a word',
  how: nsaa,
};

const apple = {
  title: 'Apple arm64 (AAPCS64 as "Writing ARM64 code for Apple platforms" changes it)',
  stackBase: 0,
  // named stack arguments are packed; anonymous ones take 8-byte slots
  packedStack: true,
  rules: {
    ...aapcs64.rules,
    'int-stack': appleStack,
    'float-stack': appleStack,
    'agg-regs': {
      cite: '§6.8.2 C.12; Apple',
      says: 'a composite of up to 16 bytes takes consecutive x registers, as AAPCS64, but one aligned to 16 bytes takes any pair: no even NGRN (C.10)',
      how: dwords,
    },
    'vararg-stack': {
      cite: 'Apple, "Update code that passes arguments to variadic functions"',
      says: 'anonymous arguments skip the registers: each takes 8-byte aligned slots on the stack, in order',
      how: nsaa,
    },
    variadic: {
      cite: 'Apple, "Update code that passes arguments to variadic functions"',
      says: 'anonymous arguments always go on the stack, so va_arg is a plain pointer walk',
    },
  },
};

const ABIS = { 'sysv-x64': sysv, win64, aapcs64, 'apple-arm64': apple };

// What happened to a placement (an argument's, or the result's if ret):
// the key of its rule; null for a void result.
function ruleKey(abi, p, ret) {
  const float = FLOAT.has(p.kind);
  if (ret) {
    if (p.kind === 'void') return null;
    if (p.kind !== 'agg') return float ? 'ret-float' : 'ret-int';
    if (p.pass === 'empty') return 'ret-empty';
    if (p.pass === 'reference') return 'ret-memory';
    return p.parts[0].class === 'HFA' ? 'ret-hfa' : 'ret-agg';
  }
  if (p.variadic && p.where === 'stack' && ABIS[abi].rules['vararg-stack']) return 'vararg-stack';
  if (p.kind === 'agg') {
    if (p.pass === 'registers') return p.parts[0].class === 'HFA' ? 'agg-hfa' : 'agg-regs';
    return { empty: 'agg-empty', reference: 'agg-ref', stack: 'agg-stack' }[p.pass];
  }
  if (p.where === 'stack') return float ? 'float-stack' : 'int-stack';
  if (p.where.includes(', ')) return 'vararg-float';
  return float ? 'float' : 'int';
}

// { key, cite, says, how } for the placement p of the explanation e:
// argument n (e.args[n - 1]), or the result (e.return) for n = 0; how in
// words, or ''
function ruleOf(e, p, n) {
  const key = ruleKey(e.abi, p, n === 0);
  if (key === null) return { key, cite: '', says: '', how: '' };
  const r = ABIS[e.abi].rules[key];
  if (!r) throw new Error(`sbffi: no rule for '${key}' under ${e.abi} (lib/explain_rules.js)`);
  return { key, cite: r.cite, says: r.says, how: r.how ? r.how(p, n, e) : '' };
}

// the document, the start of the stack arguments above sp and what lies
// below them, and whether named stack arguments are packed
function abiFacts(abi) {
  const a = ABIS[abi];
  if (!a) throw new Error(`sbffi: no rules for ABI '${abi}' (lib/explain_rules.js)`);
  return { title: a.title, stackBase: a.stackBase, shadow: a.shadow || null, packedStack: !!a.packedStack };
}

// the rule of a variadic call as a whole
function variadicRule(abi) {
  return ABIS[abi].rules.variadic;
}

module.exports = { ruleOf, abiFacts, variadicRule };
