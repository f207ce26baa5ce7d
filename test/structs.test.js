'use strict';
// Structs, unions and fixed arrays: by value and by pointer, in calls and
// callbacks, against the C functions of test/testlib.c, on every ABI the
// suite runs on (natively, Win64 under wine, AAPCS64 under qemu).
const test = require('node:test');
const { Worker } = require('node:worker_threads');
const path = require('node:path');
const assert = require('node:assert');
const ffi = require('..');
const support = require('./support');

const lib = ffi.dlopen(support.testLib);
const Vec2 = ffi.struct('Vec2', { x: 'float', y: 'float' });
ffi.struct('Rect', { min: 'Vec2', max: Vec2 });
ffi.struct('struct Color { uint8_t r, g, b, a; }');
ffi.struct('Pkt', { tag: 'uint8_t', v: 'int32_t[3]', d: 'double', name: 'char[16]' });
ffi.union('Num', { i: 'int64_t', d: 'double' });
ffi.union('FloatInt', { f: 'float', i: 'int32_t' });
ffi.struct('Wire', { a: 'char', b: 'int32_t' }, { pack: 1 });
ffi.struct('Big', { a: 'double', b: 'double', c: 'double' });
ffi.struct('IntDouble', { i: 'int64_t', d: 'double' });
ffi.struct('DoubleInt', { d: 'double', i: 'int32_t' });
ffi.struct('Pair', { x: 'int64_t', y: 'int64_t' });
ffi.struct('One', { c: 'char' });
ffi.struct('Three', { s: 'char[3]' });
ffi.struct('A16', { lo: 'int64_t', hi: 'int64_t' }, { align: 16 });
ffi.struct('Outer16', { in: 'A16' });
ffi.struct('Mat2', { m: 'float[2][2]' });
ffi.struct('Vec3', 'float x, y, z;');

const f = (proto, options) => lib.func(proto, options);
const throwsType = (fn, re) => assert.throws(fn, (e) => e instanceof TypeError && re.test(e.message), re.toString());

test('small structs by value, both ways', () => {
  assert.deepStrictEqual(f('Vec2 vadd(Vec2 a, Vec2 b)')({ x: 1, y: 2 }, { x: 3, y: 4 }), { x: 4, y: 6 });
  assert.deepStrictEqual(f('Color cmix(Color, Color)')({ r: 10, g: 20, b: 30, a: 255 }, { r: 30, g: 40, b: 50, a: 1 }),
    { r: 20, g: 30, b: 40, a: 128 });
  assert.deepStrictEqual(f('One one_make(char)')(65), { c: 65 });
  assert.strictEqual(f('int32_t one_value(One)')({ c: 7 }), 7);
  assert.strictEqual(f('double intdouble_sum(IntDouble)')({ i: 5n, d: 0.5 }), 5.5);
  assert.deepStrictEqual(f('IntDouble intdouble_make(int64_t, double)')(-3n, 1.25), { i: -3n, d: 1.25 });
  assert.strictEqual(f('double doubleint_sum(DoubleInt)')({ d: 0.5, i: -2 }), -1.5);
  assert.deepStrictEqual(f('DoubleInt doubleint_make(double, int32_t)')(2.5, 9), { d: 2.5, i: 9 });
  assert.deepStrictEqual(f('Vec3 vec3_scale(Vec3, float)')({ x: 1, y: 2, z: 3 }, 2), { x: 2, y: 4, z: 6 });
});

test('nested structs, arrays and homogeneous float aggregates', () => {
  const r = { min: { x: 1, y: 2 }, max: { x: 4, y: 8 } };
  assert.strictEqual(f('float rect_area(Rect)')(r), 18);
  assert.deepStrictEqual(f('Rect rect_of(Vec2, Vec2)')({ x: 1, y: 2 }, { x: 3, y: 4 }),
    { min: { x: 1, y: 2 }, max: { x: 3, y: 4 } });
  assert.strictEqual(f('float mat2_det(Mat2)')({ m: [[1, 2], [3, 4]] }), -2);
  assert.strictEqual(f('float mat2_det(Mat2)')({ m: [new Float32Array([1, 2]), [3, 4]] }), -2);
});

