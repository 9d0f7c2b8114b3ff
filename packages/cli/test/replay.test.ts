// `otel-sentinel replay` on real spool directories: spool files of earlier versions (JSON lines,
// written here by hand), and stores left by processes killed with SIGKILL. Sending is covered by
// the exporter's tests (nock); here the built binary runs without any network.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/run-cli.js';

const TARGET = {
  endpoint: 'https://my-dce.westeurope-1.ingest.monitor.azure.com',
  dcrImmutableId: 'dcr-00112233445566778899aabbccddeeff',
  stream: 'Custom-Sec',
  table: 'Sec_CL',
};
const FILE = 'sentinel-spool-20260101T000000000Z-4242-000001.jsonl';
// The store of the built exporter, used by a child process that the test kills.
const STORE = new URL(
  './store/sqlite-delivery-store.js',
  `file://${createRequire(import.meta.url).resolve('@otel-sentinel/exporter')}`,
).href;

/** A spool directory holding one JSON-lines file of an earlier version. */
function legacySpool(reason: 'shutdown' | 'rejected', rows: Record<string, unknown>[]): string {
  const dir = tempDir();
  const lines = rows.map((row) =>
    JSON.stringify({ time: '2026-01-01T00:00:00.000Z', reason, detail: 'test', ...TARGET, row }),
  );
  writeFileSync(join(dir, FILE), lines.join('\n') + '\n');
  return dir;
}

function content(dir: string): string {
  return readdirSync(dir)
    .sort()
    .map((f) => `${f}\n${readFileSync(join(dir, f), 'utf8')}`)
    .join('');
}

/** Starts a process that queues rows (or holds records in memory only) in `dir`; resolves with its kill. */
async function running(
  dir: string,
  durability: 'disk' | 'memory',
  rows: number,
  held: number,
): Promise<() => Promise<number>> {
  const script = `
    import { SqliteDeliveryStore } from ${JSON.stringify(STORE)};
    const store = new SqliteDeliveryStore({ directory: ${JSON.stringify(dir)}, durability: '${durability}', heartbeatMs: 50 });
    await store.open();
    const rows = Array.from({ length: ${rows} }, (_, i) => ({ N: i }));
    if (rows.length > 0) await store.enqueue(${JSON.stringify(TARGET)}, rows);
    store.setHeldInMemory(${held});
    setTimeout(() => console.log('ready'), 200);
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ended = new Promise((resolve) => child.once('close', resolve));
  await new Promise<void>((resolve) =>
    child.stdout.on('data', () => {
      resolve();
    }),
  );
  return async () => {
    child.kill('SIGKILL');
    await ended;
    return child.pid ?? 0;
  };
}

describe('replay', () => {
  it('counts what a dry run would send and changes nothing', () => {
    const dir = legacySpool('shutdown', [{ N: 1 }, { N: 2 }, { N: 3 }]);
    const before = content(dir);
    const r = runCli(['replay', dir, '--dry-run']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/dry run/);
    expect(r.stderr).toMatch(/entries\s+3\b/);
    expect(r.stderr).toMatch(/would send\s+3\b/);
    expect(content(dir)).toBe(before);
  });

  it('holds the records the mapping rejected and says how to send them', () => {
    const dir = legacySpool('rejected', [{ N: 1 }]);
    const r = runCli(['replay', dir]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/legacy spool files\s+1 read, 1 entries imported/);
    expect(r.stderr).toMatch(/held \(rejected\/unrouted\)\s+1\b/);
    expect(r.stderr).toMatch(/--include-rejected/);
    const again = runCli(['replay', dir, '--dry-run']);
    expect(again.stderr).toMatch(/held \(rejected\/unrouted\)\s+1\b/);
  });

  it('shows the rows a killed process left, and what a crashed one held in memory only', async () => {
    const dir = tempDir();
    // Both alive at once: had one started after the other's death, it would have taken its rows.
    const kills = await Promise.all([running(dir, 'disk', 4, 0), running(dir, 'memory', 0, 30)]);
    const [durable, memory] = await Promise.all(kills.map((k) => k()));

    const dry = runCli(['replay', dir, '--dry-run']);
    expect(dry.status).toBe(0);
    expect(dry.stderr).toMatch(/would take over\s+4 row\(s\) left by ended processes/);
    expect(dry.stderr).toMatch(
      new RegExp(`exporter pid ${durable} on \\S+, crashed or killed \\(last seen [^)]+\\): 4 row`),
    );
    expect(dry.stderr).toMatch(/lost in memory\s+30 record\(s\)/);
    expect(dry.stderr).toMatch(new RegExp(`pid ${memory} on \\S+, crashed or killed .*: about 30 record`));
  });

  it('reports and takes over what a crashed process lost, once', async () => {
    const dir = tempDir();
    await (
      await running(dir, 'memory', 0, 12)
    )();
    const first = runCli(['replay', dir]);
    expect(first.status).toBe(0);
    expect(first.stderr).toMatch(/lost in memory\s+12 record\(s\)/);
    const second = runCli(['replay', dir]);
    expect(second.stderr).not.toMatch(/lost in memory/);
  });

  it('fails with one line for a spool directory that does not exist', () => {
    const r = runCli(['replay', join(tempDir(), 'nope')]);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^otel-sentinel: /);
  });

  it('refuses a negative --min-age', () => {
    const dir = legacySpool('shutdown', [{ N: 1 }]);
    const r = runCli(['replay', dir, '--min-age', '-5']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/--min-age must be a number of seconds/);
  });
});
