// `check <mapping> --probe`: the exporter's start-up check run from the command line. Gets a token
// as the app would (DefaultAzureCredential from the environment) and sends each stream of the
// mapping one request with an empty JSON array (no row: nothing is stored), then says in one line
// per stream whether it would take rows, and if not, what to change.

import type { MappingConfig } from '@otel-sentinel/mapping';
import type { Env } from '../env-file.js';

const LOOPBACK_AUTHORITY = /^https:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\/?$/;

export interface ProbeOutcome {
  readonly ok: boolean;
  readonly lines: readonly string[];
  /** The report as `--json` prints it. */
  readonly json: unknown;
}

/** Runs the probe for every stream of `config`; never throws for what it finds. */
export async function probeMapping(
  config: MappingConfig,
  env: Env,
  timeoutMs: number,
): Promise<ProbeOutcome> {
  // The Azure credential reads AZURE_* from the process environment; the env file fills the gaps.
  for (const [k, v] of Object.entries(env))
    if (process.env[k] === undefined && v !== undefined) process.env[k] = v;
  const { DefaultAzureCredential } = await import('@azure/identity');
  const { DEFAULT_AUTHORITY_HOST, FailureExplainer, probeStreams } = await import('@otel-sentinel/exporter');
  const host = env.AZURE_AUTHORITY_HOST;
  // MSAL would ask login.microsoftonline.com about a loopback authority (the emulator) first.
  const local = host !== undefined && LOOPBACK_AUTHORITY.test(host);
  const credential = new DefaultAzureCredential(local ? { disableInstanceDiscovery: true } : {});
  const audience = env.OTEL_SENTINEL_AUDIENCE;
  const report = await probeStreams({
    credential,
    targets: config.streams.map((s) => ({
      endpoint: s.endpoint,
      dcrImmutableId: s.dcrImmutableId,
      stream: s.stream,
      table: s.table,
    })),
    explainer: new FailureExplainer({
      authorityHost: host !== undefined && host !== '' ? host : DEFAULT_AUTHORITY_HOST,
    }),
    ...(audience !== undefined && audience !== '' ? { audience } : {}),
    timeoutMs,
  });
  const lines = [`token: ${report.token.line}`, ...report.streams.map((s) => s.line)];
  return {
    ok: report.ok,
    lines,
    json: {
      ok: report.ok,
      token: report.token,
      streams: report.streams.map((s) => ({
        stream: s.target.stream,
        dcrImmutableId: s.target.dcrImmutableId,
        endpoint: s.target.endpoint,
        ok: s.ok,
        ...(s.status !== undefined ? { status: s.status } : {}),
        ...(s.cause !== undefined ? { cause: s.cause } : {}),
        line: s.line,
      })),
    },
  };
}