test('structs larger than the registers: memory, by reference, hidden result pointer', () => {
  assert.strictEqual(f('double big_sum(Big, int32_t)')({ a: 1, b: 2, c: 3 }, 4), 325);
  assert.deepStrictEqual(f('Big big_make(double)')(1.5), { a: 1.5, b: 3, c: 4.5 });
  const pkt = f('Pkt pkt_make(uint8_t, int32_t, double, const char *)')(7, 100, 2.5, 'hello');
  assert.deepStrictEqual(pkt, { tag: 7, v: [100, 101, 102], d: 2.5, name: 'hello' });
  assert.strictEqual(f('double pkt_sum(Pkt)')(pkt), 7 + 1000 + 10100 + 102000 + 2.5 + 5e6);
});

test('a struct is never split between registers and the stack', () => {
  // five integer registers taken: the pair needs two, so it goes to the
  // stack whole (System V) and the last integer still takes a register
  const split = f('int64_t split_pair(int64_t, int64_t, int64_t, int64_t, int64_t, Pair, int64_t)');
  assert.strictEqual(split(1n, 2n, 3n, 4n, 5n, { x: 6n, y: 7n }, 8n), 1n + 4n + 9n + 16n + 25n + 36n + 49n + 64n);
  const many = f('double many_vec2(Vec2, Vec2, Vec2, Vec2, Vec2, Vec2, Vec2, Vec2, Vec2, Vec2)');
  const v = Array.from({ length: 10 }, (_, k) => ({ x: k, y: k + 1 }));
  assert.strictEqual(many(...v), v.reduce((s, p, k) => s + (k + 1) * p.x + (k + 1) * 100 * p.y, 0));
  // 16-byte aligned by its type's attribute, and by its member's: only the
  // second has AAPCS64's natural alignment 16, which starts at an even register
  assert.strictEqual(f('int64_t a16_sum(int32_t, A16)')(1, { lo: 2n, hi: 3n }), 321n);
  assert.strictEqual(f('int64_t outer16_sum(int32_t, Outer16)')(1, { in: { lo: 2n, hi: 3n } }), 321n);
});

test('packed structs and unions', () => {
  assert.strictEqual(f('int32_t wire_b(Wire)')({ a: 3, b: 123456 }), 126456);
  assert.deepStrictEqual(f('Wire wire_make(char, int32_t)')(3, -7), { a: 3, b: -7 });
  assert.strictEqual(f('double num_as_double(Num)')({ d: 1.5 }), 1.5);
  assert.strictEqual(f('int64_t num_as_int(Num)')({ i: -5n }), -5n);
  // read back: every member decoded from the same bytes
  assert.deepStrictEqual(f('Num num_from_double(double)')(2), { i: 0x4000000000000000n, d: 2 });
  assert.strictEqual(f('int32_t floatint_bits(FloatInt)')({ f: 1 }), 0x3f800000);
  assert.deepStrictEqual(f('FloatInt floatint_of(float)')(1), { f: 1, i: 0x3f800000 });
});

test('the value mapping: missing fields are zero, char arrays are strings, wrapping as C casts', () => {
  assert.deepStrictEqual(f('Vec2 vadd(Vec2, Vec2)')({ x: 1 }, {}), { x: 1, y: 0 });
  assert.strictEqual(f('float rect_area(Rect)')({ max: { x: 2, y: 3 } }), 6);
  assert.deepStrictEqual(f('Color cmix(Color, Color)')({ r: 260, g: -2 }, { r: 260, g: -2 }), { r: 4, g: 254, b: 0, a: 0 });
  // char[n]: truncated to n - 1 bytes and NUL-terminated
  assert.strictEqual(f('int32_t three_sum(Three)')({ s: 'abc' }), 97 + 980);
  assert.deepStrictEqual(f('Three three_make(char, char, char)')(65, 66, 0), { s: 'AB' });
  const len = f('size_t pkt_name_len(const Pkt *)');
  assert.strictEqual(len({ name: 'a very long name that is cut' }), 15n);
  // never in the middle of a character: 'é' is two bytes
  assert.strictEqual(len({ name: 'aaaaaaaaaaaaaaé' }), 14n);
  // BigInt for integer fields, Number with bigint: false
  assert.deepStrictEqual(f('IntDouble intdouble_make(int64_t, double)', { bigint: false })(-3n, 1), { i: -3, d: 1 });
  assert.strictEqual(f('double intdouble_sum(IntDouble)')({ i: 7, d: 0 }), 7);
});

