// Source maps that work where the package is installed: every `sources` entry of every .map file
// in a package's tarball names a file that is in the tarball too.
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGES, packedFiles } from './support/packed.js';

describe.each(PACKAGES.map((p) => [p.manifest.name, p] as const))('the %s tarball', (_name, pkg) => {
  it('holds every source its source maps and declaration maps point at', () => {
    const files = packedFiles(pkg);
    const missing: string[] = [];
    for (const map of [...files].filter((f) => f.endsWith('.map'))) {
      const { sources, sourceRoot } = JSON.parse(readFileSync(posix.join(pkg.dir, map), 'utf8')) as {
        sources: string[];
        sourceRoot?: string;
      };
      for (const source of sources) {
        const target = posix.normalize(posix.join(posix.dirname(map), sourceRoot ?? '', source));
        if (!files.has(target)) missing.push(`${map} → ${source}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('ships no test files', () => {
    expect([...packedFiles(pkg)].filter((f) => /(^|\/)test\/|\.test\.[cm]?[jt]s$/.test(f))).toEqual([]);
  });
});
