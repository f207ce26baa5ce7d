'use strict';
// Per signature, one generated straight-line function: write each argument
// with the view of its kind at its planned frame offset, call the one
// no-argument native entry, read the result from the return slot. Struct
// arguments and results travel field by field (lib/emit.js).

const frame = require('./frame');
const {
  TWO32, state, finishWork, bufferAddress, DETACHED, isHandle, describe, writeAddress, writeString, area, scalarHelpers, at, storeArg, loadValue,
} = require('./convert');
const batch = require('./batch');
const C = require('./codec');
const { Emitter, placeAt, aggregateHelpers } = require('./emit');
const callbacks = require('./callback');

const { binding, layout: L } = frame;
const QUEUE_END = L.OFF_QUEUE + L.QUEUE_SIZE;

// Signature-bound helpers for the values the fast paths do not take.
// paths[i] names value i in messages (an argument, or a field of one),
// types[i] is its parsed type.
function helpers(sig, paths, types) {
  const what = (i) => `${sig.name}: ${paths[i]}`;
  const fail = (i, v, expected) => {
    throw new TypeError(`${what(i)} must be ${expected}, got ${describe(v)}`);
  };
  return {
    fail,
    argc(n) {
      const want = sig.params.length;
      throw new TypeError(`${sig.name}: expected ${want} argument${want === 1 ? '' : 's'}, got ${n}`);
    },
    closed() {
      throw new Error(`${sig.name}: library ${sig.lib.name} is closed`);
    },
    // after the call: let go of the references, close the callbacks made
    // for plain functions (valid for this call only)
    release() {
      const keep = state.keep;
      for (let i = state.keepBase; i < keep.length; i++) {
        if (keep[i] !== null && typeof keep[i] === 'object' && keep[i].temporary === true) keep[i].close();
      }
      keep.length = state.keepBase;
    },
    // an argument refused after callbacks were made for earlier ones:
    // C never saw them, so they go, simple (1.x) ones too
    abandon() {
      const keep = state.keep;
      for (let i = state.keepBase; i < keep.length; i++) {
        const v = keep[i];
        if (isHandle(v) && (v.temporary || v.simple)) v.close();
      }
      keep.length = state.keepBase;
      state.pos = state.base;
    },
    // .async: this call's references, held until it settles (and the
    // library with them: lib.close() waits for it)
    hold() {
      const held = state.keep.splice(state.keepBase);
      sig.lib.pending++;
      return held;
    },
    settle(held, ok) {
      for (const v of held) if (v !== null && typeof v === 'object' && v.temporary === true) v.close();
      sig.lib.settled();
      if (!ok) throw new Error(`${sig.name}: the call was cancelled: its thread's environment is shutting down`);
    },
    // an argument refused before the call: the promise rejects with what
    // a synchronous call throws
    reject(e) {
      this.abandon();
      return Promise.reject(e);
    },
    // work left for when C has returned (lib/convert.js, state.err)
    after: finishWork,
    // inside ffi.batch (lib/batch.js)
    full: batch.full,
    flush: batch.flush,
    later: batch.later,
    ...scalarHelpers(fail),
    ...aggregateHelpers(what),
    area,
    string: writeString,
    // a struct pointer parameter given an object (not a handle or buffer)
    structPointer: (v) => C.isPlainObject(v) && !isHandle(v),
    // a non-const struct pointer's object, updated from memory after the call
    update(target, decoded) {
      for (const k in decoded) target[k] = decoded[k];
    },
    pointer(v, o4, i) {
      const p = types[i];
      if (v === null) {
        writeAddress(o4, 0);
      } else if (typeof v === 'string' && p.charPointer) {
        writeString(v, o4);
      } else if (p.fn && isHandle(v)) {
        // a function pointer's usual values asked for first
        writeAddress(o4, this.handle(v, i));
      } else if (p.fn && typeof v === 'function') {
        writeAddress(o4, this.callback(v, p, i));
      } else {
        const addr = bufferAddress(v);
        if (addr === DETACHED) throw new TypeError(`${what(i)}: the buffer of this ${describe(v).replace(/^an? /, '')} is detached`);
        if (addr < 0) {
          writeAddress(o4, this.callback(v, p, i));
        } else {
          state.keep.push(v);
          writeAddress(o4, addr);
        }
      }
    },
    // a callback handle's address; in a batch's record it is kept open
    // until the record has run (lib/batch.js)
    handle(v, i) {
      if (state.recording) state.keep.push(v);
      return v.checkOpen(what, i);
    },
    // a callback handle, or a plain function for a function pointer
    // parameter (valid for this call only: closed by release())
    callback(v, p, i) {
      if (isHandle(v)) return this.handle(v, i);
      if (typeof v === 'function' && p.fn) {
        const cb = callbacks.temporary(p, v, what(i));
        state.keep.push(cb);
        return cb.addressNumber;
      }
      return fail(i, v, p.charPointer
        ? 'a string, Buffer, TypedArray, ArrayBuffer, BigInt or null'
        : p.fn ? 'a function, callback, BigInt or null'
          : p.pointee ? `an object (${p.pointee}), Buffer, TypedArray, ArrayBuffer, BigInt or null`
            : 'a Buffer, TypedArray, ArrayBuffer, BigInt or null');
    },
  };
}

