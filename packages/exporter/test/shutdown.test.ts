// A process whose only remaining work is the exporter's shutdown still finishes it: the rows
// that cannot be delivered end in the spool directory's write-ahead queue before it exits.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readSpool } from '../src/store/read-spool.js';

const DIST = fileURLToPath(new URL('../dist/index.js', import.meta.url));

describe('shutting down with nothing else to keep the process alive', () => {
  it('leaves what it could not send in the write-ahead queue before the process exits', async () => {
    const spool = mkdtempSync(join(tmpdir(), 'otel-sentinel-shutdown-'));
    // The endpoint is a closed loopback port: every attempt fails at once with ECONNREFUSED.
    const script = `
      import { SentinelLogExporter } from ${JSON.stringify(DIST)};
      const exporter = new SentinelLogExporter({
        mapping: { version: 1, endpoint: 'https://127.0.0.1:9', dcrImmutableId: 'dcr-0123456789abcdef0123456789abcdef',
          streams: [{ stream: 'Custom-Sec', table: 'Sec_CL', columns: { EventName: 'eventName' } }] },
        credential: { getToken: async () => ({ token: 't', expiresOnTimestamp: Date.now() + 3600000 }) },
        spool: ${JSON.stringify(spool)},
        retry: { maxAttempts: 50, initialDelayMs: 200, maxDelayMs: 400 },
      });
      exporter.export([{ hrTime: [1700000000, 0], eventName: 'authn_login_fail', attributes: { 'security.event': true } }], () => {});
      await exporter.shutdown(1500);
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.stderr).not.toMatch(/unsettled top-level await/);
    expect(r.status).toBe(0);
    const left = await readSpool({ directory: spool });
    expect(left.spool).toEqual([]);
    expect(left.queued.map((e) => [e.stream, e.row.EventName, e.owner?.clean])).toEqual([
      ['Custom-Sec', 'authn_login_fail', true],
    ]);
  });
});
