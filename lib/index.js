'use strict';
// sbffi public API.

const frame = require('./frame');
const {
  TypeTable, Aggregate, parsePrototype, parseFunctionType, splitDims, defineAggregate, defineOpaque, declaration,
} = require('./types');
const { nodeOf, arrayOf, fieldAt } = require('./layout');
const {
  state, queued, workAfterCall, bufferAddress, DETACHED, bytesOf, describe,
} = require('./convert');
const codec = require('./codec');
const callbacks = require('./callback');
const { compile } = require('./caller');
const { variadic, promote } = require('./variadic');
const { svg } = require('./explain_svg');
const { batch } = require('./batch');

const { binding } = frame;
const tables = new Map();

// A name or path handed to C ends at its first NUL: one that holds a NUL
// is never what the caller meant.
function noNul(what, s) {
  if (s.includes('\0')) throw new TypeError(`${what} contains a NUL character: ${JSON.stringify(s.slice(0, 80))}`);
  return s;
}

function typesFor(abi, what = 'sbffi') {
  if (typeof abi === 'string') noNul(`${what}: ABI name`, abi);
  const key = abi || binding.hostAbi;
  let t = tables.get(key);
  if (!t) {
    try {
      t = new TypeTable(binding.typeInfo(key), key);
    } catch (e) {
      throw new TypeError(`${what}: unknown ABI '${abi}' (known: ${binding.abis.join(', ')})`);
    }
    tables.set(key, t);
  }
  return t;
}

// plain functions passed for function pointer parameters are parsed with
// the host's types
callbacks.setTypes(() => typesFor());

const OPTIONS = new Set(['bigint', 'errno']);

// counted before anything is walked: an array of 2^32 - 1 holes is refused
// at once, not visited
function tooMany(name, n) {
  if (n > frame.layout.MAX_ARGS) {
    throw new TypeError(`${name}: too many arguments (${n}; at most ${frame.layout.MAX_ARGS})`);
  }
}

// One parameter: its parsed type, and the layout trees of an aggregate
// by value or behind a struct pointer.
function parseParam(types, text, what, name, fnName) {
  let type = types.parse(text, what);
  if (type.kind === 'void') throw new TypeError(`${what}: void is not an argument type`);
  // a plain function passed here is a callback named after the parameter
  if (type.fn && name) type = { ...type, fn: { ...type.fn, name } };
  const p = { name, type };
  if (type.kind === 'agg') p.node = nodeOf(types, type);
  if (type.pointee) p.pointeeNode = nodeOf(types, types.aggregate(type.pointee, '', fnName));
  return p;
}

// (prototype[, options]) or (name, ret, args[, options]) -> signature parts
function readSignature(a, b, c, d, types) {
  let decl;
  let options;
  if (typeof b === 'string' || Array.isArray(c)) {
    if (typeof a !== 'string' || !a) throw new TypeError('sbffi: function name must be a non-empty string');
    if (!Array.isArray(c)) throw new TypeError(`${a}: argument types must be an array`);
    tooMany(a, c.length - (c[c.length - 1] === '...' ? 1 : 0));
    const variadic = c[c.length - 1] === '...';
    const args = variadic ? c.slice(0, -1) : c;
    if (args.includes('...')) throw new TypeError(`${a}: '...' must be the last parameter`);
    decl = { name: a, ret: b, args: args.map((type) => ({ type, name: null })), variadic };
    options = d;
  } else {
    decl = parsePrototype(a);
    options = b;
  }
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw new TypeError(`${decl.name}: options must be an object`);
  }
  tooMany(decl.name, decl.args.length);
  const ret = types.parse(decl.ret, `${decl.name}: return type`);
  const params = decl.args.map((p, i) => parseParam(types, p.type,
    `${decl.name}: argument ${i + 1}${p.name ? ` (${p.name})` : ''}`, p.name, decl.name));
  for (const k of Object.keys(options || {})) {
    if (!OPTIONS.has(k)) throw new TypeError(`${decl.name}: unknown option '${k}'`);
  }
  if (options && options.errno !== undefined && typeof options.errno !== 'boolean') {
    throw new TypeError(`${decl.name}: option errno must be a boolean`);
  }
  const retNode = ret.kind === 'agg' ? nodeOf(types, ret) : undefined;
  return {
    name: decl.name, ret, retNode, params, variadic: !!decl.variadic,
    bigint: !(options && options.bigint === false), errno: !!(options && options.errno),
  };
}

