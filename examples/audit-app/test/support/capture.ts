// A real OpenTelemetry LoggerProvider whose only processor keeps every record in memory, so tests
// see exactly what the app emitted — security and operational records alike — as ReadableLogRecords.

import type { AnyValue } from '@opentelemetry/api-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import type { AppOptions } from '../../src/app.js';
import { SECURITY_ATTRIBUTE } from '../../src/security-events.js';

/** The service name telemetry.ts gives the resource (not imported, so these tests need no exporter). */
export const SERVICE_NAME = 'contoso-audit-app';

export interface Captured {
  readonly app: FastifyInstance;
  readonly provider: LoggerProvider;
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
  return record.attributes[SECURITY_ATTRIBUTE] === true;
}

export function startApp(options: Omit<AppOptions, 'logger'> = {}): Captured {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': SERVICE_NAME }),
    processors: [new SimpleLogRecordProcessor({ exporter })],
  });
  const app = buildApp({ ...options, logger: provider.getLogger(SERVICE_NAME) });
  const records = (): readonly ReadableLogRecord[] => exporter.getFinishedLogRecords();
  return {
    app,
    provider,
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

export const ALICE = { username: 'alice', password: 'alice-demo-password' } as const;
export const BOB = { username: 'bob', password: 'bob-demo-password' } as const;

/** Signs in and returns the bearer header for later requests. */
export async function signIn(
  app: FastifyInstance,
  who: { username: string; password: string },
): Promise<string> {
  const response = await app.inject({ method: 'POST', url: '/login', payload: who });
  if (response.statusCode !== 200)
    throw new Error(`sign-in of ${who.username} failed: ${response.statusCode}`);
  const { sessionId } = response.json<{ sessionId: string }>();
  return `Bearer ${sessionId}`;
}
