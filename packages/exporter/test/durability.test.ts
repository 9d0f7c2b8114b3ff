// What survives the end of a process: real child processes (the built package) that are killed,
// exit, or get signals while they hold security rows; then a new exporter on the same spool
// directory takes over what they left and delivers it to a nock'ed endpoint.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import type { DiagLogger } from '@opentelemetry/api';
import type { MappingInput } from '@otel-sentinel/mapping';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SentinelLogExporter } from '../src/sentinel-log-exporter.js';
import { decodeBody } from './support/ingestion-sink.js';
import { StaticCredential } from './support/static-credential.js';

/** Waits for work under way, however busy the machine (a hang guard, not a speed check). */
const WAIT = { timeout: 60_000 };

const DIST = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const PACKAGE = fileURLToPath(new URL('..', import.meta.url));
/** A closed loopback port: the children's uploads fail at once, so their rows stay held. */
const ENDPOINT = 'https://127.0.0.1:9';
const DCR = 'dcr-0123456789abcdef0123456789abcdef';
const MAPPING: MappingInput = {
  version: 1,
  endpoint: ENDPOINT,
  dcrImmutableId: DCR,
  streams: [
    {
      stream: 'Custom-Sec',
      table: 'Sec_CL',
      columns: { EventName: 'eventName', Seq: { from: "attributes['seq']", type: 'int' } },
    },
  ],
};

interface Child {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `body` as an ES module in a child process, after a prologue that builds a processor on
 * `spool` (options merged in) and a logger; `emit(from, count)` emits security records with seqs.
 */
function child(spool: string, options: Record<string, unknown>, body: string): Promise<Child> {
  const script = `
    import { SentinelLogRecordProcessor } from ${JSON.stringify(DIST)};
    import { LoggerProvider } from '@opentelemetry/sdk-logs';
    const processor = new SentinelLogRecordProcessor({
      mapping: ${JSON.stringify(MAPPING)},
      credential: { getToken: async () => ({ token: 't', expiresOnTimestamp: Date.now() + 3600000 }) },
      spool: ${JSON.stringify(spool)},
      retry: { maxAttempts: 1000, initialDelayMs: 50, maxDelayMs: 100, maxElapsedMs: 600000 },
      ...${JSON.stringify(options)},
    });
    const provider = new LoggerProvider({ processors: [processor] });
    const logger = provider.getLogger('durability-test');
    const emit = (from, count) => {
      for (let i = from; i < from + count; i++)
        logger.emit({ eventName: 'authn_login_fail', attributes: { 'security.event': true, seq: i } });
    };
    const until = async (check) => { while (!check()) await new Promise((r) => setTimeout(r, 5)); };
    ${body}
  `;
  return new Promise((resolve) => {
    const c = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: PACKAGE });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    c.on('exit', (status, signal) => {
      resolve({ status, signal, stdout, stderr });
    });
  });
}

/** A nock'ed endpoint on the children's address that takes every row. */
function sink(): { seqs: number[] } {
  const seqs: number[] = [];
  nock(ENDPOINT)
    .persist()
    .post(/^\/dataCollectionRules\//)
    .reply((_uri, body) => {
      for (const row of decodeBody(body)) seqs.push(Number(row.Seq));
      return [204, ''];
    });
  return { seqs };
}

/** A new exporter on the spool directory: takes over what was left, delivers it, stops. */
async function resume(spool: string, durability: 'memory' | 'disk' = 'memory'): Promise<SentinelLogExporter> {
  const exporter = new SentinelLogExporter({
    mapping: MAPPING,
    credential: new StaticCredential(),
    spool,
    durability,
    saveOnExit: false,
  });
  await exporter.pipeline.ready;
  await exporter.forceFlush(30_000);
  return exporter;
}

function range(from: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => from + i);
}

let spool: string;

beforeEach(() => {
  spool = mkdtempSync(join(tmpdir(), 'otel-sentinel-durability-'));
  nock.disableNetConnect();
});

afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  diag.disable();
});

