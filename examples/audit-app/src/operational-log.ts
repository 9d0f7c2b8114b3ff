// Operational logs: everything that is not a security event. They carry no security flag, so they
// go to Application Insights (or the console) and never to Sentinel.

import { SeverityNumber } from '@opentelemetry/api-logs';
import type { AnyValueMap, Logger } from '@opentelemetry/api-logs';

export type OperationalLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

const LEVEL: Readonly<Record<OperationalLevel, SeverityNumber>> = {
  DEBUG: SeverityNumber.DEBUG,
  INFO: SeverityNumber.INFO,
  WARN: SeverityNumber.WARN,
  ERROR: SeverityNumber.ERROR,
};

export function logOperational(
  logger: Logger,
  level: OperationalLevel,
  body: string,
  attributes: AnyValueMap = {},
): void {
  logger.emit({ severityNumber: LEVEL[level], severityText: level, body, attributes });
}
