'use strict';
// Windows: the Win64 classifier through explain() (on every host), and on
// Windows (under wine in make check) kernel32 and the C runtime, the
// loader's errors, LLP64 and wchar_t, and a crash walked through sb_call.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const os = require('os');
const path = require('path');
const ffi = require('..');
const support = require('./support');

const onlyWindows = { skip: !support.windows && 'Windows only' };

test('explain under win64: positional slots (Microsoft x64 "Parameter passing")', () => {
  const e = ffi.explain('double f(int a, double b, int c, float d, long e, double g)', 'win64');
  assert.equal(e.abi, 'win64');
  assert.deepEqual(e.args.map((a) => a.where), ['rcx', 'xmm1', 'r8', 'xmm3', 'stack', 'stack']);
  assert.deepEqual(e.args.slice(4).map((a) => a.offset), [0, 8]);
  assert.deepEqual(e.return, { type: 'double', kind: 'f64', where: 'xmm0' });
  assert.equal(e.stackBytes, 16);
  assert.equal(ffi.explain('void *f(void)', 'win64').return.where, 'rax');
  // LLP64: long is 32 bits; wchar_t is an unsigned 16-bit UTF-16 unit
  const k = ffi.explain('void f(long, unsigned long, wchar_t, size_t)', 'win64');
  assert.deepEqual(k.args.map((a) => a.kind), ['i32', 'u32', 'u16', 'u64']);
  assert.deepEqual(k.args.map((a) => a.where), ['rcx', 'rdx', 'r8', 'r9']);
  assert.ok(ffi.abis.includes('win64'));
});

test('kernel32: GetCurrentProcessId, GetTickCount, lstrlenW', onlyWindows, () => {
  const k32 = ffi.dlopen('kernel32.dll');
  assert.equal(k32.func('uint32_t GetCurrentProcessId(void)')(), process.pid);
  // dlopen(null) finds kernel32's functions too
  assert.equal(ffi.dlopen(null).func('unsigned long GetCurrentProcessId(void)')(), process.pid);
  const tick = k32.func('uint32_t GetTickCount(void)');
  const t0 = tick();
  assert.ok(t0 > 0);
  assert.ok(tick() - t0 >= 0);
  const lstrlenW = k32.func('int lstrlenW(const wchar_t *s)');
  assert.equal(lstrlenW(Buffer.from('h\u00e9llo \u4e16\u754c\0', 'utf16le')), 8);
  assert.equal(lstrlenW(null), 0);
});

test('C runtime: strlen and abs through dlopen(null) and msvcrt.dll', onlyWindows, () => {
  const self = ffi.dlopen(null);
  assert.equal(self.func('size_t strlen(const char *s)')('h\u00e9llo'), 6n);
  assert.equal(self.func('int abs(int)')(-5), 5);
  const msvcrt = ffi.dlopen('msvcrt.dll');
  assert.equal(msvcrt.func('size_t strlen(const char *s)')('hello'), 5n);
  assert.equal(msvcrt.func('int atoi(const char *s)')('-1234'), -1234);
  // long is 32 bits: labs works on Numbers and wraps as a C cast would
  const labs = msvcrt.func('long labs(long j)');
  assert.equal(labs(-2147483647), 2147483647);
  assert.equal(labs(2 ** 32 - 5), 5);
  msvcrt.close();
});

test('LLP64 long and 16-bit wchar_t in a DLL of our own', onlyWindows, () => {
  assert.equal(ffi.sizeof('long'), 4);
  assert.equal(ffi.sizeof('wchar_t'), 2);
  const lib = ffi.dlopen(support.winTestLib);
  assert.equal(lib.func('long long_neg(long x)')(-2147483648), -2147483648);
  assert.equal(lib.func('unsigned long ulong_max(void)')(), 4294967295);
  const s = Buffer.from('a\uffe9z\0', 'utf16le');
  assert.equal(lib.func('size_t wide_len(const wchar_t *s)')(s), 3n);
  const at = lib.func('wchar_t wide_at(const wchar_t *s, int i)');
  assert.equal(at(s, 1), 0xffe9); // unsigned, not -23
  const is = lib.func('int wide_is(wchar_t c, int code)');
  assert.equal(is(0xffe9, 0xffe9), 1);
  assert.equal(is(0x1ffe9, 0xffe9), 1); // wraps to 16 bits as a C cast would
});

test('loader errors carry the FormatMessage text and the error code', onlyWindows, () => {
  assert.throws(() => ffi.dlopen('sbffi_no_such_library.dll'),
    (e) => e instanceof Error && /^sbffi: cannot open library 'sbffi_no_such_library\.dll': \S.* \(error 126\)$/.test(e.message));
  assert.throws(() => ffi.dlopen('C:/sbffi/no/such/dir/x.dll'), /cannot open library 'C:\/sbffi\/no\/such\/dir\/x\.dll': \S.* \(error \d+\)/);
  const k32 = ffi.dlopen('kernel32.dll');
  assert.throws(() => k32.func('int SbffiNoSuchFunction(void)'),
    /symbol 'SbffiNoSuchFunction' not found: \S.* \(error 127\)/);
});

test('UTF-8 paths reach LoadLibraryW as UTF-16', onlyWindows, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sbffi-\u00fcn\u00efc\u00f8de-\u4e16-'));
  const copy = path.join(dir, 'l\u00efb.dll');
  fs.copyFileSync(support.testLib, copy);
  const lib = ffi.dlopen(copy);
  assert.equal(lib.func('int add(int a, int b)')(40, 2), 42);
  lib.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

// A fault inside a function called through sbffi: the test DLL's vectored
// exception handler walks the stack from the fault with
// RtlLookupFunctionEntry/RtlVirtualUnwind. Past the faulting function the
// walk must go through sb_call (its .pdata/.xdata) into the addon's call
// entry and on into node.exe; then it resumes in sb_call as if the
// function had returned 0xdead.
test('a crash in a called function unwinds through the dispatcher', onlyWindows, () => {
  const lib = ffi.dlopen(support.winTestLib);
  assert.equal(lib.func('int crash_arm(void)')(), 1);
  assert.equal(lib.func('int crash_read(int *p)')(null), 0xdead);
  const n = lib.func('int crash_frames(void)')();
  const moduleAt = lib.func('const char *crash_module(int i)');
  const modules = Array.from({ length: n }, (_, i) => moduleAt(i).toLowerCase());
  assert.equal(modules[0], 'sbffi_wintest.dll', modules.join(' < '));  // crash_read
  assert.equal(modules[1], 'sbffi.node', modules.join(' < '));         // sb_call
  const firstNode = modules.indexOf('node.exe');
  assert.ok(firstNode > 1, modules.join(' < '));                      // its callers
  assert.ok(modules.slice(1, firstNode).every((m) => m === 'sbffi.node'), modules.join(' < '));
  // the thread goes on: more calls work
  assert.equal(lib.func('long long_neg(long x)')(5), -5);
});
