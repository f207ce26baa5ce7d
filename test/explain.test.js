'use strict';
// ffi.explain: where each argument and the return value go (System V x86-64,
// asked for by name: explain works on every host). Win64: windows.test.js.

const test = require('node:test');
const assert = require('node:assert/strict');
const ffi = require('..');
const { hostAbi } = require('./support');

const explain = (proto, abi = 'sysv-x64') => ffi.explain(proto, abi);

const GPR = ['rdi', 'rsi', 'rdx', 'rcx', 'r8', 'r9'];
const XMM = ['xmm0', 'xmm1', 'xmm2', 'xmm3', 'xmm4', 'xmm5', 'xmm6', 'xmm7'];

test('host ABI', () => {
  assert.equal(ffi.abi, hostAbi);
  assert.equal(ffi.explain('int f(int)').abi, hostAbi);
  assert.equal(ffi.explain('int f(int)', 'sysv-x64').abi, 'sysv-x64');
});

test('double f(int, float, double)', () => {
  const e = explain('double f(int, float, double)');
  assert.deepEqual(e, {
    abi: 'sysv-x64',
    function: 'f',
    return: { type: 'double', kind: 'f64', where: 'xmm0' },
    args: [
      { type: 'int', kind: 'i32', where: 'rdi' },
      { type: 'float', kind: 'f32', where: 'xmm0' },
      { type: 'double', kind: 'f64', where: 'xmm1' },
    ],
    stackBytes: 0,
  });
});

test('names carried from the prototype', () => {
  const e = explain('size_t strlen(const char *s)');
  assert.equal(e.function, 'strlen');
  assert.deepEqual(e.args, [{ type: 'const char *', kind: 'ptr', where: 'rdi', name: 's' }]);
  const m = explain('double scale(double x, float by, int64_t offset)');
  assert.deepEqual(m.args.map((a) => a.name), ['x', 'by', 'offset']);
  assert.deepEqual(m.args.map((a) => a.where), ['xmm0', 'xmm1', 'rdi']);
  // unnamed parameters have no name property
  assert.ok(!('name' in explain('int f(int)').args[0]));
});

test('seven integers: the 7th on the stack at offset 0', () => {
  const e = explain('void f(int a, int b, int c, int d, int e, int f, int g)');
  assert.deepEqual(e.args.slice(0, 6).map((a) => a.where), GPR);
  assert.equal(e.args[6].where, 'stack');
  assert.equal(e.args[6].offset, 0);
  assert.equal(e.args[6].name, 'g');
  assert.equal(e.stackBytes, 8);
  for (const a of e.args.slice(0, 6)) assert.ok(!('offset' in a));
});

test('nine doubles: the 9th on the stack', () => {
  const e = explain(`void f(${Array(9).fill('double').join(', ')})`);
  assert.deepEqual(e.args.slice(0, 8).map((a) => a.where), XMM);
  assert.equal(e.args[8].where, 'stack');
  assert.equal(e.args[8].offset, 0);
  assert.equal(e.stackBytes, 8);
});

test('stack slots are 8 bytes each, in argument order, classes counted separately', () => {
  const e = explain('void f(int, int, int, int, int, int, int8_t, long, char *s, double, float)');
  assert.deepEqual(e.args.slice(6, 9).map((a) => [a.where, a.offset]), [['stack', 0], ['stack', 8], ['stack', 16]]);
  assert.equal(e.args[9].where, 'xmm0');
  assert.equal(e.args[10].where, 'xmm1');
  assert.equal(e.stackBytes, 24);
  // doubles run out first: integers still fill registers after
  const m = explain(`void f(${Array(9).fill('double').join(', ')}, int, float)`);
  assert.equal(m.args[9].where, 'rdi');
  assert.deepEqual([m.args[10].where, m.args[10].offset], ['stack', 8]);
  assert.equal(m.stackBytes, 16);
});

test('64 arguments: stackBytes', () => {
  const e = explain(`void f(${Array(64).fill('int64_t').join(', ')})`);
  assert.equal(e.stackBytes, (64 - 6) * 8);
  assert.equal(e.args[63].offset, (63 - 6) * 8);
  const d = explain(`void f(${Array(32).fill('double').join(', ')}, ${Array(32).fill('int').join(', ')})`);
  assert.equal(d.stackBytes, (24 + 26) * 8);
});

test('kinds of every scalar type', () => {
  const e = explain('void f(bool, char, unsigned char, short, unsigned short, int, unsigned, long, unsigned long, float, double, void *, size_t, ssize_t)');
  assert.deepEqual(e.args.map((a) => a.kind),
    ['bool', 'i8', 'u8', 'i16', 'u16', 'i32', 'u32', 'i64', 'u64', 'f32', 'f64', 'ptr', 'u64', 'i64']);
});

test('void return: where none', () => {
  const e = explain('void f(void)');
  assert.deepEqual(e.return, { type: 'void', kind: 'void', where: 'none' });
  assert.deepEqual(e.args, []);
  assert.equal(e.stackBytes, 0);
});

test('float returns in xmm0', () => {
  assert.equal(explain('float f(void)').return.where, 'xmm0');
  assert.equal(explain('double f(int)').return.where, 'xmm0');
});

test('integer and pointer returns in rax', () => {
  // System V 3.2.3: INTEGER class return values go in rax
  for (const t of ['int', 'int64_t', 'uint8_t', 'bool', 'char *', 'void *', 'size_t']) {
    const e = explain(`${t} f(int a)`);
    assert.equal(e.return.where, 'rax', `${t} return`);
    assert.equal(e.return.type, t);
  }
});

test('explain does not need a library or a symbol', () => {
  const e = explain('int no_such_function_anywhere(int)');
  assert.equal(e.function, 'no_such_function_anywhere');
});