describe("durability 'disk'", () => {
  it('keeps every row a killed process had persisted, and the next start sends them', async () => {
    const killed = await child(
      spool,
      { durability: 'disk' },
      `emit(0, 50);
       await until(() => processor.exporter.stats().rowsPersisted === 50);
       process.stdout.write('persisted 50\\n');
       process.kill(process.pid, 'SIGKILL');`,
    );
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.stdout).toContain('persisted 50');
    const received = sink();
    const exporter = await resume(spool);
    expect(exporter.pipeline.recovery()).toEqual({ resumed: 50, remaining: 0 });
    expect(exporter.stats().rowsResumed).toBe(50);
    expect([...received.seqs].sort((a, b) => a - b)).toEqual(range(0, 50));
    await exporter.shutdown();
  });

  it('answers export() with SUCCESS once the rows are on disk, before they are delivered', async () => {
    const credential = new StaticCredential();
    credential.hold(); // Sentinel never answers while this holds
    const exporter = new SentinelLogExporter({
      mapping: MAPPING,
      credential,
      spool,
      durability: 'disk',
      saveOnExit: false,
    });
    const result = await new Promise<{ code: number }>((resolve) => {
      exporter.export(
        range(0, 5).map((seq) => ({
          hrTime: [1_700_000_000, 0] as const,
          eventName: 'authn_login_fail',
          attributes: { 'security.event': true, seq },
        })),
        resolve,
      );
    });
    expect(result.code).toBe(0);
    expect(exporter.stats()).toMatchObject({ rowsPersisted: 5, rowsExported: 0 });
    await exporter.shutdown(200);
    credential.release();
    const received = sink();
    const next = await resume(spool);
    expect([...received.seqs].sort((a, b) => a - b)).toEqual(range(0, 5));
    await next.shutdown();
  });

  it('keeps rows the store refuses in memory, delivers them, and counts and reports them', async () => {
    const lines: string[] = [];
    diag.setLogger(
      {
        error: (...args) => lines.push(args.join(' ')),
        warn: () => undefined,
        info: () => undefined,
        debug: () => undefined,
        verbose: () => undefined,
      },
      DiagLogLevel.WARN,
    );
    const credential = new StaticCredential();
    credential.hold(); // nothing leaves the queue until the store is full
    const exporter = new SentinelLogExporter({
      mapping: MAPPING,
      credential,
      spool: { directory: spool, maxTotalBytes: 256 * 1024 },
      durability: 'disk',
      maxQueueSize: 100_000,
      saveOnExit: false,
    });
    const records = (from: number) =>
      range(from, 500).map((seq) => ({
        hrTime: [1_700_000_000, 0] as const,
        eventName: 'authn_login_fail',
        body: 'x'.repeat(400),
        attributes: { 'security.event': true, seq },
      }));
    let sent = 0;
    while (exporter.stats().rowsNotPersisted === 0 && sent < 20_000) {
      exporter.export(records(sent), () => undefined);
      sent += 500;
      await exporter.pipeline.ready;
      await new Promise((r) => setTimeout(r, 10));
    }
    // A batch the store is still writing is held but neither persisted nor refused yet: wait for
    // every write to end (on a busy machine the last one can lag behind the loop).
    await vi.waitFor(() => {
      expect(exporter.pipeline.held).toBe(sent);
      const { rowsPersisted, rowsNotPersisted } = exporter.stats();
      expect(rowsPersisted + rowsNotPersisted).toBe(sent);
    }, WAIT);
    expect(exporter.stats().rowsNotPersisted).toBeGreaterThan(0);
    expect(lines.join('\n')).toMatch(
      /row\(s\) are held in memory only: the write-ahead queue could not take them/,
    );
    const received = sink();
    credential.release();
    await exporter.forceFlush(60_000);
    expect(new Set(received.seqs).size).toBe(sent);
    expect(exporter.pipeline.held).toBe(0);
    await exporter.shutdown();
  });

  it('refuses to start without a spool directory', () => {
    expect(
      () =>
        new SentinelLogExporter({ mapping: MAPPING, credential: new StaticCredential(), durability: 'disk' }),
    ).toThrow(/durability: 'disk' keeps rows in the spool directory/);
  });
});

