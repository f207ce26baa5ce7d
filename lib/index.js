'use strict';
// sbffi public API.

const frame = require('./frame');
const { TypeTable, parsePrototype, parseFunctionType } = require('./types');
const { compile, bufferAddress } = require('./caller');
const callbacks = require('./callback');

const { binding } = frame;
const tables = new Map();

function typesFor(abi) {
  const key = abi || binding.hostAbi;
  let t = tables.get(key);
  if (!t) {
    try {
      t = new TypeTable(binding.typeInfo(key));
    } catch (e) {
      throw new TypeError(`sbffi: unknown ABI '${abi}' (known: ${binding.abis.join(', ')})`);
    }
    tables.set(key, t);
  }
  return t;
}

// plain functions passed for function pointer parameters are parsed with
// the host's types
callbacks.setTypes(() => typesFor());

// (prototype[, options]) or (name, ret, args[, options]) -> signature parts
function readSignature(a, b, c, d, types) {
  let decl;
  let options;
  if (typeof b === 'string' || Array.isArray(c)) {
    if (typeof a !== 'string' || !a) throw new TypeError('sbffi: function name must be a non-empty string');
    if (!Array.isArray(c)) throw new TypeError(`${a}: argument types must be an array`);
    decl = { name: a, ret: b, args: c.map((type) => ({ type, name: null })) };
    options = d;
  } else {
    decl = parsePrototype(a);
    options = b;
  }
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw new TypeError(`${decl.name}: options must be an object`);
  }
  const ret = types.parse(decl.ret, `${decl.name}: return type`);
  const params = decl.args.map((p, i) => {
    const what = `${decl.name}: argument ${i + 1}${p.name ? ` (${p.name})` : ''}`;
    const type = types.parse(p.type, what);
    if (type.kind === 'void') throw new TypeError(`${what}: void is not an argument type`);
    return { name: p.name, type };
  });
  if (params.length > frame.layout.MAX_ARGS) {
    throw new TypeError(`${decl.name}: too many arguments (${params.length}; at most ${frame.layout.MAX_ARGS})`);
  }
  return { name: decl.name, ret, params, bigint: !(options && options.bigint === false) };
}

function defineFor(abi, sig) {
  return binding.define(abi, sig.ret.id, sig.params.map((p) => p.type.id));
}

function signatureText(sig) {
  const args = sig.params.map((p) => (p.name ? `${p.type.text} ${p.name}` : p.type.text));
  return `${sig.ret.text} ${sig.name}(${args.join(', ') || 'void'})`;
}

class Library {
  constructor(path) {
    if (path !== null && path !== undefined && typeof path !== 'string') {
      throw new TypeError(`sbffi: dlopen takes a path or null, got ${typeof path}`);
    }
    this.closed = false;
    this.name = path ? `'${path}'` : 'of the running process';
    this.path = path || null;
    this.handle = binding.dlopen(this.path);
  }

  // func('size_t strlen(const char *s)'[, options])
  // func('add', 'uint32_t', ['uint32_t', 'uint32_t'][, options])
  // options: { bigint: false } returns 64-bit integers as Numbers
  func(a, b, c, d) {
    const sig = readSignature(a, b, c, d, typesFor());
    if (this.closed) throw new Error(`${sig.name}: library ${this.name} is closed`);
    const address = this.symbol(sig.name);
    const plan = defineFor(undefined, sig);
    const fn = compile({ ...sig, lib: this, address: Number(address) }, plan);
    Object.defineProperties(fn, {
      address: { value: address, enumerable: true },
      signature: { value: signatureText(sig), enumerable: true },
    });
    return fn;
  }

  // address of a symbol as a BigInt
  symbol(name) {
    if (this.closed) throw new Error(`${name}: library ${this.name} is closed`);
    return binding.dlsym(this.handle, name);
  }

  close() {
    if (this.closed) return;
    binding.dlclose(this.handle);
    this.closed = true;
  }
}

function dlopen(path) {
  return new Library(path);
}

// Where each argument and the return value go under an ABI (default: host).
function explain(prototype, abi) {
  if (abi !== undefined && typeof abi !== 'string') throw new TypeError('explain: abi must be a string');
  const types = typesFor(abi);
  const sig = readSignature(prototype, undefined, undefined, undefined, types);
  const plan = defineFor(abi || binding.hostAbi, sig);
  const at = (p) => (p.where === 'stack' ? 'stack' : p.where === 'none' ? 'none' : p.reg);
  return {
    abi: plan.abi,
    function: sig.name,
    return: { type: sig.ret.text, kind: plan.ret.kind, where: at(plan.ret) },
    args: sig.params.map((p, i) => {
      const place = plan.args[i];
      const out = { type: p.type.text, kind: place.kind, where: at(place) };
      if (p.name) out.name = p.name;
      if (place.where === 'stack') out.offset = place.index;
      return out;
    }),
    stackBytes: plan.nstack * frame.layout.WORD,
  };
}

function checkPointer(fn, ptr) {
  if (typeof ptr !== 'bigint') throw new TypeError(`${fn}: pointer must be a BigInt, got ${typeof ptr}`);
}

// ArrayBuffer over native memory (a copy where external buffers are forbidden)
function view(ptr, byteLength) {
  checkPointer('view', ptr);
  if (!Number.isSafeInteger(byteLength) || byteLength < 0) {
    throw new TypeError('view: byteLength must be a non-negative integer');
  }
  if (ptr === 0n && byteLength > 0) throw new TypeError('view: pointer is NULL');
  return binding.view(ptr, byteLength);
}

function readCString(ptr) {
  if (ptr === null || ptr === 0n) return null;
  checkPointer('readCString', ptr);
  return binding.readCString(ptr);
}

function address(v) {
  const a = bufferAddress(v);
  if (a < 0) throw new TypeError('address: expected a Buffer, TypedArray, DataView or ArrayBuffer');
  return BigInt(a);
}

function sizeof(type) {
  return typesFor().parse(type, 'sizeof').size;
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

// sbffi 1.x compatibility
// createCallback(fn, ret, [args]) -> the function pointer as a BigInt;
// destroyCallback(pointer) lets go of it
const compatCallbacks = new Map();
function createCallback(fn, ret, args) {
  const cb = callback(ret, args || [], fn);
  compatCallbacks.set(cb.address, cb);
  return cb.address;
}

function destroyCallback(ptr) {
  const cb = compatCallbacks.get(ptr);
  if (!cb) throw new TypeError('destroyCallback: not a pointer from createCallback');
  compatCallbacks.delete(ptr);
  cb.close();
}

const compatLibs = new Map();
function getNativeFunction(path, name, ret, args) {
  let lib = compatLibs.get(path);
  if (!lib) {
    lib = dlopen(path);
    compatLibs.set(path, lib);
  }
  return lib.func(name, ret, args);
}

module.exports = {
  dlopen,
  Library,
  explain,
  view,
  readCString,
  address,
  sizeof,
  abi: binding.hostAbi,
  abis: binding.abis.slice(),
  callback,
  Callback: callbacks.Callback,
  trampolineCount: binding.trampolineCount,
  getNativeFunction,
  getBufferPointer: address,
  createCallback,
  destroyCallback,
};
