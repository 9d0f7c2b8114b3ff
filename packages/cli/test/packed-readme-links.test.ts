// README links that work on a package page: a relative link in a package README names a file or
// folder in that package's tarball; a link into this repository on GitHub names a path that exists.
import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGES, packedFiles, REPO_DIR } from './support/packed.js';

const REPO_URL = /^https:\/\/github\.com\/otel-sentinel\/otel-sentinel\/(?:blob|tree)\/main\/([^#?]+)/;
const LINK = /\]\(([^)\s]+)(?:\s+"[^"]*")?\)|^\[[^\]]+\]:\s*(\S+)|(?:href|src)="([^"]+)"/gm;

/** Every link target in the Markdown, outside fenced code blocks. */
function linkTargets(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, '');
  return [...prose.matchAll(LINK)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
}

describe.each(PACKAGES.map((p) => [p.manifest.name, p] as const))('the %s README', (_name, pkg) => {
  const targets = linkTargets(readFileSync(join(pkg.dir, 'README.md'), 'utf8'));

  it('links relatively only to files and folders its tarball holds', () => {
    const files = [...packedFiles(pkg)];
    const broken = targets
      .filter((t) => !/^[a-z][a-z\d+.-]*:/i.test(t) && !t.startsWith('#'))
      .filter((t) => {
        const path = posix.normalize(t.split('#')[0] ?? '');
        return !files.some((f) => f === path || f.startsWith(`${path}/`));
      });
    expect(broken).toEqual([]);
  });

  it('links into this repository on GitHub only at paths that exist', () => {
    const missing = targets
      .map((t) => REPO_URL.exec(t)?.[1])
      .filter((path): path is string => path !== undefined && !existsSync(join(REPO_DIR, path)));
    expect(missing).toEqual([]);
  });
});
