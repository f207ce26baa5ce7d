'use strict';
// Callbacks: a JS function behind one of the addon's pre-assembled
// trampolines (src/callback.c, asm/<abi>). When C calls the trampoline,
// the addon copies the argument registers and stack words into this
// thread's frame, at the offsets the callback signature's plan gives (the
// places a call of that signature would put them), and calls the invoker
// generated here: it reads each argument with the view of its kind, calls
// the function, and writes the return value into the frame's return slot.

const frame = require('./frame');
const {
  storeArg, loadValue, scalarHelpers, writeAddress, describe, area, handles, isHandle, workAfterCall, queued, state: S,
} = require('./convert');
const C = require('./codec');
const { Emitter, placeAt, aggregateHelpers } = require('./emit');
const { nodeOf } = require('./layout');
const { closeLater } = require('./batch');
const { declaration } = require('./types');

const { binding, layout: L } = frame;
// the return slots, zeroed when a callback throws
const RET_FROM = L.OFF_RET_GPR >> 2;
const RET_TO = L.OFF_GPR >> 2;

// An expression for argument `place` as a JS value: the conversions of a
// call's return value; a const char * through its pointer.
const cstringArg = (o) => `H.cstring(U64[${o >> 3}])`;

// The conversions of the return value, as for a call's arguments, with
// messages that name the callback. paths[i]: the value's name ('return
// value', 'return value.x').
function returnHelpers(what, paths) {
  const name = (i) => `${what}: ${paths[i] || 'return value'}`;
  const fail = (i, v, expected) => {
    throw new TypeError(`${name(i)} must be ${expected}, got ${describe(v)}`);
  };
  return {
    fail,
    ...scalarHelpers(fail),
    ...aggregateHelpers(name),
    area,
    work: workAfterCall,
    // no string or buffer: nothing would keep it alive once JS returns
    pointer(v, o4, i) {
      let addr;
      if (v === null) addr = 0;
      else if (isHandle(v)) addr = v.checkOpen(name, i);
      else fail(i, v, 'a BigInt, callback or null');
      writeAddress(o4, addr);
    },
    // an argument C passed by reference, or where a large result goes
    native: (p, size) => new DataView(binding.view(p, size)),
    copyOut(p, view, offset, size) {
      binding.copy(p, new Uint8Array(view.buffer, view.byteOffset + offset, size));
    },
  };
}

// An argument's value, read from the frame where the plan put it.
function argumentCode(E, p, place, bigint) {
  if (p.type.kind !== 'agg') return loadValue(place, p.type, bigint, cstringArg);
  if (place.pass === 'ref') {
    return `C.decode(${E.constant(p.node)}, H.native(U64[${place.offset >> 3}], ${place.size}), 0, null, ${bigint})`;
  }
  return E.load(p.node, placeAt(place), bigint, cstringArg);
}

// The return value r into the return slots, or through the hidden
// result pointer (whose address goes back in rax where the ABI wants it).
function returnCode(E, sig, plan) {
  const ret = plan.ret;
  if (sig.ret.kind !== 'agg') return [storeArg('r', 0, ret)];
  if (ret.pass === 'empty') return [];
  if (ret.pass === 'parts') {
    const v = E.store(sig.retNode, 'r', 'return value', placeAt(ret));
    return [...v.reads, ...v.writes.map((w) => w(false))];
  }
  const v = E.storeAt(sig.retNode, 'r', 'return value');
  return [...v.reads, `H.area(${ret.size}, 16);`, v.write('S.areaView', 'S.areaOffset'),
    `H.copyOut(U64[${plan.retPtr >> 3}], S.areaView, S.areaOffset, ${ret.size});`,
    `U64[${L.OFF_RET_GPR >> 3}] = U64[${plan.retPtr >> 3}];`];
}

