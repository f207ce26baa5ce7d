'use strict';
// What a hostile caller tried (issue 11): each class of input that once
// crashed the process, passed a wrong value, lost an error or took
// unbounded time, now gives the right call or a clear error.

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const test = require('node:test');
const assert = require('node:assert/strict');
const ffi = require('..');
const support = require('./support');

const lib = ffi.dlopen(support.testLib);
const strLen = lib.func('size_t str_len(const char *s)');
const strHash = lib.func('uint32_t str_hash(const char *s)');
const callII = lib.func('int cb_call_ii(int (*f)(int, int), int a, int b)');
const abs = lib.func('int32_t echo_i32(int32_t v)');
const sixLens = lib.func('size_t six_lens(const char *a, const char *b, const char *c, ' +
  'const char *d, const char *e, const char *f)');

ffi.struct('Big', { a: 'double', b: 'double', c: 'double' });

const typeError = (what) => (e) => e instanceof TypeError && what.test(e.message);

test('a view passes the address of its own bytes, whatever its properties say', () => {
  const bytes = () => Uint8Array.from(Buffer.from('hello\0'));
  const shadowed = bytes();
  Object.defineProperty(shadowed, 'byteOffset', { value: 2 ** 40 });
  Object.defineProperty(shadowed, 'buffer', { value: new ArrayBuffer(1) });
  assert.equal(strLen(shadowed), 5n);
  class Sneaky extends Uint8Array {
    get byteOffset() { return 2 ** 40; }
  }
  const sub = new Sneaky(bytes().buffer, 0);
  assert.equal(strLen(sub), 5n);
  // a DataView and a view into the middle of a buffer
  const ab = Uint8Array.from(Buffer.from('xxhi\0')).buffer;
  const dv = new DataView(ab, 2);
  Object.defineProperty(dv, 'byteOffset', { value: 0 });
  assert.equal(strLen(dv), 2n);
  assert.equal(ffi.address(dv), ffi.address(ab) + 2n);
});

test('no user code runs while arguments are written: getters that call sbffi never run', () => {
  let ran = 0;
  const u = Uint8Array.from(Buffer.from('abc\0'));
  for (const key of ['byteOffset', 'buffer', 'byteLength', 'length']) {
    Object.defineProperty(u, key, { get() { ran++; abs(1); strLen('a much longer string than the others'); return 0; } });
  }
  // the strings before and after u share the scratch area a nested call would reuse
  assert.equal(sixLens('one', 'two', u, 'four', 'fives', 'sixsix'), 3n + 3n + 3n + 4n + 5n + 6n);
  assert.equal(ran, 0);
  // a Proxy is not a buffer: refused by name, with no trap run
  const traps = new Proxy({}, { get() { ran++; abs(2); return undefined; }, getPrototypeOf() { ran++; abs(3); return null; } });
  assert.throws(() => strLen(new Proxy(new ArrayBuffer(8), traps)), typeError(/str_len: argument 1 \(s\) must be a string, Buffer, TypedArray, ArrayBuffer, BigInt or null, got a Proxy/));
  assert.equal(ran, 0);
});

test('a library closed by user code among the arguments is not called', () => {
  const own = ffi.dlopen(support.testLib);
  const len = own.func('size_t str_len(const char *s)');
  const v = own.func('double big_sum(Big b, int32_t k)', undefined);
  const big = { a: 1, b: 2, get c() { own.close(); return 3; } };
  assert.throws(() => v(big, 4), /big_sum: library .* is closed/);
  assert.throws(() => len('x'), /str_len: library .* is closed/);
});

// a copy of the test library that nothing else has open: dlclose unloads it
function privateCopy() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sbffi-'));
  const file = path.join(dir, path.basename(support.testLib));
  fs.copyFileSync(support.testLib, file);
  return file;
}

test('lib.close() inside a callback that C of that library called', () => {
  const own = ffi.dlopen(privateCopy());
  // cb_recurse has work left after f returns: its code must still be there
  const call = own.func('int cb_recurse(int (*f)(int, const char *), int depth, const char *s)');
  const len = own.func('size_t str_len(const char *s)');
  // unloaded only once the call into it has returned
  assert.equal(call((depth, s) => { own.close(); return depth * s.length; }, 6, 'seven..'), 42);
  assert.throws(() => len('x'), /str_len: library .* is closed/);
  // and from a callback of another library's call
  const other = ffi.dlopen(privateCopy());
  assert.equal(callII((a, b) => { other.close(); return a + b; }, 1, 2), 3);
  assert.equal(callII((a, b) => a - b, 5, 2), 3);
});

test('whatever a callback throws is rethrown: undefined, null, 0, false, ""', () => {
  for (const value of [undefined, null, 0, false, '', 0n, NaN]) {
    assert.throws(() => callII(() => { throw value; }, 1, 2), (e) => Object.is(e, value), String(value));
  }
  // and the next call is not disturbed
  assert.equal(callII((a, b) => a + b, 2, 3), 5);
});

test('inputs that took unbounded time are refused at once', () => {
  const start = Date.now();
  assert.throws(() => ffi.explain(`int f(${'int x['.repeat(30000)})`), typeError(/unknown type 'int x\[int x\[.*\.\.\.' \(\d+ characters\)/));
  assert.throws(() => lib.func('f', 'int', new Array(2 ** 32 - 1)), typeError(/f: too many arguments \(4294967295; at most 64\)/));
  assert.throws(() => ffi.callback('int', new Array(2 ** 32 - 1), () => 0), typeError(/too many arguments/));
  assert.throws(() => lib.func('f', 'int', [['int', new Array(2 ** 31)]]), typeError(/too many arguments/));
  assert.throws(() => ffi.explain(`int f(${'int, '.repeat(100000)}int)`), typeError(/f: too many arguments \(100001; at most 64\)/));
  let nested = 'int';
  for (let i = 0; i < 40; i++) nested = `void (*)(${nested})`;
  assert.throws(() => lib.func(`void f(${nested})`), typeError(/nested more than 32 deep/));
  assert.ok(Date.now() - start < 5000, `took ${Date.now() - start} ms`);
});

