// Checks the options once, at start-up, and fills in defaults; every problem is a
// `ConfigError` (`E_GATEWAY_CONFIG`) naming the option and what to change.

import { isIP } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { SentinelLogExporterOptions } from '@otel-sentinel/exporter';
import { gatewayConfigError } from './errors.js';
import { API_KEY_ENV, TOKEN_ENV } from './gateway-options.js';
import type { GatewayOptions, UpstreamRetryOptions } from './gateway-options.js';

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;
export const DEFAULT_MAX_UPSTREAM_QUEUE_BYTES = 64 * 1024 * 1024;

export interface ResolvedUpstream {
  /** The full logs URL. */
  readonly url: URL;
  /** Safe to log: origin and path, without credentials or query. */
  readonly display: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly retry: Readonly<Required<UpstreamRetryOptions>>;
  readonly timeoutMs: number;
  readonly concurrency: number;
}

export interface ResolvedOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly host: string;
  readonly port: number;
  readonly upstream: ResolvedUpstream | undefined;
  readonly bearerToken: string | undefined;
  readonly apiKey: string | undefined;
  readonly tls: { readonly cert: string | Buffer; readonly key: string | Buffer } | undefined;
  readonly maxBodyBytes: number;
  readonly maxQueueSize: number | undefined;
  readonly maxUpstreamQueueBytes: number;
  readonly durability: 'disk' | 'memory';
  /** The spool directory (write-ahead queue and spool), or false for none. */
  readonly spool: NonNullable<SentinelLogExporterOptions['spool']>;
  readonly retryAfterSeconds: number;
  readonly readinessIntervalMs: number;
  readonly shutdownTimeoutMs: number;
  readonly log: (line: string) => void;
}

function wholeNumber(option: string, value: number | undefined, fallback: number, min: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min)
    throw gatewayConfigError(option, `must be a whole number ≥ ${min}, got ${String(v)}`);
  return v;
}

function secret(
  option: string,
  value: string | undefined,
  envName: string,
  env: ResolvedOptions['env'],
): string | undefined {
  const v = value ?? env[envName];
  if (v === undefined || v === '') return undefined;
  // Header values cannot carry control characters or surrounding blanks; say so without echoing it.
  if (v !== v.trim() || /[\u0000-\u001f\u007f]/.test(v))
    throw gatewayConfigError(
      option,
      `must not contain spaces at either end or control characters (from ${value !== undefined ? 'the option' : envName}); the value is not shown`,
    );
  return v;
}

function resolveUpstream(options: GatewayOptions): ResolvedUpstream | undefined {
  // Checked even without an upstream: a mistake there should not wait for the day one is set.
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.upstreamHeaders ?? {})) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name))
      throw gatewayConfigError('upstreamHeaders', `"${name}" is not a valid header name`);
    if (/[\r\n\u0000]/.test(value))
      throw gatewayConfigError('upstreamHeaders', `the value of "${name}" contains a line break or NUL`);
    headers[name.toLowerCase()] = value;
  }
  const r = options.upstreamRetry ?? {};
  const initialDelayMs = wholeNumber('upstreamRetry.initialDelayMs', r.initialDelayMs, 500, 0);
  const retry = {
    maxAttempts: wholeNumber('upstreamRetry.maxAttempts', r.maxAttempts, 5, 1),
    maxElapsedMs: wholeNumber('upstreamRetry.maxElapsedMs', r.maxElapsedMs, 60_000, 0),
    initialDelayMs,
    maxDelayMs: wholeNumber(
      'upstreamRetry.maxDelayMs',
      r.maxDelayMs,
      Math.max(15_000, initialDelayMs),
      initialDelayMs,
    ),
  };
  const timeoutMs = wholeNumber('upstreamTimeoutMs', options.upstreamTimeoutMs, 30_000, 1);
  const concurrency = wholeNumber('upstreamConcurrency', options.upstreamConcurrency, 2, 1);

  const raw = options.upstream;
  if (raw === undefined || raw === '') return undefined;
  if (!URL.canParse(raw))
    throw gatewayConfigError('upstream', 'must be an http(s) URL such as http://collector:4318');
  const url = new URL(raw);
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw gatewayConfigError('upstream', `must use http or https, got ${url.protocol}`);
  if (!url.pathname.endsWith('/v1/logs')) url.pathname = `${url.pathname.replace(/\/+$/, '')}/v1/logs`;
  return { url, display: `${url.origin}${url.pathname}`, headers, retry, timeoutMs, concurrency };
}

/** The mapping: a file path (not empty) or a mapping object. */
function checkMapping(mapping: unknown): void {
  if (typeof mapping !== 'string' && (typeof mapping !== 'object' || mapping === null))
    throw gatewayConfigError('mapping', 'pass the path of a mapping file (YAML or JSON) or a mapping object');
  if (typeof mapping === 'string' && mapping.trim() === '')
    throw gatewayConfigError('mapping', 'is empty: pass the path of a mapping file (YAML or JSON)');
}

