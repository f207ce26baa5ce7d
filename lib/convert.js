'use strict';
// The conversions every generated function shares: JS values into the
// frame and back, buffer addresses, strings into the scratch area, and the
// per-thread call state. Needs nothing of sbffi but the frame.

const { isProxy, isArrayBuffer, isSharedArrayBuffer } = require('util').types;
const frame = require('./frame');

const { binding, layout: L } = frame;
const TWO32 = 4294967296;

// Kept alive until the call returns: temporaries we allocate and the
// buffers whose addresses are in the frame. A callback running inside a
// call raises the bases (lib/callback.js), so the calls it makes leave the
// outer call's strings and references alone. depth: callbacks running on
// this thread. err: work for the caller once C has returned, undefined
// when there is none (the one test on the hot path): { thrown, error },
// the first exception a callback threw, whatever it was (undefined, 0 or
// null too), and closes, libraries closed inside callbacks, unloaded
// when the outermost call returns (workAfterCall).
// recording: inside ffi.batch, calls are recorded in the queue instead,
// from qstart up to qpos (byte offsets in the frame's buffer; lib/batch.js).
const state = {
  pos: 0, keep: [], base: 0, keepBase: 0, depth: 0, err: undefined, areaView: null, areaOffset: 0,
  recording: false, qstart: L.OFF_QUEUE, qpos: L.OFF_QUEUE, ran: 0, stopDepth: -1,
};

// records of a batch are in the queue, not run yet
const queued = () => state.qpos !== L.OFF_QUEUE;

function workAfterCall() {
  if (state.err === undefined) state.err = { thrown: false, error: undefined, closes: [] };
  return state.err;
}

// That work, once C has returned: a callback threw during the call (C got
// zero, JS gets the exception), or closed a library, unloaded once no
// call is left on this stack and no batch holds a call of it.
function finishWork() {
  const work = state.err;
  if (work.closes.length !== 0 && state.depth === 0 && !queued()) {
    for (const lib of work.closes.splice(0)) lib.unloadWhenIdle();
  }
  if (work.closes.length === 0) state.err = undefined;
  if (work.thrown) {
    work.thrown = false;
    throw work.error;
  }
}

// The engine's own accessors, taken once: a view's buffer and offset come
// from its internal slots, never from properties user code can redefine
// (a shadowing byteOffset, a subclass getter, a Proxy), and asking runs
// no user code at all, so a pointer argument can be converted while the
// frame is half written. Each, uncurried, is f(receiver); one given a
// receiver of another kind throws without calling anything.
const uncurry = Function.prototype.bind.bind(Function.prototype.call);
const getter = (proto, name) => uncurry(Object.getOwnPropertyDescriptor(proto, name).get);
const TYPED = Object.getPrototypeOf(Int8Array.prototype);
const typedTag = getter(TYPED, Symbol.toStringTag);	// undefined for a DataView
const typedBuffer = getter(TYPED, 'buffer');
const typedOffset = getter(TYPED, 'byteOffset');
const typedLength = getter(TYPED, 'byteLength');
const viewBuffer = getter(DataView.prototype, 'buffer');
const viewOffset = getter(DataView.prototype, 'byteOffset');	// throws once detached
const viewLength = getter(DataView.prototype, 'byteLength');
const bufferLength = getter(ArrayBuffer.prototype, 'byteLength');
const { isView } = ArrayBuffer;

// 1: an ArrayBuffer, 2: a SharedArrayBuffer, 0: neither (a lookalike made
// with Object.create, a Proxy): the engine's brand checks, which run no
// user code and throw nothing (a thrown TypeError costs a stack trace)
function bufferKind(v) {
  if (isArrayBuffer(v)) return 1;
  return isSharedArrayBuffer(v) ? 2 : 0;
}

const isTypedArray = (v) => isView(v) && typedTag(v) !== undefined;

// A DataView over the bytes of a buffer or view, from the same slots, or
// null for anything else (ffi.encode, ffi.decode)
function bytesOf(v) {
  if (isView(v)) {
    const typed = typedTag(v) !== undefined;
    const ab = typed ? typedBuffer(v) : viewBuffer(v);
    if (baseOf(ab) === DETACHED) return null;
    return typed ? new DataView(ab, typedOffset(v), typedLength(v)) : new DataView(ab, viewOffset(v), viewLength(v));
  }
  if (v === null || typeof v !== 'object' || bufferKind(v) === 0 || baseOf(v) === DETACHED) return null;
  return new DataView(v);
}

// Callback handles (lib/callback.js), known by identity: the check reads
// no property and meets no Proxy trap.
const handles = new WeakSet();
const isHandle = (v) => handles.has(v);

// An ArrayBuffer's data never moves, and neither does a
// SharedArrayBuffer's: each one's address is asked for once.
const bases = new WeakMap();
const sharedBases = new WeakMap();
const EMPTY = -2;
const DETACHED = -3;
const Bytes = Uint8Array;

// A buffer without bytes: detached (a view of it can be made no more) or
// empty (its address may be NULL, asked for each time through its view).
const emptyKind = (b) => {
  try {
    new Bytes(b, 0, 0);
    return EMPTY;
  } catch (e) {
    return DETACHED;
  }
};

// The address of a buffer's data; -1: not a buffer; EMPTY or DETACHED.
function baseOf(b) {
  let base = bases.get(b);
  if (base !== undefined) return bufferLength(b) === 0 ? emptyKind(b) : base;
  base = sharedBases.get(b);
  if (base !== undefined) return base;
  switch (bufferKind(b)) {
    case 1:
      if (bufferLength(b) === 0) return emptyKind(b);
      base = binding.addressOf(b);
      bases.set(b, base);
      return base;
    case 2:
      base = binding.addressOf(new Uint8Array(b));
      sharedBases.set(b, base);
      return base;
    default:
      return -1;
  }
}

