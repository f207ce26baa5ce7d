'use strict';
// Code for aggregate values in a generated caller or callback invoker
// (lib/caller.js, lib/callback.js). A struct travels as its scalar leaves,
// each written with the typed-array view of its width straight at the
// frame offset its plan gives (a register slot, a return slot, a stack
// slot), and read back the same way into an object literal. Every field
// of every argument is read into a local first, so a getter or a Proxy
// trap (which may itself call sbffi) runs before anything is written to
// the frame. Shapes that straight-line code does not take (unions, char
// arrays, long arrays, fields at unaligned frame offsets) go through
// lib/codec.js, in the same two steps.

const { binding } = require('./frame');
const { at: index, storeArg, loadValue } = require('./convert');
const { leaves } = require('./layout');
const {
  partsMap, isArrayLike, isPlainObject, checkArray, notStruct, unknownField,
} = require('./codec');

const MAX_UNROLLED = 16;	// array elements written one line each
const MAX_LEAVES = 64;

// at: byte of the C layout -> frame offset
const contiguous = (base) => (c) => base + c;
const fromMap = (map) => (c) => map[c];

// Straight-line code can take this node at these frame offsets.
function straight(node, at) {
  const ls = leaves(node);
  const ok = (n) => n.kind === 'scalar' || (n.kind === 'array' && n.length <= MAX_UNROLLED && ok(n.elem)) ||
    (n.kind === 'struct' && n.fields.every((f) => ok(f.node)));
  return ok(node) && ls.length <= MAX_LEAVES &&
    ls.every((l) => at(l.offset) >= 0 && at(l.offset) % l.node.size === 0);
}

const ZERO = { bool: 'false', i64: '0n', u64: '0n', ptr: 'null' };

// A leaf at its exact width: unlike a scalar argument, a narrow field
// shares its slot with its neighbours. rel: in a batch's record.
function storeLeaf(v, i, offset, kind, rel) {
  const int = `if (typeof ${v} !== 'number') ${v} = H.int(${v}, ${i}); `;
  switch (kind) {
    case 'bool': return `if (typeof ${v} !== 'boolean') ${v} = H.bool(${v}, ${i}); U8[${index(offset, 0, rel)}] = ${v} ? 1 : 0;`;
    case 'i8': case 'u8': return `${int}U8[${index(offset, 0, rel)}] = ${v};`;
    case 'i16': case 'u16': return `${int}U16[${index(offset, 1, rel)}] = ${v};`;
    default: return storeArg(v, i, { offset, kind }, rel);
  }
}

// One generated function's aggregate code. prefix names it in messages
// ('vadd', "callback 'int (*)(Vec2)'"); paths[i] and types[i] describe
// what H.fail(i, ...) reports and what a pointer leaf accepts; K holds
// the constants the code refers to (layout nodes, maps).
class Emitter {
  constructor(prefix, paths, types) {
    this.prefix = prefix;
    this.paths = paths;
    this.types = types;
    this.K = [];
    this.n = 0;
    this.locals = [];
  }

  constant(x) {
    this.K.push(x);
    return `K[${this.K.length - 1}]`;
  }

  local() {
    const name = `v${this.n++}`;
    this.locals.push(name);
    return name;
  }

  path(text, type) {
    this.paths.push(text);
    this.types.push(type);
    return this.paths.length - 1;
  }

  // Code that takes `expr` (a node's value) apart, and code that writes it
  // at(c) in the frame: { reads: [lines], writes: [rel => line] } (rel: in
  // a batch's record, lib/batch.js).
  store(node, expr, text, at) {
    const out = { reads: [], writes: [] };
    if (straight(node, at)) {
      this.reads(node, expr, text, 0, at, out, true);
    } else {
      const s = this.local();
      const map = this.mapOf(node, at);
      const k = this.constant(node);
      out.reads.push(`${s} = C.readValue(${k}, ${expr}, ${JSON.stringify(`${this.prefix}: ${text}`)}, true);`);
      out.writes.push((rel) => `C.write(${k}, ${s}, DV, ${index(map.base, 0, rel)}, ${map.map});`);
    }
    return out;
  }

