'use strict';
// sbffi 1.x compatibility: its entry points over the modern API, which
// index.js hands in (this module requires nothing of sbffi itself, so the
// requires still run one way). sizeof is the modern one, which takes 1.x's
// type names. A plain function passed for a [ret, [args]] parameter is a
// simple callback (lib/callback.js).

module.exports = function compat({ dlopen, callback, address }) {
  // createCallback(fn, [ret, [args]]): a callback C may call any number of
  // times, from any thread, until .destroy(); it holds the event loop open
  // until then, as 1.x's did
  function createCallback(fn, signature) {
    if (!Array.isArray(signature) || signature.length !== 2 || !Array.isArray(signature[1])) {
      throw new TypeError('createCallback: expected (fn, [returnType, [argTypes]])');
    }
    return callback(signature[0], signature[1], fn).ref();
  }

  // getNativeFunction(path, name, ret, [args]): path null is the running
  // process; each library is opened once
  const libs = new Map();
  function getNativeFunction(path, name, ret, args) {
    let lib = libs.get(path);
    if (!lib) {
      lib = dlopen(path);
      libs.set(path, lib);
    }
    return lib.func(name, ret, args);
  }

  return { getNativeFunction, getBufferPointer: address, createCallback };
};
