'use strict';
// C type names and prototypes, parsed into the registry's type ids; the
// struct and union types the user defines (their description: the layout
// of each ABI is computed by the registry, lib/layout.js asks for it).

const { binding } = require('./frame');

const MAX_ARGS = binding.layout.MAX_ARGS;
const MAX_DEPTH = 32;

const QUALIFIERS = new Set(['const', 'volatile', 'restrict', '__restrict']);
const TYPE_WORDS = new Set([
  'void', 'bool', '_Bool', 'char', 'short', 'int', 'long', 'signed', 'unsigned',
  'float', 'double', 'struct', 'union', 'enum',
]);

// Other spellings of the registry's canonical names.
const ALIASES = {
  _Bool: 'bool',
  pointer: 'void *',
  ptrdiff_t: 'ssize_t',
  off_t: 'int64_t',
  uchar: 'unsigned char',
  ushort: 'unsigned short',
  uint: 'unsigned int',
  ulong: 'unsigned long',
  int8: 'int8_t', uint8: 'uint8_t', int16: 'int16_t', uint16: 'uint16_t',
  int32: 'int32_t', uint32: 'uint32_t', int64: 'int64_t', uint64: 'uint64_t',
};

// A text the user gave, quoted in a message: cut short when it is long
// (a message need not repeat a megabyte of prototype).
const quote = (text) => {
  const t = String(text);
  return t.length <= 80 ? `'${t}'` : `'${t.slice(0, 60)}...' (${t.length} characters)`;
};

// Integer types spelled with several words: sort the words, ignore 'int'
// where another word says the width.
function integerName(words) {
  const count = (w) => words.filter((x) => x === w).length;
  const unsigned = count('unsigned') > 0;
  const signed = count('signed') > 0;
  const longs = count('long');
  if ((unsigned && signed) || count('signed') > 1 || count('unsigned') > 1) return null;
  const known = words.every((w) => ['unsigned', 'signed', 'short', 'long', 'int', 'char'].includes(w));
  if (!known || count('int') > 1 || count('char') > 1 || count('short') > 1) return null;
  if (count('char')) {
    if (words.length !== (signed || unsigned ? 2 : 1)) return null;
    return unsigned ? 'unsigned char' : signed ? 'signed char' : 'char';
  }
  const u = unsigned ? 'unsigned ' : '';
  if (count('short')) return longs ? null : `${u}short`;
  if (longs === 1) return `${u}long`;
  if (longs === 2) return `${u}long long`;
  if (longs > 2) return null;
  return `${u}int`;
}

class TypeTable {
  // info: [{ name, id, kind, size }] from the binding, for one ABI
  constructor(info, abi) {
    this.byName = new Map(info.map((t) => [t.name, t]));
    this.abi = abi;
  }

