'use strict';
// Buffers, typed arrays, DataViews and ArrayBuffers as pointer arguments;
// BigInt pointers; address, view, readCString; sbffi 1.x compatibility.

const test = require('node:test');
const assert = require('node:assert/strict');
const ffi = require('..');

const support = require('./support');

const LIB = support.testLib;
const lib = ffi.dlopen(LIB);
const fill = lib.func('void fill(uint8_t *p, size_t n, uint8_t v)');
const ptrAddr = lib.func('uintptr_t ptr_addr(const void *p)');
const isNull = lib.func('int is_null(const void *p)');
const readU8 = lib.func('uint8_t read_u8(const uint8_t *p, size_t i)');
const sumI32 = lib.func('int32_t sum_i32(const int32_t *p, size_t n)');
const iota = lib.func('void iota_i32(int32_t *p, size_t n, int32_t start)');
const scale = lib.func('void scale_f64(double *p, size_t n, double k)');

test('Buffer as an out-parameter', () => {
  const b = Buffer.alloc(100);
  fill(b, 100, 7);
  assert.ok(b.every((x) => x === 7));
  fill(b, 10, 0x1ff); // uint8_t wraps
  assert.equal(b[9], 0xff);
  assert.equal(b[10], 7);
  assert.equal(readU8(b, 50), 7);
  // a pooled (small, unsafe) Buffer shares an ArrayBuffer: its offset counts
  const pooled = Buffer.allocUnsafe(16);
  assert.ok(pooled.byteOffset >= 0);
  fill(pooled, 16, 3);
  assert.ok(pooled.every((x) => x === 3));
  assert.equal(ptrAddr(pooled), ffi.address(pooled));
});

test('typed arrays of each kind', () => {
  const u8 = new Uint8Array(32);
  fill(u8, 32, 9);
  assert.ok(u8.every((x) => x === 9));

  const i32 = new Int32Array(10);
  iota(i32, 10, -5);
  assert.deepEqual(Array.from(i32), [-5, -4, -3, -2, -1, 0, 1, 2, 3, 4]);
  assert.equal(sumI32(i32, 10), -5);

  const f64 = new Float64Array([1.5, -2, 3.25]);
  scale(f64, 3, 2);
  assert.deepEqual(Array.from(f64), [3, -4, 6.5]);

  const u16 = new Uint16Array(4);
  fill(u16, 8, 0xab);
  assert.ok(u16.every((x) => x === 0xabab));

  const big = new BigInt64Array(2);
  fill(big, 16, 0xff);
  assert.deepEqual(Array.from(big), [-1n, -1n]);
});

test('subarray with byteOffset', () => {
  const all = new Uint8Array(16);
  const mid = all.subarray(4, 12);
  assert.equal(mid.byteOffset, 4);
  fill(mid, mid.length, 1);
  assert.deepEqual(Array.from(all), [0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0]);
  assert.equal(ptrAddr(mid), ffi.address(all) + 4n);
  const ints = new Int32Array(8);
  iota(ints.subarray(3), 5, 100);
  assert.deepEqual(Array.from(ints), [0, 0, 0, 100, 101, 102, 103, 104]);
  const buf = Buffer.alloc(10);
  fill(buf.subarray(2, 5), 3, 0x41);
  assert.equal(buf.toString('latin1', 0, 6), '\0\0AAA\0');
});

test('DataView and ArrayBuffer', () => {
  const ab = new ArrayBuffer(12);
  fill(ab, 12, 0x22);
  assert.ok(new Uint8Array(ab).every((x) => x === 0x22));
  const dv = new DataView(ab, 4, 4);
  fill(dv, 4, 0x33);
  assert.deepEqual(Array.from(new Uint8Array(ab)), [0x22, 0x22, 0x22, 0x22, 0x33, 0x33, 0x33, 0x33, 0x22, 0x22, 0x22, 0x22]);
  assert.equal(ptrAddr(dv), ffi.address(ab) + 4n);
  assert.equal(ptrAddr(ab), ffi.address(ab));
  assert.equal(ptrAddr(dv), ffi.address(dv));
});

test('SharedArrayBuffer', () => {
  const sab = new SharedArrayBuffer(8);
  fill(sab, 8, 5);
  assert.ok(new Uint8Array(sab).every((x) => x === 5));
  const v = new Uint8Array(sab, 2, 3);
  fill(v, 3, 6);
  assert.deepEqual(Array.from(new Uint8Array(sab)), [5, 5, 6, 6, 6, 5, 5, 5]);
  assert.equal(ptrAddr(v), ffi.address(sab) + 2n);
});

