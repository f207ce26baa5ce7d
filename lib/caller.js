'use strict';
// Per signature, one generated straight-line function: write each argument
// with the view of its kind at its planned frame offset, call the one
// no-argument native entry, read the result from the return slot.

const frame = require('./frame');

const { binding, layout: L } = frame;
const TWO32 = 4294967296;

// Kept alive until the call returns: temporaries we allocate and the
// buffers whose addresses are in the frame. A callback running inside a
// call raises the bases (lib/callback.js), so the calls it makes leave the
// outer call's strings and references alone. err: the first exception a
// callback threw, rethrown by the caller when C has returned.
const state = { pos: 0, keep: [], base: 0, keepBase: 0, err: undefined };

const baseCache = new WeakMap();

// Data address of a Buffer, TypedArray, DataView or ArrayBuffer as a
// Number (user-space addresses fit in 53 bits), or -1 for anything else.
// An ArrayBuffer's data never moves, so its address is asked for once.
function bufferAddress(v) {
  let ab;
  let offset = 0;
  if (ArrayBuffer.isView(v)) {
    ab = v.buffer;
    offset = v.byteOffset;
  } else if (v instanceof ArrayBuffer) {
    ab = v;
  } else if (typeof SharedArrayBuffer === 'function' && v instanceof SharedArrayBuffer) {
    return binding.addressOf(new Uint8Array(v));
  } else {
    return -1;
  }
  // shared and detached buffers are asked for each time
  if (!(ab instanceof ArrayBuffer) || ab.byteLength === 0) return binding.addressOf(v);
  let base = baseCache.get(ab);
  if (base === undefined) {
    base = binding.addressOf(ab);
    baseCache.set(ab, base);
  }
  return base + offset;
}

function describe(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return v.constructor && v.constructor !== Object ? `a ${v.constructor.name}` : 'an object';
  if (typeof v === 'string') return 'a string';
  return `${typeof v === 'undefined' ? '' : `${typeof v} `}${String(v)}`.trim();
}

function writeAddress(o4, addr) {
  frame.I32[o4] = addr;
  frame.I32[o4 + 1] = addr / TWO32;
}

const SHORT_STRING = 64;

// UTF-8 by hand for short strings: for a few bytes this beats the
// encoder's call into C++. Lone surrogates become U+FFFD, as Buffer does.
// Returns the bytes written before the NUL.
function writeUtf8(s, at) {
  const U8 = frame.U8;
  const len = s.length;
  let j = at;
  for (let i = 0; i < len; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      U8[j++] = c;
    } else if (c < 0x800) {
      U8[j++] = 0xc0 | (c >> 6);
      U8[j++] = 0x80 | (c & 63);
    } else {
      if (c >= 0xd800 && c <= 0xdfff) {
        const d = i + 1 < len ? s.charCodeAt(i + 1) : 0;
        if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          i++;
          U8[j++] = 0xf0 | (c >> 18);
          U8[j++] = 0x80 | ((c >> 12) & 63);
          U8[j++] = 0x80 | ((c >> 6) & 63);
          U8[j++] = 0x80 | (c & 63);
          continue;
        }
        c = 0xfffd;
      }
      U8[j++] = 0xe0 | (c >> 12);
      U8[j++] = 0x80 | ((c >> 6) & 63);
      U8[j++] = 0x80 | (c & 63);
    }
  }
  U8[j] = 0;
  return j - at;
}

// A JS string as a NUL-terminated UTF-8 argument, encoded into this
// thread's scratch area; one too long for what is left gets its own buffer.
function writeString(s, o4) {
  const room = L.SCRATCH_SIZE - state.pos;
  if (s.length <= SHORT_STRING && s.length * 3 < room) {
    const n = writeUtf8(s, L.FRAME_SIZE + state.pos);
    writeAddress(o4, frame.scratchAddress + state.pos);
    state.pos += n + 1;
  } else if (s.length * 3 < room) {
    const n = frame.scratch.utf8Write(s, state.pos);
    frame.scratch[state.pos + n] = 0;
    writeAddress(o4, frame.scratchAddress + state.pos);
    state.pos += n + 1;
  } else {
    const b = Buffer.from(`${s}\0`, 'utf8');
    state.keep.push(b);
    writeAddress(o4, bufferAddress(b));
  }
}

