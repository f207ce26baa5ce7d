'use strict';
// An explanation (ffi.explain's result) as the table `sbffi explain`
// prints: a row per argument with its C type, its register or stack
// offset from sp at the call, how its ABI classified it and the rule that
// decided (lib/explain_rules.js), a row per piece of an aggregate in
// registers, the result's row and a hidden result pointer's; then the
// rules cited, in full, numbered by first use.

const { ruleOf, abiFacts, variadicRule } = require('./explain_rules');

// plain ANSI: the package has no dependencies
const ANSI = { bold: 1, dim: 2, red: 31, yellow: 33, magenta: 35, cyan: 36 };
const paint = (on, style, s) => (on && s ? `\x1b[${ANSI[style]}m${s}\x1b[0m` : s);
const VECTOR = /^(xmm|v)\d+$/;

// a register or stack place's colour: integer, vector, stack, memory
function placeStyle(w) {
  if (VECTOR.test(w)) return 'magenta';
  if (w.startsWith('sp+')) return 'yellow';
  if (w.startsWith('memory')) return 'red';
  return w === 'none' ? 'dim' : 'cyan';
}

// the prototype as explained: named parameters, then a variadic call's
// anonymous ones after '...'
function signature(e) {
  const param = (a) => (a.name ? `${a.type}${a.type.endsWith('*') ? '' : ' '}${a.name}` : a.type);
  const fixed = e.args.filter((a) => !a.variadic).map(param);
  const anon = e.args.filter((a) => a.variadic).map(param);
  const list = anon.length ? [...fixed, `... ${anon.join(', ')}`] : fixed;
  return `${e.return.type} ${e.function}(${list.join(', ') || 'void'})`;
}

// stack offsets as addresses from sp at the call instruction
function at(e, where, offset) {
  return where === 'stack' ? `sp+${abiFacts(e.abi).stackBase + offset}` : where;
}

function whereOf(e, p, ret) {
  if (ret && p.pass === 'reference') return `memory (pointer in ${p.pointer})`;
  if (p.parts) return p.parts.map((q) => at(e, q.where, q.offset)).join(', ');
  const w = at(e, p.where, p.offset);
  return p.pass === 'reference' ? `${w} (pointer to a copy)` : w;
}

function table(e, options = {}) {
  const color = !!options.color;
  const notes = [];
  const cite = (r) => {
    if (!r.cite) return '';
    let i = notes.findIndex((x) => x.cite === r.cite && x.says === r.says);
    if (i < 0) i = notes.push(r) - 1;
    return `[${i + 1}] ${r.cite}`;
  };
  // cells: arg, name, type, where, how, rule; a part's row leaves the first three
  const rows = [['arg', 'name', 'type', 'where', 'how', 'rule']];
  const part = (q) => ['', '', `  bytes ${q.bytes[0]}-${q.bytes[1]}`, at(e, q.where, q.offset), q.class, ''];
  if (e.return.pointer) {
    const r = ruleOf(e, e.return, 0);
    rows.push(['ptr', '', `${e.return.type} *`, e.return.pointer, 'hidden result pointer', cite(r)]);
  }
  e.args.forEach((p, i) => {
    const r = ruleOf(e, p, i + 1);
    const type = p.promoted ? `${p.type} -> ${p.promoted}` : p.type;
    rows.push([String(i + 1), p.variadic ? '...' : p.name || '', type, whereOf(e, p, false), r.how, cite(r)]);
    if (p.parts) rows.push(...p.parts.map(part));
  });
  const r = ruleOf(e, e.return, 0);
  rows.push(['return', '', e.return.type, e.return.pass === 'empty' ? 'none' : whereOf(e, e.return, true), r.how, cite(r)]);
  if (e.return.parts) rows.push(...e.return.parts.map(part));
  const anon = e.args.some((p) => p.variadic) ? [`  anonymous arguments: ${cite(variadicRule(e.abi))}`] : [];

  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  const line = (row, n) => {
    const cells = row.map((s, c) => {
      const padded = c === row.length - 1 ? s : s.padEnd(widths[c]);
      if (n === 0) return paint(color, 'bold', padded);
      if (c === 3) return padded.replace(s, s.split(', ').map((w) => paint(color, placeStyle(w), w)).join(', '));
      if (c === 5 || (c === 2 && !row[0])) return paint(color, 'dim', padded);
      return padded;
    });
    return `  ${cells.join('  ')}`.trimEnd();
  };
  const facts = abiFacts(e.abi);
  const stack = facts.stackBase
    ? `stack arguments: ${e.stackBytes} bytes from sp+${facts.stackBase} (below them, ${facts.shadow})`
    : `stack arguments: ${e.stackBytes} bytes from sp`;
  return [
    `${paint(color, 'bold', e.abi)}: ${facts.title}`,
    `  ${signature(e)}`,
    '',
    ...rows.map(line),
    ...anon,
    `  ${stack}`,
    '',
    ...notes.map((x, i) => `  ${paint(color, 'dim', `[${i + 1}]`)} ${x.cite}: ${x.says}.`),
    '',
  ].join('\n');
}

module.exports = { table, signature };