function defineFor(abi, sig, nfixed) {
  return binding.define(abi, sig.ret.id, sig.params.map((p) => p.type.id), nfixed);
}

// as C writes it: a function returning a function pointer is
// 'void (*name(args))(void)'
function signatureText(sig) {
  const args = sig.params.map((p) => declaration(p.type.text, p.name));
  if (sig.variadic) args.push('...');
  const head = `${sig.name}(${args.join(', ') || 'void'})`;
  return sig.ret.fn ? declaration(sig.ret.text, head) : `${sig.ret.text} ${head}`;
}

// dlopen's options ({ lazy, global, deepbind }: booleans) as the loader's
// flags (src/dl.h); warn: whether to look for symbols of node's in the
// library, unless deepbind: false says the user knows.
function dlOptions(options) {
  if (options === undefined) return { flags: 0, warn: true };
  if (options === null || typeof options !== 'object') throw new TypeError('dlopen: options must be an object');
  let flags = 0;
  let warn = true;
  for (const [k, v] of Object.entries(options)) {
    if (!Object.hasOwn(binding.dlFlags, k)) {
      throw new TypeError(`dlopen: unknown option '${k}' (known: ${Object.keys(binding.dlFlags).join(', ')})`);
    }
    if (typeof v !== 'boolean') throw new TypeError(`dlopen: option ${k} must be a boolean, got ${describe(v)}`);
    if (v) flags |= binding.dlFlags[k];
    if (k === 'deepbind' && !v) warn = false;
  }
  return { flags, warn };
}

// files already warned of, once each
const warned = new Set();

// A library just loaded that defines symbols node's executable exports
// too (src/elf_symbols.c) may run node's copies of them from its own code:
// said once per library, with the remedy, as a process warning.
function warnInterposed(path, found) {
  if (warned.has(path)) return;
  warned.add(path);
  const n = found.count === 1 ? '1 symbol' : `${found.count} symbols`;
  process.emitWarning(`sbffi: ${path} defines ${n} that this node process already exports `
    + `(${found.names.join(', ')}${found.count > found.names.length ? ', ...' : ''}): calls inside it may run node's copy. `
    + 'Open it with { deepbind: true } to bind it to its own.', { code: 'SBFFI_INTERPOSED' });
}

class Library {
  constructor(path, options) {
    if (path !== null && path !== undefined && typeof path !== 'string') {
      throw new TypeError(`sbffi: dlopen takes a path or null, got ${typeof path}`);
    }
    const { flags, warn } = dlOptions(options);
    this.closed = false;
    this.name = path ? `'${path}'` : 'of the running process';
    this.path = path || null;
    if (this.path) noNul('dlopen: library path', this.path);
    // warn false: nothing looked for either
    this.handle = binding.dlopen(this.path, flags, warn);
    // what this open found of node's symbols in the library it loaded
    const found = warn && binding.dlinterposed(this.handle);
    if (found) warnInterposed(path, found);
    // .async calls not settled yet: close() leaves the library loaded
    // until the last has returned
    this.pending = 0;
    this.unloaded = false;
  }

  // func('size_t strlen(const char *s)'[, options])
  // func('add', 'uint32_t', ['uint32_t', 'uint32_t'][, options])
  // options: { bigint: false } returns 64-bit integers as Numbers;
  // { errno: true } saves errno (and GetLastError) as the call returns
  func(a, b, c, d) {
    const types = typesFor();
    const sig = readSignature(a, b, c, d, types);
    if (this.closed) throw new Error(`${sig.name}: library ${this.name} is closed`);
    const address = this.symbol(sig.name);
    const make = (s, nfixed) => compile({ ...s, lib: this, address: Number(address) }, defineFor(undefined, s, nfixed));
    let fn;
    let source;
    if (sig.variadic) {
      fn = variadic(sig, types, (t, what) => parseParam(types, t, what, null, sig.name), make, frame.layout.MAX_ARGS);
    } else {
      const c = make(sig);
      fn = c.fn;
      fn.async = c.async;
      source = c.source;
    }
    Object.defineProperties(fn, {
      address: { value: address, enumerable: true },
      signature: { value: signatureText(sig), enumerable: true },
      // the generated JavaScript, for reading (a variadic function has
      // one per list of anonymous types)
      source: { value: source },
    });
    return fn;
  }

