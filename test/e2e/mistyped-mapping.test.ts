// A deliberately mistyped mapping, end to end: an `int` column fed e-mail addresses, through the
// in-app exporter to the emulator in its strictest mode. The column is empty, the original value
// is back through KQL from the overflow column, and the warning was said once through diag,
// without the value. Then longs past 2^53 through the gateway (the OpenTelemetry JS SDK drops a
// bigint attribute; OTLP senders write int64): exact in the table. Expected values are written
// out here by hand.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { startEmulator } from '@otel-sentinel/emulator';
import type { RunningEmulator } from '@otel-sentinel/emulator';
import { SentinelLogRecordProcessor } from '@otel-sentinel/exporter';
import { startGateway } from '@otel-sentinel/gateway';
import { afterEach, describe, expect, it } from 'vitest';
import { credentialFor } from './emulator-credential.js';

const MAPPING = `version: 1
endpoint: \${SENTINEL_DCE_ENDPOINT}
dcrImmutableId: \${SENTINEL_DCR_IMMUTABLE_ID}
streams:
  - stream: Custom-Mistyped
    table: Mistyped_CL
    columns:
      TimeGenerated: { from: timestamp }
      EventName: { from: eventName, required: true }
      UserId: { from: "attributes['user.id']", type: int }
      Counter: { from: "attributes['counter']", type: long }
      AdditionalFields: { from: attributes, type: dynamic, exclude: ['user.id', 'counter'] }
`;

const running: { close(): Promise<void> }[] = [];
afterEach(async () => {
  diag.disable();
  while (running.length > 0) await running.pop()?.close();
});

async function emulatorWith(mapping: string): Promise<{ e: RunningEmulator; mappingFile: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'mistyped-'));
  const mappingFile = join(dir, 'mapping.yaml');
  writeFileSync(mappingFile, mapping);
  const e = await startEmulator({
    mappings: [mappingFile],
    port: 0,
    inMemory: true,
    dataDir: join(dir, 'emulator'),
    strict: true,
  });
  running.push(e);
  return { e, mappingFile };
}

describe('a mapping whose column type does not fit the data', () => {
  it('keeps the original values where a query gets them back, and says so once without the value', async () => {
    const { e, mappingFile } = await emulatorWith(MAPPING);
    const warnings: string[] = [];
    diag.setLogger(
      {
        error: (...args) => warnings.push(args.join(' ')),
        warn: (...args) => warnings.push(args.join(' ')),
        info: () => undefined,
        debug: () => undefined,
        verbose: () => undefined,
      },
      DiagLogLevel.WARN,
    );
    const sentinel = new SentinelLogRecordProcessor({
      mapping: mappingFile,
      env: e.env(),
      credential: credentialFor(e),
      clientOptions: { tlsOptions: { ca: e.caCertPem } },
      spool: false,
    });
    const provider = new LoggerProvider({ processors: [sentinel] });
    const logger = provider.getLogger('e2e');
    const users = ['alice@example.com', 'bob@example.com', 'carol@example.com'];
    users.forEach((user, i) => {
      logger.emit({
        eventName: 'authn_login_fail',
        attributes: { 'security.event': true, 'user.id': user, counter: i, seq: i },
      });
    });
    await provider.forceFlush();

    expect(sentinel.exporter.stats()).toMatchObject({ rowsExported: 3 });
    const back = e.query(
      'Mistyped_CL | extend Original = AdditionalFields["otel_sentinel.mismatch"].UserId ' +
        '| project Seq = toint(AdditionalFields.seq), UserId, Value = tostring(Original.value), ' +
        'Type = tostring(Original.type), Reason = tostring(Original.reason), Counter ' +
        '| order by Seq asc',
    );
    expect(back.rows).toEqual([
      [0, null, 'alice@example.com', 'int', 'unparsable', 0],
      [1, null, 'bob@example.com', 'int', 'unparsable', 1],
      [2, null, 'carol@example.com', 'int', 'unparsable', 2],
    ]);
    const said = warnings.filter((w) => w.includes('UserId'));
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/UserId \(int\)/);
    expect(said[0]).toMatch(/unparsable/);
    for (const user of users) expect(warnings.join('\n')).not.toContain(user);
    await provider.shutdown();
  });

  it('stores int64 values past 2^53 exactly when they come through the gateway', async () => {
    const { e, mappingFile } = await emulatorWith(MAPPING);
    const gateway = await startGateway({
      mapping: mappingFile,
      env: e.env(),
      port: 0,
      durability: 'memory',
      exporter: {
        credential: credentialFor(e),
        clientOptions: { tlsOptions: { ca: e.caCertPem } },
        spool: false,
      },
    });
    running.push(gateway);
    // OTLP/JSON as the spec says: int64 as decimal strings. 2^62 + 1, -(2^63), 2^63 - 1, 2^53 + 1.
    const counters = [
      '4611686018427387905',
      '-9223372036854775808',
      '9223372036854775807',
      '9007199254740993',
    ];
    const body = {
      resourceLogs: [
        {
          scopeLogs: [
            {
              logRecords: counters.map((counter, i) => ({
                eventName: 'authn_login_success',
                attributes: [
                  { key: 'security.event', value: { boolValue: true } },
                  { key: 'user.id', value: { stringValue: String(i) } },
                  { key: 'counter', value: { intValue: counter } },
                  { key: 'seq', value: { intValue: String(i) } },
                ],
              })),
            },
          ],
        },
      ],
    };
    const answer = await fetch(`${gateway.url}/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(answer.status).toBe(200);
    await gateway.flush();
    const back = e.query(
      'Mistyped_CL | project Seq = toint(AdditionalFields.seq), UserId, Counter | order by Seq asc',
    );
    expect(back.rows).toEqual([
      [0, 0, 4611686018427387905n],
      [1, 1, -9223372036854775808n],
      [2, 2, 9223372036854775807n],
      [3, 3, 9007199254740993n],
    ]);
  });
});
