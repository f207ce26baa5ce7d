'use strict';
// Regenerates what docs/calling-conventions.md shows from the code, by
// running sbffi explain (bin/sbffi.js): under each ABI's rules, the
// pictures (docs/img/<abi>-<example>.svg) and tables of the same examples,
// and the table of the ABIs side by side. The prose around them is
// written by hand; the blocks between <!-- sbffi:... --> and
// <!-- sbffi:end --> are this script's.
//   node docs/generate.js [--out DIR]    (make docs; make check-docs
//                                         writes to a DIR and compares)

const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const { ruleOf, abiFacts } = require('../lib/explain_rules');

const DOCS = __dirname;
const GUIDE = 'calling-conventions.md';
const BIN = path.join(DOCS, '..', 'bin', 'sbffi.js');
const TYPES = path.join(DOCS, 'types.json');
const ABIS = ['sysv-x64', 'win64', 'aapcs64', 'apple-arm64'];

const EXAMPLES = [
  { id: 'exhaust', title: 'Register exhaustion',
    proto: 'int exhaust(int a, int b, int c, int d, int e, int f, int g, int h, int i, int j, double x)' },
  { id: 'mixed', title: 'Mixed integer and floating point',
    proto: 'double mixed(int a, float b, double c, long long d, char *s, float e)' },
  { id: 'small', title: 'Small structs', proto: 'Vec2 small(Vec2 v, Mixed m, int n)' },
  { id: 'large', title: 'A large struct', proto: 'Big large(Big b, int x)' },
  { id: 'variadic', title: 'A variadic call', proto: 'int printf(const char *fmt, ...)', varargs: 'double,int,float' },
];

function sbffi(proto, abi, ...flags) {
  return execFileSync(process.execPath, [BIN, 'explain', proto, '--abi', abi, '--types', TYPES, ...flags],
    { encoding: 'utf8' });
}

const varargsFlags = (x) => (x.varargs ? ['--varargs', x.varargs] : []);
const quoted = (x) => `sbffi explain '${x.proto}' --abi ${x.abi}${x.varargs ? ` --varargs '${x.varargs}'` : ''}`;

// one ABI's examples: picture, then the table folded
function examples(abi, out) {
  return EXAMPLES.map((x) => {
    const file = `img/${abi}-${x.id}.svg`;
    fs.writeFileSync(path.join(out, file), sbffi(x.proto, abi, '--svg', ...varargsFlags(x)));
    return [
      `#### ${x.title}`, '',
      `![${abi}: ${x.proto}](${file})`, '',
      `<details><summary><code>${quoted({ ...x, abi })}</code></summary>`, '',
      '```', sbffi(x.proto, abi, '--no-color', ...varargsFlags(x)).trimEnd(), '```', '',
      '</details>',
    ].join('\n');
  }).join('\n\n');
}

// ffi.explain's answer under every ABI, through the command
function everywhere(proto, varargs) {
  return JSON.parse(sbffi(proto, 'all', '--json', ...(varargs ? ['--varargs', varargs] : [])));
}

function comparison() {
  const place = (e, p) => (p.where === 'stack' ? `sp+${abiFacts(e.abi).stackBase + p.offset}` : p.where);
  const how = (e, n) => {
    const p = e.args[n];
    const h = ruleOf(e, p, n + 1).how;
    return `\`${place(e, p)}\`${h ? ` (${h})` : ''}`;
  };
  const regs = (e) => e.args.filter((p) => p.where !== 'stack').map((p) => p.where).join(', ');
  const row = (what, proto, cell, varargs) => `| ${what} | ${everywhere(proto, varargs).map(cell).join(' | ')} |`;
  const many = (t) => `void f(${Array(20).fill(t).join(', ')})`;
  const exhaust = EXAMPLES[0].proto;
  return [
    `| | ${ABIS.map((a) => `\`${a}\``).join(' | ')} |`,
    `|---|${ABIS.map(() => '---').join('|')}|`,
    row('integer argument registers', many('int64_t'), regs),
    row('vector argument registers', many('double'), regs),
    row('`n` in `void f(double x, int n)`', 'void f(double x, int n)', (e) => how(e, 1)),
    row('`i` and `j` of `exhaust`, past the registers', exhaust,
      (e) => `\`${place(e, e.args[8])}\`, \`${place(e, e.args[9])}\``),
    `| below the stack arguments | ${ABIS.map((a) => (abiFacts(a).stackBase ? `${abiFacts(a).stackBase}-byte shadow space` : 'nothing')).join(' | ')} |`,
    row('`int` result', 'int f(void)', (e) => `\`${e.return.where}\``),
    row('`double` result', 'double f(void)', (e) => `\`${e.return.where}\``),
    row('`Vec2 { float x, y; }` argument', 'void f(Vec2 v)', (e) => how(e, 0)),
    row('`Mixed { int64_t i; double d; }` argument', 'void f(Mixed m)', (e) => how(e, 0)),
    row('`Big { int64_t a, b, c; }` argument', 'void f(Big b)', (e) => how(e, 0)),
    row('`Big` result: its address in', 'Big f(int n)', (e) => `\`${e.return.pointer}\`, \`n\` in \`${e.args[0].where}\``),
    row('anonymous `double` of `printf`', 'int printf(const char *fmt, ...)', (e) => how(e, 1), 'double'),
  ].join('\n');
}

function generate(out) {
  // pictures of examples no longer here must not linger
  fs.rmSync(path.join(out, 'img'), { recursive: true, force: true });
  fs.mkdirSync(path.join(out, 'img'), { recursive: true });
  const guide = fs.readFileSync(path.join(DOCS, GUIDE), 'utf8').replace(
    /(<!-- sbffi:(\w+)(?: (\S+))? -->\n)[\s\S]*?(<!-- sbffi:end -->)/g,
    (all, open, what, abi, close) => {
      if (what === 'examples' && ABIS.includes(abi)) return `${open}\n${examples(abi, out)}\n\n${close}`;
      if (what === 'comparison') return `${open}\n${comparison()}\n\n${close}`;
      throw new Error(`${GUIDE}: unknown block '${what} ${abi || ''}'`);
    });
  fs.writeFileSync(path.join(out, GUIDE), guide);
}

const i = process.argv.indexOf('--out');
generate(i > 0 ? path.resolve(process.argv[i + 1]) : DOCS);
