'use strict';
// dlopen's options (lazy, global, deepbind) and the warning for a library
// that defines symbols node's executable exports too (README, "Libraries
// node already contains"): the libraries of test/dl, and the system's
// zlib and libcrypto. Which copies node runs is a fact of its build, read
// from its mappings before anything is opened: the official x64 node
// bundles zlib and OpenSSL into its executable and exports them, so a
// system copy opened without deepbind runs into node's; Debian's arm64
// node (make check-arm64) links the system's libz.so.1 and libcrypto.so.3,
// which dlopen then returns as they are, nothing interposed, nothing to
// warn of.

const fs = require('fs');
const MAPS = process.platform === 'linux' ? fs.readFileSync('/proc/self/maps', 'utf8') : '';
const test = require('node:test');
const assert = require('node:assert/strict');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const ffi = require('..');
const support = require('./support');

const NODE_LINKS_ZLIB = /\/libz\.so/.test(MAPS);
const NODE_LINKS_CRYPTO = /\/libcrypto\.so/.test(MAPS);
// Linux without glibc (musl): no RTLD_DEEPBIND, so deepbind: true throws
const MUSL = process.platform === 'linux' && !process.report.getReport().header.glibcVersionRuntime;
const noDeepbind = MUSL && 'this C library has no RTLD_DEEPBIND (deepbind throws: tested below)';
const dl = (name) => path.join(support.build, 'dl', `lib${name}.so`);
const elfOnly = support.windows
  && 'Windows: a DLL can neither leave a symbol undefined nor take one from a DLL it does not name (the options do nothing there)';

// arm64 node under qemu-user cannot start itself (no binfmt_misc here)
const canSpawn = spawnSync(process.execPath, ['-e', '0']).status === 0;
const spawnSkip = !canSpawn && 'node cannot start another node here (qemu-user without binfmt_misc)';
// node on code in a process of its own, with sbffi as ffi
function alone(code) {
  const r = spawnSync(process.execPath, ['-e', `const ffi = require(${JSON.stringify(require.resolve('..'))});\n${code}`],
    { encoding: 'utf8', timeout: 60000 });
  if (r.error) throw r.error;
  return r;
}

// sbffi's interposition warnings of this process; emitWarning delivers
// them on the next tick
const warnings = [];
process.on('warning', (w) => { if (w.code === 'SBFFI_INTERPOSED') warnings.push(w.message); });
const tick = () => new Promise(setImmediate);

// the file mapped at an address of this process ('' where none is)
function fileAt(address) {
  for (const line of fs.readFileSync('/proc/self/maps', 'utf8').split('\n')) {
    const m = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (m && address >= BigInt(`0x${m[1]}`) && address < BigInt(`0x${m[2]}`)) return m[3];
  }
  return '';
}

test('options: lazy, global and deepbind, booleans; anything else is a TypeError naming dlopen and the option', () => {
  const bad = (options, re) => assert.throws(() => ffi.dlopen(support.testLib, options), (e) => e instanceof TypeError && re.test(e.message));
  bad(5, /^dlopen: options must be an object$/);
  bad(null, /^dlopen: options must be an object$/);
  bad({ lazy: 1 }, /^dlopen: option lazy must be a boolean, got number 1$/);
  bad({ global: 'yes' }, /^dlopen: option global must be a boolean, got a string$/);
  bad({ deepbind: null }, /^dlopen: option deepbind must be a boolean, got null$/);
  bad({ deep: true }, /^dlopen: unknown option 'deep' \(known: lazy, global, deepbind\)$/);
  bad({ now: true }, /unknown option 'now'/);
  assert.equal(ffi.dlopen(null, {}).func('size_t strlen(const char *)')('four'), 4n);
  assert.equal(ffi.dlopen(support.testLib, { lazy: false, global: false, deepbind: false }).func('int take_i8(int8_t)')(-5), -5);
});