test('a wrong value names the function, the argument and the field', () => {
  const vadd = f('Vec2 vadd(Vec2 a, Vec2 b)');
  throwsType(() => vadd({ x: 1, y: 'no' }, {}), /^vadd: argument 1 \(a\)\.y must be a number, got a string$/);
  throwsType(() => vadd({ x: 1, z: 2 }, {}), /^vadd: argument 1 \(a\): struct Vec2 has no field 'z'$/);
  throwsType(() => vadd(5, {}), /^vadd: argument 1 \(a\) must be an object \(struct Vec2\), got number 5$/);
  throwsType(() => vadd({}, [1, 2]), /^vadd: argument 2 \(b\) must be an object/);
  throwsType(() => vadd({}, null), /^vadd: argument 2 \(b\) must be an object/);
  throwsType(() => f('float rect_area(Rect)')({ min: { x: 1n } }), /^rect_area: argument 1\.min\.x must be a number, got bigint 1$/);
  throwsType(() => f('float mat2_det(Mat2)')({ m: [[1, 2, 3], [3, 4]] }), /^mat2_det: argument 1\.m\[0\] must have 2 elements, got 3$/);
  throwsType(() => f('float mat2_det(Mat2)')({ m: 'x' }), /^mat2_det: argument 1\.m must be an array of 2, got a string$/);
  throwsType(() => f('double pkt_sum(Pkt)')({ name: 5 }), /^pkt_sum: argument 1\.name must be a string, got number 5$/);
  throwsType(() => f('double num_as_double(Num)')({ i: 1n, d: 2 }), /^num_as_double: argument 1 must have exactly one of i, d set \(union Num\), got 2$/);
  throwsType(() => f('double num_as_double(Num)')({}), /exactly one of i, d/);
  throwsType(() => f('double num_as_double(Num)')({ q: 1 }), /union Num has no field 'q'/);
  throwsType(() => f('double big_sum(Big, int32_t)')({ a: 'x' }, 1), /^big_sum: argument 1\.a must be a number, got a string$/);
  throwsType(() => f('float area(const Rect *r)')({ min: 3 }), /^area: argument 1 \(r\)\.min must be an object \(struct Vec2\)/);
  throwsType(() => f('float area(const Rect *r)')('str'), /^area: argument 1 \(r\) must be an object \(struct Rect\), Buffer/);
});

test('user code run while reading an argument cannot disturb the call', () => {
  const vadd = f('Vec2 vadd(Vec2, Vec2)');
  const abs = ffi.dlopen(null).func('int abs(int)');
  const strlen = ffi.dlopen(null).func('size_t strlen(const char *)');
  const sneaky = { get x() { abs(-99); strlen('clobber'); vadd({ x: 100, y: 100 }, { x: 100, y: 100 }); return 1; }, y: 2 };
  assert.deepStrictEqual(vadd(sneaky, { x: 3, y: 4 }), { x: 4, y: 6 });
  const proxy = new Proxy({ x: 5, y: 6 }, { get(t, k) { abs(-1); return t[k]; } });
  assert.deepStrictEqual(vadd(proxy, { x: 1, y: 1 }), { x: 6, y: 7 });
  const len = f('size_t pkt_name_len(const Pkt *)');
  const named = { get name() { strlen('another string in the scratch area'); return 'four'; } };
  assert.strictEqual(len(named), 4n);
});

test('struct pointers: objects in and out, buffers, BigInts', () => {
  const bounds = f('void get_bounds(Rect *out)');
  const r = {};
  bounds(r);
  assert.deepStrictEqual(r, { min: { x: 1, y: 2 }, max: { x: 4, y: 8 } });
  const area = f('float area(const Rect *r)');
  const input = { min: { x: 0, y: 0 }, max: { x: 2, y: 5 } };
  assert.strictEqual(area(input), 10);
  assert.deepStrictEqual(input, { min: { x: 0, y: 0 }, max: { x: 2, y: 5 } });
  const buf = Buffer.alloc(ffi.sizeof('Rect'));
  bounds(buf);
  assert.deepStrictEqual(ffi.decode(buf, 'Rect'), { min: { x: 1, y: 2 }, max: { x: 4, y: 8 } });
  assert.strictEqual(area(buf), 18);
  assert.strictEqual(area(ffi.address(buf)), 18);
  // struct keyword, and a pointer to an undefined struct stays opaque
  assert.strictEqual(lib.func('float area(const struct Rect *)')(buf), 18);
  assert.strictEqual(typeof lib.func('size_t pkt_name_len(struct Opaque *)').address, 'bigint');
});