describe("durability 'memory': what a process holds when it ends", () => {
  it('is written to the queue at process.exit(), and the next start sends it', async () => {
    const exited = await child(
      spool,
      {},
      `emit(0, 30);
       await until(() => processor.queued === 30);
       process.exit(0);`,
    );
    expect(exited.status).toBe(0);
    const received = sink();
    const exporter = await resume(spool);
    expect([...received.seqs].sort((a, b) => a - b)).toEqual(range(0, 30));
    await exporter.shutdown();
  });

  it('is written at a SIGTERM the app does not handle, and the process still dies of the signal', async () => {
    const signalled = await child(
      spool,
      {},
      `emit(0, 20);
       await until(() => processor.queued === 20);
       process.kill(process.pid, 'SIGTERM');
       await new Promise((r) => setTimeout(r, 10000));
       process.stdout.write('still alive\\n');`,
    );
    expect(signalled.signal).toBe('SIGTERM');
    expect(signalled.stdout).not.toContain('still alive');
    const received = sink();
    const exporter = await resume(spool);
    expect([...received.seqs].sort((a, b) => a - b)).toEqual(range(0, 20));
    await exporter.shutdown();
  });

  it('leaves a SIGTERM the app handles to the app, whose shutdown hands the rows over', async () => {
    const handled = await child(
      spool,
      { exportTimeoutMillis: 300 },
      `process.on('SIGTERM', async () => {
         await provider.shutdown();
         process.stdout.write('shut down by the app\\n');
         process.exit(0);
       });
       emit(0, 20);
       await until(() => processor.queued === 20);
       process.kill(process.pid, 'SIGTERM');
       await new Promise((r) => setTimeout(r, 10000));`,
    );

    expect(handled.status).toBe(0);
    expect(handled.stdout).toContain('shut down by the app');
    const received = sink();
    const exporter = await resume(spool);
    expect([...received.seqs].sort((a, b) => a - b)).toEqual(range(0, 20));
    await exporter.shutdown();
  });

  it('is sent at beforeExit when the app simply returns', async () => {
    const returned = await child(
      spool,
      { scheduledDelayMillis: 600_000 },
      `const { default: nock } = await import('nock');
       const { gunzipSync } = await import('node:zlib');
       nock.disableNetConnect();
       let delivered = 0;
       nock(${JSON.stringify(ENDPOINT)}).persist().post(/.*/).reply((_uri, body) => {
         const rows = Array.isArray(body) ? body : JSON.parse(gunzipSync(Buffer.from(body, 'hex')).toString());
         delivered += rows.length;
         return [204, ''];
       });
       process.on('exit', () => process.stdout.write('delivered ' + delivered + '\\n'));
       emit(0, 10);`,
    );
    expect(returned.status).toBe(0);
    expect(returned.stdout).toContain('delivered 10');
  });

  it('is reported at the next start when the process was killed', async () => {
    const killed = await child(
      spool,
      {},
      `emit(0, 40);
       await until(() => processor.queued === 40);
       // Killed once a heartbeat has recorded what is held in memory only.
       const { DatabaseSync } = await import('node:sqlite');
       await processor.exporter.pipeline.ready;
       const db = new DatabaseSync(${JSON.stringify(join(spool, 'sentinel-spool.sqlite'))}, { readOnly: true });
       await until(() => db.prepare('SELECT held_in_memory AS n FROM owners').get()?.n === 40);
       process.kill(process.pid, 'SIGKILL');`,
    );
    expect(killed.stderr).toBe('');
    expect(killed.signal).toBe('SIGKILL');
    const lines: string[] = [];
    const logger: DiagLogger = {
      error: (...args) => lines.push(args.join(' ')),
      warn: (...args) => lines.push(args.join(' ')),
      info: () => undefined,
      debug: () => undefined,
      verbose: () => undefined,
    };
    diag.setLogger(logger, DiagLogLevel.WARN);
    sink();
    const exporter = await resume(spool);
    expect(exporter.stats()).toMatchObject({ rowsLostInEarlierCrash: 40, rowsResumed: 0 });
    expect(lines.join('\n')).toMatch(
      /pid \d+ .* ended without a clean stop while holding about 40 security record/,
    );
    await exporter.shutdown();
  });
});