/** The address to listen on: an IP address or a host name; default 127.0.0.1. */
function resolveHost(value: string | undefined): string {
  const host = value ?? '127.0.0.1';
  if (host === '' || (isIP(host) === 0 && !/^[A-Za-z0-9.-]+$/.test(host)))
    throw gatewayConfigError(
      'host',
      `"${host}" is not an IP address or host name (e.g. 127.0.0.1 or 0.0.0.0)`,
    );
  return host;
}

/** TLS needs both a certificate and a key, as PEM text. */
function checkTls(tls: NonNullable<GatewayOptions['tls']>): void {
  const pem = (v: unknown): boolean => (typeof v === 'string' || Buffer.isBuffer(v)) && v.length > 0;
  if (!pem(tls.cert) || !pem(tls.key))
    throw gatewayConfigError('tls', 'needs both `cert` and `key` as PEM text (string or Buffer)');
}

export function resolveOptions(options: GatewayOptions): ResolvedOptions {
  const env = options.env ?? process.env;
  checkMapping(options.mapping);
  const host = resolveHost(options.host);
  const port = wholeNumber('port', options.port, 4318, 0);
  if (port > 65_535) throw gatewayConfigError('port', `must be 0–65535, got ${port}`);
  const tls = options.tls;
  if (tls !== undefined) checkTls(tls);
  const maxQueueSize =
    options.maxQueueSize === undefined ? undefined : wholeNumber('maxQueueSize', options.maxQueueSize, 0, 1);
  const durability = resolveDurability(options.durability, env);
  return {
    durability,
    spool: resolveSpool(options.exporter?.spool, durability, env),
    env,
    host,
    port,
    upstream: resolveUpstream(options),
    bearerToken: secret('auth.bearerToken', options.auth?.bearerToken, TOKEN_ENV, env),
    apiKey: secret('auth.apiKey', options.auth?.apiKey, API_KEY_ENV, env),
    tls,
    maxBodyBytes: wholeNumber('maxBodyBytes', options.maxBodyBytes, DEFAULT_MAX_BODY_BYTES, 1),
    maxQueueSize,
    maxUpstreamQueueBytes: wholeNumber(
      'maxUpstreamQueueBytes',
      options.maxUpstreamQueueBytes,
      DEFAULT_MAX_UPSTREAM_QUEUE_BYTES,
      1,
    ),
    retryAfterSeconds: wholeNumber('retryAfterSeconds', options.retryAfterSeconds, 5, 0),
    readinessIntervalMs: wholeNumber('readinessIntervalMs', options.readinessIntervalMs, 60_000, 1),
    shutdownTimeoutMs: wholeNumber('shutdownTimeoutMs', options.shutdownTimeoutMs, 30_000, 1),
    log: options.log ?? (() => undefined),
  };
}

export const DURABILITY_ENV = 'OTEL_SENTINEL_DURABILITY';
const SPOOL_DIR_ENV = 'OTEL_SENTINEL_SPOOL_DIR';

function resolveDurability(
  value: 'disk' | 'memory' | undefined,
  env: ResolvedOptions['env'],
): 'disk' | 'memory' {
  const raw: unknown = value ?? env[DURABILITY_ENV] ?? 'disk';
  if (raw === 'disk' || raw === 'memory') return raw;
  if (raw === '') return 'disk';
  throw gatewayConfigError(
    value !== undefined ? 'durability' : DURABILITY_ENV,
    `must be disk or memory, got ${JSON.stringify(raw)}`,
  );
}

/**
 * The spool directory: the option, else `OTEL_SENTINEL_SPOOL_DIR`, else (for `disk`) a directory
 * of this user's state, so that acknowledged records are durable without any configuration.
 */
function resolveSpool(
  option: SentinelLogExporterOptions['spool'],
  durability: 'disk' | 'memory',
  env: ResolvedOptions['env'],
): NonNullable<SentinelLogExporterOptions['spool']> {
  if (option !== undefined) {
    if (option === false && durability === 'disk')
      throw gatewayConfigError(
        'exporter.spool',
        "is false, but durability 'disk' keeps the write-ahead queue in the spool directory; give a directory, or durability 'memory'",
      );
    return option;
  }
  const fromEnv = env[SPOOL_DIR_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (durability === 'memory') return false;
  const state =
    env.XDG_STATE_HOME !== undefined && env.XDG_STATE_HOME !== ''
      ? env.XDG_STATE_HOME
      : join(homedir(), '.local', 'state');
  return join(state, 'otel-sentinel', 'gateway');
}