test('encode and decode convert between memory and plain objects', () => {
  const b = Buffer.alloc(ffi.sizeof('Pkt'));
  ffi.encode(b, 'Pkt', { tag: 1, v: [1, 2, 3], d: 0.25, name: 'hi' });
  assert.deepStrictEqual(ffi.decode(b, 'Pkt'), { tag: 1, v: [1, 2, 3], d: 0.25, name: 'hi' });
  assert.strictEqual(b.readDoubleLE(ffi.offsetof('Pkt', 'd')), 0.25);
  const p = ffi.address(b);
  ffi.encode(p, 'Pkt', { tag: 9, name: 'ptr' });
  assert.deepStrictEqual(ffi.decode(p, 'Pkt'), { tag: 9, v: [0, 0, 0], d: 0, name: 'ptr' });
  const u = Buffer.alloc(8);
  ffi.encode(u, 'Num', { d: -1 });
  assert.deepStrictEqual(ffi.decode(u, 'Num'), { i: -4616189618054758400n, d: -1 });
  ffi.encode(u, 'int32_t[2]', [5, -6]);
  assert.deepStrictEqual(ffi.decode(u, 'int32_t[2]'), [5, -6]);
  ffi.encode(u, 'double', 3.5);
  assert.strictEqual(ffi.decode(u, 'double'), 3.5);
  assert.strictEqual(ffi.decode(u, 'uint64_t', { bigint: false }), 0x400c000000000000);
  throwsType(() => ffi.decode(Buffer.alloc(4), 'Pkt'), /decode: the buffer has 4 bytes, the type needs 40/);
  throwsType(() => ffi.decode(0n, 'Pkt'), /decode: pointer is NULL/);
  throwsType(() => ffi.encode(b, 'Pkt', { tag: 'x' }), /encode: value\.tag must be a number or BigInt, got a string/);
  throwsType(() => ffi.encode(b, 'Rect', { min: { x: 1 }, nope: 1 }), /struct Rect has no field 'nope'/);
});

test('callbacks take and return structs by value, and get struct pointers as BigInts', () => {
  const vcb = f('Vec2 call_vec2_cb(Vec2 (*f)(Vec2, Rect), Vec2, Rect)');
  const cb = ffi.callback('Vec2 (Vec2, Rect)', (v, r) => ({ x: v.x + r.min.x, y: r.max.y }));
  assert.deepStrictEqual(vcb(cb, { x: 1, y: 2 }, { min: { x: 10, y: 0 }, max: { x: 0, y: 9 } }), { x: 11, y: 9 });
  cb.close();
  assert.strictEqual(f('double call_big_cb(Big (*f)(Big, int32_t), double)')((b, k) => {
    assert.deepStrictEqual(b, { a: 1, b: 2, c: 3 });
    return { a: b.a + k, b: b.b, c: b.c };
  }, 1), 8 + 20 + 300);
  const color = f('uint32_t call_color_cb(Color (*f)(Color, Color), Color, Color)');
  assert.strictEqual(color((a, b) => ({ r: a.r, g: b.g, b: 3, a: 4 }), { r: 1 }, { g: 2 }), 0x04030201);
  assert.strictEqual(f('float call_rectp_cb(void (*f)(Rect *))')((p) => {
    assert.strictEqual(typeof p, 'bigint');
    ffi.encode(p, 'Rect', { max: { x: 2, y: 3 } });
  }), 6);
  assert.strictEqual(f('double call_pkt_cb(Pkt (*f)(Pkt), uint8_t)')((p) => {
    assert.deepStrictEqual(p, { tag: 3, v: [5, 6, 7], d: 0.5, name: 'cb' });
    return { ...p, tag: 9 };
  }, 3), 9 + 50 + 600 + 7000 + 0.5 + 2e6);
  const split = f('int64_t call_split_cb(int64_t (*f)(int64_t, int64_t, int64_t, int64_t, int64_t, Pair, int64_t))');
  assert.strictEqual(split((a, b, c, d, e, s, g) => {
    assert.deepStrictEqual([a, b, c, d, e, s, g], [1n, 2n, 3n, 4n, 5n, { x: 6n, y: 7n }, 8n]);
    return a + b + c + d + e + s.x + s.y + g;
  }), 36n);
});

