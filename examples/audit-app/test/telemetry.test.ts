import { createNoopLogger } from '@opentelemetry/api-logs';
import { InMemoryLogRecordExporter, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { startTelemetry } from '../src/telemetry.js';
import type { Telemetry } from '../src/telemetry.js';
import { asBearer, BOB, HASH_KEY, sessionHash, signIn } from './support/capture.js';
import { ingestionSink } from './support/ingestion-sink.js';
import { SENTINEL_ENV } from './support/sentinel-env.js';

// A fixed Entra token: the nock'ed endpoint does not check it, and nothing leaves the machine.
const credential = {
  getToken: () => Promise.resolve({ token: 'test-token', expiresOnTimestamp: Date.now() + 3_600_000 }),
};

let telemetry: Telemetry | undefined;

beforeEach(() => {
  nock.disableNetConnect();
});
afterEach(async () => {
  await telemetry?.shutdown();
  telemetry = undefined;
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('startTelemetry, with the app’s own mapping', () => {
  it('sends security rows to the owasp preset’s stream and operational records only to the operational side', async () => {
    const sink = ingestionSink();
    const operational = new InMemoryLogRecordExporter();
    telemetry = await startTelemetry({
      env: SENTINEL_ENV,
      credential,
      spool: false,
      applicationInsights: false,
      operational: new SimpleLogRecordProcessor({ exporter: operational }),
    });
    const app = await buildApp({ logger: telemetry.logger, hashKey: HASH_KEY });
    await app.inject({ method: 'POST', url: '/login', payload: { username: 'bob', password: 'nope' } });
    const bob = await signIn(app, BOB);
    await asBearer(app, bob, { method: 'GET', url: '/api/invoices/inv-1001' });
    await app.close();
    // Read before shutdown: shutting the in-memory exporter down empties it.
    const seen = [...operational.getFinishedLogRecords()];
    await telemetry.shutdown();

    expect([...sink.keys()]).toEqual(['Custom-OwaspSecurityEvents']);
    const rows = sink.get('Custom-OwaspSecurityEvents') ?? [];
    expect(rows.map((row) => row.EventOriginalType)).toEqual([
      'authn_login_fail',
      'authn_login_successafterfail',
      'sensitive_read',
    ]);
    expect(rows[2]).toMatchObject({
      ActorUserId: 'bob',
      Object: '/api/invoices/inv-1001',
      EventSeverity: 'Medium',
      EventOriginalSeverity: 'WARN',
      EventResult: 'Success',
      SessionHash: sessionHash(bob),
      TargetAppName: 'contoso-audit-app',
    });

    expect(seen.map((r) => r.body)).toEqual(expect.arrayContaining(['invoice cache warmed', 'request done']));
    expect(seen.filter((r) => r.attributes['security.event'] !== undefined)).toHaveLength(0);
  });

  it('refuses to start when the DCE endpoint is not set', async () => {
    const env = Object.fromEntries(
      Object.entries(SENTINEL_ENV).filter(([k]) => k !== 'SENTINEL_DCE_ENDPOINT'),
    );
    await expect(startTelemetry({ env, credential, spool: false, operational: false })).rejects.toThrow(
      /SENTINEL_DCE_ENDPOINT/,
    );
  });
});

describe('buildApp', () => {
  it('refuses an empty hash key, which would leave session ids unhashed', async () => {
    await expect(buildApp({ logger: createNoopLogger(), hashKey: '' })).rejects.toThrow(
      /hashKey must not be empty/,
    );
  });
});
