'use strict';
// Every misuse throws a TypeError (kinds, counts, types) or an Error (loader,
// closed library) naming the function and the argument, before native code runs.

const test = require('node:test');
const assert = require('node:assert/strict');
const ffi = require('..');

const support = require('./support');

const LIB = support.testLib;
const lib = ffi.dlopen(LIB);

// assert.throws with both the class and the message
function throwsType(fn, re) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof TypeError, `expected a TypeError, got ${e && e.constructor.name}: ${e && e.message}`);
    assert.match(e.message, re);
    return true;
  });
}
function throwsError(fn, re) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof Error && !(e instanceof TypeError), `expected an Error, got ${e && e.constructor.name}: ${e && e.message}`);
    assert.match(e.message, re);
    return true;
  });
}

test('unknown types in a prototype', () => {
  throwsType(() => lib.func('foo_t f(int)'), /f: return type: unknown type 'foo_t'/);
  throwsType(() => lib.func('int f(blah)'), /f: argument 1: unknown type 'blah'/);
  throwsType(() => lib.func('int f(int a, blah b)'), /f: argument 2 \(b\): unknown type 'blah'/);
  throwsType(() => lib.func('int f(unsigned signed)'), /f: argument 1: unknown type 'unsigned signed'/);
  throwsType(() => lib.func('int f(long long long)'), /f: argument 1: unknown type 'long long long'/);
  throwsType(() => lib.func('int f(short char)'), /f: argument 1: unknown type/);
  throwsType(() => lib.func('struct foo f(int)'), /f: return type: unknown type 'struct foo'/);
  throwsType(() => lib.func('int f(blah *)'), /f: argument 1: unknown type 'blah \*'/);
});

test('a struct by value is named whole in the message', () => {
  // 'foo' is part of the type, not the parameter's name
  throwsType(() => lib.func('int f(struct foo)'), /f: argument 1: unknown type 'struct foo'/);
});

test('unknown types in the name/ret/args form', () => {
  throwsType(() => lib.func('add', 'nope', ['int']), /add: return type: unknown type 'nope'/);
  throwsType(() => lib.func('add', 'int', ['int', 'nope']), /add: argument 2: unknown type 'nope'/);
  throwsType(() => lib.func('add', 'int', ['int', 5]), /add: argument 2: type must be a string/);
  throwsType(() => lib.func('add', 'int', 'int'), /add: argument types must be an array/);
  throwsType(() => lib.func('', 'int', []), /function name/);
  throwsType(() => lib.func('add', null, []), /add: return type: type must be a string/);
});

test('void is not an argument type', () => {
  throwsType(() => lib.func('int add(void, int)'), /add: argument 1.*void/);
  throwsType(() => lib.func('int add(int a, void b)'), /add: argument 2 \(b\).*void/);
  throwsType(() => lib.func('add', 'int', ['int', 'void']), /add: argument 2.*void/);
});

test('void alone means no arguments; void * is a pointer', () => {
  assert.equal(lib.func('void do_nothing(void)')(), undefined);
  assert.equal(lib.func('void do_nothing()')(), undefined);
  assert.equal(lib.func('int is_null(void *p)')(null), 1);
});

test('malformed prototypes', () => {
  for (const bad of ['int', 'int f(', '', '   ', 'int (int)', 'f)', '(int)']) {
    throwsType(() => lib.func(bad), /prototype|unknown type|function name/);
  }
  throwsType(() => lib.func('int'), /cannot parse prototype 'int'/);
  throwsType(() => lib.func(42), /prototype must be a string/);
  throwsType(() => lib.func(), /prototype must be a string/);
  throwsType(() => lib.func('int add(int a, int b)', 5), /add: options must be an object/);
  throwsType(() => lib.func('int add(int a, int b)', null), /add: options must be an object/);
});

test('a ... anywhere but last is refused', () => {
  throwsType(() => lib.func('int f(int, ..., int)'), /f: '\.\.\.' must be the last parameter/);
  throwsType(() => lib.func('f', 'int', ['...', 'int']), /f: '\.\.\.' must be the last parameter/);
});

test('too many arguments', () => {
  const sixtyFive = Array(65).fill('int').join(', ');
  throwsType(() => lib.func(`void f(${sixtyFive})`), /f: too many arguments \(65; at most 64\)/);
  throwsType(() => lib.func('f', 'void', Array(65).fill('double')), /f: too many arguments/);
  throwsType(() => ffi.explain(`void f(${sixtyFive})`), /f: too many arguments/);
});

