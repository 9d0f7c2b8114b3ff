// Reads what the distro sent to the App Insights stand-in: its message telemetry, one per log
// record, as op id (the record's `op.id`, or console's text, which has none), text and operation id.
import { parseEnvelopes } from './recording-https-server.js';
import type { ReceivedRequest } from './recording-https-server.js';
import type { OperationalMessage } from './expected.js';

interface Envelope {
  readonly tags?: Record<string, string>;
  readonly data?: {
    readonly baseType?: string;
    readonly baseData?: { readonly message?: string; readonly properties?: Record<string, string> };
  };
}

/** Every envelope posted to `/v2.1/track`, as sent (JSON). */
export function appInsightsEnvelopes(received: readonly ReceivedRequest[]): unknown[] {
  return received.filter((r) => r.path.startsWith('/v2.1/track')).flatMap((r) => parseEnvelopes(r.body));
}

/** The message telemetry among `envelopes`, sorted by op id. */
export function appInsightsMessages(envelopes: readonly unknown[]): OperationalMessage[] {
  const messages: OperationalMessage[] = [];
  for (const e of envelopes as Envelope[]) {
    if (e.data?.baseType !== 'MessageData') continue;
    const message = e.data.baseData?.message ?? '';
    const opId = e.data.baseData?.properties?.['op.id'] ?? /op-console-\w+/.exec(message)?.[0] ?? message;
    const operationId = e.tags?.['ai.operation.id'];
    messages.push({ opId, message, ...(operationId !== undefined ? { operationId } : {}) });
  }
  return messages.sort((a, b) => a.opId.localeCompare(b.opId));
}
