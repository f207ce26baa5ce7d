'use strict';
// Where the addon can be, in the order the loader tries (lib/frame.js) and
// npm's install step looks (scripts/install.js): a source build, then the
// binary prebuilt for this platform and architecture. SBFFI_ADDON, a path,
// replaces the search with that one file: how make check-asan-node runs
// the tests with an addon built elsewhere (with the sanitizers).

const path = require('path');

function addonPaths(root, platform = process.platform, arch = process.arch) {
  if (process.env.SBFFI_ADDON) return [path.resolve(process.env.SBFFI_ADDON)];
  return [
    path.join(root, 'build', 'sbffi.node'),
    path.join(root, 'prebuilds', `${platform}-${arch}`, 'sbffi.node'),
  ];
}

module.exports = { addonPaths };