  // Parse one C type ('const char *', 'unsigned long', 'int (*)(int)').
  // depth: function pointer types this one is inside.
  parse(text, what, depth = 0) {
    if (text instanceof Aggregate) return this.aggregate(text, text.name, what);
    // sbffi 1.x: a function pointer as [ret, [args]]; a plain function
    // passed for it is a simple callback (lib/callback.js)
    if (Array.isArray(text) && text.length === 2 && Array.isArray(text[1])) {
      if (text[1].length > MAX_ARGS) throw new TypeError(`${what}: too many arguments (${text[1].length}; at most ${MAX_ARGS})`);
      const fn = { name: null, ret: text[0], args: text[1].map((type) => ({ type, name: null })) };
      this.checkFunction(fn, what, depth);
      return { ...this.pointer(`${text[0]} (*)(${text[1].join(', ') || 'void'})`, false, false), fn, simple: true };
    }
    if (typeof text !== 'string') {
      throw new TypeError(`${what}: type must be a string, got ${typeof text}`);
    }
    const src = text.trim();
    if (src.includes('(')) {
      // a function pointer keeps its signature: a JS function passes here
      let fn;
      try {
        fn = parseFunctionType(src);
      } catch (e) {
        throw new TypeError(`${what}: cannot parse function pointer type ${quote(text)}`);
      }
      this.checkFunction(fn, what, depth);
      return { ...this.pointer(src, false, false), fn };
    }
    const stars = (src.match(/\*/g) || []).length + (src.match(/\[/g) || []).length;
    const words = withoutDims(src).replace(/\*/g, ' ').split(/\s+/).filter(Boolean);
    const isConst = words.includes('const');
    const base = words.filter((w) => !QUALIFIERS.has(w));
    if (base.length === 0) throw new TypeError(`${what}: unknown type ${quote(text)}`);
    const tagged = base[0] === 'struct' || base[0] === 'union';
    const tag = tagged ? base.slice(1) : base;
    const agg = tag.length === 1 ? aggregates.get(tag[0]) : undefined;
    if (stars > 0) {
      const isChar = stars === 1 && base.length === 1 && base[0] === 'char';
      // a struct defined here: the pointer takes an object too (one level)
      if (agg && stars === 1) return { ...this.pointer(src, false, false), pointee: agg, isConst };
      if (tagged || base[0] === 'enum' || agg || opaques.has(tag[0]) || this.baseName(base) !== null) {
        return this.pointer(src, isChar, isConst);
      }
      throw new TypeError(`${what}: unknown type ${quote(text)}`);
    }
    if (agg) return this.aggregate(agg, src, what);
    if (tag.length === 1 && opaques.has(tag[0])) {
      throw new TypeError(`${what}: opaque type ${quote(text)} can only be used through a pointer`);
    }
    if (tagged) {
      throw new TypeError(`${what}: unknown type ${quote(text)} (define it with sbffi.${base[0]}(), or pass a pointer to it)`);
    }
    const name = this.baseName(base);
    const t = name && this.byName.get(name);
    if (!t) throw new TypeError(`${what}: unknown type ${quote(text)}`);
    if (name === 'void *') return this.pointer(src, false, false);
    return { text: src, name, id: t.id, size: t.size, kind: t.kind, pointer: false };
  }

  // A function pointer's own types, known when the prototype is read (an
  // unknown one is reported then, not when a JS function is first passed).
  checkFunction(fn, what, depth) {
    if (depth === MAX_DEPTH) throw new TypeError(`${what}: function pointer types nested more than ${MAX_DEPTH} deep`);
    if (fn.args.length > MAX_ARGS) throw new TypeError(`${what}: too many arguments (${fn.args.length}; at most ${MAX_ARGS})`);
    this.parse(fn.ret, `${what}: its return type`, depth + 1);
    fn.args.forEach((p, i) => {
      const inner = `${what}: its argument ${i + 1}`;
      if (this.parse(p.type, inner, depth + 1).kind === 'void') throw new TypeError(`${inner}: void is not an argument type`);
    });
  }

  baseName(words) {
    if (words.length === 1) {
      const w = ALIASES[words[0]] || words[0];
      if (this.byName.has(w)) return w;
    }
    if (words[0] === 'struct' || words[0] === 'union' || words[0] === 'enum') return null;
    const name = integerName(words);
    return name && this.byName.has(name) ? name : null;
  }

  aggregate(agg, text, what) {
    if (agg.kind === 'opaque') throw new TypeError(`${what}: opaque type '${agg.name}' can only be used through a pointer`);
    return { text, name: agg.name, id: agg.id, kind: 'agg', agg, pointer: false };
  }

  pointer(text, isChar, isConst) {
    const t = this.byName.get('void *');
    return {
      text, name: 'void *', id: t.id, size: t.size, kind: t.kind, pointer: true,
      // char pointers take JS strings; only const char * returns one
      charPointer: isChar, cstring: isChar && isConst,
    };
  }
}

// 'int x[4][2]' -> 'int x  ': each [...] group a space, in one pass (a
// regular expression would retry every '[' to the end when one is open).
function withoutDims(src) {
  let out = '';
  let from = 0;
  for (let open = src.indexOf('['); open >= 0; open = src.indexOf('[', from)) {
    const close = src.indexOf(']', open);
    if (close < 0) break;
    out += `${src.slice(from, open)} `;
    from = close + 1;
  }
  return out + src.slice(from);
}

// Split 'a, b (*)(c, d), e' at top-level commas.
function splitArgs(src) {
  const out = [];
  let depth = 0;
  let cur = '';
  for (const ch of src) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else {
      cur += ch;
    }
  }
  out.push(cur);
  return out.map((s) => s.trim());
}

