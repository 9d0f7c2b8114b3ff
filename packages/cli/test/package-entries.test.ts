// Every JavaScript entry of every package loads with require() (require(esm), unflagged from Node
// 22.13, the `engines` floor) and with import, on this Node and on Node 22, printing nothing.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { NODES } from './support/nodes.js';
import { PACKAGES } from './support/packed.js';
import type { WorkspacePackage } from './support/packed.js';

/** `name` and `name/subpath` for each export whose target is JavaScript (not `./package.json` or a schema). */
function entries(pkg: WorkspacePackage): string[] {
  return Object.entries(pkg.manifest.exports)
    .filter(([, target]) => typeof target === 'object' && target !== null && 'default' in target)
    .map(([subpath]) => (subpath === '.' ? pkg.manifest.name : `${pkg.manifest.name}/${subpath.slice(2)}`));
}

/** Loads each entry (the package refers to itself by name) and fails when one exports nothing. */
function load(node: string, pkg: WorkspacePackage, how: 'require' | 'import') {
  const specifiers = JSON.stringify(entries(pkg));
  const script =
    how === 'require'
      ? `for (const s of ${specifiers}) if (Object.keys(require(s)).length === 0) throw new Error(s + ' exports nothing');`
      : `for (const s of ${specifiers}) if (Object.keys(await import(s)).length === 0) throw new Error(s + ' exports nothing');`;
  return spawnSync(node, [...(how === 'import' ? ['--input-type=module'] : []), '-e', script], {
    cwd: pkg.dir,
    env: { PATH: process.env.PATH ?? '' },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe.each(NODES)('on %s', (node) => {
  describe.each(PACKAGES.map((p) => [p.manifest.name, p] as const))('%s', (_name, pkg) => {
    it.each(['require', 'import'] as const)('loads every entry with %s, with no warning', (how) => {
      expect(entries(pkg).length).toBeGreaterThan(0);
      const r = load(node, pkg, how);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    });
  });
});