test('errors name the function and the argument', () => {
  assert.throws(() => ffi.explain('int f(int)', 'vax'), typeError(/^explain: unknown ABI 'vax'/));
  const ab = new ArrayBuffer(8);
  const dv = new DataView(ab);
  structuredClone(ab, { transfer: [ab] });
  assert.throws(() => strLen(dv), typeError(/^str_len: argument 1 \(s\): the buffer of this DataView is detached/));
  assert.throws(() => strLen(Object.create(ArrayBuffer.prototype)), typeError(/^str_len: argument 1 \(s\) must be .*, got an ArrayBuffer/));
  assert.throws(() => ffi.address(Object.create(ArrayBuffer.prototype)), typeError(/^address: expected a Buffer/));
  assert.throws(() => ffi.address(new Proxy(new Uint8Array(4), {})), typeError(/^address: expected a Buffer/));
  assert.throws(() => ffi.view(1n, 2 ** 50), (e) => e instanceof RangeError && /^view: byteLength 1125899906842624 is more than/.test(e.message));
  assert.throws(() => ffi.encode(dv, 'int', 1), typeError(/^encode: expected a BigInt pointer or a buffer, got a DataView/));
});

test('names with a NUL, doubled words and unknown types inside function pointers are refused', () => {
  assert.throws(() => lib.func('str_len\0junk', 'size_t', ['const char *']), typeError(/str_len: symbol name contains a NUL/));
  assert.throws(() => lib.symbol('str_len\0'), typeError(/symbol name contains a NUL/));
  assert.throws(() => ffi.dlopen(`${support.testLib}\0junk`), typeError(/^dlopen: library path contains a NUL/));
  assert.throws(() => ffi.explain('int f(int)', 'win64\0'), typeError(/^explain: ABI name contains a NUL/));
  assert.throws(() => ffi.sizeof('int', 'aapcs64\0'), typeError(/^sizeof: ABI name contains a NUL/));
  for (const t of ['signed signed', 'unsigned unsigned int', 'signed unsigned', 'short short', 'long long long']) {
    assert.throws(() => lib.func(`int f(${t})`), typeError(/f: argument 1: unknown type/), t);
  }
  assert.throws(() => lib.func('void f(int (*)(nope_t, int))'), typeError(/f: argument 1: its argument 1: unknown type 'nope_t'/));
  assert.throws(() => lib.func('void f(nope_t (*)(int))'), typeError(/f: argument 1: its return type: unknown type 'nope_t'/));
  assert.throws(() => lib.func('f', 'void', [['int', ['nope_t']]]), typeError(/f: argument 1: its argument 1: unknown type 'nope_t'/));
  assert.throws(() => lib.func('void f(int (*)(void, int))'), typeError(/its argument 1: void is not an argument type/));
});

test('strings of the outer call survive a callback that makes calls with strings', () => {
  // C -> JS -> C with long strings inside, while the outer strings wait in the scratch area
  const recurse = lib.func('int cb_recurse(int (*f)(int, const char *), int depth, const char *s)');
  // (cb_recurse returns -1000000 if its string changed while f ran)
  const f = (depth, s) => {
    strHash('y'.repeat(2000 + depth));
    return depth === 0 ? s.length : recurse(f, depth - 1, `${s}+`);
  };
  assert.equal(recurse(f, 8, 'outer'), 'outer'.length + 8);
});

test('the same in a worker thread, and from a C thread calling back', async () => {
  const { Worker } = require('node:worker_threads');
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const ffi = require(workerData.sbffi);
    const lib = ffi.dlopen(workerData.lib);
    const strLen = lib.func('size_t str_len(const char *s)');
    const callII = lib.func('int cb_call_ii(int (*f)(int, int), int a, int b)');
    const u = Uint8Array.from(Buffer.from('four\\0'));
    Object.defineProperty(u, 'byteOffset', { get() { strLen('nested'); return 2 ** 40; } });
    let thrown = 'nothing';
    try { callII(() => { throw undefined; }, 1, 2); } catch (e) { thrown = e; }
    parentPort.postMessage([String(strLen(u)), thrown === undefined]);`;
  const w = new Worker(code, { eval: true, workerData: { sbffi: require.resolve('..'), lib: support.testLib } });
  const got = await new Promise((resolve, reject) => { w.on('message', resolve); w.on('error', reject); });
  assert.deepEqual(got, ['4', true]);
});

// node:test takes uncaught exceptions for its own: in a process of its own
const canSpawn = spawnSync(process.execPath, ['-e', '0']).status === 0;
test('a C thread\'s callback that throws a falsy value: uncaught, with that value; the thread gets 0',
  { skip: !canSpawn && 'node cannot start another node here (qemu-user without binfmt_misc)' }, () => {
    const code = `
      const ffi = require(${JSON.stringify(require.resolve('..'))});
      const lib = ffi.dlopen(${JSON.stringify(support.testLib)});
      const wait = lib.func('int call_on_thread_and_wait(int (*f)(int), int x)');
      const seen = [];
      process.on('uncaughtException', (e) => seen.push(e));
      wait.async(() => { throw 0; }, 1).then((r) => setImmediate(() => console.log(JSON.stringify([r, seen]))));`;
    const r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8', timeout: 60000 });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), [0, [0]]);
  });