test('fire-and-forget callbacks refuse structs passed by reference', () => {
  // Pkt (40 bytes) is by reference on Win64 and AAPCS64, on the stack on System V
  const make = () => ffi.callback('void (Pkt)', () => {}, { fireAndForget: true });
  if (support.hostAbi === 'sysv-x64') make().close();
  else throwsType(make, /fireAndForget cannot take argument 1, a Pkt passed by reference/);
});

test('a callback returning a wrong struct value is reported with the field', () => {
  const vcb = f('Vec2 call_vec2_cb(Vec2 (*f)(Vec2, Rect), Vec2, Rect)');
  assert.throws(() => vcb(() => ({ x: 'bad' }), {}, {}),
    /callback 'Vec2 \(\*f\)\(Vec2, Rect\)': return value\.x must be a number, got a string/);
  assert.throws(() => vcb(() => 5, {}, {}), /return value must be an object \(struct Vec2\), got number 5/);
});

test('types: names with or without struct, handles, C declarations, redefinition, opaque', () => {
  assert.deepStrictEqual(lib.func('vadd', Vec2, [Vec2, 'struct Vec2'])({ x: 1, y: 1 }, { x: 1, y: 1 }), { x: 2, y: 2 });
  assert.strictEqual(ffi.struct('Vec2', { x: 'float', y: 'float' }), Vec2);
  throwsType(() => ffi.struct('Vec2', { x: 'double', y: 'float' }), /struct Vec2: already defined with a different layout/);
  throwsType(() => ffi.union('Vec2', { x: 'float', y: 'float' }), /already defined/);
  throwsType(() => ffi.struct('Bad', { a: 'nope' }), /struct Bad: field 'a': unknown type 'nope'/);
  throwsType(() => ffi.struct('Bad', { a: 'int[0]' }), /struct Bad: field 'a': array length must be a positive integer/);
  throwsType(() => ffi.struct('Bad', { a: 'void' }), /void/);
  throwsType(() => ffi.struct('Bad', { a: 'int' }, { pack: 3 }), /pack must be 1, 2, 4, 8 or 16/);
  throwsType(() => ffi.struct('Bad', { a: 'int' }, { align: 3 }), /align must be a power of two/);
  throwsType(() => ffi.struct('int', { a: 'int' }), /built-in type/);
  throwsType(() => ffi.struct('2x', { a: 'int' }), /C identifier/);
  throwsType(() => ffi.struct('struct Q { int a; int a; }'), /duplicate field 'a'/);
  ffi.opaque('FILE');
  assert.strictEqual(typeof ffi.dlopen(null).func('int fflush(FILE *)').address, 'bigint');
  throwsType(() => lib.func('void f(FILE)'), /opaque type 'FILE' can only be used through a pointer/);
  throwsType(() => lib.func('void f(struct Nope)'), /unknown type 'struct Nope'/);
});

test('sizeof, alignof and offsetof as the C compiler says, for any ABI', () => {
  assert.strictEqual(ffi.sizeof('Vec2'), 8);
  assert.strictEqual(ffi.alignof(Vec2), 4);
  assert.strictEqual(ffi.sizeof('Pkt'), 40);
  assert.strictEqual(ffi.offsetof('Pkt', 'v'), 4);
  assert.strictEqual(ffi.offsetof('Pkt', 'd'), 16);
  assert.strictEqual(ffi.offsetof('Pkt', 'name'), 24);
  assert.strictEqual(ffi.offsetof('Rect', 'max.y'), 12);
  assert.strictEqual(ffi.sizeof('Wire'), 5);
  assert.strictEqual(ffi.alignof('Wire'), 1);
  assert.strictEqual(ffi.sizeof('A16'), 16);
  assert.strictEqual(ffi.alignof('A16'), 16);
  assert.strictEqual(ffi.sizeof('Num'), 8);
  assert.strictEqual(ffi.sizeof('int32_t[3]'), 12);
  assert.strictEqual(ffi.sizeof('float[2][3]'), 24);
  ffi.struct('HasLong', { c: 'char', l: 'long', s: 'short' });
  assert.strictEqual(ffi.sizeof('HasLong', 'sysv-x64'), 24);
  assert.strictEqual(ffi.sizeof('HasLong', 'win64'), 12);
  assert.strictEqual(ffi.offsetof('HasLong', 's', 'win64'), 8);
  ffi.struct('Packed2', { c: 'char', d: 'double' }, { pack: 2 });
  assert.strictEqual(ffi.sizeof('Packed2'), 10);
  assert.strictEqual(ffi.offsetof('Packed2', 'd'), 2);
  ffi.struct('Empty', {});
  assert.strictEqual(ffi.sizeof('Empty'), 0);
  throwsType(() => ffi.offsetof('Vec2', 'z'), /no field 'z'/);
  throwsType(() => ffi.sizeof('Vec2', 'nope'), /unknown ABI/);
});

