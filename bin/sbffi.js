#!/usr/bin/env node
'use strict';
// The sbffi command. Exit status: 0, 1 when what it was given is refused
// (the API's own message), 2 for a mistake in the command line.

const { explain, UsageError } = require('./explain');

const USAGE = `Usage: sbffi explain 'PROTOTYPE' [options]   (sbffi explain --help)
`;

function main(argv) {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help') {
    process.stdout.write(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command !== 'explain') {
    process.stderr.write(`sbffi: unknown command '${command}'\n${USAGE}`);
    return 2;
  }
  try {
    process.stdout.write(explain(rest, { tty: process.stdout.isTTY, env: process.env }));
    return 0;
  } catch (e) {
    if (!(e instanceof UsageError) && !(e instanceof TypeError)) throw e;
    process.stderr.write(`sbffi: ${e.message}\n`);
    if (e instanceof UsageError) process.stderr.write('(sbffi explain --help)\n');
    return e instanceof UsageError ? 2 : 1;
  }
}

process.exitCode = main(process.argv.slice(2));
