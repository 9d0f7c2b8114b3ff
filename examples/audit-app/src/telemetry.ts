// OpenTelemetry logging through otel-sentinel: records flagged `security.event: true` go to
// Sentinel as rows of OwaspSecurityEvents_CL (mapping/security-mapping.yaml: the owasp preset);
// every other record goes to Application Insights when APPLICATIONINSIGHTS_CONNECTION_STRING is
// set, else to the console.

import { fileURLToPath } from 'node:url';
import type { Logger } from '@opentelemetry/api-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { createSentinelLogging } from '@otel-sentinel/exporter';
import type { SentinelLogging, SentinelLoggingOptions } from '@otel-sentinel/exporter';
import type { OperationalVolume } from './cost-report.js';

export const SERVICE_NAME = 'contoso-audit-app';

/** The app's mapping file, next to `src/` and `dist/`. */
export const MAPPING_PATH = fileURLToPath(new URL('../mapping/security-mapping.yaml', import.meta.url));

export interface Telemetry {
  readonly logger: Logger;
  /** Where operational records go: `application-insights`, `console`, `custom` or `none`. */
  readonly operational: SentinelLogging['operational'];
  /** Flushes security records to Sentinel (or the spool), then operational ones; idempotent. */
  shutdown(): Promise<void>;
  /** What the exporter filtered out so far: records and their estimated Application Insights bytes. */
  operationalVolume(): Promise<OperationalVolume>;
  /** When telemetry started: the `since` of the cost report. */
  readonly startedAt: Date;
}

/**
 * Throws when the mapping is invalid or a variable it reads is unset — better than starting and
 * losing events. `overrides` replace any default (tests pass a credential and an environment).
 */
export async function startTelemetry(overrides: SentinelLoggingOptions = {}): Promise<Telemetry> {
  const logging = await createSentinelLogging({
    mapping: MAPPING_PATH,
    resource: resourceFromAttributes({ 'service.name': SERVICE_NAME }),
    ...overrides,
  });
  const startedAt = new Date();
  return {
    logger: logging.loggerProvider.getLogger(SERVICE_NAME),
    operational: logging.operational,
    shutdown: () => logging.shutdown(),
    startedAt,
    async operationalVolume() {
      // The processor counts what it filtered when it drains: flush so the figures are current.
      await logging.sentinel.forceFlush();
      const { recordsFiltered, bytesFiltered } = logging.exporter.stats();
      return { recordsFiltered, bytesFiltered };
    },
  };
}