test('lazy: a library with an unresolved function is refused without it, opened with it', { skip: elfOnly }, () => {
  assert.throws(() => ffi.dlopen(dl('unresolved')), /cannot open library '.*libunresolved\.so': .*undefined symbol: dl_nowhere/);
  const lib = ffi.dlopen(dl('unresolved'), { lazy: true });
  assert.equal(lib.func('int dl_resolved(int)')(21), 42);
  // its address is known without binding it
  assert.equal(typeof lib.func('int dl_unresolved(int)').address, 'bigint');
  // open again without lazy: as the loader has it, the first open's binding stays
  assert.equal(ffi.dlopen(dl('unresolved')).func('int dl_resolved(int)')(4), 8);
});

test('lazy: the unresolved function fails when it is called, as the loader ends the process',
  { skip: elfOnly || spawnSkip }, () => {
    const r = alone(`ffi.dlopen(${JSON.stringify(dl('unresolved'))}, { lazy: true }).func('int dl_unresolved(int)')(1);`);
    assert.equal(r.status, 127, r.stderr);
    assert.match(r.stderr, /symbol lookup error: .*libunresolved\.so: undefined symbol: dl_nowhere/);
  });

test('global: a library that needs an earlier one\'s symbol opens only once that one is global', { skip: elfOnly }, () => {
  const needs = () => ffi.dlopen(dl('needs_base'));
  assert.throws(needs, /libneeds_base\.so: undefined symbol: dl_base_value/);
  ffi.dlopen(dl('base'));
  assert.throws(needs, /undefined symbol: dl_base_value/, 'opened local: its symbols are its own');
  // open again { global: true }: the loader makes the open library global
  ffi.dlopen(dl('base'), { global: true });
  assert.equal(needs().func('int dl_needs_base(void)')(), 1235);
});

// deflate then inflate through zlib z (a z_stream as zlib.h has it on
// LP64), self-contained: a child process runs its source too
function roundTrip(z, sbffi) {
  const Z_FINISH = 4;
  const Z_STREAM_END = 1;
  sbffi.struct('z_stream', {
    next_in: 'void *', avail_in: 'unsigned int', total_in: 'unsigned long',
    next_out: 'void *', avail_out: 'unsigned int', total_out: 'unsigned long',
    msg: 'void *', state: 'void *', zalloc: 'void *', zfree: 'void *', opaque: 'void *',
    data_type: 'int', adler: 'unsigned long', reserved: 'unsigned long',
  });
  const version = z.func('const char *zlibVersion(void)')();
  const size = sbffi.sizeof('z_stream');
  const through = (init, step, end, input, outSize) => {
    const zs = Buffer.alloc(size);
    if (init(zs, version, size) !== 0) throw new Error('init failed');
    const out = Buffer.alloc(outSize);
    sbffi.encode(zs, 'z_stream', {
      ...sbffi.decode(zs, 'z_stream'),
      next_in: sbffi.address(input), avail_in: input.length, next_out: sbffi.address(out), avail_out: outSize,
    });
    if (step(zs, Z_FINISH) !== Z_STREAM_END) throw new Error('not finished');
    const n = Number(sbffi.decode(zs, 'z_stream').total_out);
    end(zs);
    return out.subarray(0, n);
  };
  const deflateInit = z.func('int deflateInit_(void *strm, int level, const char *version, int size)');
  const input = Buffer.from('Libraries node already contains. '.repeat(50));
  const packed = through((zs, v, n) => deflateInit(zs, 9, v, n), z.func('int deflate(void *, int)'),
    z.func('int deflateEnd(void *)'), input, 4096);
  const back = through(z.func('int inflateInit_(void *strm, const char *version, int size)'),
    z.func('int inflate(void *, int)'), z.func('int inflateEnd(void *)'), packed, input.length);
  return { input, packed, back };
}

test('the system zlib with deepbind: its own deflate and inflate, a round trip', { skip: support.linuxOnly || noDeepbind }, async () => {
  const z = ffi.dlopen('libz.so.1', { deepbind: true });
  const { input, packed, back } = roundTrip(z, ffi);
  assert.ok(packed.length < input.length / 10);
  assert.deepEqual(back, input);
  assert.deepEqual(require('zlib').inflateSync(packed), input);
  // opened again without deepbind: the same library, bound as it was, and
  // no warning (nothing new was loaded)
  assert.deepEqual(roundTrip(ffi.dlopen('libz.so.1'), ffi).back, input);
  await tick();
  assert.deepEqual(warnings, []);
});