  // address of a symbol as a BigInt
  symbol(name) {
    if (typeof name !== 'string' || name === '') throw new TypeError('symbol: name must be a non-empty string');
    noNul(`${name.slice(0, name.indexOf('\0'))}: symbol name`, name);
    if (this.closed) throw new Error(`${name}: library ${this.name} is closed`);
    return binding.dlsym(this.handle, name);
  }

  // Its functions throw from now on; its code is unloaded once nothing of
  // this thread may still run it: at once, or when the outermost call
  // returns (close() from a callback, which C of it called), or when its
  // last .async call has settled.
  close() {
    if (this.closed) return;
    this.closed = true;
    // or a call of it recorded in a batch (lib/batch.js) is still to run
    if (state.depth > 0 || queued()) workAfterCall().closes.push(this);
    else this.unloadWhenIdle();
  }

  unloadWhenIdle() {
    if (this.pending === 0 && !this.unloaded) {
      this.unloaded = true;
      binding.dlclose(this.handle);
    }
  }

  // an .async call of one of its functions has settled
  settled() {
    this.pending--;
    if (this.closed && state.depth === 0) this.unloadWhenIdle();
  }
}

// dlopen(path | null[, { lazy, global, deepbind }])
function dlopen(path, options) {
  return new Library(path, options);
}

// Where each argument and the return value go under an ABI (default: host).
// An aggregate shows how it travels (pass: 'registers', 'stack',
// 'reference', 'empty') and, in registers, each piece: its bytes, its
// register and the class that sent it there (System V INTEGER or SSE,
// AAPCS64 HFA member or GPR double-word, Win64 INTEGER).
// A variadic prototype's anonymous arguments: options.varargs, a list of
// their types (promoted as a call's are).
function explain(prototype, abi, options) {
  if (abi !== undefined && typeof abi !== 'string') throw new TypeError('explain: abi must be a string');
  const types = typesFor(abi, 'explain');
  const sig = readSignature(prototype, undefined, undefined, undefined, types);
  const varargs = options && options.varargs !== undefined ? options.varargs : [];
  if (!Array.isArray(varargs)) throw new TypeError('explain: options.varargs must be an array of types');
  if (varargs.length && !sig.variadic) throw new TypeError(`explain: ${sig.name} is not variadic`);
  const nfixed = sig.params.length;
  for (const [i, t] of varargs.entries()) {
    const p = parseParam(types, t, `explain: varargs[${i}]`, null, sig.name);
    sig.params.push({ ...p, type: promote(types, p.type) });
  }
  const plan = defineFor(abi || binding.hostAbi, sig, nfixed);
  const at = (p) => (p.where === 'stack' ? 'stack' : p.where === 'none' ? 'none' : p.reg);
  const PASS = { parts: 'registers', stack: 'stack', ref: 'reference', empty: 'empty' };
  const describePlace = (type, place, isRet) => {
    const out = { type: type.text, kind: place.kind, where: at(place) };
    if (place.kind !== 'agg') return out;
    out.size = place.size;
    out.pass = PASS[place.pass];
    if (place.pass === 'parts') {
      out.parts = place.parts.map((q) => ({
        bytes: [q.from, q.from + q.size - 1], where: q.where === 'stack' ? 'stack' : q.reg, class: q.class,
        ...(q.where === 'stack' ? { offset: q.index } : {}),
      }));
      out.where = out.parts.map((q) => q.where).join(', ');
    } else if (place.pass === 'empty') {
      out.where = 'none';
    } else if (place.pass === 'ref' && isRet) {
      out.where = 'memory';
      out.pointer = plan.retPtrReg;
    }
    return out;
  };
  const result = {
    abi: plan.abi,
    function: sig.name,
    return: sig.ret.kind === 'void' ? { type: sig.ret.text, kind: 'void', where: 'none' }
      : describePlace(sig.ret, plan.ret, true),
    args: sig.params.map((p, i) => {
      const place = plan.args[i];
      const out = describePlace(p.type, place, false);
      if (p.name) out.name = p.name;
      if (i >= nfixed) out.variadic = true;
      if (p.type.fround || p.type.convertAs) out.promoted = p.type.fround ? 'double' : 'int';
      if (place.also) out.where = `${out.where}, ${place.alsoReg}`;
      if (place.where === 'stack') out.offset = place.index;
      return out;
    }),
    stackBytes: plan.nstack * frame.layout.WORD,
  };
  // .svg(): the placement drawn (lib/explain_svg.js); not enumerable, so
  // JSON and deepEqual see the placement alone
  return Object.defineProperty(result, 'svg', { value: () => svg([result], explain) });
}

