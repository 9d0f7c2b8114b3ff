// In-process tests of `run` with fake terminals: colour cannot be seen through a pipe.

import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../src/index.js';
import { run } from '../src/index.js';
import { PACKAGE_DIR, SENTINEL_ENV } from './support/run-cli.js';

function fakeIo(env: Record<string, string>, tty: boolean): CliIo & { out: () => string } {
  const stdout = Object.assign(new PassThrough(), { isTTY: tty });
  const stderr = Object.assign(new PassThrough(), { isTTY: tty });
  const chunks: Buffer[] = [];
  stdout.on('data', (c: Buffer) => chunks.push(c));
  stderr.resume();
  return {
    stdout,
    stderr,
    stdin: new PassThrough(),
    env,
    cwd: PACKAGE_DIR,
    out: () => Buffer.concat(chunks).toString('utf8'),
  };
}

const ESC = '\x1b[';

describe('colour', () => {
  it('is used when stdout is a terminal', async () => {
    const io = fakeIo(SENTINEL_ENV, true);
    expect(await run(['validate', 'test/fixtures/mappings/valid.yaml'], io)).toBe(0);
    expect(io.out()).toContain(ESC);
  });

  it('is off when NO_COLOR is set', async () => {
    const io = fakeIo({ ...SENTINEL_ENV, NO_COLOR: '1' }, true);
    expect(await run(['validate', 'test/fixtures/mappings/valid.yaml'], io)).toBe(0);
    expect(io.out()).not.toContain(ESC);
  });

  it('is off when stdout is not a terminal', async () => {
    const io = fakeIo(SENTINEL_ENV, false);
    expect(await run(['validate', 'test/fixtures/mappings/valid.yaml'], io)).toBe(0);
    expect(io.out()).not.toContain(ESC);
  });
});
