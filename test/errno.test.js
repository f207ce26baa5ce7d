'use strict';
// errno (and GetLastError on Windows) of functions declared
// { errno: true }: saved as the target returns, set before it runs.

const test = require('node:test');
const assert = require('node:assert/strict');
const { Worker } = require('node:worker_threads');
const ffi = require('..');
const support = require('./support');

const lib = ffi.dlopen(support.testLib);
const libc = support.windows ? ffi.dlopen('msvcrt.dll') : ffi.dlopen(null);
const fail = lib.func('int fail_with_errno(int e)', { errno: true });
const failQuietly = lib.func('int fail_with_errno(int e)');
const readErrno = lib.func('int read_errno(void)', { errno: true });
const ERANGE = 34;	// glibc and msvcrt alike

test('errno as the call left it', () => {
  assert.equal(fail(7), -1);
  assert.equal(ffi.errno(), 7);
  assert.equal(fail(2), -1);
  assert.equal(ffi.errno(), 2);
  // a function declared without the option leaves the saved value alone
  assert.equal(failQuietly(9), -1);
  assert.equal(ffi.errno(), 2);
});

test('errno(n) is the value errno has when the next such call starts', () => {
  ffi.errno(123);
  assert.equal(ffi.errno(), 123);
  assert.equal(readErrno(), 123);
  ffi.errno(0);
  assert.equal(readErrno(), 0);
});

test('strtol: 0 before, ERANGE after an overflow', () => {
  const strtol = libc.func('long strtol(const char *s, char **end, int base)', { errno: true, bigint: false });
  ffi.errno(0);
  strtol('12', null, 10);
  assert.equal(ffi.errno(), 0);
  strtol('99999999999999999999999', null, 10);
  assert.equal(ffi.errno(), ERANGE);
});

test('errno of an .async call, when it settles', async () => {
  ffi.errno(0);
  assert.equal(await fail.async(5), -1);
  assert.equal(ffi.errno(), 5);
  ffi.errno(77);
  assert.equal(await readErrno.async(), 77);
});

test('bad values are refused', () => {
  assert.throws(() => ffi.errno('x'), /errno: expected a 32-bit integer, got a string/);
  assert.throws(() => ffi.errno(1.5), TypeError);
  assert.throws(() => ffi.lastError(2 ** 32), /lastError: expected a 32-bit integer/);
  assert.throws(() => lib.func('int read_errno(void)', { errno: 1 }), /read_errno: option errno must be a boolean/);
});

test('each thread has its own', async () => {
  fail(11);
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const ffi = require(workerData.sbffi);
    const fail = ffi.dlopen(workerData.lib).func('int fail_with_errno(int e)', { errno: true });
    const before = ffi.errno();
    fail(22);
    parentPort.postMessage([before, ffi.errno()]);`;
  const w = new Worker(code, { eval: true, workerData: { sbffi: require.resolve('..'), lib: support.testLib } });
  const [before, after] = await new Promise((resolve, reject) => { w.on('message', resolve); w.on('error', reject); });
  assert.deepEqual([before, after], [0, 22]);
  assert.equal(ffi.errno(), 11);
});

test('GetLastError of a failing CreateFileW, SetLastError before a call', { skip: !support.windows && 'Windows only' }, () => {
  const kernel32 = ffi.dlopen('kernel32.dll');
  const CreateFileW = kernel32.func('void *CreateFileW(const uint16_t *name, uint32_t access, uint32_t share, ' +
    'void *security, uint32_t disposition, uint32_t flags, void *template)', { errno: true });
  const name = Buffer.from('C:\\sbffi-no-such-dir\\no-such-file.txt\0', 'utf16le');
  const GENERIC_READ = 0x80000000;
  const OPEN_EXISTING = 3;
  const INVALID_HANDLE_VALUE = 2n ** 64n - 1n;
  assert.equal(CreateFileW(name, GENERIC_READ, 0, null, OPEN_EXISTING, 0, null), INVALID_HANDLE_VALUE);
  assert.equal(ffi.lastError(), 3);	// ERROR_PATH_NOT_FOUND
  const GetLastError = kernel32.func('uint32_t GetLastError(void)', { errno: true });
  ffi.lastError(1234);
  assert.equal(GetLastError(), 1234);
});

test('lastError is 0 where there is none', { skip: support.windows && 'not on Windows' }, () => {
  fail(3);
  assert.equal(ffi.lastError(), 0);
});