// Per callback signature, a factory of invokers: (fn) -> invoke(outer).
// outer: no sbffi call is below (a call from another thread), so an
// exception is rethrown for the addon to report as uncaught; otherwise it
// waits in S.err for the caller to rethrow when C returns.
function compileInvoker(sig, plan, what) {
  const E = new Emitter(what, ['return value'], [sig.ret]);
  const args = sig.params.map((p, i) => argumentCode(E, p, plan.args[i], sig.bigint));
  const ret = sig.ret.kind === 'void' ? [] : returnCode(E, sig, plan);
  const body = ['"use strict";', 'return function invoke(outer) {',
    '  const base = S.base;', '  const keepBase = S.keepBase;',
    '  S.base = S.pos;', '  S.keepBase = S.keep.length;', '  S.depth++;', '  try {'];
  if (E.locals.length) body.push(`    let ${E.locals.join(', ')};`);
  if (sig.ret.kind === 'void') {
    body.push(`    fn(${args.join(', ')});`);
  } else {
    body.push(`    let r = fn(${args.join(', ')});`, ...ret.map((l) => `    ${l}`));
  }
  body.push('  } catch (e) {',
    `    I32.fill(0, ${RET_FROM}, ${RET_TO});`,
    '    if (outer === true) throw e;',
    // called by a batch's call: the queue stops after it (lib/batch.js)
    `    if (S.depth === S.stopDepth) I32[${L.OFF_BATCH_TO >> 2}] = 0;`,
    '    const work = H.work();',
    '    if (!work.thrown) { work.thrown = true; work.error = e; }',
    '  } finally {',
    '    if (S.keep.length > S.keepBase) S.keep.length = S.keepBase;',
    '    S.pos = S.base;', '    S.base = base;', '    S.keepBase = keepBase;', '    S.depth--;',
    '  }', '};');
  const make = new Function(
    'fn', 'H', 'S', 'C', 'K', 'DV', 'I8', 'U8', 'I16', 'U16', 'I32', 'U32', 'F32', 'F64', 'I64', 'U64',
    body.join('\n'),
  );
  return { make, K: E.K, paths: E.paths };
}

class Callback {
  constructor(sig, plan, factory, fn, options, text) {
    const faf = !!(options && options.fireAndForget);
    const index = binding.callbackOpen(factory(fn), plan.nstack, faf);
    if (index < 0) {
      throw new Error(`sbffi: out of callback trampolines (all ${binding.trampolineCount} are open; ` +
        'close() callbacks no longer needed, or build with -DSB_TRAMPOLINE_COUNT=N)');
    }
    handles.add(this);
    this.index = index;
    this.address = binding.trampolineAddress(index);
    this.addressNumber = Number(this.address);
    this.signature = text;
    this.closed = false;
    this.temporary = false;
    this.fireAndForget = faf;
  }

  // the address for a pointer value; throws once closed, naming it as
  // what(i) does ('f: argument 2'), asked for only then
  checkOpen(what, i) {
    if (this.closed) throw new Error(`${what(i)}: callback '${this.signature}' is closed`);
    return this.addressNumber;
  }

  // C calls after this return zero; the trampoline is reused once calls
  // in flight on other threads have returned (and the event loop is no
  // longer held for it)
  close() {
    if (this.closed) return;
    this.closed = true;
    // a batch's record not run yet may hold it (lib/batch.js)
    if (queued() && S.keep.includes(this)) closeLater(this);
    else this.closeNow();
  }

  closeNow() {
    binding.callbackClose(this.index);
  }

  // Hold the event loop open while this is open, as a ref'd timer does: a
  // program whose only work left is C calling back from its own threads
  // would exit first. Not by default: most callbacks are called during
  // the calls that take them.
  ref() {
    if (!this.closed) binding.callbackRef(this.index, true);
    return this;
  }

  unref() {
    if (!this.closed) binding.callbackRef(this.index, false);
    return this;
  }

  // sbffi 1.x
  destroy() {
    this.close();
  }
}

function signatureText(sig) {
  const args = sig.params.map((p) => declaration(p.type.text, p.name));
  return `${sig.ret.text} ${sig.name ? `(*${sig.name})` : '(*)'}(${args.join(', ') || 'void'})`;
}