// 'const char *s' -> { type: 'const char *', name: 's' }
// 'int (*cb)(int)' -> { type: 'int (*)(int)', name: 'cb' }: the outer
// declarator is the first (*...) group
function splitDeclarator(decl) {
  if (decl.includes('(')) {
    const m = /\(\s*\*\s*([A-Za-z_]\w*)?\s*\)/.exec(decl);
    // '(* const)' is a const pointer, not one named const
    if (!m || !m[1] || QUALIFIERS.has(m[1]) || TYPE_WORDS.has(m[1])) return { type: decl, name: null };
    return { type: `${decl.slice(0, m.index)}(*)${decl.slice(m.index + m[0].length)}`, name: m[1] };
  }
  const m = trailingName(decl);
  // 'struct foo' and 'const int8_t' are types, not a type and a name:
  // before the name there must be more than qualifiers and a tag
  const before = m ? m.type.split(/\s+/).filter((w) => w && !QUALIFIERS.has(w)) : [];
  const tagOnly = before.length === 1 && /^(struct|union|enum)$/.test(before[0]);
  if (m && before.length && !tagOnly && !TYPE_WORDS.has(m.name) && !QUALIFIERS.has(m.name)) {
    return { type: m.type + (m.array ? ' *' : ''), name: m.name };
  }
  return { type: decl, name: null };
}

// A parameter as a prototype writes it: the name inside a function
// pointer's declarator, else after the type.
function declaration(text, name) {
  if (!name) return text;
  return text.includes('(*)') ? text.replace('(*)', `(*${name})`) : `${text} ${name}`;
}

// 'int *name', 'char name[16]' -> { type: 'int *', name, array }: the
// identifier at the end (before one [n]), after a space, '*' or ']'; or
// null. Scanned from the end, so linear in the declaration's length.
function trailingName(decl) {
  let end = decl.length;
  let array = false;
  if (decl.endsWith(']')) {
    const open = decl.lastIndexOf('[');
    if (open < 0 || decl.indexOf(']', open) !== end - 1) return null;
    array = true;
    end = open;
    while (end > 0 && /\s/.test(decl[end - 1])) end--;
  }
  let start = end;
  while (start > 0 && /\w/.test(decl[start - 1])) start--;
  if (start === end || start === 0 || !/[A-Za-z_]/.test(decl[start]) || !/[\s*\]]/.test(decl[start - 1])) return null;
  return { type: decl.slice(0, start).trim(), name: decl.slice(start, end), array };
}

// 'size_t strlen(const char *s)' -> { name, ret, args: [{ type, name }] },
// and variadic: true for 'int printf(const char *, ...)'
function parsePrototype(proto) {
  if (typeof proto !== 'string') throw new TypeError('prototype must be a string');
  const src = proto.trim().replace(/;$/, '');
  const open = src.indexOf('(');
  if (open < 0 || !src.endsWith(')')) {
    throw new TypeError(`cannot parse prototype ${quote(proto)}: expected 'ret name(args)'`);
  }
  const head = splitDeclarator(src.slice(0, open).trim());
  if (!head.name) throw new TypeError(`cannot parse prototype ${quote(proto)}: no function name`);
  const inner = src.slice(open + 1, -1).trim();
  const parts = inner === '' || inner === 'void' ? [] : splitArgs(inner);
  const variadic = parts[parts.length - 1] === '...';
  if (variadic) parts.pop();
  if (parts.includes('...')) throw new TypeError(`${head.name}: '...' must be the last parameter`);
  return { name: head.name, ret: head.type, args: parts.map(splitDeclarator), variadic };
}

// The last top-level parenthesised group of src: [start, end] indices.
function lastGroup(src) {
  if (!src.endsWith(')')) return null;
  let depth = 0;
  for (let i = src.length - 1; i >= 0; i--) {
    if (src[i] === ')') depth++;
    if (src[i] === '(' && --depth === 0) return [i, src.length - 1];
  }
  return null;
}

