#!/usr/bin/env node
'use strict';
// npm's install step. A binary prebuilt for this platform (or a source
// build already in build/) needs nothing more. Otherwise sbffi is built
// from source with configure and make, never installing system packages;
// when a tool is missing, one message says which and how to get it.

const path = require('path');
const fs = require('fs');
const { spawnSync } = require('child_process');
const { addonPaths } = require('../lib/addon');

const root = path.join(__dirname, '..');
const target = `${process.platform}-${process.arch}`;
const platformText = () => (process.platform === 'linux' && !prebuiltLoads() ? `${target} without glibc` : target);

function onPath(cmd) {
  if (cmd.includes('/')) return fs.existsSync(cmd);
  return (process.env.PATH || '').split(path.delimiter).some((d) => d && fs.existsSync(path.join(d, cmd)));
}

// what a source build needs that this machine lacks: [what, Debian package]
function missingTools() {
  const cc = (process.env.CC || 'cc').split(' ')[0];
  const need = [['sh', 'dash'], ['make', 'make'], [cc, 'gcc']];
  if (process.arch === 'x64') need.push(['nasm', 'nasm']);
  const missing = need.filter(([cmd]) => !onPath(cmd));
  const include = path.join(path.dirname(process.execPath), '..', 'include', 'node', 'node_api.h');
  if (!fs.existsSync(include) && !fs.existsSync('/usr/include/node/node_api.h')) {
    missing.push(['the Node-API headers (node_api.h)', 'libnode-dev']);
  }
  return missing;
}

// The Linux binaries link glibc: with another C library (musl), the
// prebuilt one cannot load, so build from source (the loader takes build/
// first).
function prebuiltLoads() {
  if (process.platform !== 'linux') return true;
  const report = process.report && process.report.getReport();
  return Boolean(report && report.header && report.header.glibcVersionRuntime);
}

function main() {
  const [built, prebuilt] = addonPaths(root);
  if (fs.existsSync(built) || (fs.existsSync(prebuilt) && prebuiltLoads())) return 0;
  const missing = missingTools();
  if (missing.length) {
    process.stderr.write(`sbffi: no prebuilt binary for ${platformText()}, and building it from source needs ` +
      `${missing.map(([what]) => what).join(', ')}. Install ${missing.length > 1 ? 'them' : 'it'} ` +
      `(on Debian: apt-get install ${missing.map(([, pkg]) => pkg).join(' ')}), then run npm rebuild sbffi.\n`);
    return 1;
  }
  process.stdout.write(`sbffi: no prebuilt binary for ${platformText()}: building from source\n`);
  const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit' }).status === 0;
  if (!run('sh', ['./configure', '--no-install', '--addon-only', `NODE=${process.execPath}`]) || !run('make')) {
    process.stderr.write('sbffi: the source build failed (its output is above)\n');
    return 1;
  }
  return 0;
}

process.exitCode = main();