// a const char * result is made a string without its pointer leaving the frame
const retCString = () => 'RET_CSTRING()';
const fieldCString = (o) => `H.cstring(U64[${o >> 3}])`;

// The code of one argument: lines run before any frame write (reading
// the value, where user code may run), lines that write it, and lines
// that run after the call.
function argumentCode(E, sig, plan, i, a, code) {
  const p = sig.params[i];
  const place = plan.args[i];
  const text = E.paths[i];
  if (p.type.kind === 'agg') {
    if (place.pass === 'ref') {
      // Win64, AAPCS64: a copy the caller makes, its address in the slot
      const v = E.storeAt(p.node, a, text);
      code.reads.push(...v.reads);
      code.writes.push((rel) => `writeAddress(${at(place.offset, 2, rel)}, H.area(${place.size}, 16));`,
        () => v.write('S.areaView', 'S.areaOffset'));
      code.scratch = true;
    } else if (place.pass === 'empty') {
      code.reads.push(...E.storeAt(p.node, a, text).reads);
    } else {
      const v = E.store(p.node, a, text, placeAt(place));
      code.reads.push(...v.reads);
      code.writes.push(...v.writes);
    }
  } else if (p.type.pointee) {
    // an object for a struct pointer: encoded into call-scoped memory
    const node = E.constant(p.pointeeNode);
    const s = E.local();
    const fill = (rel) => `writeAddress(${at(place.offset, 2, rel)}, H.area(${p.pointeeNode.size}, ${Math.max(p.pointeeNode.align, 8)})); ` +
      `C.write(${node}, ${s}, S.areaView, S.areaOffset, null);`;
    code.reads.push(`${s} = H.structPointer(${a}) ? C.read(${node}, ${a}, ${JSON.stringify(`${sig.name}: ${text}`)}, true) : undefined;`);
    if (p.type.isConst) {
      code.writes.push((rel) => `if (${s} !== undefined) { ${fill(rel)} } else { ${storeArg(a, i, place, rel)} }`);
    } else {
      const d = E.local();
      code.writes.push((rel) => `if (${s} !== undefined) { ${fill(rel)} ${d} = S.areaOffset; ${s} = S.areaView; } else { ${storeArg(a, i, place, rel)} }`);
      code.after.push(`if (${s} !== undefined) H.update(${a}, C.decode(${node}, ${s}, ${d}, null, ${sig.bigint}));`);
      code.later.push(`if (${s} !== undefined) H.later(${a}, ${node}, ${s}, ${d}, ${sig.bigint});`);
    }
    code.scratch = true;
  } else {
    // promoted anonymous arguments (lib/variadic.js): a float travels as
    // a double holding the float's value, a narrow integer as an int
    // holding the narrow type's
    const round = p.type.fround ? `if (typeof ${a} === 'number') ${a} = Math.fround(${a}); ` : '';
    const to = p.type.convertAs ? { ...place, kind: p.type.convertAs } : p.type.charPointer ? { ...place, string: true } : place;
    code.writes.push((rel) => round + storeArg(a, i, to, rel));
    if (p.type.charPointer) code.scratch = true;
  }
}

