'use strict';
// sbffi explain PROTOTYPE [options]: where each argument and the result go
// under one ABI or several, as a table (lib/explain_text.js), as the JSON
// ffi.explain returns, or drawn as SVG (lib/explain_svg.js).

const fs = require('fs');
const { parseArgs } = require('util');

const HELP = `Usage: sbffi explain 'PROTOTYPE' [options]

Where each argument and the result of a C function go: which register, which
stack slot (as an offset from sp at the call), how the ABI classified an
aggregate and the rule of the ABI document that decided.

Options:
  --abi NAME         sysv-x64, win64, aapcs64, apple-arm64, a comma-separated
                     list of them, or all [the host's]
  --types FILE       struct definitions, a JSON file: either an object of
                     { "Name": { "field": "type", ... } } (or "Name":
                     "type field; ..."), defined in order, or a list of C
                     declarations ["struct Vec2 { float x, y; }", "union U {...}"]
  --struct 'DECL'    a C declaration, 'struct Vec2 { float x, y; }' or a union
                     (repeatable; after --types)
  --varargs 'T,...'  a variadic call's anonymous argument types, in order
  --json             print what ffi.explain returns (an array for several ABIs)
  --svg              print an SVG picture of the registers and the stack
  --color, --no-color  colour the table [on a terminal, unless NO_COLOR is set]
  -h, --help         print this message

Examples:
  sbffi explain 'double f(int a, float b, Vec2 v, long e)' --abi all \\
      --struct 'struct Vec2 { float x, y; }'
  sbffi explain 'Big g(Big b, int x)' --abi win64 --types ./types.json
  sbffi explain 'void h(int, ...)' --abi apple-arm64 --varargs 'double,int' --svg > h.svg
`;

// a mistake in the command line, not in what it describes: exit status 2
class UsageError extends Error {}

const OPTIONS = {
  abi: { type: 'string' },
  types: { type: 'string' },
  struct: { type: 'string', multiple: true },
  varargs: { type: 'string' },
  json: { type: 'boolean' },
  svg: { type: 'boolean' },
  color: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

// 'double, int (*)(int, int)' -> ['double', 'int (*)(int, int)']
function splitTypes(s) {
  const out = [''];
  let depth = 0;
  for (const ch of s) {
    depth += ch === '(' ? 1 : ch === ')' ? -1 : 0;
    if (ch === ',' && depth === 0) out.push('');
    else out[out.length - 1] += ch;
  }
  return out.map((t) => t.trim());
}

function declare(ffi, decl) {
  if (typeof decl !== 'string') throw new TypeError(`expected a C declaration, got ${JSON.stringify(decl)}`);
  return /^\s*union\s/.test(decl) ? ffi.union(decl) : ffi.struct(decl);
}

function loadTypes(ffi, file) {
  let defs;
  try {
    defs = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new TypeError(`${file}: ${e.message}`);
  }
  if (Array.isArray(defs)) {
    for (const d of defs) declare(ffi, d);
  } else if (defs !== null && typeof defs === 'object') {
    for (const [name, fields] of Object.entries(defs)) ffi.struct(name, fields);
  } else {
    throw new TypeError(`${file}: expected an object of struct definitions or a list of C declarations`);
  }
}

// argv: the words after 'explain'; tty: whether stdout is a terminal.
// Returns the text to print; throws UsageError, or the API's TypeError.
function explain(argv, { tty = false, env = {} } = {}) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
  } catch (e) {
    throw new UsageError(e.message);
  }
  const { values: o, positionals } = parsed;
  if (o.help) return HELP;
  if (positionals.length !== 1) {
    throw new UsageError(positionals.length ? `one prototype, got ${positionals.length}: quote it` : 'no prototype given');
  }
  if (o.json && o.svg) throw new UsageError('--json and --svg: one at a time');
  // loaded only now: --help and usage errors need no addon
  const ffi = require('..');
  if (o.types !== undefined) loadTypes(ffi, o.types);
  for (const d of o.struct || []) declare(ffi, d);
  const abis = o.abi === undefined ? [ffi.abi] : o.abi === 'all' ? ffi.abis : o.abi.split(',').map((a) => a.trim());
  const options = o.varargs === undefined ? undefined : { varargs: splitTypes(o.varargs) };
  const list = abis.map((abi) => ffi.explain(positionals[0], abi, options));
  if (o.json) return `${JSON.stringify(list.length === 1 ? list[0] : list, null, 2)}\n`;
  if (o.svg) return require('../lib/explain_svg').svg(list, ffi.explain);
  const color = o['no-color'] ? false : o.color || (tty && env.NO_COLOR === undefined);
  const { table } = require('../lib/explain_text');
  return list.map((e) => table(e, { color })).join('\n');
}

module.exports = { explain, UsageError };
