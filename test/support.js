'use strict';
// What the JS tests need to know of the platform they run on: the file
// names of the test libraries built beside the addon (build/, or
// SBFFI_TEST_BUILD: make check-asan-node's addon is built elsewhere), and
// which tests name Linux libraries. Under wine, process.platform is 'win32'.

const path = require('path');

const windows = process.platform === 'win32';
const SO = windows ? '.dll' : '.so';
const BUILD = process.env.SBFFI_TEST_BUILD
  ? path.resolve(process.env.SBFFI_TEST_BUILD) : path.join(__dirname, '..', 'build');

module.exports = {
  windows,
  build: BUILD,
  testLib: path.join(BUILD, `libsbffi_test${SO}`),
  conformanceLib: path.join(BUILD, 'conformance', `libconformance${SO}`),
  winTestLib: path.join(BUILD, 'sbffi_wintest.dll'),
  // the ABI the addon is built for on this platform
  hostAbi: windows ? 'win64' : process.arch === 'arm64' ? 'aapcs64' : 'sysv-x64',
  // { skip: linuxOnly } for tests of Linux libraries and loader messages
  linuxOnly: windows && 'Linux library',
  // sizeof(long): LP64 except on Windows (LLP64)
  longSize: windows ? 4 : 8,
  // plain char: unsigned on AAPCS64 Linux, signed on x86-64
  charSigned: process.arch !== 'arm64',
};
