// A real OpenTelemetry LoggerProvider whose only processor keeps every record in memory, so tests
// see exactly what the app emitted — security and operational records alike — as ReadableLogRecords.

import { createHmac } from 'node:crypto';
import type { AnyValue } from '@opentelemetry/api-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.js';
import type { AppOptions } from '../../src/app.js';
import { SENTINEL_ENV } from './sentinel-env.js';

/** The service name telemetry.ts gives the resource (not imported, so these tests need no exporter). */
export const SERVICE_NAME = 'contoso-audit-app';
/** The key the tests' apps hash session ids with. */
export const HASH_KEY = SENTINEL_ENV.OTEL_SENTINEL_HASH_KEY;

export interface Captured {
  readonly app: FastifyInstance;
  /** Every record emitted so far. */
  records(): readonly ReadableLogRecord[];
  /** Records flagged as security events. */
  security(): readonly ReadableLogRecord[];
  /** Records without the flag. */
  operational(): readonly ReadableLogRecord[];
  /** Security records with this event name. */
  events(eventName: string): readonly ReadableLogRecord[];
  close(): Promise<void>;
}

export function isSecurity(record: ReadableLogRecord): boolean {
  return record.attributes['security.event'] === true;
}

/** The app with an in-memory log; it trusts X-Forwarded-For (as behind a proxy) unless told otherwise. */
export async function startApp(options: Partial<Omit<AppOptions, 'logger'>> = {}): Promise<Captured> {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': SERVICE_NAME }),
    processors: [new SimpleLogRecordProcessor({ exporter })],
  });
  const app = await buildApp({
    hashKey: HASH_KEY,
    trustProxy: true,
    ...options,
    logger: provider.getLogger(SERVICE_NAME),
  });
  const records = (): readonly ReadableLogRecord[] => exporter.getFinishedLogRecords();
  return {
    app,
    records,
    security: () => records().filter(isSecurity),
    operational: () => records().filter((r) => !isSecurity(r)),
    events: (eventName) => records().filter((r) => isSecurity(r) && r.eventName === eventName),
    close: async () => {
      await app.close();
      await provider.shutdown();
    },
  };
}

/** A record attribute, for assertions. */
export function attr(record: ReadableLogRecord | undefined, key: string): AnyValue {
  return record?.attributes[key];
}

/** The one record of `eventName`; throws when there is none or more than one. */
export function only(t: Captured, eventName: string): ReadableLogRecord {
  const records = t.events(eventName);
  if (records.length !== 1) throw new Error(`expected one ${eventName}, got ${records.length}`);
  const [record] = records;
  if (record === undefined) throw new Error(`no ${eventName}`);
  return record;
}

/** What the helpers write for a session id: its HMAC-SHA-256 under the tests' key, in hex. */
export function sessionHash(sessionId: string): string {
  return createHmac('sha256', HASH_KEY).update(sessionId).digest('hex');
}

export const ALICE = { username: 'alice', password: 'alice-demo-password' } as const;
export const BOB = { username: 'bob', password: 'bob-demo-password' } as const;
export const GRACE = { username: 'grace', password: 'grace-demo-password' } as const;

/** Signs in; returns the session id. */
export async function signIn(
  app: FastifyInstance,
  who: { username: string; password: string },
  headers: Record<string, string> = {},
): Promise<string> {
  const response = await app.inject({ method: 'POST', url: '/login', payload: who, headers });
  if (response.statusCode !== 200)
    throw new Error(`sign-in of ${who.username} failed: ${response.statusCode} ${response.body}`);
  return response.json<{ sessionId: string }>().sessionId;
}

/** A request with `Authorization: Bearer <credential>`. */
export function asBearer(
  app: FastifyInstance,
  credential: string,
  options: InjectOptions & { readonly url: string },
): Promise<LightMyRequestResponse> {
  return app.inject({
    ...options,
    headers: { ...options.headers, authorization: `Bearer ${credential}` },
  });
}
