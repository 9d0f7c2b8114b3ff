// Loading node:sqlite: Node 22's ExperimentalWarning about SQLite is not printed into the app's
// output, every other warning still is.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NODES } from '../support/store-fixtures.ts';

const LOADER = fileURLToPath(new URL('../../src/store/load-sqlite.ts', import.meta.url));

describe.each(NODES)('loading node:sqlite on %s', (node) => {
  it('prints no SQLite warning, and lets other warnings through', () => {
    const script = `
      import { loadSqlite } from ${JSON.stringify(LOADER)};
      process.emitWarning('before the load', 'ExperimentalWarning');
      const { DatabaseSync } = loadSqlite();
      new DatabaseSync(':memory:').close();
      process.emitWarning('after the load', 'DeprecationWarning');
    `;
    const r = spawnSync(node, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(0);
    expect(r.stderr).not.toMatch(/SQLite/);
    expect(r.stderr).toMatch(/ExperimentalWarning: before the load/);
    expect(r.stderr).toMatch(/DeprecationWarning: after the load/);
  });
});