// A C function type: 'int (const void *, const void *)', 'int cmp(int)',
// 'int (*)(int)', 'int (*cmp)(int)' -> { name, ret, args: [{ type, name }] }
function parseFunctionType(text) {
  if (typeof text !== 'string') throw new TypeError('function type must be a string');
  const src = text.trim().replace(/;$/, '');
  const g = lastGroup(src);
  if (!g) throw new TypeError(`cannot parse function type ${quote(text)}: expected 'ret (args)'`);
  const inner = src.slice(g[0] + 1, g[1]).trim();
  let head = src.slice(0, g[0]).trim();
  let name = null;
  const d = lastGroup(head);
  if (d) {
    // (*name) or (*): the pointer declarator
    const m = /^\(\s*\*\s*([A-Za-z_]\w*)?\s*\)$/.exec(head.slice(d[0]));
    if (!m) throw new TypeError(`cannot parse function type ${quote(text)}`);
    name = m[1] || null;
    head = head.slice(0, d[0]).trim();
  } else {
    const sd = splitDeclarator(head);
    if (sd.name) {
      name = sd.name;
      head = sd.type;
    }
  }
  if (!head) throw new TypeError(`cannot parse function type ${quote(text)}: no return type`);
  const parts = inner === '' || inner === 'void' ? [] : splitArgs(inner);
  if (parts.includes('...')) throw new TypeError(`${name || text}: variadic callbacks are not supported`);
  return { name, ret: head, args: parts.map(splitDeclarator) };
}

// --- struct and union types ---

const aggregates = new Map();	// name -> Aggregate, for every ABI
const opaques = new Set();
const IDENT = /^[A-Za-z_]\w*$/;

// A struct or union type as the user declared it. Fields in layout order:
// { name, type (a type string or an Aggregate), dims: [n, ...] }.
class Aggregate {
  constructor(name, kind, fields, pack, align, id) {
    this.name = name;
    this.kind = kind;
    this.fields = fields;
    this.pack = pack;
    this.align = align;
    this.id = id;
    Object.freeze(this);
  }

  toString() {
    return `${this.kind} ${this.name}`;
  }
}

// 'float[2][3]' -> { base: 'float', dims: [2, 3] }
function splitDims(text, what) {
  const dims = [];
  let base = text.trim();
  for (let m; (m = /\[\s*([^\]]*?)\s*\]\s*$/.exec(base));) {
    if (!/^\d+$/.test(m[1]) || Number(m[1]) < 1 || Number(m[1]) > 2 ** 31 - 1) {
      throw new TypeError(`${what}: array length must be a positive integer, got '[${m[1]}]'`);
    }
    dims.unshift(Number(m[1]));
    base = base.slice(0, m.index).trim();
  }
  return { base, dims };
}

// A C declaration's body: '{ uint8_t r, g, b, a; int *p, q[3]; }' ->
// [{ name, type }]
function parseMembers(body, what) {
  const src = body.trim().replace(/^\{/, '').replace(/\}\s*;?$/, '');
  const out = [];
  for (const decl of src.split(';').map((d) => d.trim()).filter(Boolean)) {
    const parts = splitArgs(decl);
    const first = splitDeclarator(parts[0]);
    if (!first.name) throw new TypeError(`${what}: cannot parse member '${decl}'`);
    const head = /^(.*?)[\s*]*[A-Za-z_]\w*\s*(\[[^]*\])?$/.exec(parts[0]);
    const baseType = head[1].trim();
    for (const p of parts) {
      const m = /^(\**)\s*([A-Za-z_]\w*)\s*((?:\[[^\]]*\]\s*)*)$/.exec(p === parts[0] ? p.slice(baseType.length).trim() : p);
      if (!m) throw new TypeError(`${what}: cannot parse member '${p}'`);
      out.push({ name: m[2], type: `${baseType}${m[1] ? ` ${m[1]}` : ''}${m[3]}` });
    }
  }
  return out;
}

// 'struct Color { uint8_t r, g, b, a; }' -> { kind, name, members }
function parseDeclaration(text) {
  const m = /^\s*(struct|union)\s+([A-Za-z_]\w*)\s*(\{[^]*\})\s*;?\s*$/.exec(text);
  if (!m) throw new TypeError(`sbffi: cannot parse declaration ${quote(text)}: expected 'struct Name { type member; ... }'`);
  return { kind: m[1], name: m[2], members: parseMembers(m[3], `${m[1]} ${m[2]}`) };
}

const sameFields = (a, b) => a.length === b.length && a.every((f, i) => f.name === b[i].name &&
  String(f.type) === String(b[i].type) && f.dims.join() === b[i].dims.join());

