// Commands that use node:sqlite (the emulator's store, the gateway's write-ahead queue) print no
// ExperimentalWarning at the user: Node 22 prints one for SQLite unless it is loaded through
// @otel-sentinel/mapping/node-sqlite.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NODES } from './support/nodes.js';
import { FIXTURES, PACKAGE_DIR, SENTINEL_ENV, tempDir } from './support/run-cli.js';
import { startCli, stopCli } from './support/start-cli.js';

const MAPPING = join(PACKAGE_DIR, '../../examples/mappings/app-security.yaml');

describe.each(NODES)('on %s', (node) => {
  it('otel-sentinel emulator prints no warning while it serves from its store on disk', async () => {
    const data = tempDir();
    const started = await startCli(['emulator', '--port', '0', '--mapping', MAPPING, '--data', data], {
      node,
      env: { PATH: process.env.PATH ?? '', HOME: data },
      until: 'export SENTINEL_DCE_ENDPOINT=',
    });
    expect(await stopCli(started, 'SIGINT')).toBe(0);
    expect(started.err()).toContain('DCR ');
    expect(started.err()).not.toMatch(/Warning|experimental/i);
  });

  it('otel-sentinel gateway prints no warning with its write-ahead queue on disk', async () => {
    const home = tempDir();
    const mapping = join(FIXTURES, 'mappings', 'transform-ok.yaml');
    const started = await startCli(
      ['gateway', '--mapping', mapping, '--port', '0', '--spool-dir', join(home, 'spool')],
      { node, env: { PATH: process.env.PATH ?? '', HOME: home, ...SENTINEL_ENV }, until: 'stops it' },
    );
    expect(started.err()).toContain('durability: disk');
    expect(await stopCli(started, 'SIGTERM')).toBe(0);
    expect(started.err()).not.toMatch(/Warning|experimental/i);
  });
});
