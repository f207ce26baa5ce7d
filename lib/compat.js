'use strict';
// sbffi 1.x compatibility: its entry points over the modern API, which
// index.js hands in (this module requires nothing of sbffi itself, so the
// requires still run one way).

module.exports = function compat({ dlopen, callback, address }) {
  // sbffi 1.x compatibility
  // createCallback(fn, ret, [args]) -> the function pointer as a BigInt;
  // destroyCallback(pointer) lets go of it
  const compatCallbacks = new Map();
  function createCallback(fn, ret, args) {
    const cb = callback(ret, args || [], fn);
    compatCallbacks.set(cb.address, cb);
    return cb.address;
  }

  function destroyCallback(ptr) {
    const cb = compatCallbacks.get(ptr);
    if (!cb) throw new TypeError('destroyCallback: not a pointer from createCallback');
    compatCallbacks.delete(ptr);
    cb.close();
  }

  const compatLibs = new Map();
  function getNativeFunction(path, name, ret, args) {
    let lib = compatLibs.get(path);
    if (!lib) {
      lib = dlopen(path);
      compatLibs.set(path, lib);
    }
    return lib.func(name, ret, args);
  }

  return {
    getNativeFunction, getBufferPointer: address, createCallback, destroyCallback,
  };
};