test('explain shows how a struct travels under each ABI', () => {
  const e = (abi) => ffi.explain('Vec2 f(Vec2 v, IntDouble m, Big b)', abi);
  const sysv = e('sysv-x64');
  assert.deepStrictEqual(sysv.args[0].parts, [{ bytes: [0, 7], where: 'xmm0', class: 'SSE' }]);
  assert.deepStrictEqual(sysv.args[1].parts.map((p) => [p.where, p.class]), [['rdi', 'INTEGER'], ['xmm1', 'SSE']]);
  assert.strictEqual(sysv.args[2].pass, 'stack');
  assert.strictEqual(sysv.return.where, 'xmm0');
  const win = e('win64');
  assert.deepStrictEqual(win.args[0].parts, [{ bytes: [0, 7], where: 'rcx', class: 'INTEGER' }]);
  assert.strictEqual(win.args[1].pass, 'reference');
  assert.strictEqual(win.args[1].where, 'rdx');
  assert.strictEqual(win.return.where, 'rax');
  const arm = e('aapcs64');
  assert.deepStrictEqual(arm.args[0].parts.map((p) => [p.where, p.class]), [['v0', 'HFA'], ['v1', 'HFA']]);
  assert.deepStrictEqual(arm.args[1].parts.map((p) => [p.where, p.class]), [['x0', 'GPR'], ['x1', 'GPR']]);
  // three doubles: a homogeneous aggregate, in v2-v4
  assert.strictEqual(arm.args[2].where, 'v2, v3, v4');
  const pkt = ffi.explain('void f(int, Pkt p)', 'aapcs64').args[1];
  assert.strictEqual(pkt.pass, 'reference');
  assert.strictEqual(pkt.where, 'x1');
  assert.deepStrictEqual(ffi.explain('Big g(int a)', 'sysv-x64').return, { type: 'Big', kind: 'agg', where: 'memory', size: 24, pass: 'reference', pointer: 'rdi' });
  assert.strictEqual(ffi.explain('Big g(int a)', 'sysv-x64').args[0].where, 'rsi');
  assert.strictEqual(ffi.explain('Big g(int a)', 'win64').args[0].where, 'rdx');
  assert.strictEqual(ffi.explain('Pkt g(int a)', 'aapcs64').return.pointer, 'x8');
  assert.strictEqual(ffi.explain('Pkt g(int a)', 'aapcs64').args[0].where, 'x0');
  assert.strictEqual(ffi.explain('void h(int, A16)', 'aapcs64').args[1].where, 'x1, x2');
  assert.strictEqual(ffi.explain('void h(int, Outer16)', 'aapcs64').args[1].where, 'x2, x3');
  assert.strictEqual(ffi.explain('void h(Wire)', 'sysv-x64').args[0].pass, 'stack');
});

test('worker threads define their own struct types and make struct calls beside the main thread', async () => {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const ffi = require(workerData.sbffi);
    ffi.struct('Vec2', { x: 'double', y: 'double' });   // this thread's own Vec2
    ffi.struct('Vec2f', { x: 'float', y: 'float' });
    const vadd = ffi.dlopen(workerData.lib).func('vadd', 'Vec2f', ['Vec2f', 'Vec2f']);
    let ok = ffi.sizeof('Vec2') === 16;
    for (let i = 0; i < 20000; i++) {
      const r = vadd({ x: i, y: 1 }, { x: 1, y: i });
      if (r.x !== i + 1 || r.y !== i + 1) ok = false;
    }
    parentPort.postMessage(ok);`;
  const run = () => new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData: { sbffi: path.join(__dirname, '..'), lib: support.testLib } });
    w.once('message', resolve);
    w.once('error', reject);
  });
  const vadd = f('Vec2 vadd(Vec2, Vec2)');
  const results = Promise.all([run(), run()]);
  for (let i = 0; i < 20000; i++) assert.deepStrictEqual(vadd({ x: i, y: 0 }, { x: 0, y: i }), { x: i, y: i });
  assert.deepStrictEqual(await results, [true, true]);
  assert.strictEqual(ffi.sizeof('Vec2'), 8);
});