// decl: { name, ret, args: [{ type, name }] } -> the compiled pieces,
// cached per declaration object
const compiled = new WeakMap();
function prepare(decl, types, options) {
  const bigint = !(options && options.bigint === false);
  let c = compiled.get(decl);
  if (c && c.bigint === bigint) return c;
  const name = decl.name || 'callback';
  if (decl.args.length > frame.layout.MAX_ARGS) {
    throw new TypeError(`${name}: too many arguments (${decl.args.length}; at most ${frame.layout.MAX_ARGS})`);
  }
  const ret = types.parse(decl.ret, `${name}: return type`);
  const params = decl.args.map((p, i) => {
    const what = `${name}: argument ${i + 1}${p.name ? ` (${p.name})` : ''}`;
    const type = types.parse(p.type, what);
    if (type.kind === 'void') throw new TypeError(`${what}: void is not an argument type`);
    return { name: p.name, type };
  });
  const node = (t) => (t.kind === 'agg' ? nodeOf(types, t) : undefined);
  const sig = { name: decl.name, ret, params, bigint, retNode: node(ret) };
  for (const p of params) p.node = node(p.type);
  const plan = binding.define(undefined, ret.id, params.map((p) => p.type.id));
  const text = signatureText(sig);
  const what = `callback '${text}'`;
  const { make, K, paths } = compileInvoker(sig, plan, what);
  const H = returnHelpers(what, paths);
  const factory = (fn) => make(fn, H, S, C, K, frame.DV, frame.I8, frame.U8, frame.I16, frame.U16,
    frame.I32, frame.U32, frame.F32, frame.F64, frame.I64, frame.U64);
  c = { sig, plan, factory, text, bigint };
  compiled.set(decl, c);
  return c;
}

function create(decl, types, fn, options) {
  if (typeof fn !== 'function') {
    throw new TypeError(`sbffi.callback: expected a function, got ${describe(fn)}`);
  }
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw new TypeError('sbffi.callback: options must be an object');
  }
  const c = prepare(decl, types, options);
  if (options && options.fireAndForget && c.sig.ret.kind !== 'void') {
    throw new TypeError(`callback '${c.text}': fireAndForget needs a void return type`);
  }
  // the caller's copy of such an argument is gone once it has returned
  const byRef = c.plan.args.findIndex((p) => p.pass === 'ref');
  if (options && options.fireAndForget && byRef >= 0) {
    throw new TypeError(`callback '${c.text}': fireAndForget cannot take argument ${byRef + 1}, ` +
      `a ${c.sig.params[byRef].type.text} passed by reference on ${c.plan.abi}`);
  }
  return new Callback(c.sig, c.plan, c.factory, fn, options, c.text);
}

// A plain function passed for a function pointer parameter: a callback
// closed when that call returns (the caller's release() closes what is
// temporary). type: the parameter's parsed type; one written in sbffi
// 1.x's [ret, [args]] form makes a simple callback instead.
let hostTypes;
function setTypes(get) {
  hostTypes = get;
}

function temporary(type, fn, what) {
  try {
    if (type.simple) return simple(type, fn);
    const cb = create(type.fn, hostTypes(), fn, undefined);
    cb.temporary = true;
    return cb;
  } catch (e) {
    e.message = `${what}: ${e.message}`;
    throw e;
  }
}

// sbffi 1.x's simple callback: valid for the call, and after it until C
// has called it once, from any thread (C libraries that finish their work
// on a thread of their own call back when done); the event loop is held
// until then. Called during the call, it is temporary: release() closes
// it. Called later, it closes itself: the call is over once the caller no
// longer keeps it.
function simple(type, fn) {
  const cb = create(type.fn, hostTypes(), (...args) => {
    try {
      return fn(...args);
    } finally {
      if (S.keep.includes(cb)) cb.temporary = true;
      else cb.close();
    }
  }, undefined);
  cb.simple = true;
  return cb.ref();
}

module.exports = { Callback, create, temporary, setTypes };
