// `otel-sentinel gateway --mapping <file>`: runs the OTLP/HTTP gateway until SIGTERM/SIGINT, then
// shuts it down gracefully (stops accepting, drains to Sentinel or the spool, drains upstream).

import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { GatewayOptions, RunningGateway } from '@otel-sentinel/gateway';
import type * as GatewayModule from '@otel-sentinel/gateway';
import { loadEnv } from '../env-file.js';
import { CliError, fsReason } from '../errors.js';
import type { CliIo } from '../io.js';
import { describeOperatingError } from '../operating-error.js';
import { write } from '../output.js';
import { signalled } from '../signals.js';

export interface GatewayCommandOptions {
  readonly mapping?: string;
  readonly host?: string;
  readonly port?: string;
  readonly upstream?: string;
  readonly upstreamHeader?: readonly string[];
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  readonly maxBodyBytes?: string;
  readonly maxQueueSize?: string;
  readonly maxUpstreamQueueBytes?: string;
  readonly spoolDir?: string;
  readonly durability?: string;
  readonly quiet?: boolean;
  readonly envFile?: string;
}

function whole(
  flag: string,
  raw: string | undefined,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new CliError('E_USAGE', `${flag} must be a whole number from ${min} to ${max}, got "${raw}"`);
  return n;
}

/** `name=value` pairs of --upstream-header; the values are secrets and never printed. */
function headers(pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0)
      throw new CliError(
        'E_USAGE',
        `--upstream-header must be name=value (e.g. authorization=Bearer …), got "${pair.slice(0, at < 0 ? 20 : at)}…"`,
      );
    out[pair.slice(0, at).trim().toLowerCase()] = pair.slice(at + 1).trim();
  }
  return out;
}

async function pem(flag: string, file: string, cwd: string): Promise<string> {
  try {
    return await readFile(resolve(cwd, file), 'utf8');
  } catch (error) {
    throw new CliError('E_TLS_FILE', `${flag} ${file}: ${fsReason(error)}`, { cause: error });
  }
}

/** The port, queue and body limits and the durability, each checked; only those given. */
function limitsOf(
  options: GatewayCommandOptions,
): Pick<GatewayOptions, 'port' | 'maxBodyBytes' | 'maxQueueSize' | 'maxUpstreamQueueBytes' | 'durability'> {
  const port = whole('--port', options.port, 0, 65_535) ?? 4318;
  const maxBodyBytes = whole('--max-body-bytes', options.maxBodyBytes, 1);
  const maxQueueSize = whole('--max-queue-size', options.maxQueueSize, 1);
  const maxUpstreamQueueBytes = whole('--max-upstream-queue-bytes', options.maxUpstreamQueueBytes, 1);
  const durability = options.durability;
  if (durability !== undefined && durability !== 'disk' && durability !== 'memory')
    throw new CliError('E_USAGE', `--durability must be disk or memory, got "${durability}"`);
  return {
    port,
    ...(maxBodyBytes !== undefined ? { maxBodyBytes } : {}),
    ...(maxQueueSize !== undefined ? { maxQueueSize } : {}),
    ...(maxUpstreamQueueBytes !== undefined ? { maxUpstreamQueueBytes } : {}),
    ...(durability !== undefined ? { durability } : {}),
  };
}

/** The PEM certificate and key of --tls-cert and --tls-key, or undefined for plain HTTP. */
async function tlsOf(
  options: GatewayCommandOptions,
  cwd: string,
): Promise<{ cert: string; key: string } | undefined> {
  if (options.tlsCert === undefined || options.tlsKey === undefined) return undefined;
  return {
    cert: await pem('--tls-cert', options.tlsCert, cwd),
    key: await pem('--tls-key', options.tlsKey, cwd),
  };
}

/** Starts the gateway; a port in use or a bad mapping or option becomes a message without a stack. */
async function startOrExplain(
  gatewayModule: typeof GatewayModule,
  gatewayOptions: GatewayOptions,
): Promise<RunningGateway> {
  try {
    return await gatewayModule.startGateway(gatewayOptions);
  } catch (error) {
    // A port in use names the port and the option (--port, --host) that fixes it.
    const listen =
      error instanceof gatewayModule.ConfigError && error.option === 'port'
        ? describeOperatingError(error)
        : undefined;
    if (listen !== undefined) throw new CliError('E_LISTEN', listen, { cause: error });
    // A bad mapping, option or address is the user's to fix: say it without a stack.
    if (error instanceof gatewayModule.ConfigError)
      throw new CliError(error.code, error.message, { cause: error });
    throw error;
  }
}

/** Runs until SIGINT/SIGTERM (or `stop` resolves, for tests). */
export async function gatewayCommand(
  options: GatewayCommandOptions,
  io: CliIo,
  stop: Promise<void> = signalled(),
): Promise<number> {
  const mapping = options.mapping;
  if (mapping === undefined)
    throw new CliError(
      'E_USAGE',
      'give --mapping <file>: the mapping that says which records are security events and where they go',
    );
  if ((options.tlsCert === undefined) !== (options.tlsKey === undefined))
    throw new CliError('E_USAGE', '--tls-cert and --tls-key go together: give both (PEM files) or neither');
  const limits = limitsOf(options);
  const env = await loadEnv(options.envFile, io.env, io.cwd);
  const tls = await tlsOf(options, io.cwd);
  // Loaded here: the gateway brings Fastify, protobufjs and the Azure clients.
  const gatewayModule = await import('@otel-sentinel/gateway');
  const gatewayOptions: GatewayOptions = {
    mapping: resolve(io.cwd, mapping),
    env,
    ...limits,
    ...(options.host !== undefined ? { host: options.host } : {}),
    ...(options.upstream !== undefined ? { upstream: options.upstream } : {}),
    ...(options.upstreamHeader !== undefined ? { upstreamHeaders: headers(options.upstreamHeader) } : {}),
    ...(tls !== undefined ? { tls } : {}),
    ...(options.spoolDir !== undefined ? { exporter: { spool: resolve(io.cwd, options.spoolDir) } } : {}),
    ...(options.quiet === true ? {} : { log: (line: string) => void write(io.stderr, `${line}\n`) }),
  };
  const gateway = await startOrExplain(gatewayModule, gatewayOptions);
  await write(
    io.stdout,
    [
      `# otel-sentinel gateway listening on ${gateway.url} (POST /v1/logs; /healthz, /readyz, /metrics)`,
      `# operational records: ${options.upstream !== undefined ? `forwarded to ${new URL(options.upstream).origin}` : 'no --upstream, counted and dropped'}`,
      '# SIGTERM or Ctrl-C drains and stops it',
      '',
    ].join('\n'),
  );
  await stop;
  await write(io.stderr, 'otel-sentinel gateway: stopping (draining queues)\n');
  await gateway.close();
  return 0;
}
