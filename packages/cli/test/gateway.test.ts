// `otel-sentinel gateway`: what it says when it cannot start. (It serving OTLP from a real client
// to the emulator, and draining on SIGTERM, is test/e2e/gateway-cli.test.ts.)
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, runCli, SENTINEL_ENV, tempDir } from './support/run-cli.js';

describe('gateway', () => {
  it('asks for the mapping', () => {
    const r = runCli(['gateway']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^otel-sentinel: give --mapping <file>/);
  });

  it('names a bad number option and its range', () => {
    const r = runCli(['gateway', '--mapping', 'm.yaml', '--max-queue-size', 'lots']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/--max-queue-size must be a whole number from 1/);
  });

  it('reports an invalid mapping in one line, with no stack', () => {
    const dir = tempDir();
    const r = runCli(['gateway', '--mapping', join(dir, 'missing.yaml'), '--port', '0'], {
      env: SENTINEL_ENV,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^otel-sentinel: .*missing\.yaml/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('names the durability modes it takes', () => {
    const r = runCli(['gateway', '--mapping', 'm.yaml', '--durability', 'tape']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^otel-sentinel: --durability must be disk or memory, got "tape"/);
  });

  it('says when the spool directory cannot hold the write-ahead queue, in one line', () => {
    const dir = tempDir();
    const file = join(dir, 'a-file');
    writeFileSync(file, 'not a directory');
    const mapping = join(FIXTURES, 'mappings', 'transform-ok.yaml');
    const r = runCli(['gateway', '--mapping', mapping, '--port', '0', '--spool-dir', join(file, 'spool')], {
      env: SENTINEL_ENV,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^otel-sentinel: .*write-ahead queue.*ENOTDIR/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('says which TLS file it cannot read', () => {
    const mapping = join(FIXTURES, 'mappings', 'transform-ok.yaml');
    const r = runCli(['gateway', '--mapping', mapping, '--tls-cert', 'nope.pem', '--tls-key', 'nope.key']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^otel-sentinel: --tls-cert nope\.pem: no such file/);
  });
});