  // Code for a value written at a run-time base (a by-reference copy):
  // the codec, contiguous from `base` in `view`.
  storeAt(node, expr, text) {
    const s = this.local();
    return {
      reads: [`${s} = C.readValue(${this.constant(node)}, ${expr}, ${JSON.stringify(`${this.prefix}: ${text}`)}, true);`],
      write: (view, base) => `C.write(${this.constant(node)}, ${s}, ${view}, ${base}, null);`,
    };
  }

  // top: the argument itself, which must be given (a missing field is zero)
  reads(node, expr, text, c, at, out, top = false) {
    const v = this.local();
    out.reads.push(`${v} = ${expr};`);
    if (node.kind === 'scalar') {
      const i = this.path(text, node.type);
      out.reads.push(`if (${v} === undefined) ${v} = ${ZERO[node.k] || '0'};`);
      out.writes.push((rel) => storeLeaf(v, i, at(c), node.k, rel));
    } else if (node.kind === 'array') {
      const i = this.path(text, null);
      out.reads.push(`if (${v} === undefined) ${v} = H.NONE; else if (!H.isArray(${v}, ${node.length})) H.notArray(${v}, ${node.length}, ${i});`);
      for (let j = 0; j < node.length; j++) {
        this.reads(node.elem, `${v}[${j}]`, `${text}[${j}]`, c + j * node.elem.size, at, out);
      }
    } else {
      const i = this.path(text, null);
      const agg = JSON.stringify(String(node.agg));
      const known = node.fields.map((f) => `k !== ${JSON.stringify(f.name)}`).join(' && ') || 'true';
      // an object literal passes on its prototype, the one-load test (a
      // constructor property could be anything's)
      const check = `if (typeof ${v} !== 'object' || ${v} === null || (H.protoOf(${v}) !== H.OBJECT_PROTO && !H.isStruct(${v}))) H.notStruct(${v}, ${i}, ${agg});`;
      out.reads.push(top ? check : `if (${v} === undefined) ${v} = H.NONE; else ${check}`,
        `for (const k in ${v}) if (${known}) H.unknown(k, ${i}, ${agg});`);
      for (const f of node.fields) {
        this.reads(f.node, `${v}[${JSON.stringify(f.name)}]`, `${text}.${f.name}`, c + f.offset, at, out);
      }
    }
  }

  // An expression for the node's value read from the frame at(c).
  load(node, at, bigint, cstring) {
    if (!straight(node, at)) {
      const map = this.mapOf(node, at);
      return `C.decode(${this.constant(node)}, DV, ${map.base}, ${map.map}, ${bigint})`;
    }
    const walk = (n, c) => {
      if (n.kind === 'scalar') return loadValue({ offset: at(c), kind: n.k }, n.type, bigint, cstring);
      if (n.kind === 'array') return `[${Array.from({ length: n.length }, (_, j) => walk(n.elem, c + j * n.elem.size)).join(', ')}]`;
      return `{ ${n.fields.map((f) => `${JSON.stringify(f.name)}: ${walk(f.node, c + f.offset)}`).join(', ')} }`;
    };
    return walk(node, 0);
  }

  // base and map for the codec: contiguous from at(0), or a byte map
  mapOf(node, at) {
    const base = at(0);
    let flat = true;
    for (let c = 0; c < node.size; c++) if (at(c) !== base + c) flat = false;
    if (flat) return { base, map: 'null' };
    return { base: 0, map: this.constant(Int32Array.from({ length: node.size }, (_, c) => at(c))) };
  }
}

// What the generated aggregate code calls. what(i): the text naming the
// value of path i ('vadd: argument 1 (a).y').
function aggregateHelpers(what) {
  const NONE = Object.freeze([]);
  return {
    NONE,
    protoOf: Object.getPrototypeOf,
    OBJECT_PROTO: Object.prototype,
    isArray: (v, n) => isArrayLike(v) && v.length === n,
    notArray: (v, n, i) => checkArray(v, n, what(i)),
    isStruct: isPlainObject,
    notStruct: (v, i, agg) => notStruct(v, agg, what(i)),
    unknown: (k, i, agg) => unknownField(k, agg, what(i)),
    cstring: (p) => (p === 0n ? null : binding.readCString(p)),
  };
}

// The frame offsets of a place's aggregate: its parts, or a whole copy.
function placeAt(place) {
  if (place.pass === 'parts') return fromMap(partsMap(place.size, place.parts));
  return contiguous(place.offset);
}

module.exports = { Emitter, placeAt, aggregateHelpers };