// Data address of a Buffer, TypedArray, DataView, ArrayBuffer or
// SharedArrayBuffer as a Number (user-space addresses fit in 53 bits);
// DETACHED for one whose memory is gone; -1 for anything else.
function bufferAddress(v) {
  if (isView(v)) {
    const typed = typedTag(v) !== undefined;
    const base = baseOf(typed ? typedBuffer(v) : viewBuffer(v));
    if (base === EMPTY) return binding.addressOf(v);
    return base < 0 ? base : base + (typed ? typedOffset(v) : viewOffset(v));
  }
  if (v === null || typeof v !== 'object') return -1;
  const base = baseOf(v);
  return base === EMPTY ? binding.addressOf(v) : base;
}

// A value as an error message names it, without running user code: no
// property is read through a getter or a Proxy trap, no toString called
// (a message may be made while a call's frame is half written).
const article = (name) => `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name}`;
const ownValue = (o, key) => {
  const d = Object.getOwnPropertyDescriptor(o, key);
  return d && 'value' in d ? d.value : undefined;
};

function className(v) {
  const proto = Object.getPrototypeOf(v);
  const ctor = proto === null || isProxy(proto) ? undefined : ownValue(proto, 'constructor');
  if (typeof ctor !== 'function' || isProxy(ctor)) return undefined;
  const name = ownValue(ctor, 'name');
  return typeof name === 'string' && name !== '' ? name : undefined;
}

function describe(v) {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'undefined': return 'undefined';
    case 'string': return 'a string';
    case 'function': return isProxy(v) ? 'a Proxy' : 'a function';
    case 'object': {
      if (isProxy(v)) return 'a Proxy';
      if (Array.isArray(v)) return 'an array';
      const name = className(v);
      return name && name !== 'Object' ? article(name) : 'an object';
    }
    default: return `${typeof v} ${String(v)}`;
  }
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
  let i = 0;
  // ASCII, the common case, in a loop of its own
  for (; i < len; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) break;
    U8[at + i] = c;
  }
  let j = at + i;
  for (; i < len; i++) {
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
// Returns its address.
function stringAddress(s) {
  const room = L.SCRATCH_SIZE - state.pos;
  const at = state.pos;
  if (s.length <= SHORT_STRING && s.length * 3 < room) {
    state.pos += writeUtf8(s, L.FRAME_SIZE + at) + 1;
  } else if (s.length * 3 < room) {
    const n = frame.scratch.utf8Write(s, at);
    frame.scratch[at + n] = 0;
    state.pos += n + 1;
  } else {
    const b = Buffer.from(`${s}\0`, 'utf8');
    state.keep.push(b);
    return bufferAddress(b);
  }
  return frame.scratchAddress + at;
}

function writeString(s, o4) {
  writeAddress(o4, stringAddress(s));
}

// `size` bytes of call-scoped memory at `align`: in the scratch area, or
// a buffer of its own kept for the call when the room left is too small.
// Returns the address; state.areaView and state.areaOffset say where JS
// sees it (a DataView and a byte offset).
function area(size, align) {
  const at = (state.pos + align - 1) & -align;
  if (at + size <= L.SCRATCH_SIZE) {
    state.pos = at + size;
    state.areaView = frame.DV;
    state.areaOffset = L.FRAME_SIZE + at;
    return frame.scratchAddress + at;
  }
  const b = new ArrayBuffer(size + align);
  const addr = bufferAddress(b);
  const skip = (align - (addr % align)) % align;
  state.keep.push(b);
  state.areaView = new DataView(b);
  state.areaOffset = skip;
  return addr + skip;
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

// The index of frame byte `offset` in a view of 2^shift-byte elements: a
// constant, or in a batch's record (lib/batch.js) one from the record's
// base, which the code has in q1 (bytes), q2, q4 and q8 (elements)
const at = (offset, shift, rel) => (rel ? `q${1 << shift} + ${offset >> shift}` : `${offset >> shift}`);

// Code that stores argument `a` (index i) at its place; rel: in a batch's
// record.
function storeArg(a, i, place, rel = false) {
  const o4 = at(place.offset, 2, rel);
  const o8 = at(place.offset, 3, rel);
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
    // a Number as its two 32-bit halves, inline: no BigInt made
    case 'i64':
    case 'u64':
      return `if (typeof ${a} === 'bigint') I64[${o8}] = ${a}; else if (typeof ${a} === 'number') ` +
        `{ I32[${o4}] = ${a}; I32[${at(place.offset + 4, 2, rel)}] = Math.floor(Math.trunc(${a}) / ${TWO32}); } ` +
        `else H.int64(${a}, ${o4}, ${i});`;
    case 'f32': return `if (typeof ${a} !== 'number') H.float(${a}, ${i}); F32[${o4}] = ${a};`;
    // place.also: a second register that takes the same bits (Win64 varargs)
    case 'f64': return `if (typeof ${a} !== 'number') H.float(${a}, ${i}); F64[${o8}] = ${a};` +
      (place.also ? ` F64[${at(place.also, 3, rel)}] = ${a};` : '');
    // place.string: a char * parameter, whose usual value is a string
    case 'ptr':
      return (place.string ? `if (typeof ${a} === 'string') H.string(${a}, ${o4}); else ` : '') +
        `if (typeof ${a} === 'bigint') U64[${o8}] = ${a}; else H.pointer(${a}, ${o4}, ${i});`;
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

module.exports = {
  TWO32, state, queued, workAfterCall, finishWork, bufferAddress, DETACHED, isTypedArray, bytesOf, handles, isHandle, describe, writeAddress, stringAddress, writeString, area, scalarHelpers, at, storeArg, loadValue,
};