function resultCode(E, sig, plan, code) {
  if (sig.ret.kind !== 'agg') return loadValue(plan.ret, sig.ret, sig.bigint, retCString);
  const node = sig.retNode;
  // empty: no byte travels, but its members (empty too) are still there
  if (plan.ret.pass === 'empty' || plan.ret.pass === 'parts') {
    return E.load(node, placeAt(plan.ret), sig.bigint, fieldCString);
  }
  // written by the callee to memory whose address the hidden pointer gives
  const v = E.local();
  const o = E.local();
  code.writes.push((rel) => `writeAddress(${at(plan.retPtr, 2, rel)}, H.area(${plan.ret.size}, 16)); ${v} = S.areaView; ${o} = S.areaOffset;`);
  code.scratch = true;
  return `C.decode(${E.constant(node)}, ${v}, ${o}, null, ${sig.bigint})`;
}

// sig: { name, lib: { name, closed }, address (Number), ret: type,
//        params: [{ name, type, node?, pointeeNode? }], retNode?, bigint,
//        positions? }
// (node: an aggregate's layout tree; pointeeNode: a struct pointer's;
// positions: each parameter's index among the JS arguments, where they
// are not simply in order: a variadic call's values after their types)
// plan: from binding.define for the host ABI
function compile(sig, plan) {
  const positions = sig.positions || sig.params.map((_, i) => i);
  const n = sig.positions ? positions[positions.length - 1] + 1 : sig.params.length;
  const names = Array.from({ length: n }, (_, j) => `a${j}`);
  const args = positions.map((j) => names[j]);
  const paths = sig.params.map((p, i) => `argument ${positions[i] + 1}${p.name ? ` (${p.name})` : ''}`);
  const E = new Emitter(sig.name, paths, sig.params.map((p) => p.type));
  const code = { reads: [], writes: [], after: [], later: [], scratch: false };
  sig.params.forEach((p, i) => argumentCode(E, sig, plan, i, args[i], code));
  const ret = resultCode(E, sig, plan, code);
  const keeps = plan.args.some((p) => p.kind === 'ptr' || p.kind === 'agg') || code.after.length > 0;
  // a variadic call's count is checked by its dispatcher (lib/variadic.js)
  // closed is asked after the reads: a getter among them may close it
  const argc = sig.positions ? [] : [`if (arguments.length !== ${n}) H.argc(arguments.length);`];
  const locals = E.locals.length ? [`let ${E.locals.join(', ')};`] : [];
  const head = [...argc, ...locals, ...code.reads, 'if (LIB.closed) H.closed();'];
  // plain functions become callbacks as their arguments are written: a
  // later argument's error must not leave them open
  const writes = (rel) => {
    const lines = code.writes.map((w) => w(rel));
    return sig.params.some((p) => p.type.fn)
      ? ['try {', ...lines.map((l) => `  ${l}`), '} catch (e) {', '  H.abandon();', '  throw e;', '}']
      : lines;
  };
  // the function pointer in one store: its 64 bits as the double that
  // has them (a denormal, which a store copies bit for bit; a JS number
  // prints and parses back exactly); the lean dispatcher reads no counts
  const lean = plan.dispatch === 'gpr' && !sig.errno;
  const fnBits = bitsAsDouble(sig.address);
  const counts = (rel) => [`I32[${at(L.OFF_NSTACK, 2, rel)}] = ${plan.nstack};`, `I32[${at(L.OFF_NVEC, 2, rel)}] = ${plan.nvec};`];
  const call = [...writes(false), `F64[${L.OFF_FN >> 3}] = ${fnBits};`];
  const name = safeName(sig.name);
  // inside ffi.batch, the call is recorded instead (lib/batch.js)
  const body = [...argc, `if (S.recording === true) return ${name}_batch(${names.join(', ')});`, ...head.slice(argc.length)];
  if (code.scratch) body.push('S.pos = S.base;');
  body.push(...call, ...(lean ? [] : counts(false)), 'CALL();');
  // let go of what the call needed, after the result is read
  if (keeps) {
    body.push(`const r = ${ret};`, ...code.after, 'if (S.keep.length !== S.keepBase) H.release();',
      'if (S.err !== undefined) H.after();', 'return r;');
  } else {
    body.push('if (S.err !== undefined) H.after();', `return ${ret};`);
  }
  // .async: the same writes, but no string or copy in the scratch area
  // (the next call's): each in memory of its own, held with the other
  // references until the call settles; finish reads the result once the
  // addon has put the return slots back in this thread's frame
  const asyncBody = ['try {', ...head.map((l) => `  ${l}`),
    `  S.pos = ${L.SCRATCH_SIZE};`, ...[...call, ...counts(false)].map((l) => `  ${l}`), '  S.pos = S.base;',
    '  const held = H.hold();',
    '  return ASYNC(function finish(ok) {', '    H.settle(held, ok);',
    `    const r = ${ret};`, ...code.after.map((l) => `    ${l}`), '    return r;',
    `  }, ${!!sig.errno});`, '} catch (e) {', '  return H.reject(e);', '}'];
  const fnSource = (suffix, lines) => `function ${name}${suffix}(${names.join(', ')}) {\n  ${lines.join('\n  ')}\n}`;
  const batched = batchBody(sig, plan, { names, name, argc, locals, code, writes, counts, lean, fnBits, keeps });
  const source = `"use strict";\n${fnSource('', body)}\n${fnSource('_async', asyncBody)}\n${fnSource('_batch', batched)}\n` +
    `return [${name}, ${name}_async];`;
  const factory = new Function(
    'CALL', 'ASYNC', 'RET_CSTRING', 'H', 'S', 'LIB', 'C', 'K', 'DV', 'writeAddress',
    'I8', 'U8', 'I16', 'U16', 'I32', 'U32', 'F32', 'F64', 'I64', 'U64', source,
  );
  // the entries themselves, not looked up on the addon's exports object
  // (whose many properties V8 keeps in dictionary mode) at each call
  const entry = sig.errno ? binding.callErrno : lean ? binding.callGpr : binding.call;
  const [fn, async] = factory(entry, binding.callAsync, binding.retCString,
    helpers(sig, paths, E.types), state, sig.lib, C, E.K, frame.DV, writeAddress,
    frame.I8, frame.U8, frame.I16, frame.U16, frame.I32, frame.U32,
    frame.F32, frame.F64, frame.I64, frame.U64);
  return { fn, async, source };
}