// The conversions the fast paths of storeArg leave to a helper, for any
// scalar; `fail(i, v, expected)` throws, naming what is converted.
function scalarHelpers(fail) {
  return {
    int(v, i) {
      if (typeof v === 'bigint') return Number(BigInt.asIntN(32, v));
      return fail(i, v, 'a number or BigInt');
    },
    bool(v, i) {
      if (typeof v === 'number') return v !== 0;
      return fail(i, v, 'a boolean');
    },
    float(v, i) {
      return fail(i, v, 'a number');
    },
    int64(v, o4, i) {
      if (typeof v !== 'number') fail(i, v, 'a BigInt or number');
      frame.I32[o4] = v;
      frame.I32[o4 + 1] = Math.floor(Math.trunc(v) / TWO32);
    },
  };
}

// Signature-bound helpers for the values the fast paths do not take.
function helpers(sig) {
  const fail = (i, v, expected) => {
    const p = sig.params[i];
    const name = p && p.name ? ` (${p.name})` : '';
    throw new TypeError(`${sig.name}: argument ${i + 1}${name} must be ${expected}, got ${describe(v)}`);
  };
  return {
    fail,
    argc(n) {
      const want = sig.params.length;
      throw new TypeError(`${sig.name}: expected ${want} argument${want === 1 ? '' : 's'}, got ${n}`);
    },
    closed() {
      throw new Error(`${sig.name}: library ${sig.lib.name} is closed`);
    },
    // after the call: let go of the references, close the callbacks made
    // for plain functions (valid for this call only)
    release() {
      const keep = state.keep;
      for (let i = state.keepBase; i < keep.length; i++) {
        if (keep[i] !== null && typeof keep[i] === 'object' && keep[i].temporary === true) keep[i].close();
      }
      keep.length = state.keepBase;
    },
    // a callback threw during the call: C got zero, JS gets the exception
    rethrow() {
      const e = state.err;
      state.err = undefined;
      throw e;
    },
    ...scalarHelpers(fail),
    pointer(v, o4, i) {
      const p = sig.params[i].type;
      if (v === null) {
        writeAddress(o4, 0);
      } else if (typeof v === 'string' && p.charPointer) {
        writeString(v, o4);
      } else {
        const addr = bufferAddress(v);
        if (addr < 0) {
          writeAddress(o4, this.callback(v, p, i));
        } else {
          state.keep.push(v);
          writeAddress(o4, addr);
        }
      }
    },
    // a callback handle, or a plain function for a function pointer
    // parameter (valid for this call only: closed by release())
    callback(v, p, i) {
      const cbs = callbacks();
      if (v instanceof cbs.Callback) return v.checkOpen(sig.name, i);
      if (typeof v === 'function' && p.fn) {
        const cb = cbs.temporary(p, v, `${sig.name}: argument ${i + 1}`);
        state.keep.push(cb);
        return cb.addressNumber;
      }
      return fail(i, v, p.charPointer
        ? 'a string, Buffer, TypedArray, ArrayBuffer, BigInt or null'
        : p.fn ? 'a function, callback, BigInt or null'
          : 'a Buffer, TypedArray, ArrayBuffer, BigInt or null');
    },
  };
}

// Code that stores argument `a` (index i) at its place.
function storeArg(a, i, place) {
  const o4 = place.offset >> 2;
  const o8 = place.offset >> 3;
  const int = `if (typeof ${a} !== 'number') ${a} = H.int(${a}, ${i}); `;
  switch (place.kind) {
    case 'bool':
      return `if (typeof ${a} !== 'boolean') ${a} = H.bool(${a}, ${i}); I32[${o4}] = ${a} ? 1 : 0;`;
    // narrow integers go in as 32-bit values, extended as GCC and clang expect
    case 'i8': return `${int}I32[${o4}] = (${a} << 24) >> 24;`;
    case 'u8': return `${int}I32[${o4}] = ${a} & 255;`;
    case 'i16': return `${int}I32[${o4}] = (${a} << 16) >> 16;`;
    case 'u16': return `${int}I32[${o4}] = ${a} & 65535;`;
    case 'i32':
    case 'u32': return `${int}I32[${o4}] = ${a};`;
    case 'i64':
    case 'u64':
      return `if (typeof ${a} === 'bigint') I64[${o8}] = ${a}; else H.int64(${a}, ${o4}, ${i});`;
    case 'f32': return `if (typeof ${a} !== 'number') H.float(${a}, ${i}); F32[${o4}] = ${a};`;
    case 'f64': return `if (typeof ${a} !== 'number') H.float(${a}, ${i}); F64[${o8}] = ${a};`;
    case 'ptr':
      return `if (typeof ${a} === 'bigint') U64[${o8}] = ${a}; else H.pointer(${a}, ${o4}, ${i});`;
    default: throw new Error(`sbffi: no conversion for kind ${place.kind}`);
  }
}

