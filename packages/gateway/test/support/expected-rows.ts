// The rows the gateway tests expect in the emulator's tables, written out by hand from
// test/fixtures/gateway-mapping.yaml, never computed by the mapping under test. The one derived
// value, SessionHash, is the lower-case hex HMAC-SHA-256 the mapping README specifies, computed
// here with node:crypto directly.
import { createHmac } from 'node:crypto';

import { HASH_KEY } from './stack.js';

/** A record the otel-clients test emits: its index, event name, time and service. */
export interface EmittedSecurityRecord {
  readonly i: number;
  readonly eventName: string;
  readonly timeMs: number;
  readonly service: string;
}

/** The table a record lands in, and the row there, as the emulator returns it (no empty columns). */
export function expectedRow(r: EmittedSecurityRecord): { table: string; row: Record<string, unknown> } {
  const time = new Date(r.timeMs).getTime();
  if (r.eventName.startsWith('authn_')) {
    return {
      table: 'GatewayAuth_CL',
      row: {
        TimeGenerated: time,
        EventName: r.eventName,
        UserId: `user${r.i}@contoso.com`,
        SrcIpAddr: `203.0.113.${r.i}`,
        Seq: r.i,
        SessionHash: createHmac('sha256', HASH_KEY).update(`s-${r.i}`, 'utf8').digest('hex'),
        Service: r.service,
        Scope: 'gateway-e2e',
        Severity: 'WARN',
        Message: `security ${r.i}`,
        // The security attribute itself is always dropped from a whole bag (mapping README).
        Extra: { 'auth.method': 'password', 'retry.count': r.i % 3 },
      },
    };
  }
  return {
    table: 'GatewayOther_CL',
    row: {
      TimeGenerated: time,
      EventName: r.eventName,
      Seq: r.i,
      Service: r.service,
      Message: `security ${r.i}`,
    },
  };
}
