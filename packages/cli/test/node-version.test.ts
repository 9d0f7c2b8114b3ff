// The command checks the Node version before it loads anything that needs Node 22, and an old
// Node gets one line saying what to do. The oracle is a real old Node running the built binary:
// OTEL_SENTINEL_OLD_NODE_BIN, else /usr/bin/node when it is older than the floor (Node 20 on
// the development machines and in CI's Debian image).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIN_NODE, nodeAtLeast } from '../src/node-version.js';
import { BIN, PACKAGE_DIR, tempDir } from './support/run-cli.js';

const REPO = join(PACKAGE_DIR, '../..');
const MAPPING = join(REPO, 'examples/mappings/app-security.yaml');

function versionOf(node: string): string | undefined {
  const r = spawnSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** A Node older than MIN_NODE, and its version, when this machine has one. */
function oldNode(): { bin: string; version: string } | undefined {
  const candidates = [process.env['OTEL_SENTINEL_OLD_NODE_BIN'], '/usr/bin/node'];
  for (const bin of candidates) {
    if (bin === undefined || bin === '' || !existsSync(bin)) continue;
    const version = versionOf(bin);
    if (version !== undefined && !nodeAtLeast(version)) return { bin, version };
  }
  return undefined;
}

const OLD = oldNode();

describe('the Node version floor', () => {
  it('is the engines field of package.json', () => {
    const manifest = JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')) as {
      engines: { node: string };
    };
    expect(`>=${MIN_NODE.replace(/\.0$/, '')}`).toBe(manifest.engines.node);
  });

  it.each([
    ['20.20.2', false],
    ['22.12.9', false],
    ['22.13.0', true],
    ['22.13.1', true],
    ['23.0.0', true],
    ['24.21.0', true],
    ['8.17.0', false],
    ['100.0.0', true],
  ])('takes Node %s: %s', (version, ok) => {
    expect(nodeAtLeast(version)).toBe(ok);
  });
});

it('has an old Node to run (scripts/toolchain.sh fetches one for ./dev test and .ci/run)', () => {
  expect(OLD, 'no Node older than 22.13 here: set OTEL_SENTINEL_OLD_NODE_BIN').toBeDefined();
});

describe(`on an old Node (${OLD?.bin ?? 'none on this machine: set OTEL_SENTINEL_OLD_NODE_BIN'})`, () => {
  const old = OLD ?? { bin: '/nonexistent/old-node', version: '0.0.0' };
  const line = new RegExp(
    `^otel-sentinel needs Node\\.js 22\\.13 or newer \\(this is Node ${old.version.replaceAll('.', '\\.')}\\); `,
  );

  it.each([
    [['--version']],
    [['emulator', '--in-memory', '--port', '0', '--mapping', MAPPING]],
    [['validate', MAPPING]],
  ])('%j says in one line which Node it needs, and exits 1', (args) => {
    const r = spawnSync(old.bin, [BIN, ...args], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
    });
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(line);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.status).toBe(1);
  });

  it('from this repository, names ./dev otel-sentinel, which fetches a newer Node', () => {
    const r = spawnSync(old.bin, [BIN, '--version'], { encoding: 'utf8' });
    expect(r.stderr).toContain(`in this repository, run it as ${join(REPO, 'dev')} otel-sentinel …`);
  });

  it('as an installed command outside a repository, says which Node to install', () => {
    // The built entry and the check, without the repository around them (as in a packed tarball).
    const dir = tempDir();
    for (const file of ['bin.js', 'node-version.js'])
      copyFileSync(join(PACKAGE_DIR, 'dist', file), join(dir, file));
    const r = spawnSync(old.bin, [join(dir, 'bin.js'), '--version'], { encoding: 'utf8' });
    expect(r.stderr).toMatch(line);
    expect(r.stderr).toContain('install Node 24 LTS or 22');
    expect(r.stderr).not.toContain('./dev');
    expect(r.status).toBe(1);
  });

  it('embedded through run(), says which Node it needs and resolves to 1', () => {
    const script = `const { run } = await import(${JSON.stringify(join(PACKAGE_DIR, 'dist', 'index.js'))});
      process.exitCode = (await run(['emulator', '--in-memory', '--port', '0', '--mapping', ${JSON.stringify(MAPPING)}])) === 1 ? 0 : 9;`;
    const r = spawnSync(old.bin, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.stderr).toMatch(line);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.status).toBe(0);
  });

  it('through the shebang, when the old Node is the first on PATH (the linked bin a user runs)', () => {
    const shim = join(REPO, 'node_modules', '.bin', 'otel-sentinel');
    const oldDir = join(old.bin, '..');
    const r = spawnSync(shim, ['--version'], {
      encoding: 'utf8',
      env: { PATH: `${oldDir}:/usr/bin:/bin` },
    });
    expect(r.stderr).toMatch(line);
    expect(r.status).toBe(1);
  });
});