// errno as the last call declared { errno: true } on this thread left it
// (saved the moment its target returned), or errno(n): the value such a
// call sets errno to before its target runs (0 before strtol, say), and
// what errno() says until then. lastError: the same for Windows'
// GetLastError() and SetLastError() (0 elsewhere).
const ERRNO = frame.layout.OFF_ERRNO >> 2;
const LAST_ERROR = frame.layout.OFF_LAST_ERROR >> 2;

function errorCode(what, index, view, args) {
  if (args.length === 0) return view[index];
  const n = args[0];
  if (!Number.isInteger(n) || n < -(2 ** 31) || n >= 2 ** 32) {
    throw new TypeError(`${what}: expected a 32-bit integer, got ${describe(n)}`);
  }
  view[index] = n;
  return undefined;
}

function errno(...args) {
  return errorCode('errno', ERRNO, frame.I32, args);
}

function lastError(...args) {
  return errorCode('lastError', LAST_ERROR, frame.U32, args);
}

function checkPointer(fn, ptr) {
  if (typeof ptr !== 'bigint') throw new TypeError(`${fn}: pointer must be a BigInt, got ${typeof ptr}`);
}

// ArrayBuffer over native memory (a copy where external buffers are forbidden),
// at most as long as Node makes one
const MAX_VIEW = require('buffer').constants.MAX_LENGTH;
function view(ptr, byteLength) {
  checkPointer('view', ptr);
  if (!Number.isSafeInteger(byteLength) || byteLength < 0) {
    throw new TypeError('view: byteLength must be a non-negative integer');
  }
  if (ptr === 0n && byteLength > 0) throw new TypeError('view: pointer is NULL');
  if (byteLength > MAX_VIEW) {
    throw new RangeError(`view: byteLength ${byteLength} is more than an ArrayBuffer can hold here (${MAX_VIEW} bytes)`);
  }
  return binding.view(ptr, byteLength);
}

function readCString(ptr) {
  if (ptr === null || ptr === 0n) return null;
  checkPointer('readCString', ptr);
  return binding.readCString(ptr);
}

function address(v) {
  const a = bufferAddress(v);
  if (a === DETACHED) throw new TypeError(`address: the buffer of this ${describe(v).replace(/^an? /, '')} is detached`);
  if (a < 0) throw new TypeError('address: expected a Buffer, TypedArray, DataView or ArrayBuffer');
  return BigInt(a);
}

// A type for sizeof, alignof, offsetof, decode and encode: a name, a
// declaration such as 'int32_t[4]', or a struct type.
function typeNode(type, what, abi) {
  const types = typesFor(abi, what);
  if (type instanceof Aggregate) return nodeOf(types, types.parse(type, what));
  if (typeof type !== 'string') throw new TypeError(`${what}: type must be a string or a struct type, got ${describe(type)}`);
  const { base, dims } = splitDims(type, what);
  const parsed = types.parse(base, what);
  if (parsed.kind === 'void') throw new TypeError(`${what}: void has no size`);
  const count = dims.reduce((x, y) => x * y, 1);
  if (count > 1 && nodeOf(types, parsed).size * count > 2 ** 31) throw new TypeError(`${what}: '${type}' is too large`);
  return arrayOf(types, parsed, dims);
}

