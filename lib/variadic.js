'use strict';
// Variadic functions: a prototype ending in `...`, called with its fixed
// arguments and then a type and a value for each anonymous one:
//   snprintf(buf, 64n, '%d %s', 'int', 42, 'const char *', 'hi')
// The anonymous types get C's default argument promotions (C11 6.5.2.2p6):
// float becomes double, and the integer promotions (6.3.1.1p2) make int of
// every type narrower than int, bool, char and short of either sign (int
// holds all their values). Each distinct list of anonymous types is
// classified and compiled once: a tree of Maps keyed by the type values
// caches them, so a repeated call costs little more than a fixed call
// (README, "Variadic functions").

const NARROW = new Set(['bool', 'i8', 'u8', 'i16', 'u16']);
const FAST = 8;

// The type an anonymous argument travels as. A float's value is rounded
// to float first and a narrow integer's converted to its type, as a C
// caller holding a value of that type passes it.
function promote(types, type) {
  if (type.kind === 'f32') return { ...types.parse('double', ''), text: type.text, fround: true };
  if (NARROW.has(type.kind)) return { ...types.parse('int', ''), text: type.text, convertAs: type.kind };
  return type;
}

// sig: the fixed part ({ name, params, ... }); param(type, what): a
// parameter as readSignature makes one; make(sig, nfixed): the compiled
// { fn, async } for a whole list. Returns the function the user calls.
function variadic(sig, types, param, make, maxArgs) {
  const nfixed = sig.params.length;
  // lastType: no value a call passes (not even undefined) before the first
  const makeNode = (params) => ({ next: new Map(), params, compiled: null, lastType: makeNode, lastChild: null });
  const root = makeNode(sig.params);

  function argc(n) {
    throw new TypeError(`${sig.name}: expected ${nfixed} fixed argument${nfixed === 1 ? '' : 's'}, ` +
      `then a type and a value for each variadic one; got ${n} arguments`);
  }

  function grow(parent, t, i) {
    if (parent.params.length === maxArgs) {
      throw new TypeError(`${sig.name}: too many arguments (at most ${maxArgs})`);
    }
    const p = param(t, `${sig.name}: argument ${i + 1}`);
    p.type = promote(types, p.type);
    const child = makeNode([...parent.params, p]);
    parent.next.set(t, child);
    return child;
  }

  function compiled(node) {
    if (node.compiled === null) {
      const positions = node.params.map((_, i) => (i < nfixed ? i : nfixed + 2 * (i - nfixed) + 1));
      node.compiled = make({ ...sig, params: node.params, positions }, nfixed);
    }
    return node.compiled;
  }

  // the compiled function for this call's list of anonymous types
  function target(args) {
    const n = args.length;
    if (n < nfixed || (n - nfixed) % 2 !== 0) argc(n);
    let node = root;
    for (let i = nfixed; i < n; i += 2) node = node.next.get(args[i]) || grow(node, args[i], i);
    return node.compiled || compiled(node);
  }

  function slow() {
    return target(arguments).fn.apply(undefined, arguments);
  }

  // the child for type t at argument i, remembered as the node's last
  // (a call site passes the same type strings each time)
  function step(node, t, i) {
    const child = node.next.get(t) || grow(node, t, i);
    node.lastType = t;
    node.lastChild = child;
    return child;
  }

  // Up to FAST pairs, the call walks the tree on named parameters, one
  // comparison per pair when the types are the last ones, and passes
  // exactly the arguments it got on: no arguments object, no spread.
  const names = Array.from({ length: nfixed + 2 * FAST }, (_, i) => `a${i}`);
  const run = (k) => `return (node.compiled || compiled(node)).fn(${names.slice(0, nfixed + 2 * k).join(', ')});`;
  const walk = [run(0)];
  for (let k = 1; k <= FAST; k++) {
    const t = `a${nfixed + 2 * (k - 1)}`;
    walk.push(`node = node.lastType === ${t} ? node.lastChild : step(node, ${t}, ${nfixed + 2 * (k - 1)});`,
      k < FAST ? `if (n === ${nfixed + 2 * k}) ${run(k)}` : run(k));
  }
  const source = [
    '"use strict";',
    `return function ${/^[A-Za-z_$][\w$]*$/.test(sig.name) ? sig.name : 'call'}(${names.join(', ')}) {`,
    '  const n = arguments.length;',
    `  if (n > ${names.length}) return slow.apply(undefined, arguments);`,
    `  if (n < ${nfixed} || (n - ${nfixed}) % 2 !== 0) argc(n);`,
    '  let node = root;',
    `  if (n === ${nfixed}) ${walk[0]}`,
    ...walk.slice(1).map((l) => `  ${l}`),
    '};'].join('\n');
  const call = new Function('root', 'step', 'compiled', 'argc', 'slow', source)(root, step, compiled, argc, slow);
  call.async = function async() {
    let t;
    try {
      t = target(arguments);
    } catch (e) {
      return Promise.reject(e);
    }
    return t.async.apply(undefined, arguments);
  };
  return call;
}

module.exports = { variadic, promote };
