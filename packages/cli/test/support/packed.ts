// The seven packages of the workspace and the files each one's `pnpm pack` puts in its tarball.

import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_DIR } from './run-cli.js';

export const REPO_DIR = join(PACKAGE_DIR, '..', '..');

export interface WorkspacePackage {
  /** The folder name under packages/, e.g. `mapping`. */
  readonly folder: string;
  readonly dir: string;
  readonly manifest: {
    readonly name: string;
    readonly exports: Readonly<Record<string, unknown>>;
  };
}

export const PACKAGES: readonly WorkspacePackage[] = readdirSync(join(REPO_DIR, 'packages'))
  .sort()
  .map((folder) => {
    const dir = join(REPO_DIR, 'packages', folder);
    const manifest = JSON.parse(
      readFileSync(join(dir, 'package.json'), 'utf8'),
    ) as WorkspacePackage['manifest'];
    return { folder, dir, manifest };
  });

const cache = new Map<string, ReadonlySet<string>>();

/** The paths (`dist/index.js`, `README.md`, …) in the package's tarball, as `pnpm pack` lists them. */
export function packedFiles(pkg: WorkspacePackage): ReadonlySet<string> {
  const known = cache.get(pkg.dir);
  if (known !== undefined) return known;
  const r = spawnSync('pnpm', ['pack', '--dry-run', '--json'], { cwd: pkg.dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pnpm pack --dry-run in ${pkg.dir} failed: ${r.stderr}`);
  const listed = JSON.parse(r.stdout) as { files: { path: string }[] };
  const files = new Set(listed.files.map((f) => f.path));
  cache.set(pkg.dir, files);
  return files;
}