test('wrong argument count', () => {
  const add = lib.func('int add(int a, int b)');
  throwsType(() => add(1), /add: expected 2 arguments, got 1/);
  throwsType(() => add(), /add: expected 2 arguments, got 0/);
  throwsType(() => add(1, 2, 3), /add: expected 2 arguments, got 3/);
  const none = lib.func('void do_nothing(void)');
  throwsType(() => none(1), /do_nothing: expected 0 arguments, got 1/);
  const one = lib.func('int8_t echo_i8(int8_t x)');
  throwsType(() => one(), /echo_i8: expected 1 argument, got 0/);
});

test('wrong kinds for integers', () => {
  const add = lib.func('int add(int a, int b)');
  throwsType(() => add('1', 2), /add: argument 1 \(a\) must be a number or BigInt, got a string/);
  throwsType(() => add(1, '2'), /add: argument 2 \(b\) must be a number/);
  throwsType(() => add(1, {}), /add: argument 2 \(b\) must be a number/);
  throwsType(() => add(1, null), /add: argument 2 \(b\) must be a number.*null/);
  throwsType(() => add(undefined, 1), /add: argument 1 \(a\) must be a number.*undefined/);
  throwsType(() => add(Symbol('s'), 1), /add: argument 1 \(a\) must be a number.*Symbol\(s\)/);
  throwsType(() => add([1], 1), /add: argument 1 \(a\) must be a number.*array/);
  throwsType(() => add(true, 1), /add: argument 1 \(a\) must be a number.*boolean/);
  const anon = lib.func('add', 'int', ['int', 'int']);
  throwsType(() => anon(1, '2'), /add: argument 2 must be a number or BigInt, got a string/);
  const e64 = lib.func('int64_t echo_i64(int64_t v)');
  throwsType(() => e64('1'), /echo_i64: argument 1 \(v\) must be a BigInt or number, got a string/);
  throwsType(() => e64(undefined), /echo_i64: argument 1 \(v\) must be a BigInt or number/);
  throwsType(() => e64(Symbol()), /echo_i64: argument 1 \(v\)/);
  const u8 = lib.func('uint8_t echo_u8(uint8_t v)');
  throwsType(() => u8('7'), /echo_u8: argument 1 \(v\) must be a number/);
});

test('wrong kinds for floating point and bool', () => {
  const dadd = lib.func('double dadd(double x, double y)');
  throwsType(() => dadd({}, 1), /dadd: argument 1 \(x\) must be a number, got/);
  throwsType(() => dadd(1, 1n), /dadd: argument 2 \(y\) must be a number, got bigint 1/);
  throwsType(() => dadd(1, '1'), /dadd: argument 2 \(y\) must be a number, got a string/);
  throwsType(() => dadd(Object.create(null), 1), /dadd: argument 1 \(x\) must be a number/);
  throwsType(() => dadd(1, Symbol.iterator), /dadd: argument 2 \(y\) must be a number/);
  throwsType(() => dadd(undefined, 1), /dadd: argument 1 \(x\) must be a number/);
  const ef = lib.func('float echo_float(float v)');
  throwsType(() => ef(1n), /echo_float: argument 1 \(v\) must be a number/);
  throwsType(() => ef(null), /echo_float: argument 1 \(v\) must be a number/);
  const eb = lib.func('bool echo_bool(bool v)');
  throwsType(() => eb('x'), /echo_bool: argument 1 \(v\) must be a boolean, got a string/);
  throwsType(() => eb(1n), /echo_bool: argument 1 \(v\) must be a boolean/);
  throwsType(() => eb(null), /echo_bool: argument 1 \(v\) must be a boolean/);
  throwsType(() => eb(undefined), /echo_bool: argument 1 \(v\) must be a boolean/);
});

