'use strict';
// C type names and prototypes, parsed into the registry's type ids.

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

// Integer types spelled with several words: sort the words, ignore 'int'
// where another word says the width.
function integerName(words) {
  const count = (w) => words.filter((x) => x === w).length;
  const unsigned = count('unsigned') > 0;
  const signed = count('signed') > 0;
  const longs = count('long');
  if (unsigned && signed) return null;
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
  constructor(info) {
    this.byName = new Map(info.map((t) => [t.name, t]));
  }

  // Parse one C type ('const char *', 'unsigned long', 'int (*)(int)').
  parse(text, what) {
    // sbffi 1.x: a function pointer as [ret, [args]]
    if (Array.isArray(text) && text.length === 2 && Array.isArray(text[1])) {
      const fn = { name: null, ret: text[0], args: text[1].map((type) => ({ type, name: null })) };
      return { ...this.pointer(`${text[0]} (*)(${text[1].join(', ') || 'void'})`, false, false), fn };
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
        throw new TypeError(`${what}: cannot parse function pointer type '${text}'`);
      }
      return { ...this.pointer(src, false, false), fn };
    }
    const stars = (src.match(/\*/g) || []).length + (src.match(/\[/g) || []).length;
    const words = src.replace(/\[[^\]]*\]/g, ' ').replace(/\*/g, ' ').split(/\s+/).filter(Boolean);
    const isConst = words.includes('const');
    const base = words.filter((w) => !QUALIFIERS.has(w));
    if (base.length === 0) throw new TypeError(`${what}: unknown type '${text}'`);
    if (stars > 0) {
      if (base[0] === 'struct' || base[0] === 'union' || base[0] === 'enum' || this.baseName(base) !== null) {
        const isChar = stars === 1 && base.length === 1 && base[0] === 'char';
        return this.pointer(src, isChar, isConst);
      }
      throw new TypeError(`${what}: unknown type '${text}'`);
    }
    const name = this.baseName(base);
    const t = name && this.byName.get(name);
    if (!t) throw new TypeError(`${what}: unknown type '${text}'`);
    if (name === 'void *') return this.pointer(src, false, false);
    return { text: src, name, id: t.id, size: t.size, kind: t.kind, pointer: false };
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

  pointer(text, isChar, isConst) {
    const t = this.byName.get('void *');
    return {
      text, name: 'void *', id: t.id, size: t.size, kind: t.kind, pointer: true,
      // char pointers take JS strings; only const char * returns one
      charPointer: isChar, cstring: isChar && isConst,
    };
  }
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
function splitDeclarator(decl) {
  if (decl.includes('(')) {
    const m = /\(\s*\*\s*([A-Za-z_]\w*)?\s*\)/.exec(decl);
    return { type: decl, name: m && m[1] ? m[1] : null };
  }
  const m = /^(.*?[\s*\]])([A-Za-z_]\w*)(\s*\[[^\]]*\])?$/.exec(decl);
  // 'struct foo' is a type, not a type and a name
  const tagOnly = m && /^((const|volatile)\s+)*(struct|union|enum)$/.test(m[1].trim());
  if (m && !tagOnly && !TYPE_WORDS.has(m[2]) && !QUALIFIERS.has(m[2]) && m[1].trim()) {
    return { type: m[1].trim() + (m[3] ? ' *' : ''), name: m[2] };
  }
  return { type: decl, name: null };
}

// 'size_t strlen(const char *s)' -> { name, ret, args: [{ type, name }] }
function parsePrototype(proto) {
  if (typeof proto !== 'string') throw new TypeError('prototype must be a string');
  const src = proto.trim().replace(/;$/, '');
  const open = src.indexOf('(');
  if (open < 0 || !src.endsWith(')')) {
    throw new TypeError(`cannot parse prototype '${proto}': expected 'ret name(args)'`);
  }
  const head = splitDeclarator(src.slice(0, open).trim());
  if (!head.name) throw new TypeError(`cannot parse prototype '${proto}': no function name`);
  const inner = src.slice(open + 1, -1).trim();
  const parts = inner === '' || inner === 'void' ? [] : splitArgs(inner);
  if (parts.includes('...')) {
    throw new TypeError(`${head.name}: variadic functions are not supported`);
  }
  return { name: head.name, ret: head.type, args: parts.map(splitDeclarator) };
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
  if (!g) throw new TypeError(`cannot parse function type '${text}': expected 'ret (args)'`);
  const inner = src.slice(g[0] + 1, g[1]).trim();
  let head = src.slice(0, g[0]).trim();
  let name = null;
  const d = lastGroup(head);
  if (d) {
    // (*name) or (*): the pointer declarator
    const m = /^\(\s*\*\s*([A-Za-z_]\w*)?\s*\)$/.exec(head.slice(d[0]));
    if (!m) throw new TypeError(`cannot parse function type '${text}'`);
    name = m[1] || null;
    head = head.slice(0, d[0]).trim();
  } else {
    const sd = splitDeclarator(head);
    if (sd.name) {
      name = sd.name;
      head = sd.type;
    }
  }
  if (!head) throw new TypeError(`cannot parse function type '${text}': no return type`);
  const parts = inner === '' || inner === 'void' ? [] : splitArgs(inner);
  if (parts.includes('...')) throw new TypeError(`${name || text}: variadic callbacks are not supported`);
  return { name, ret: head, args: parts.map(splitDeclarator) };
}

module.exports = { TypeTable, parsePrototype, parseFunctionType };