test('empty and small on-heap buffers', () => {
  fill(Buffer.alloc(0), 0, 1);
  fill(new Uint8Array(0), 0, 1);
  fill(new ArrayBuffer(0), 0, 1);
  assert.equal(typeof ffi.address(Buffer.alloc(0)), 'bigint');
  // small typed arrays live on the V8 heap until their buffer is asked for
  for (let i = 0; i < 100; i++) {
    const small = new Uint8Array(4);
    fill(small, 4, i);
    assert.deepEqual(Array.from(small), [i, i, i, i]);
    const q = new Int32Array(2);
    iota(q, 2, i);
    assert.equal(sumI32(q, 2), 2 * i + 1);
  }
  const s = new Uint8Array([1, 2, 3]);
  assert.equal(readU8(s, 2), 3);
  assert.equal(ptrAddr(s), ffi.address(s));
});

test('addresses stay right after garbage collection churn', () => {
  const keep = [];
  for (let i = 0; i < 2000; i++) {
    const b = new Uint8Array(8 + (i % 64));
    fill(b, b.length, i & 255);
    if (b[b.length - 1] !== (i & 255)) assert.fail(`buffer ${i}`);
    if (i % 10 === 0) keep.push(b);
    new Array(1000).fill(i); // garbage
  }
  for (const b of keep) assert.equal(ptrAddr(b), ffi.address(b));
});

test('two out-parameters', () => {
  const divmod = lib.func('void divmod(int a, int b, int *q, int *r)');
  const q = new Int32Array(1);
  const r = new Int32Array(1);
  divmod(17, 5, q, r);
  assert.equal(q[0], 3);
  assert.equal(r[0], 2);
  const both = new Int32Array(2);
  divmod(-17, 5, both, both.subarray(1));
  assert.deepEqual(Array.from(both), [-3, -2]);
  const split = lib.func('double split_double(double x, int *e)');
  const e = new Int32Array(1);
  assert.equal(split(8, e), 0.5);
  assert.equal(e[0], 4);
  assert.equal(split(0.1, e), 0.8);
  assert.equal(e[0], -3);
});

test('NULL via null and 0n', () => {
  assert.equal(isNull(null), 1);
  assert.equal(isNull(0n), 1);
  assert.equal(isNull(Buffer.alloc(1)), 0);
  assert.equal(isNull(1n), 0);
  assert.equal(lib.func('int deref(const int *p)')(null), -1);
  assert.equal(ptrAddr(null), 0n);
});

test('BigInt pointers round-trip', () => {
  const offset = lib.func('void *ptr_offset(void *p, ptrdiff_t by)');
  const b = Buffer.from([10, 20, 30, 40]);
  const p = offset(b, 0);
  assert.equal(typeof p, 'bigint');
  assert.equal(p, ffi.address(b));
  const p2 = offset(p, 2);
  assert.equal(p2, p + 2n);
  assert.equal(readU8(p2, 0), 30);
  assert.equal(readU8(p, 3), 40);
  fill(p2, 2, 99);
  assert.deepEqual(Array.from(b), [10, 20, 99, 99]);
  assert.equal(offset(p2, -2), p);
  assert.equal(lib.func('int deref(const int *p)')(ffi.address(new Int32Array([1234]))), 1234);
});

test('ffi.address equals what C sees', () => {
  const bufs = [Buffer.alloc(64), new Float64Array(3), new Uint8Array(1000).subarray(100), new ArrayBuffer(24), new DataView(new ArrayBuffer(8), 3)];
  for (const b of bufs) {
    const a = ffi.address(b);
    assert.equal(typeof a, 'bigint');
    assert.equal(ptrAddr(b), a);
    assert.equal(ptrAddr(a), a);
  }
  assert.throws(() => ffi.address('x'), TypeError);
  assert.throws(() => ffi.address({}), TypeError);
  assert.throws(() => ffi.address(1n), TypeError);
});