test('wrong kinds for pointers', () => {
  const deref = lib.func('int deref(const int *p)');
  const kinds = /deref: argument 1 \(p\) must be a Buffer, TypedArray, ArrayBuffer, BigInt or null/;
  for (const v of [5, 0, undefined, 'x', '', {}, true, [1], Symbol(), () => 1, new Map()]) {
    throwsType(() => deref(v), kinds);
  }
  throwsType(() => deref(5), /got number 5/);
  throwsType(() => deref(undefined), /got undefined/);
  // strings go only where a char pointer is expected
  throwsType(() => lib.func('uint8_t read_u8(const uint8_t *p, size_t i)')('abc', 0), /read_u8: argument 1 \(p\) must be a Buffer.*got a string/);
  throwsType(() => lib.func('void *echo_ptr(const char **p)')('abc'), /echo_ptr: argument 1 \(p\).*got a string/);
  throwsType(() => lib.func('void *echo_ptr(unsigned char *p)')('abc'), /echo_ptr: argument 1 \(p\).*got a string/);
  const strLen = lib.func('size_t str_len(const char *s)');
  throwsType(() => strLen(5), /str_len: argument 1 \(s\) must be a string, Buffer, TypedArray, ArrayBuffer, BigInt or null, got number 5/);
  throwsType(() => strLen(undefined), /str_len: argument 1 \(s\) must be a string.*got undefined/);
  throwsType(() => strLen({ toString: () => 'x' }), /str_len: argument 1 \(s\)/);
});

test('a bad argument after good ones: later calls still work', () => {
  const f = lib.func('size_t six_lens(const char *a, const char *b, const char *c, const char *d, const char *e, const char *f)');
  const big = 'x'.repeat(50000);
  throwsType(() => f(big, 'b', 'c', 'd', 'e', 7), /six_lens: argument 6 \(f\)/);
  assert.equal(f('a', 'b', 'c', 'd', 'e', 'f'), 6n);
  assert.equal(f(big, big, '', '', '', ''), 100000n);
});

test('missing library: Error with the loader message', { skip: support.linuxOnly }, () => {
  throwsError(() => ffi.dlopen('/nonexistent/libnope.so'), /cannot open library '\/nonexistent\/libnope.so'.*cannot open shared object file/);
  throwsError(() => ffi.dlopen('libdefinitely_not_here_sbffi.so'), /cannot open shared object file/);
  throwsError(() => ffi.getNativeFunction('/nonexistent/libnope2.so', 'f', 'int', []), /cannot open shared object file/);
  throwsType(() => ffi.dlopen(42), /dlopen takes a path or null, got number/);
});

test('missing symbol: Error naming the symbol', () => {
  throwsError(() => lib.func('int no_such_symbol(int)'), /no_such_symbol/);
  throwsError(() => lib.func('no_such_symbol2', 'int', []), /symbol 'no_such_symbol2' not found/);
  throwsError(() => lib.symbol('nope_sym'), /nope_sym/);
});

test('calls after close() throw instead of crashing', () => {
  const l2 = ffi.dlopen(LIB);
  const add = l2.func('int add(int a, int b)');
  const sl = l2.func('size_t str_len(const char *s)');
  assert.equal(add(1, 2), 3);
  l2.close();
  throwsError(() => add(1, 2), /add: library '.*libsbffi_test\.(so|dll)' is closed/);
  throwsError(() => sl('abc'), /str_len: library .* is closed/);
  throwsError(() => l2.func('int add(int, int)'), /add: library .* is closed/);
  throwsError(() => l2.func('add', 'int', ['int', 'int']), /add: library .* is closed/);
  throwsError(() => l2.symbol('add'), /add: library .* is closed/);
  l2.close(); // twice is harmless
  // argument count is checked first, still without calling
  throwsType(() => add(1), /add: expected 2 arguments/);
  // the other handle to the same library still works
  assert.equal(lib.func('int add(int a, int b)')(2, 2), 4);
  const self = ffi.dlopen(null);
  const abs = self.func('int abs(int)');
  self.close();
  throwsError(() => abs(-1), /abs: library of the running process is closed/);
});

test('explain: unknown ABI and bad arguments', () => {
  throwsType(() => ffi.explain('int f(int)', 'vax'), /unknown ABI 'vax'/);
  throwsType(() => ffi.explain('int f(int)', 5), /explain: abi must be a string/);
  throwsType(() => ffi.explain('int f(nope_t)'), /f: argument 1: unknown type 'nope_t'/);
  throwsType(() => ffi.explain('int f(int)', undefined, { varargs: ['int'] }), /explain: f is not variadic/);
  throwsType(() => ffi.explain('int f(int, ...)', undefined, { varargs: 'int' }), /varargs must be an array/);
  throwsType(() => ffi.explain('int f(int, ...)', undefined, { varargs: ['nope_t'] }), /explain: varargs\[0\]: unknown type 'nope_t'/);
  throwsType(() => ffi.explain('int'), /cannot parse prototype/);
});

test('sizeof of an unknown type', () => {
  throwsType(() => ffi.sizeof('nope_t'), /sizeof: unknown type 'nope_t'/);
  throwsType(() => ffi.sizeof(4), /sizeof: type must be a string/);
});