// As the target's C compiler says, for the host or any ABI.
function sizeof(type, abi) {
  return typeNode(type, 'sizeof', abi).size;
}

function alignof(type, abi) {
  return typeNode(type, 'alignof', abi).align;
}

// offsetof(type, 'field') or offsetof(type, 'inner.field')
function offsetof(type, field, abi) {
  const node = typeNode(type, 'offsetof', abi);
  if (node.kind !== 'struct' && node.kind !== 'union') throw new TypeError(`offsetof: ${String(type)} is not a struct or union`);
  if (typeof field !== 'string') throw new TypeError('offsetof: field must be a string');
  return fieldAt(node, field, 'offsetof').offset;
}

// Memory of a BigInt pointer or a buffer, `size` bytes of it, as a DataView.
function memoryOf(target, size, what) {
  if (typeof target === 'bigint') {
    if (target === 0n) throw new TypeError(`${what}: pointer is NULL`);
    return { view: new DataView(binding.view(target, size)), offset: 0, pointer: target };
  }
  const view = bytesOf(target);
  if (view === null) throw new TypeError(`${what}: expected a BigInt pointer or a buffer, got ${describe(target)}`);
  if (view.byteLength < size) throw new TypeError(`${what}: the buffer has ${view.byteLength} bytes, the type needs ${size}`);
  return { view, offset: 0, pointer: null };
}

// ffi.decode(ptrOrBuffer, type[, { bigint }]): the value at that memory
function decode(target, type, options) {
  const node = typeNode(type, 'decode');
  const m = memoryOf(target, node.size, 'decode');
  return codec.decode(node, m.view, m.offset, null, !(options && options.bigint === false));
}

// ffi.encode(ptrOrBuffer, type, value): writes value's C representation
function encode(target, type, value) {
  const node = typeNode(type, 'encode');
  const snap = codec.read(node, value, 'encode: value', false);
  const m = memoryOf(target, node.size, 'encode');
  if (m.pointer === null) {
    codec.write(node, snap, m.view, m.offset, null);
    return;
  }
  // native memory: through a copy, as a view of it may be one (embedders
  // that forbid external buffers)
  const copy = new Uint8Array(node.size);
  codec.write(node, snap, new DataView(copy.buffer), 0, null);
  binding.copy(m.pointer, copy);
}

// ffi.struct('Vec2', { x: 'float', y: 'float' }[, { pack, align }]),
// ffi.struct('struct Color { uint8_t r, g, b, a; }'[, options])
function struct(a, b, c) {
  return defineAggregate('struct', a, b, c, typesFor());
}

function union(a, b, c) {
  return defineAggregate('union', a, b, c, typesFor());
}

// callback(signature, fn[, options]) or callback(ret, [args], fn[, options]):
// a C function pointer that calls fn. signature: 'int (const void *, int)'
// or 'int name(const void *a, int b)'. options: { fireAndForget: true }
// (void callbacks called from other threads do not wait), { bigint: false }.
function callback(a, b, c, d) {
  let decl;
  let fn;
  let options;
  if (typeof a === 'string' && Array.isArray(b)) {
    tooMany('sbffi.callback', b.length);
    decl = { name: null, ret: a, args: b.map((type) => ({ type, name: null })) };
    fn = c;
    options = d;
  } else if (typeof a === 'string') {
    decl = parseFunctionType(a);
    fn = b;
    options = c;
  } else {
    throw new TypeError('sbffi.callback: expected (signature, fn[, options]) or (ret, [args], fn[, options])');
  }
  return callbacks.create(decl, typesFor(), fn, options);
}

module.exports = {
  dlopen,
  Library,
  explain,
  view,
  readCString,
  address,
  sizeof,
  alignof,
  offsetof,
  struct,
  union,
  opaque: defineOpaque,
  decode,
  encode,
  abi: binding.hostAbi,
  abis: binding.abis.slice(),
  callback,
  errno,
  lastError,
  batch,
  Callback: callbacks.Callback,
  trampolineCount: binding.trampolineCount,
  ...require('./compat')({ dlopen, callback, address }),
};
