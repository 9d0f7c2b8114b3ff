// examples/README.md is the map of examples/: every path it names exists, and everything in
// examples/ is on it — each file, or for a folder with a README of its own, the folder.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './cli.js';

const EXAMPLES = join(ROOT, 'examples');
const README = readFileSync(join(EXAMPLES, 'README.md'), 'utf8');

/** Tracked files under examples/, relative to it. */
const FILES = spawnSync('git', ['ls-files', 'examples'], { cwd: ROOT, encoding: 'utf8' })
  .stdout.split('\n')
  .filter((f) => f !== '')
  .map((f) => f.slice('examples/'.length));

/** Folders below examples/ that have a README of their own: it, not this one, lists what is inside. */
const OWN_README = FILES.filter((f) => f.endsWith('/README.md')).map((f) => `${dirname(f)}/`);

/** What the README names as a path: in backticks or as a link target, without a #fragment. */
function namedPaths(markdown: string): string[] {
  const code = [...markdown.matchAll(/`([^`\s]+)`/g)].map((m) => m[1] ?? '');
  const links = [...markdown.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => (m[1] ?? '').replace(/#.*$/, ''));
  const words = [...markdown.matchAll(/(?:^|\s)(examples\/[^\s`)]+)/gm)].map((m) => m[1] ?? '');
  return [...code, ...links, ...words].filter(
    (p) => /^[\w.-]+(\/[\w.-]*)*$/.test(p) && (p.includes('/') || /\.(ya?ml|jsonl?|md|ts)$/.test(p)),
  );
}

/** A named path as a path under examples/ (names are relative to it, or to the repository root). */
function underExamples(path: string): string | undefined {
  const p = normalize(path.replace(/^examples\//, ''));
  if (p.startsWith('..')) return undefined;
  return existsSync(join(EXAMPLES, p)) ? p : undefined;
}

const NAMED = namedPaths(README);
const MENTIONED = new Set(NAMED.map(underExamples).filter((p) => p !== undefined));

describe('examples/README.md', () => {
  it('names only paths that exist', () => {
    const missing = NAMED.filter((p) => !existsSync(join(EXAMPLES, p)) && !existsSync(join(ROOT, p)));
    expect(missing).toEqual([]);
    expect(NAMED.length).toBeGreaterThan(5);
  });

  it('names every folder of examples/ that has a README of its own', () => {
    expect(
      OWN_README.filter((folder) => !MENTIONED.has(folder) && !MENTIONED.has(folder.slice(0, -1))),
    ).toEqual([]);
  });

  it('names every other file in examples/', () => {
    const unnamed = FILES.filter(
      (f) => f !== 'README.md' && !OWN_README.some((folder) => f.startsWith(folder)) && !MENTIONED.has(f),
    );
    expect(unnamed).toEqual([]);
  });
});
