'use strict';
// Layout trees: a parsed type as its C compiler lays it out under one ABI,
// from the registry's sizes and member offsets. A node is one of
//   { kind: 'scalar', k, size, align, type }   k: 'i32', 'f64', 'ptr', ...
//   { kind: 'chars', length, size, align }      char[n]: a string
//   { kind: 'array', length, elem, size, align }
//   { kind: 'struct' | 'union', agg, fields: [{ name, offset, node }], size, align }
// and leaves(node) lists its scalar leaves with their byte offsets.

const { binding } = require('./frame');
const { splitDims } = require('./types');

const cache = new WeakMap();	// Aggregate -> Map(abi -> node)

// types: the TypeTable of the ABI; parsed: from types.parse
function nodeOf(types, parsed) {
  if (parsed.kind !== 'agg') {
    return { kind: 'scalar', k: parsed.kind, size: parsed.size, align: parsed.size, type: parsed };
  }
  let perAbi = cache.get(parsed.agg);
  if (!perAbi) cache.set(parsed.agg, (perAbi = new Map()));
  let node = perAbi.get(types.abi);
  if (!node) {
    node = aggregateNode(types, parsed.agg);
    perAbi.set(types.abi, node);
  }
  return node;
}

function aggregateNode(types, agg) {
  const l = binding.typeLayout(types.abi, agg.id);
  const fields = agg.fields.map((f, i) => {
    const what = `${agg}: field '${f.name}'`;
    const base = typeof f.type === 'string' ? splitDims(f.type, what).base : f.type;
    return { name: f.name, offset: l.offsets[i], node: arrayOf(types, types.parse(base, what), f.dims) };
  });
  return Object.freeze({ kind: agg.kind, agg, fields, size: l.size, align: l.align });
}

// dims outermost first; the innermost char[n] is a string
function arrayOf(types, parsed, dims) {
  let node = nodeOf(types, parsed);
  for (let d = dims.length - 1; d >= 0; d--) {
    if (d === dims.length - 1 && parsed.name === 'char' && !parsed.pointer) {
      node = { kind: 'chars', length: dims[d], size: dims[d], align: 1 };
    } else {
      node = { kind: 'array', length: dims[d], elem: node, size: node.size * dims[d], align: node.align };
    }
  }
  return node;
}

// Every scalar leaf: [{ offset, node }], array elements one by one; a
// union's members overlapping. chars count as one leaf.
function leaves(node, base = 0, out = []) {
  switch (node.kind) {
    case 'scalar': case 'chars':
      out.push({ offset: base, node });
      break;
    case 'array':
      for (let i = 0; i < node.length; i++) leaves(node.elem, base + i * node.elem.size, out);
      break;
    default:
      for (const f of node.fields) leaves(f.node, base + f.offset, out);
  }
  return out;
}

// the field at a path 'a.b' of a struct or union node
function fieldAt(node, path, what) {
  let offset = 0;
  let cur = node;
  for (const name of String(path).split('.')) {
    const f = cur.fields && cur.fields.find((x) => x.name === name);
    if (!f) throw new TypeError(`${what}: no field '${path}' in ${node.agg}`);
    offset += f.offset;
    cur = f.node;
  }
  return { offset, node: cur };
}

module.exports = { nodeOf, arrayOf, leaves, fieldAt };
