'use strict';
// This thread's frame: allocated here (embedders may forbid external
// ArrayBuffers), pinned by the addon, seen through one view per width.

const path = require('path');
const { existsSync } = require('fs');
const { addonPaths } = require('./addon');

// The addon: a source build (build/, a developer's checkout or npm's
// fallback build) first, else the binary prebuilt for this platform.
function loadAddon() {
  const tried = addonPaths(path.join(__dirname, '..'));
  const found = tried.find((p) => existsSync(p));
  if (!found) {
    throw new Error(`sbffi: no addon for ${process.platform}-${process.arch}: looked for ${tried.join(' and ')}. ` +
      'Build it from source: ./configure && make in the package directory (npm rebuild sbffi does it).');
  }
  return require(found);
}

const binding = loadAddon();
const L = binding.layout;

// then the batch queue (lib/batch.js)
const buffer = new ArrayBuffer(L.OFF_QUEUE + L.QUEUE_SIZE);
const address = Number(binding.init(buffer));

const frame = {
  binding,
  layout: L,
  address,
  I8: new Int8Array(buffer),
  U8: new Uint8Array(buffer),
  I16: new Int16Array(buffer),
  U16: new Uint16Array(buffer),
  I32: new Int32Array(buffer),
  U32: new Uint32Array(buffer),
  F32: new Float32Array(buffer),
  F64: new Float64Array(buffer),
  I64: new BigInt64Array(buffer),
  U64: new BigUint64Array(buffer),
  DV: new DataView(buffer),
  // string arguments are encoded here, after the frame proper
  scratch: Buffer.from(buffer, L.FRAME_SIZE, L.SCRATCH_SIZE),
  scratchAddress: address + L.FRAME_SIZE,
};

module.exports = frame;
