// docs/architecture.md says which of our packages each package depends on and where each shared
// rule lives. This holds the page to the code: the dependency column against every package.json,
// and every home it names against the files in the repository.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './cli.js';

const PAGE = readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8');

/** The rows of the Markdown table whose header row starts with `firstHeader`, as trimmed cells. */
function tableRows(firstHeader: string): string[][] {
  const lines = PAGE.split('\n');
  const start = lines.findIndex((line) => line.replace(/\s+/g, ' ').startsWith(`| ${firstHeader} `));
  if (start < 0) throw new Error(`docs/architecture.md has no table starting with "${firstHeader}"`);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
  }
  return rows;
}

/** `@otel-sentinel/kql` → `kql`, `otel-sentinel` (CLI) → `cli`: the folder under packages/. */
function folderOf(packageName: string): string {
  const manifests = readdirSync(join(ROOT, 'packages')).map((folder) => ({
    folder,
    name: (
      JSON.parse(readFileSync(join(ROOT, 'packages', folder, 'package.json'), 'utf8')) as { name: string }
    ).name,
  }));
  const found = manifests.find((m) => m.name === packageName);
  if (found === undefined) throw new Error(`no package named ${packageName} under packages/`);
  return found.folder;
}

/** Our packages that `folder`'s package.json lists as runtime dependencies, by short name. */
function ourDependencies(folder: string): string[] {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'packages', folder, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  return Object.keys(manifest.dependencies ?? {})
    .filter((name) => name.startsWith('@otel-sentinel/'))
    .map((name) => name.slice('@otel-sentinel/'.length))
    .sort();
}

describe('docs/architecture.md', () => {
  const packages = tableRows('package');

  it('lists every package under packages/', () => {
    const listed = packages.map((row) => folderOf(/`([^`]+)`/.exec(row[0] ?? '')?.[1] ?? '')).sort();
    expect(listed).toEqual(readdirSync(join(ROOT, 'packages')).sort());
  });

  it('names exactly the packages of ours each package depends on, as its package.json has them', () => {
    for (const row of packages) {
      const name = /`([^`]+)`/.exec(row[0] ?? '')?.[1] ?? '';
      const folder = folderOf(name);
      const cell = row[2] ?? '';
      const documented =
        cell === 'none'
          ? []
          : cell === 'all of the above'
            ? packages
                .map((other) => folderOf(/`([^`]+)`/.exec(other[0] ?? '')?.[1] ?? ''))
                .filter((other) => other !== folder)
            : cell.split(',').map((part) => (part.trim().split(/\s/)[0] ?? '').trim());
      expect({ name, dependsOn: documented.sort() }).toEqual({ name, dependsOn: ourDependencies(folder) });
    }
  });

  it('names as the home of each rule a file or folder that exists', () => {
    const rules = tableRows('rule');
    expect(rules.length).toBeGreaterThan(5);
    for (const row of rules) {
      const home = row[1] ?? '';
      const first = /`([^`]+)`/.exec(home)?.[1] ?? '';
      const path = first.startsWith('@otel-sentinel/')
        ? join('packages', first.slice('@otel-sentinel/'.length), 'src/index.ts')
        : join('packages', first);
      expect({ rule: row[0], home: path, exists: existsSync(join(ROOT, path)) }).toEqual({
        rule: row[0],
        home: path,
        exists: true,
      });
      // The other files of the same cell (`otlp-json-scalars.ts` after `mapping/src/otlp-json-path.ts`).
      const folder = path.slice(0, path.lastIndexOf('/'));
      for (const [, more] of home.matchAll(/`([\w./-]+\.(?:ts|yaml))`/g)) {
        if (more === undefined || more.includes('/')) continue;
        expect({
          rule: row[0],
          file: join(folder, more),
          exists: existsSync(join(ROOT, folder, more)),
        }).toEqual({
          rule: row[0],
          file: join(folder, more),
          exists: true,
        });
      }
    }
  });
});
