'use strict';
// Explanations (ffi.explain's results) drawn as one SVG document, one
// drawing per explanation, stacked: the ABI's integer and vector argument
// registers as two rows of cells, the result's place as a third, and the
// stack as a column of 8-byte slots from sp at the call upwards (Win64's
// shadow space at the bottom); each cell holds the argument that lands
// there (its name, or "arg N", and the bytes of an aggregate's piece), in
// that argument's colour. Deterministic, for files kept in the repository
// (docs/img). Cells carry data-row, data-place and data-arg (or data-role)
// for tests and scripts.

const { signature } = require('./explain_text');
const { abiFacts } = require('./explain_rules');

// ColorBrewer Set3 without its grey: light fills black text reads on
const PALETTE = ['#8dd3c7', '#ffffb3', '#bebada', '#fb8072', '#80b1d3', '#fdb462',
  '#b3de69', '#fccde5', '#bc80bd', '#ccebc5', '#ffed6f'];
const RETURN_FILL = '#d9d9d9';
const POINTER_FILL = '#a6a6a6';
const SHADOW_FILL = '#f0f0f0';
const EMPTY_FILL = '#ffffff';

const PAD = 16;
const ROW_LABEL = 64;	// width of "integer", "vector", "return"
const CELL_H = 48;
const GAP = 4;
const ROW_GAP = 14;
const CHAR_W = 7.2;	// of the 12px monospace label; sizes the cells

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const round8 = (n) => Math.ceil(n / 8) * 8;
const kindSize = (k) => (k === 'bool' ? 1 : k === 'ptr' ? 8 : Number(k.slice(1)) / 8);
const bytes = (a, b) => `bytes ${a}-${b}`;

// An ABI's argument registers in order, as its classifier names them:
// those twenty integers, then twenty doubles, take.
const rows = new Map();
function registerRows(explain, abi) {
  if (!rows.has(abi)) {
    const taken = (t) => explain(`void f(${Array(20).fill(t).join(', ')})`, abi).args
      .map((a) => a.where).filter((w) => w !== 'stack');
    rows.set(abi, { integer: taken('int64_t'), vector: taken('double') });
  }
  return rows.get(abi);
}

// Every cell an explanation fills: { row, place, fill, label, piece, arg
// or role, title }; stack cells carry from/to, bytes above sp at the call.
// A register is in the vector row if it is one of regs.vector.
function cellsOf(e, facts, regs) {
  const out = [];
  const stackCell = (c, from, size) => {
    // split at 8-byte slot edges; an aggregate's cells say which bytes
    for (let at = from; at < from + size; at = (Math.floor(at / 8) + 1) * 8) {
      const to = Math.min(from + size, (Math.floor(at / 8) + 1) * 8);
      const piece = c.agg ? bytes(at - from + c.first, Math.min(to - from, c.agg) - 1 + c.first) : c.piece;
      out.push({ ...c, row: 'stack', place: `sp+${at}`, from: at, to, piece });
    }
  };
  if (e.return.pointer) {
    out.push({ row: 'integer', place: e.return.pointer, fill: POINTER_FILL, role: 'result-pointer',
      label: 'result ptr', piece: `to ${e.return.type}`, title: `hidden pointer to the ${e.return.type} result` });
  }
  e.args.forEach((p, i) => {
    const label = p.name || `arg ${i + 1}`;
    const base = { arg: i + 1, fill: PALETTE[i % PALETTE.length], label, title: `${label}: ${p.type}` };
    const put = (where, offset, piece, size, agg = 0, first = 0) => {
      if (where === 'stack') stackCell({ ...base, piece, agg, first }, facts.stackBase + offset, size);
      else out.push({ ...base, row: regs.vector.includes(where) ? 'vector' : 'integer', place: where, piece });
    };
    if (p.pass === 'registers') {
      for (const q of p.parts) put(q.where, q.offset, bytes(q.bytes[0], q.bytes[1]), 8, q.bytes[1] - q.bytes[0] + 1, q.bytes[0]);
    } else if (p.pass === 'stack') {
      const packed = facts.packedStack && !p.variadic;
      put('stack', p.offset, '', packed ? p.size : round8(p.size), p.size);
    } else if (p.pass === 'reference') {
      put(p.where, p.offset, 'pointer to copy', 8);
    } else if (p.pass !== 'empty') {
      const [where, also] = p.where.split(', ');
      put(where, p.offset, p.promoted ? `as ${p.promoted}` : '', facts.packedStack && !p.variadic ? kindSize(p.kind) : 8);
      if (also) put(also, 0, 'copy');
    }
  });
  const r = e.return;
  const ret = { row: 'return', fill: RETURN_FILL, role: 'return', label: 'return', title: `result: ${r.type}` };
  if (r.pass === 'reference') out.push({ ...ret, place: 'memory', piece: `via ${r.pointer}` });
  else if (r.parts) out.push(...r.parts.map((q) => ({ ...ret, place: q.where, piece: bytes(q.bytes[0], q.bytes[1]) })));
  else if (r.where !== 'none') out.push({ ...ret, place: r.where, piece: '' });
  return out;
}

