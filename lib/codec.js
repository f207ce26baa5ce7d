'use strict';
// Any value of a layout tree (lib/layout.js) between JavaScript and C
// memory seen through a DataView, in two steps for a call: read() checks
// the JS value and takes its leaves in order (user code such as a getter
// or a Proxy trap runs only here, before anything is written), write()
// stores them. decode() builds the JS value back. A map, where given,
// says where each byte of the C layout is in the DataView (an aggregate
// split over registers); without one the layout is contiguous at `base`.
// The generated callers use this for what their straight-line code does
// not take: unions, char arrays, large arrays, by-reference copies,
// struct pointers, and ffi.encode/decode.

const { binding } = require('./frame');
const {
  describe, bufferAddress, isTypedArray, isHandle, stringAddress, state,
} = require('./convert');

const INT_KINDS = new Set(['i8', 'u8', 'i16', 'u16', 'i32', 'u32', 'i64', 'u64']);

function fail(what, v, expected) {
  throw new TypeError(`${what} must be ${expected}, got ${describe(v)}`);
}

const isArrayLike = (v) => Array.isArray(v) || isTypedArray(v);
const isPlainObject = (v) => v !== null && typeof v === 'object' && !isArrayLike(v) && bufferAddress(v) === -1;

// What an array or struct value must be, in one place for the codec and
// the generated code (lib/emit.js), which calls these only to throw.
function checkArray(v, n, what) {
  if (!isArrayLike(v)) fail(what, v, `an array of ${n}`);
  if (v.length !== n) throw new TypeError(`${what} must have ${n} elements, got ${v.length}`);
}

function notStruct(v, agg, what) {
  fail(what, v, `an object (${agg})`);
}

function unknownField(k, agg, what) {
  throw new TypeError(`${what}: ${agg} has no field '${k}'`);
}


function readScalar(node, v, what, strings) {
  const k = node.k;
  if (v === undefined) return k === 'ptr' ? null : k === 'bool' ? false : 0;
  if (k === 'bool') {
    if (typeof v === 'boolean' || typeof v === 'number') return v;
    return fail(what, v, 'a boolean');
  }
  if (k === 'f32' || k === 'f64') return typeof v === 'number' ? v : fail(what, v, 'a number');
  if (INT_KINDS.has(k)) {
    if (typeof v === 'number' || typeof v === 'bigint') return v;
    return fail(what, v, 'a number or BigInt');
  }
  // a pointer
  if (v === null || typeof v === 'bigint') return v;
  if (typeof v === 'string' && node.type.charPointer) {
    if (strings) return v;
    return fail(what, v, 'a BigInt or a buffer (a string would not outlive this call)');
  }
  if (isHandle(v) || bufferAddress(v) >= 0) return v;
  return fail(what, v, 'a BigInt, Buffer, TypedArray, ArrayBuffer, callback or null');
}

// The leaves of v as node's type, checked, in leaf order; a union's
// leaves start with the index of the member that is set. `strings`: a
// char pointer may take a string (the memory lives for the call only).
function read(node, v, what, strings = false, out = []) {
  switch (node.kind) {
    case 'scalar':
      out.push(readScalar(node, v, what, strings));
      break;
    case 'chars':
      if (v !== undefined && typeof v !== 'string') fail(what, v, 'a string');
      out.push(v === undefined ? '' : v);
      break;
    case 'array':
      if (v !== undefined) checkArray(v, node.length, what);
      for (let i = 0; i < node.length; i++) read(node.elem, v === undefined ? undefined : v[i], `${what}[${i}]`, strings, out);
      break;
    default: {
      if (v !== undefined && !isPlainObject(v)) notStruct(v, node.agg, what);
      const src = v === undefined ? {} : v;
      for (const k in src) {
        if (!node.fields.some((f) => f.name === k)) unknownField(k, node.agg, what);
      }
      if (node.kind === 'struct') {
        for (const f of node.fields) read(f.node, src[f.name], `${what}.${f.name}`, strings, out);
        break;
      }
      const set = node.fields.filter((f) => src[f.name] !== undefined);
      if (v !== undefined && set.length !== 1) {
        const names = node.fields.map((f) => f.name).join(', ');
        throw new TypeError(`${what} must have exactly one of ${names} set (${node.agg}), got ${set.length}`);
      }
      const i = set.length ? node.fields.indexOf(set[0]) : 0;
      out.push(i);
      read(node.fields[i].node, src[node.fields[i].name], `${what}.${node.fields[i].name}`, strings, out);
    }
  }
  return out;
}

// An argument or a result as a whole: unlike a missing field, which is
// zero, it must be given.
function readValue(node, v, what, strings) {
  if (v === undefined) notStruct(v, node.agg, what);
  return read(node, v, what, strings);
}

// a map's offsets are from base too (0 but in a batch's record), and -1
// stays -1: a byte no register carries
const place = (map, base, c) => (map ? (map[c] < 0 ? -1 : base + map[c]) : base + c);