test('the system zlib without deepbind: a warning, then a crash in deflate where node bundles zlib (works where it links it)',
  { skip: support.linuxOnly || (!NODE_LINKS_ZLIB && spawnSkip) }, (t) => {
    if (NODE_LINKS_ZLIB) {
      // Debian's arm64 node: the system zlib is node's; already loaded
      t.diagnostic('node links the system zlib: one copy, nothing interposed, no warning, no crash');
      const { input, back } = roundTrip(ffi.dlopen('libz.so.1'), ffi);
      assert.deepEqual(back, input);
      return;
    }
    const r = alone(`
      const a = ffi.dlopen('libz.so.1');
      a.close();
      ffi.dlopen('libz.so.1');            // warned of once
      process.on('warning', () => setImmediate(() => { console.log('crashing'); (${roundTrip})(ffi.dlopen('libz.so.1'), ffi); }));`);
    assert.equal(r.signal, 'SIGSEGV', `${r.status} ${r.stderr}`);
    assert.match(r.stdout, /^crashing$/m);
    const warned = r.stderr.match(/Warning: sbffi: .*/g);
    assert.equal(warned.length, 1, r.stderr);
    assert.match(warned[0], /^Warning: sbffi: libz\.so\.1 defines (\d+) symbols that this node process already exports \(inflate, deflate, [A-Za-z0-9_]+, \.\.\.\): calls inside it may run node's copy\. Open it with \{ deepbind: true \} to bind it to its own\.$/);
    assert.ok(Number(/defines (\d+)/.exec(warned[0])[1]) > 50);
    assert.match(r.stderr, /\[SBFFI_INTERPOSED\]/);
  });

test('deepbind: false, given, silences the warning', { skip: support.linuxOnly || spawnSkip }, () => {
  const r = alone("ffi.dlopen('libz.so.1', { deepbind: false }); ffi.dlopen('libcrypto.so.3', { deepbind: false });");
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /sbffi/);
});

test('no warning for libraries that define nothing of node\'s', { skip: support.linuxOnly }, async () => {
  ffi.dlopen(support.testLib);
  ffi.dlopen(path.join(support.build, `libadder.so`));
  ffi.dlopen(dl('base'));
  ffi.dlopen('libm.so.6');
  ffi.dlopen(null);
  await tick();
  assert.deepEqual(warnings, []);
});

// The second SHA-256 of two copies of OpenSSL: EVP_get_digestbyname looks
// the name up in tables its library's initialisation filled with its own
// EVP_sha256(), through calls that interposition sends to node's copy.
test('libcrypto.so.3 with deepbind: the system OpenSSL, its own tables and its version', { skip: support.linuxOnly || noDeepbind }, (t) => {
  const crypto = ffi.dlopen('libcrypto.so.3', { deepbind: true });
  const own = fileAt(crypto.func('void *EVP_sha256(void)')());
  assert.match(own, /\/libcrypto\.so\.3$/);
  assert.equal(fileAt(crypto.func('void *EVP_get_digestbyname(const char *)')('SHA256')), own);
  const version = crypto.func('void *OpenSSL_version(int)');
  assert.equal(fileAt(version(0)), own);
  const text = ffi.readCString(version(0));
  assert.match(text, /^OpenSSL 3\./);
  // the version the system's file carries, whatever node's is
  assert.ok(fs.readFileSync(own).includes(Buffer.from(`${text}\0`)), `${text} is in ${own}`);
  if (!text.startsWith(`OpenSSL ${process.versions.openssl} `)) {
    assert.doesNotMatch(text, new RegExp(`^OpenSSL ${process.versions.openssl.replace(/\./g, '\\.')} `));
    t.diagnostic(`system ${text}; node's ${process.versions.openssl}`);
  } else if (NODE_LINKS_CRYPTO) {
    t.diagnostic(`node links the system libcrypto (${text}): one copy`);
  } else {
    t.diagnostic(`the system's OpenSSL is node's version (${text}): told apart by its tables above`);
  }
});