// The body that records a call in this thread's batch queue: the reads
// and writes of a call, at a record's offsets (rel), and the record's
// head: the function, its length and its dispatcher (src/frame.h).
// Strings and copies stay in the scratch area, references in S.keep,
// until the queue has run: the bases move past them.
function batchBody(sig, plan, c) {
  // the lean dispatcher reads no vector slot: its records end before them
  const size = sig.errno ? L.FRAME_SIZE : c.lean ? L.OFF_VEC : (L.OFF_STACK + plan.nstack * L.WORD + 15) & -16;
  const kind = sig.errno ? L.RECORD_ERRNO : c.lean ? L.RECORD_GPR : L.RECORD_FULL;
  const lines = [
    // no room even in an empty queue (a batch begun in a callback of a
    // batch's call, with the queue nearly full below it): made now
    `if (S.qpos + ${size} > ${QUEUE_END} && H.full(${size})) {`,
    `  S.recording = false;`, `  try { ${c.name}(${c.names.join(', ')}); } finally { S.recording = true; }`,
    `  S.ran++;`, '  return undefined;', '}',
    ...c.locals, ...c.code.reads,
    // a getter among the reads may have recorded calls of its own
    ...(c.code.reads.length ? [`if (S.qpos + ${size} > ${QUEUE_END}) H.flush();`] : []),
    'if (LIB.closed) H.closed();',
    'const q1 = S.qpos, q2 = q1 >> 1, q4 = q1 >> 2, q8 = q1 >> 3;',
    ...c.writes(true),
    `F64[q8] = ${c.fnBits};`, `I32[${at(L.OFF_RECORD, 2, true)}] = ${size | kind};`,
    ...(c.lean ? [] : c.counts(true)),
    `S.qpos = q1 + ${size};`,
    ...c.code.later];
  if (c.keeps || c.code.scratch) lines.push('S.base = S.pos;', 'S.keepBase = S.keep.length;');
  lines.push('return undefined;');
  return lines;
}

const bits = new BigUint64Array(1);
const bitsView = new Float64Array(bits.buffer);
function bitsAsDouble(address) {
  bits[0] = BigInt(address);
  return bitsView[0];
}

function safeName(name) {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? `sbffi_${name}` : 'sbffi_call';
}

module.exports = { compile };
