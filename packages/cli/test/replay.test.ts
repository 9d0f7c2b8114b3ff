// `otel-sentinel replay` on real spool directories written by the exporter's Spool. Sending is
// covered by the exporter's tests (nock); here the built binary runs without any network.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Spool } from '@otel-sentinel/exporter';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/run-cli.js';

const TARGET = {
  endpoint: 'https://my-dce.westeurope-1.ingest.monitor.azure.com',
  dcrImmutableId: 'dcr-00112233445566778899aabbccddeeff',
  stream: 'Custom-Sec',
  table: 'Sec_CL',
};

async function spool(reason: 'shutdown' | 'rejected', rows: Record<string, unknown>[]): Promise<string> {
  const dir = tempDir();
  const s = new Spool({ directory: dir });
  await s.write({ target: TARGET, rows, bytes: 0 }, reason, 'test');
  await s.close();
  return dir;
}

function content(dir: string): string {
  return readdirSync(dir)
    .sort()
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('');
}

describe('replay', () => {
  it('counts what a dry run would send and changes nothing', async () => {
    const dir = await spool('shutdown', [{ N: 1 }, { N: 2 }, { N: 3 }]);
    const before = content(dir);
    const r = runCli(['replay', dir, '--dry-run']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/dry run/);
    expect(r.stderr).toMatch(/entries\s+3\b/);
    expect(r.stderr).toMatch(/would send\s+3\b/);
    expect(content(dir)).toBe(before);
  });

  it('holds the records the mapping rejected and says how to send them', async () => {
    const dir = await spool('rejected', [{ N: 1 }]);
    const r = runCli(['replay', dir]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/held \(rejected\/unrouted\)\s+1\b/);
    expect(r.stderr).toMatch(/--include-rejected/);
    expect(content(dir)).toContain('"N":1');
  });

  it('fails with one line for a spool directory that does not exist', () => {
    const r = runCli(['replay', join(tempDir(), 'nope')]);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^otel-sentinel: /);
  });

  it('refuses a negative --min-age', async () => {
    const dir = await spool('shutdown', [{ N: 1 }]);
    const r = runCli(['replay', dir, '--min-age', '-5']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/--min-age must be a number of seconds/);
  });
});