test('ffi.view over C static memory', () => {
  const ptr = lib.func('uint8_t *static_buffer(void)')();
  const size = Number(lib.func('size_t static_buffer_size(void)')());
  const get = lib.func('uint8_t static_get(size_t i)');
  const set = lib.func('void static_set(size_t i, uint8_t v)');
  const sum = lib.func('uint32_t static_sum(void)');
  const ab = ffi.view(ptr, size);
  assert.ok(ab instanceof ArrayBuffer);
  assert.equal(ab.byteLength, size);
  const v = new Uint8Array(ab);
  // JS writes, C reads
  for (let i = 0; i < size; i++) v[i] = i;
  assert.equal(get(10), 10);
  assert.equal(sum(), (size * (size - 1)) / 2);
  // C writes, JS reads through the same view
  set(5, 200);
  assert.equal(v[5], 200);
  // a second view sees the same memory, and passing it back gives the same address
  const v2 = new Uint8Array(ffi.view(ptr, size));
  assert.equal(v2[5], 200);
  assert.equal(ptrAddr(v2), ptr);
  assert.equal(ffi.address(v), ptr);
  // offset views
  const tail = new Uint8Array(ffi.view(ptr + 60n, 4));
  tail.fill(1);
  assert.equal(get(63), 1);
  assert.equal(ffi.view(ptr, 0).byteLength, 0);
  assert.equal(ffi.view(0n, 0).byteLength, 0);
});

test('ffi.view argument checks', () => {
  assert.throws(() => ffi.view(1, 4), TypeError);
  assert.throws(() => ffi.view(0n, 4), /NULL/);
  assert.throws(() => ffi.view(16n, -1), TypeError);
  assert.throws(() => ffi.view(16n, 1.5), TypeError);
  assert.throws(() => ffi.readCString(12), TypeError);
  assert.throws(() => ffi.readCString('abc'), TypeError);
});

test('sbffi 1.x compatibility', () => {
  const add = ffi.getNativeFunction(LIB, 'add', 'int', ['int', 'int']);
  assert.equal(add(2, 3), 5);
  const f = ffi.getNativeFunction(LIB, 'fill', 'void', ['uint8_t *', 'size_t', 'uint8_t']);
  const b = Buffer.alloc(3);
  f(b, 3, 4);
  assert.deepEqual(Array.from(b), [4, 4, 4]);
  const p = ffi.getBufferPointer(b);
  assert.equal(typeof p, 'bigint');
  assert.equal(p, ffi.address(b));
  assert.equal(ptrAddr(b), p);
  assert.equal(ffi.sizeof('uint32_t'), 4);
  assert.equal(ffi.sizeof('uint8_t'), 1);
  assert.equal(ffi.sizeof('int16_t'), 2);
  assert.equal(ffi.sizeof('uint64_t'), 8);
  assert.equal(ffi.sizeof('long'), support.longSize);
  assert.equal(ffi.sizeof('unsigned long long'), 8);
  assert.equal(ffi.sizeof('void *'), 8);
  assert.equal(ffi.sizeof('char *'), 8);
  assert.equal(ffi.sizeof('const char *'), 8);
  assert.equal(ffi.sizeof('int **'), 8);
  assert.equal(ffi.sizeof('char'), 1);
  assert.equal(ffi.sizeof('bool'), 1);
  assert.equal(ffi.sizeof('float'), 4);
  assert.equal(ffi.sizeof('double'), 8);
  assert.equal(ffi.sizeof('size_t'), 8);
  assert.throws(() => ffi.sizeof('nope_t'), TypeError);
});

test('a detached buffer is refused, not passed as its old address or NULL', () => {
  const ab = new ArrayBuffer(16);
  const u = new Uint8Array(ab, 4);
  const dv = new DataView(ab, 2);
  assert.equal(ptrAddr(u), ffi.address(ab) + 4n); // address now cached
  structuredClone(ab, { transfer: [ab] });
  assert.equal(ab.byteLength, 0);
  assert.throws(() => ptrAddr(u), /argument 1 \(p\): the buffer of this Uint8Array is detached/);
  assert.throws(() => ptrAddr(ab), /argument 1 \(p\): the buffer of this ArrayBuffer is detached/);
  assert.throws(() => ptrAddr(dv), /argument 1 \(p\): the buffer of this DataView is detached/);
  assert.throws(() => ffi.address(dv), /address: the buffer of this DataView is detached/);
  // an empty one is not detached: it passes
  assert.equal(typeof ptrAddr(new ArrayBuffer(0)), 'bigint');
});

test('a resizable ArrayBuffer keeps its address when it grows', {
  skip: typeof ArrayBuffer.prototype.resize !== 'function' && 'no resizable ArrayBuffer in this node',
}, () => {
  const r = new ArrayBuffer(8, { maxByteLength: 1 << 16 });
  const before = ptrAddr(r);
  r.resize(60000);
  assert.equal(ptrAddr(r), before);
  fill(r, 60000, 1);
  assert.equal(new Uint8Array(r)[59999], 1);
});