test('libcrypto.so.3 without deepbind: its lookups find node\'s tables where node bundles OpenSSL',
  { skip: support.linuxOnly || (!NODE_LINKS_CRYPTO && spawnSkip) }, (t) => {
    const code = `
      const fs = require('fs');
      ${fileAt.toString()}
      const crypto = ffi.dlopen('libcrypto.so.3');
      console.log(fileAt(crypto.func('void *EVP_get_digestbyname(const char *)')('SHA256')));`;
    if (NODE_LINKS_CRYPTO) {
      // Debian's arm64 node: the system libcrypto is node's, already loaded
      t.diagnostic('node links the system libcrypto: its own tables, no warning');
      const crypto = ffi.dlopen('libcrypto.so.3');
      assert.match(fileAt(crypto.func('void *EVP_get_digestbyname(const char *)')('SHA256')), /\/libcrypto\.so\.3$/);
      return;
    }
    const r = alone(code);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), fs.realpathSync('/proc/self/exe'));
    assert.match(r.stderr, /Warning: sbffi: libcrypto\.so\.3 defines \d+ symbols that this node process already exports/);
  });

// Copies of the system zlib, each loaded afresh (another file), one with
// its section headers gone: the check reads what the loader mapped, which
// needs none.
test('a fresh copy of libz is warned of where node bundles zlib, by the name it was opened by', { skip: support.linuxOnly }, async (t) => {
  const libz = /\s(\/\S*\/libz\.so[.\d]*)$/m.exec(fs.readFileSync('/proc/self/maps', 'utf8'));
  assert.ok(libz, 'libz is mapped (the tests above opened it)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sbffi-dl-'));
  try {
    const image = fs.readFileSync(libz[1]);
    fs.writeFileSync(path.join(dir, 'libz-copy.so'), image);
    image.writeUInt16LE(0, 0x3c); // e_shnum
    fs.writeFileSync(path.join(dir, 'libz-no-sections.so'), image);
    fs.copyFileSync(path.join(dir, 'libz-copy.so'), path.join(dir, 'libz-quiet.so'));
    const before = warnings.length;
    ffi.dlopen(path.join(dir, 'libz-copy.so'));
    ffi.dlopen(path.join(dir, 'libz-no-sections.so'));
    // deepbind: false, given: loaded afresh, not looked at, not warned of
    ffi.dlopen(path.join(dir, 'libz-quiet.so'), { deepbind: false });
    await tick();
    const got = warnings.slice(before);
    if (NODE_LINKS_ZLIB) {
      t.diagnostic('node links the system zlib: its executable exports none of it, no warning');
      assert.deepEqual(got, []);
      return;
    }
    assert.equal(got.length, 2, got.join('\n'));
    const count = /defines (\d+) symbols/.exec(got[0])[1];
    assert.ok(got[0].startsWith(`sbffi: ${path.join(dir, 'libz-copy.so')} defines ${count} symbols that this node process already exports (inflate, deflate, `));
    assert.ok(got[1].startsWith(`sbffi: ${path.join(dir, 'libz-no-sections.so')} defines ${count} symbols`), got[1]);
  } finally {
    fs.rmSync(dir, { recursive: true });
  }
});

test('deepbind where the C library has no RTLD_DEEPBIND (musl): an Error naming it, the library not opened',
  { skip: !MUSL && (support.windows ? 'Windows: deepbind has nothing to do there, and is accepted (below)' : 'glibc has RTLD_DEEPBIND') }, () => {
    assert.throws(() => ffi.dlopen(dl('base'), { deepbind: true }),
      (e) => !(e instanceof TypeError) && /^sbffi: cannot open library '.*libbase\.so': option deepbind: this C library has no RTLD_DEEPBIND$/.test(e.message));
    // the process itself has nothing to bind otherwise
    assert.equal(typeof ffi.dlopen(null, { deepbind: true }).symbol('strlen'), 'bigint');
  });

// Last: a library opened global stays so for the rest of the process.
test('options accepted where they change nothing: a library already open, Windows DLLs, the running process', () => {
  const all = { lazy: true, global: true, deepbind: !MUSL };
  const lib = ffi.dlopen(support.windows ? support.winTestLib : support.testLib, all);
  assert.equal(typeof lib.symbol(support.windows ? 'long_neg' : 'take_i8'), 'bigint');
  assert.equal(typeof ffi.dlopen(null, { ...all, deepbind: true }).symbol('strlen'), 'bigint');
});