// An expression for the value at `place` in the frame: a call's result, a
// callback's argument. cstring(offset) gives the one for a const char *.
function loadValue(place, type, bigint, cstring) {
  const r = place.offset;
  const hi = (r >> 2) + 1;
  switch (place.kind) {
    case 'void': return 'undefined';
    case 'bool': return `U8[${r}] !== 0`;
    case 'i8': return `I8[${r}]`;
    case 'u8': return `U8[${r}]`;
    case 'i16': return `I16[${r >> 1}]`;
    case 'u16': return `U16[${r >> 1}]`;
    case 'i32': return `I32[${r >> 2}]`;
    case 'u32': return `U32[${r >> 2}]`;
    case 'i64': return bigint ? `I64[${r >> 3}]` : `I32[${hi}] * ${TWO32} + U32[${r >> 2}]`;
    case 'u64': return bigint ? `U64[${r >> 3}]` : `U32[${hi}] * ${TWO32} + U32[${r >> 2}]`;
    case 'f32': return `F32[${r >> 2}]`;
    case 'f64': return `F64[${r >> 3}]`;
    case 'ptr': return type.cstring ? cstring(r) : `U64[${r >> 3}]`;
    default: throw new Error(`sbffi: no conversion for kind ${place.kind}`);
  }
}

// a const char * result is made a string without its pointer leaving the frame
const retCString = () => 'B.retCString()';

// sig: { name, lib: { name, closed }, address (Number), ret: type,
//        params: [{ name, type }], bigint }
// plan: from binding.define for the host ABI
function compile(sig, plan) {
  const n = sig.params.length;
  const args = Array.from({ length: n }, (_, i) => `a${i}`);
  const usesPointers = plan.args.some((p) => p.kind === 'ptr');
  const body = [
    '"use strict";',
    `if (arguments.length !== ${n}) H.argc(arguments.length);`,
    'if (LIB.closed) H.closed();',
  ];
  if (sig.params.some((p) => p.type.charPointer)) body.push('S.pos = S.base;');
  sig.params.forEach((p, i) => body.push(storeArg(args[i], i, plan.args[i])));
  body.push(
    `I32[${L.OFF_FN >> 2}] = ${sig.address % TWO32};`,
    `I32[${(L.OFF_FN >> 2) + 1}] = ${Math.floor(sig.address / TWO32)};`,
    `I32[${L.OFF_NSTACK >> 2}] = ${plan.nstack};`,
    `I32[${L.OFF_NVEC >> 2}] = ${plan.nvec};`,
    'B.call();',
  );
  const ret = loadValue(plan.ret, sig.ret, sig.bigint, retCString);
  // let go of what the call needed, after a const char * result is read
  if (usesPointers) {
    body.push(`const r = ${ret};`, 'if (S.keep.length !== S.keepBase) H.release();',
      'if (S.err !== undefined) H.rethrow();', 'return r;');
  } else {
    body.push('if (S.err !== undefined) H.rethrow();', `return ${ret};`);
  }
  const factory = new Function(
    'B', 'H', 'S', 'LIB', 'I8', 'U8', 'I16', 'U16', 'I32', 'U32', 'F32', 'F64', 'I64', 'U64',
    `return function ${safeName(sig.name)}(${args.join(', ')}) {\n  ${body.join('\n  ')}\n};`,
  );
  return factory(binding, helpers(sig), state, sig.lib,
    frame.I8, frame.U8, frame.I16, frame.U16, frame.I32, frame.U32,
    frame.F32, frame.F64, frame.I64, frame.U64);
}

function safeName(name) {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? `sbffi_${name}` : 'sbffi_call';
}

// lib/callback.js requires this file: asked for when first needed
let callbackModule;
function callbacks() {
  if (!callbackModule) callbackModule = require('./callback');
  return callbackModule;
}

module.exports = { compile, bufferAddress, storeArg, loadValue, scalarHelpers, describe, writeAddress, state };