function writeScalar(node, v, dv, o) {
  const k = node.k;
  switch (k) {
    case 'bool': dv.setUint8(o, v ? 1 : 0); break;
    case 'i8': case 'u8': dv.setUint8(o, typeof v === 'bigint' ? Number(BigInt.asUintN(8, v)) : v); break;
    case 'i16': case 'u16': dv.setUint16(o, typeof v === 'bigint' ? Number(BigInt.asUintN(16, v)) : v, true); break;
    case 'i32': case 'u32': dv.setUint32(o, typeof v === 'bigint' ? Number(BigInt.asUintN(32, v)) : v, true); break;
    case 'f32': dv.setFloat32(o, v, true); break;
    case 'f64': dv.setFloat64(o, v, true); break;
    case 'i64': case 'u64':
      dv.setBigUint64(o, typeof v === 'bigint' ? BigInt.asUintN(64, v)
        : Number.isFinite(v) ? BigInt.asUintN(64, BigInt(Math.trunc(v))) : 0n, true);
      break;
    default: {
      let addr;
      if (v === null) addr = 0;
      else if (typeof v === 'bigint') addr = BigInt.asUintN(64, v);
      else if (typeof v === 'string') addr = stringAddress(v);
      else if (isHandle(v)) addr = v.checkOpen(() => 'sbffi: a pointer field', 0);
      else {
        state.keep.push(v);
        addr = bufferAddress(v);
      }
      dv.setBigUint64(o, BigInt(addr), true);
    }
  }
}

// char[n]: UTF-8, cut at a character boundary to leave room for the NUL
function writeChars(node, s, dv, map, base, c) {
  const bytes = Buffer.from(s, 'utf8');
  let n = Math.min(bytes.length, node.length - 1);
  while (n > 0 && n < bytes.length && (bytes[n] & 0xc0) === 0x80) n--;
  for (let i = 0; i < node.length; i++) dv.setUint8(place(map, base, c + i), i < n ? bytes[i] : 0);
}

// Store the leaves read() took; returns the next leaf's index.
function write(node, snap, dv, base, map, c = 0, at = 0) {
  switch (node.kind) {
    case 'scalar':
      writeScalar(node, snap[at], dv, place(map, base, c));
      return at + 1;
    case 'chars':
      writeChars(node, snap[at], dv, map, base, c);
      return at + 1;
    case 'array':
      for (let i = 0; i < node.length; i++) at = write(node.elem, snap, dv, base, map, c + i * node.elem.size, at);
      return at;
    case 'struct':
      for (const f of node.fields) at = write(f.node, snap, dv, base, map, c + f.offset, at);
      return at;
    default: {
      // a union's bytes past its member are zero, not stale (bytes no
      // register carries, map -1, are padding)
      for (let i = 0; i < node.size; i++) {
        const o = place(map, base, c + i);
        if (o >= 0) dv.setUint8(o, 0);
      }
      const f = node.fields[snap[at]];
      return write(f.node, snap, dv, base, map, c + f.offset, at + 1);
    }
  }
}

function decodeScalar(node, dv, o, bigint) {
  switch (node.k) {
    case 'bool': return dv.getUint8(o) !== 0;
    case 'i8': return dv.getInt8(o);
    case 'u8': return dv.getUint8(o);
    case 'i16': return dv.getInt16(o, true);
    case 'u16': return dv.getUint16(o, true);
    case 'i32': return dv.getInt32(o, true);
    case 'u32': return dv.getUint32(o, true);
    case 'f32': return dv.getFloat32(o, true);
    case 'f64': return dv.getFloat64(o, true);
    case 'i64': return bigint ? dv.getBigInt64(o, true) : Number(dv.getBigInt64(o, true));
    case 'u64': return bigint ? dv.getBigUint64(o, true) : Number(dv.getBigUint64(o, true));
    default: {
      const p = dv.getBigUint64(o, true);
      if (!node.type.cstring) return p;
      return p === 0n ? null : binding.readCString(p);
    }
  }
}

// The JS value at c in the layout: a union with every member decoded.
function decode(node, dv, base, map, bigint = true, c = 0) {
  switch (node.kind) {
    case 'scalar':
      return decodeScalar(node, dv, place(map, base, c), bigint);
    case 'chars': {
      const bytes = [];
      for (let i = 0; i < node.length; i++) {
        const b = dv.getUint8(place(map, base, c + i));
        if (b === 0) break;
        bytes.push(b);
      }
      return Buffer.from(bytes).toString('utf8');
    }
    case 'array': {
      const out = new Array(node.length);
      for (let i = 0; i < node.length; i++) out[i] = decode(node.elem, dv, base, map, bigint, c + i * node.elem.size);
      return out;
    }
    default: {
      const out = {};
      for (const f of node.fields) out[f.name] = decode(f.node, dv, base, map, bigint, c + f.offset);
      return out;
    }
  }
}

// byte c of an aggregate -> its frame offset, for a value in parts
function partsMap(size, parts) {
  const map = new Int32Array(size).fill(-1);
  for (const p of parts) for (let i = 0; i < p.size; i++) map[p.from + i] = p.offset + i;
  return map;
}

module.exports = {
  readValue,
  read, write, decode, partsMap, isArrayLike, isPlainObject, checkArray, notStruct, unknownField,
};
