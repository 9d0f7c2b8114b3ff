#!/usr/bin/env -S node --
// The otel-sentinel command. It checks the Node version before anything that needs Node 22
// (node:sqlite, require(esm), …) is loaded: its static imports are Node's own and a check that
// imports nothing, so an old Node prints one line saying what to install instead of failing deep
// inside a dependency. The command proper is main.ts.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { nodeAtLeast, nodeTooOldMessage } from './node-version.js';

/** The repository's `./dev` when this file is its build (`packages/cli/dist/bin.js`). */
function devScript(): string | undefined {
  const dev = fileURLToPath(new URL('../../../dev', import.meta.url));
  const toolchain = fileURLToPath(new URL('../../../scripts/toolchain.sh', import.meta.url));
  return existsSync(dev) && existsSync(toolchain) ? dev : undefined;
}

if (nodeAtLeast(process.versions.node)) {
  await import('./main.js');
} else {
  process.stderr.write(`${nodeTooOldMessage(process.versions.node, devScript())}\n`);
  process.exitCode = 1;
}
