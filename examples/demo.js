'use strict';
// A tour of sbffi: C functions from JavaScript, no binding code.
const path = require('path');
const ffi = require('..');

// The running process: libc is already there.
const libc = ffi.dlopen(null);
const strlen = libc.func('size_t strlen(const char *s)');
console.log(`strlen('héllo') = ${strlen('héllo')}   (UTF-8 bytes, size_t as BigInt)`);

// A system library, with an out-parameter in a typed array.
const frexp = ffi.dlopen('libm.so.6').func('double frexp(double, int *)');
const exp = new Int32Array(1);
const mant = frexp(40, exp);
console.log(`frexp(40) = ${mant} * 2^${exp[0]}`);

// Our own library, declared by name, return type and argument types.
const lib = ffi.dlopen(path.join(__dirname, '..', 'build', 'libadder.so'));
const add = lib.func('add', 'uint32_t', ['uint32_t', 'uint32_t']);
console.log(`add(2, 3) = ${add(2, 3)}; add(0xffffffff, 2) = ${add(0xffffffff, 2)} (wraps as in C)`);
const scale = lib.func('double scale(double x, float by, int64_t offset)');
console.log(`scale(2, 1.5, -10n) = ${scale(2, 1.5, -10n)}`);

// Where the arguments go, per the System V AMD64 calling convention.
const plan = ffi.explain('double f(int a, float b, double c, int d, int e, int g, int h, int i, int j)');
for (const a of plan.args) console.log(`  ${a.type} ${a.name} -> ${a.where}${a.where === 'stack' ? ` +${a.offset}` : ''}`);
console.log(`  returns ${plan.return.type} in ${plan.return.where}`);

// Mistakes are caught before any native code runs.
try {
  add(1, 'two');
} catch (e) {
  console.log(`${e.name}: ${e.message}`);
}

const n = 5e6;
let s = 0;
const t0 = process.hrtime.bigint();
for (let i = 0; i < n; i++) s += add(i, 1);
const ns = Number(process.hrtime.bigint() - t0) / n;
console.log(`${n} calls of add: ${ns.toFixed(1)} ns per call (checksum ${s % 1000})`);