function cellSvg(c, x, y, w) {
  const data = [`data-row="${c.row}"`, `data-place="${esc(c.place)}"`,
    c.arg ? `data-arg="${c.arg}"` : '', c.role ? `data-role="${c.role}"` : ''].filter(Boolean).join(' ');
  const mid = x + w / 2;
  return [
    `<g class="cell" ${data}>`,
    c.title ? `<title>${esc(c.title)} in ${esc(c.place)}</title>` : '',
    `<rect x="${x}" y="${y}" width="${w}" height="${CELL_H}" rx="3" fill="${c.fill}" stroke="#444"/>`,
    `<text class="place" x="${mid}" y="${y + 13}">${esc(c.place)}</text>`,
    c.label ? `<text class="label" x="${mid}" y="${y + 29}">${esc(c.label)}</text>` : '',
    c.piece ? `<text class="piece" x="${mid}" y="${y + 42}">${esc(c.piece)}</text>` : '',
    '</g>',
  ].filter(Boolean).join('');
}

// One explanation: { width, height, body } at the origin.
function draw(e, regs) {
  const facts = abiFacts(e.abi);
  const cells = cellsOf(e, facts, regs);
  const texts = cells.flatMap((c) => [c.label, c.piece, c.place]);
  // a multiple of 4: a packed stack's 1-byte cells fall on whole pixels
  const w = Math.ceil(Math.max(60, ...texts.map((s) => s.length * CHAR_W + 12)) / 4) * 4;
  const out = [];
  // far: the right edge of everything drawn, for the picture's width
  let far = 0;
  const text = (x, y, cls, s) => {
    far = Math.max(far, Math.ceil(x + s.length * CHAR_W * (cls === 'title' ? 14 / 12 : 1)));
    out.push(`<text class="${cls}" x="${x}" y="${y}">${esc(s)}</text>`);
  };
  text(PAD, PAD + 12, 'title', `${e.abi}: ${facts.title}`);
  text(PAD, PAD + 30, 'signature', signature(e));
  const top = PAD + 58;

  // the register rows; a result pointer outside them (x8) after a gap
  const rowY = { integer: top, vector: top + CELL_H + ROW_GAP, return: top + 2 * (CELL_H + ROW_GAP) };
  let right = 0;
  const row = (name, places, extra) => {
    text(PAD, rowY[name] + 29, 'row', name);
    let x = PAD + ROW_LABEL;
    for (const place of places) {
      const here = cells.filter((c) => c.row === name && c.place === place);
      const c = here[0] || { row: name, place, fill: EMPTY_FILL };
      out.push(cellSvg(c, x, rowY[name], w));
      x += w + GAP;
    }
    if (places.length) x += 2 * GAP;
    for (const c of extra) {
      out.push(cellSvg(c, x, rowY[name], w));
      x += w + GAP;
    }
    right = Math.max(right, x - GAP);
  };
  const outside = (name) => cells.filter((c) => c.row === name && !regs[name].includes(c.place));
  row('integer', regs.integer, outside('integer'));
  row('vector', regs.vector, outside('vector'));
  const rets = cells.filter((c) => c.row === 'return');
  row('return', [], rets);
  if (!rets.length) text(PAD + ROW_LABEL, rowY.return + 29, 'none', `${e.return.type}: nothing comes back`);

  // the legend: one swatch per argument, wrapped to the rows' width
  let lx = PAD;
  let ly = rowY.return + CELL_H + 2 * ROW_GAP;
  e.args.forEach((p, i) => {
    const s = `${p.name || `arg ${i + 1}`}: ${p.type}${p.promoted ? ` -> ${p.promoted}` : ''}${p.variadic ? ' (anonymous)' : ''}`;
    const width = Math.ceil(s.length * CHAR_W) + 28;
    if (lx > PAD && lx + width > right) {
      lx = PAD;
      ly += 20;
    }
    out.push(`<rect class="swatch" x="${lx}" y="${ly}" width="12" height="12" fill="${PALETTE[i % PALETTE.length]}" stroke="#444"/>`);
    text(lx + 18, ly + 10, 'legend', s);
    lx += width;
  });
  const bottom = ly + (e.args.length ? 20 : 0);

  // the stack column: slot k (sp+8k) k slots above sp, sp at the bottom
  const sx = right + 3 * PAD;
  const sw = 2 * w;
  const stack = cells.filter((c) => c.row === 'stack');
  const slots = Math.max(facts.stackBase / 8, ...stack.map((c) => Math.ceil(c.to / 8)));
  text(sx, top - 6, 'row', slots ? 'stack (sp at the bottom)' : 'stack: nothing');
  const slotY = (k) => top + (slots - 1 - k) * (CELL_H + GAP);
  for (let k = 0; k < slots; k++) {
    const y = slotY(k);
    const here = stack.filter((c) => Math.floor(c.from / 8) === k);
    if (k < facts.stackBase / 8) {
      const home = regs.integer[k];
      out.push(cellSvg({ row: 'stack', place: `sp+${8 * k}`, fill: SHADOW_FILL, role: 'shadow',
        label: 'shadow', piece: `${home} home`, title: facts.shadow }, sx, y, sw));
    } else if (!here.length) {
      out.push(cellSvg({ row: 'stack', place: `sp+${8 * k}`, fill: EMPTY_FILL }, sx, y, sw));
    } else if (here.reduce((n, c) => n + c.to - c.from, 0) < 8) {
      // a slot packed cells fill in part: its bytes left show as white
      out.push(`<rect x="${sx}" y="${y}" width="${sw}" height="${CELL_H}" rx="3" fill="${EMPTY_FILL}" stroke="#444"/>`);
    }
    for (const c of here) out.push(cellSvg(c, sx + ((c.from % 8) * sw) / 8, y, ((c.to - c.from) * sw) / 8));
  }
  if (slots) text(sx - 22, slotY(0) + CELL_H, 'sp', 'sp');
  const width = Math.max(far, right, slots ? sx + sw : 0) + PAD;
  const height = Math.max(bottom, slots ? slotY(0) + CELL_H + PAD : 0) + PAD;
  return { width, height, abi: e.abi, body: out.join('\n') };
}

const STYLE = 'text{font-family:monospace;font-size:12px;fill:#111}'
  + '.cell text{text-anchor:middle}.place{font-size:10px;fill:#555}.label{font-weight:bold}'
  + '.piece{font-size:10px}.title{font-size:14px;font-weight:bold}.none{fill:#777}.sp{font-weight:bold}';

// explanations: a list of ffi.explain results; explain: ffi.explain itself,
// which names each ABI's argument registers (registerRows)
function svg(explanations, explain) {
  const drawings = explanations.map((e) => draw(e, registerRows(explain, e.abi)));
  const width = Math.max(...drawings.map((d) => d.width));
  let y = 0;
  const groups = drawings.map((d) => {
    const g = `<g class="explain" data-abi="${d.abi}" transform="translate(0,${y})">\n${d.body}\n</g>`;
    y += d.height;
    return g;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" viewBox="0 0 ${width} ${y}">`,
    `<title>${esc(explanations.map((e) => `${e.abi}: ${signature(e)}`).join('; '))}</title>`,
    `<style>${STYLE}</style>`,
    `<rect width="${width}" height="${y}" fill="#ffffff"/>`,
    ...groups,
    '</svg>',
    '',
  ].join('\n');
}

module.exports = { svg, registerRows };
