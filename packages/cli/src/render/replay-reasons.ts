// The lines of `otel-sentinel replay` that say why rows are in the spool and why they failed again,
// grouped with counts, each with what to check. Only targets, status codes and error codes are
// shown: never a row value, never a secret.

import type { RedirectedEntries, ReplayFailure, ReplayStop, SpooledBecause } from '@otel-sentinel/exporter';

interface Target {
  readonly endpoint: string;
  readonly dcrImmutableId: string;
  readonly stream: string;
}

/** `dcr-…/Custom-Sec at my-dce.westeurope-1.ingest.monitor.azure.com`. */
export function where(t: Target): string {
  return `${t.dcrImmutableId}/${t.stream} at ${hostOf(t.endpoint)}`;
}

/** What a failure summary means for this target, and what to check; empty when nothing useful is known. */
export function hintFor(summary: string, t: Target): string {
  if (/^HTTP 404\b/.test(summary))
    return ` — DCR ${t.dcrImmutableId} not found at ${hostOf(t.endpoint)} (check the DCR immutable id, and that the endpoint is in the DCR's region; --dcr-immutable-id or --endpoint sends the rows to the right one)`;
  if (/\bInvalidStream\b/.test(summary))
    return ` — stream ${t.stream} is not declared in DCR ${t.dcrImmutableId} (check the stream name; --stream sends the rows to the right one)`;
  if (/^HTTP 403\b/.test(summary))
    return ` — the identity may not send to DCR ${t.dcrImmutableId} (give it the Monitoring Metrics Publisher role on the DCR)`;
  if (/^HTTP 401\b/.test(summary))
    return ' — the token was refused (check AZURE_TENANT_ID, and --audience for sovereign clouds)';
  if (/^HTTP 413\b/.test(summary)) return ' — a request was too large for the service';
  if (/^HTTP 429\b/.test(summary)) return ' — throttled: run replay again later';
  const credential = credentialHint(summary);
  return credential === undefined ? '' : ` — ${credential}`;
}

/** What a credential failure's summary (`AuthenticationError AADSTS7000215`) asks to change, if known. */
function credentialHint(summary: string): string | undefined {
  if (/^(AggregateAuthenticationError|CredentialUnavailableError)\b/.test(summary))
    return 'no usable credential: set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET, or run where a managed identity is';
  if (/\b(invalid_client|AADSTS7000215|AADSTS7000222)\b/.test(summary))
    return 'Entra ID refused the client secret: it is wrong or expired (AZURE_CLIENT_SECRET)';
  if (/\b(unauthorized_client|AADSTS700016)\b/.test(summary))
    return 'Entra ID knows no such application in this tenant (AZURE_CLIENT_ID, AZURE_TENANT_ID)';
  if (/\b(AADSTS90002|AADSTS900023)\b/.test(summary)) return 'no such tenant (AZURE_TENANT_ID)';
  return undefined;
}

export function spooledLines(because: readonly SpooledBecause[], dryRun: boolean): string[] {
  if (because.length === 0) return [];
  const lines = [`  why the rows ${dryRun ? 'to send' : 'sent'} were spooled:`];
  for (const b of because) {
    const detail = b.detail === undefined ? '' : `, ${b.detail}`;
    lines.push(
      `    ${rows(b.entries)}: ${b.reason}${detail} (${where(b.target)})${hintFor(b.detail ?? '', b.target)}`,
    );
  }
  return lines;
}

export function failureLines(failures: readonly ReplayFailure[]): string[] {
  if (failures.length === 0) return [];
  const lines = ['  why they failed this time:'];
  for (const f of failures)
    lines.push(`    ${rows(f.rows)}: ${f.summary} (${where(f.target)})${hintFor(f.summary, f.target)}`);
  return lines;
}

export function redirectLines(redirected: readonly RedirectedEntries[], dryRun: boolean): string[] {
  if (redirected.length === 0) return [];
  const lines = [`  ${dryRun ? 'would send elsewhere' : 'sent elsewhere'}:`];
  for (const r of redirected) lines.push(`    ${rows(r.entries)}: ${where(r.from)} → ${where(r.to)}`);
  return lines;
}

/** The one line that says why replay stopped, and that nothing was lost. */
export function stopLine(stop: ReplayStop, left: number): string {
  const kept = `${left === 1 ? '1 row stays' : `${left} rows stay`} in the spool, nothing was lost`;
  if (stop.reachable) {
    const fix = credentialHint(stop.failure) ?? 'check the credential, a proxy, and the network';
    return `replay stopped: the ${stop.service} ${stop.host} answers, but the request failed: ${stop.cause}; ${kept}; ${fix}, then run replay again`;
  }
  const fix =
    stop.service === 'token endpoint'
      ? 'check AZURE_AUTHORITY_HOST and the network (and NODE_EXTRA_CA_CERTS for a private CA)'
      : 'check the endpoint (--endpoint sends the rows to another) and the network';
  return `replay stopped: cannot reach the ${stop.service} ${stop.host}: ${stop.cause}; ${kept}; ${fix}, then run replay again`;
}

function rows(n: number): string {
  return n === 1 ? '1 row' : `${n} rows`;
}

function hostOf(url: string): string {
  return URL.canParse(url) ? new URL(url).host : url;
}