// struct(name, fields[, options]), struct('struct X { ... }'[, options]):
// fields an object (insertion order is layout order) or a declaration
// body. types: the host's TypeTable, to check each field's type now.
function defineAggregate(kind, a, b, c, types) {
  let name = a;
  let members;
  let options = c;
  if (typeof a === 'string' && (b === undefined || (b !== null && typeof b === 'object' && !Array.isArray(b) &&
      /^\s*(struct|union)\s/.test(a)))) {
    const d = parseDeclaration(a);
    if (d.kind !== kind) throw new TypeError(`sbffi.${kind}: '${a}' declares a ${d.kind}`);
    ({ name, members } = d);
    options = b;
  } else if (typeof b === 'string') {
    members = parseMembers(b, `${kind} ${name}`);
  } else if (b !== null && typeof b === 'object' && !Array.isArray(b)) {
    members = Object.keys(b).map((k) => ({ name: k, type: b[k] }));
  } else {
    throw new TypeError(`sbffi.${kind}: expected (name, fields[, options]) or ('${kind} Name { ... }'[, options])`);
  }
  if (typeof name !== 'string' || !IDENT.test(name)) {
    throw new TypeError(`sbffi.${kind}: name must be a C identifier, got ${typeof name === 'string' ? `'${name}'` : typeof name}`);
  }
  const what = `${kind} ${name}`;
  if (types.baseName([name]) !== null) throw new TypeError(`${what}: '${name}' is a built-in type`);
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw new TypeError(`${what}: options must be an object`);
  }
  for (const k of Object.keys(options || {})) {
    if (k !== 'pack' && k !== 'align') throw new TypeError(`${what}: unknown option '${k}'`);
  }
  const pack = (options && options.pack) ?? 0;
  const align = (options && options.align) ?? 0;
  if (![0, 1, 2, 4, 8, 16].includes(pack)) throw new TypeError(`${what}: pack must be 1, 2, 4, 8 or 16, got ${pack}`);
  if (!Number.isInteger(align) || align < 0 || align > 4096 || (align & (align - 1))) {
    throw new TypeError(`${what}: align must be a power of two up to 4096, got ${align}`);
  }
  const seen = new Set();
  const fields = members.map((m) => {
    if (typeof m.name !== 'string' || !IDENT.test(m.name)) throw new TypeError(`${what}: field name '${m.name}' is not a C identifier`);
    if (seen.has(m.name)) throw new TypeError(`${what}: duplicate field '${m.name}'`);
    seen.add(m.name);
    const fwhat = `${what}: field '${m.name}'`;
    if (m.type instanceof Aggregate) return { name: m.name, type: m.type, dims: [], parsed: types.parse(m.type, fwhat) };
    if (typeof m.type !== 'string') throw new TypeError(`${fwhat}: type must be a string or a struct type, got ${typeof m.type}`);
    const { base, dims } = splitDims(m.type, fwhat);
    const parsed = types.parse(base, fwhat);
    if (parsed.kind === 'void') throw new TypeError(`${fwhat}: void is not a field type`);
    if (parsed.agg === undefined && parsed.fn === undefined && base.includes('(')) {
      throw new TypeError(`${fwhat}: cannot parse '${m.type}'`);
    }
    return { name: m.name, type: parsed.agg || base, dims, parsed };
  });
  const old = aggregates.get(name);
  if (old) {
    if (old.kind === kind && old.pack === pack && old.align === align && sameFields(old.fields, fields)) return old;
    throw new TypeError(`${what}: already defined with a different layout`);
  }
  if (opaques.has(name)) throw new TypeError(`${what}: already declared opaque`);
  const count = (dims) => dims.reduce((x, y) => x * y, 1);
  const spec = [];
  for (const f of fields) {
    const n = count(f.dims);
    if (n > 2 ** 31 - 1) throw new TypeError(`${what}: field '${f.name}' has too many elements`);
    spec.push(f.parsed.id, n);
  }
  let id;
  try {
    id = binding.defineAggregate(kind === 'union', pack, align, spec);
  } catch (e) {
    throw new TypeError(`${what}: ${e.message}`);
  }
  const agg = new Aggregate(name, kind, fields.map((f) => Object.freeze({ name: f.name, type: f.type, dims: f.dims })),
    pack, align, id);
  aggregates.set(name, agg);
  return agg;
}

// A type known by name only: usable through pointers.
function defineOpaque(name) {
  if (typeof name !== 'string' || !IDENT.test(name)) throw new TypeError('sbffi.opaque: name must be a C identifier');
  if (aggregates.has(name)) throw new TypeError(`sbffi.opaque: '${name}' is already a ${aggregates.get(name).kind}`);
  opaques.add(name);
  return name;
}

module.exports = {
  TypeTable, Aggregate, parsePrototype, parseFunctionType, splitDims, defineAggregate, defineOpaque, declaration,
};
