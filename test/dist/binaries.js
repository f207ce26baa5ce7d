#!/usr/bin/env node
'use strict';
// Checks the prebuilt addons before they are packed: a Linux binary needs
// no glibc symbol version newer than 2.17 and no library but libc; a
// Windows one imports only from node.exe and the system DLLs; none keeps
// debug info. Reads the tools' own listings (readelf, objdump).
//   node test/dist/binaries.js prebuilds/linux-x64/sbffi.node ...

const { execFileSync } = require('child_process');
const path = require('path');

const MAX_GLIBC = [2, 17];
const WINDOWS_DLLS = new Set(['node.exe', 'kernel32.dll', 'msvcrt.dll']);
const run = (cmd, args) => execFileSync(cmd, args, { encoding: 'utf8' });
const newer = (v) => v[0] > MAX_GLIBC[0] || (v[0] === MAX_GLIBC[0] && v[1] > MAX_GLIBC[1]);

function checkElf(file) {
  const problems = [];
  const versions = [...run('readelf', ['-V', '-W', file]).matchAll(/Name: GLIBC_(\d+)\.(\d+)(?:\.\d+)?/g)]
    .map((m) => [Number(m[1]), Number(m[2])]);
  const worst = versions.reduce((a, b) => (newer(b) && (!a || b[0] > a[0] || (b[0] === a[0] && b[1] > a[1])) ? b : a), null);
  if (worst) problems.push(`needs GLIBC_${worst.join('.')}, newer than ${MAX_GLIBC.join('.')}`);
  const needed = [...run('readelf', ['-d', '-W', file]).matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1]);
  for (const lib of needed) if (lib !== 'libc.so.6') problems.push(`links ${lib}`);
  if (/\.debug_info/.test(run('readelf', ['-S', '-W', file]))) problems.push('keeps debug info');
  return { problems, summary: `glibc <= ${versions.length ? versions.reduce((a, b) => (b[0] > a[0] || (b[0] === a[0] && b[1] > a[1]) ? b : a)).join('.') : '-'}, needs ${needed.join(', ') || 'nothing'}` };
}

function checkPe(file) {
  const problems = [];
  const out = run('x86_64-w64-mingw32-objdump', ['-p', '-h', file]);
  const dlls = [...out.matchAll(/DLL Name: (\S+)/g)].map((m) => m[1]);
  for (const d of dlls) if (!WINDOWS_DLLS.has(d.toLowerCase())) problems.push(`imports ${d}`);
  if (/\.debug_info/.test(out)) problems.push('keeps debug info');
  return { problems, summary: `imports ${dlls.join(', ')}` };
}

let failed = false;
for (const file of process.argv.slice(2)) {
  const head = require('fs').readFileSync(file).subarray(0, 4);
  const r = head.toString('latin1') === '\x7fELF' ? checkElf(file) : checkPe(file);
  const size = require('fs').statSync(file).size;
  console.log(`${path.relative(process.cwd(), file)}: ${size} bytes, ${r.summary}${r.problems.length ? `: ${r.problems.join('; ')}` : ''}`);
  if (r.problems.length) failed = true;
}
process.exitCode = failed ? 1 : 0;
