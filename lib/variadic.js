'use strict';
// Variadic functions: a prototype ending in `...`, called with its fixed
// arguments and then a type and a value for each anonymous one:
//   snprintf(buf, 64n, '%d %s', 'int', 42, 'const char *', 'hi')
// The anonymous types get C's default argument promotions (C11 6.5.2.2p6):
// float becomes double, and the integer promotions (6.3.1.1p2) make int of
// every type narrower than int, bool, char and short of either sign (int
// holds all their values). Each distinct list of anonymous types is
// classified and compiled once: a tree of Maps keyed by the type values
// caches them, so a repeated call costs a Map lookup per anonymous
// argument more than a fixed call.

const NARROW = new Set(['bool', 'i8', 'u8', 'i16', 'u16']);

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
  const root = { next: new Map(), params: sig.params, compiled: null };

  function argc(n) {
    throw new TypeError(`${sig.name}: expected ${nfixed} fixed argument${nfixed === 1 ? '' : 's'}, ` +
      `then a type and a value for each variadic one; got ${n} arguments`);
  }

  function grow(node, t, i) {
    if (node.params.length === maxArgs) {
      throw new TypeError(`${sig.name}: too many arguments (at most ${maxArgs})`);
    }
    const p = param(t, `${sig.name}: argument ${i + 1}`);
    p.type = promote(types, p.type);
    const child = { next: new Map(), params: [...node.params, p], compiled: null };
    node.next.set(t, child);
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
    return compiled(node);
  }

  function call() {
    return target(arguments).fn.apply(undefined, arguments);
  }
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
