// `otel-sentinel emulator`: runs the local Sentinel emulator (Entra ID, Logs Ingestion, Log
// Analytics query) until interrupted; `otel-sentinel emulator query "<kql>"` reads its store.

import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type * as EmulatorModule from '@otel-sentinel/emulator';
import type { QueryTable, RunningEmulator } from '@otel-sentinel/emulator';
import { loadEnv } from '../env-file.js';
import { CliError } from '../errors.js';
import type { CliIo } from '../io.js';
import { write } from '../output.js';
import { signalled } from '../signals.js';
import { webhookTargets } from './webhook-flag.js';
import { detectionOptions } from './rules-flags.js';

export interface EmulatorCommandOptions {
  readonly mapping?: readonly string[];
  /** DCR and table JSON: files, or folders searched for `*.json`. */
  readonly definitions?: readonly string[];
  readonly port?: string;
  readonly data?: string;
  readonly strict?: boolean;
  readonly inMemory?: boolean;
  readonly quiet?: boolean;
  readonly envFile?: string;
  /** `<url>=<file>` pairs: the local files `externaldata` reads for those URLs. */
  readonly externalData?: readonly string[];
  /** Serve the console at /console/; false with `--no-console`. Default true. */
  readonly console?: boolean;
  /** `--webhook <url>[#minSeverity=…&rules=…&maxAttempts=…]`, repeatable: where new incidents are posted. */
  readonly webhook?: readonly string[];
  /** `--rules <path...>`: analytic rule YAML files or folders, besides the definitions' Analytic Rules. */
  readonly rules?: readonly string[];
  /** `--rule-frequency <duration>`: every rule runs at this interval instead of its queryFrequency. */
  readonly ruleFrequency?: string;
  /** `--price-per-gb`: the console's cost view projects at this price per GB ingested. */
  readonly pricePerGb?: string;
  /** `--currency`: the price's currency code. Default USD. */
  readonly currency?: string;
}

export interface EmulatorQueryOptions {
  readonly data?: string;
}

/** Runs until SIGINT/SIGTERM (or `stop` resolves, for tests). */
export async function emulatorCommand(
  options: EmulatorCommandOptions,
  io: CliIo,
  stop: Promise<void> = signalled(),
): Promise<number> {
  const mappings = options.mapping ?? [];
  const definitions = options.definitions ?? [];
  if (mappings.length === 0 && definitions.length === 0) {
    throw new CliError(
      'E_NOTHING_TO_SERVE',
      'say what to serve: --mapping <file...> (mapping files) and/or --definitions <path...> ' +
        '(DCR and table JSON: a solution or Data Connectors folder, DCR.json/table.json files, or an ARM template)',
    );
  }
  const externalData = externalDataFiles(options.externalData ?? [], io.cwd);
  const automation = webhookTargets(options.webhook);
  const detections = detectionOptions(options.rules, options.ruleFrequency, io.cwd);
  // Loaded here: the emulator brings Fastify, SQLite and the Kusto parser, which other commands do not need.
  const emulatorModule = await import('@otel-sentinel/emulator');
  const env = await loadEnv(options.envFile, io.env, io.cwd);
  const port = portOf(options.port);
  if (port === undefined) {
    await write(
      io.stderr,
      `otel-sentinel: --port must be a port number (0 picks a free one), got "${options.port ?? ''}"\n`,
    );
    return 1;
  }
  let emulator: RunningEmulator;
  try {
    emulator = await emulatorModule.startEmulator({
      mappings: mappings.map((m) => resolve(io.cwd, m)),
      definitions: definitions.map((d) => resolve(io.cwd, d)),
      port,
      externalData,
      console: options.console !== false,
      automation,
      ...detections,
      cost: costOptions(options),
      dataDir: options.data !== undefined ? resolve(io.cwd, options.data) : emulatorModule.defaultDataDir(),
      env,
      ...(options.strict === true ? { strict: true } : {}),
      ...(options.inMemory === true ? { inMemory: true } : {}),
      ...(options.quiet === true ? {} : { log: (line: string) => void write(io.stderr, `${line}\n`) }),
    });
  } catch (error) {
    // What the mappings, definitions or options (SENTINEL_DCR_IMMUTABLE_ID) lack is the user's
    // to fix: say it without a stack.
    if (isUsersToFix(emulatorModule, error)) throw new CliError(error.code, error.message, { cause: error });
    throw error;
  }
  await write(io.stdout, startBanner(emulator, options.console !== false));
  await stop;
  await emulator.close();
  return 0;
}

/**
 * `--external-data <url>=<file>` pairs as `{ url: absolute file }`. The pair splits at its last
 * `=`, since a URL's query string may hold one and a local path seldom does.
 */
function externalDataFiles(pairs: readonly string[], cwd: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.lastIndexOf('=');
    const [url, file] = [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
    if (at < 0 || url === '' || file === '')
      throw new CliError(
        'E_EXTERNAL_DATA',
        `--external-data "${pair}": give <url>=<local file>, e.g. https://example.com/list.csv=data/list.csv`,
      );
    const path = resolve(cwd, file);
    if (!existsSync(path))
      throw new CliError(
        'E_EXTERNAL_DATA',
        `--external-data "${pair}": no such file ${path}; give the local copy of that URL's file`,
      );
    files[url] = path;
  }
  return files;
}

/** `--price-per-gb` and `--currency` as the emulator's cost option, or a one-line error. */
function costOptions(options: EmulatorCommandOptions): { pricePerGb?: number; currency?: string } {
  const { pricePerGb, currency } = options;
  const price = pricePerGb === undefined ? undefined : Number(pricePerGb);
  if (price !== undefined && !(pricePerGb?.trim() !== '' && Number.isFinite(price) && price >= 0))
    throw new CliError(
      'E_PRICE',
      `--price-per-gb "${pricePerGb ?? ''}": give your price per GB ingested as a number of 0 or more, e.g. --price-per-gb 5.2`,
    );
  if (currency !== undefined && !/^[A-Za-z]{3}$/.test(currency))
    throw new CliError(
      'E_PRICE',
      `--currency "${currency}": give a three-letter currency code, e.g. --currency EUR`,
    );
  if (currency !== undefined && price === undefined)
    throw new CliError(
      'E_PRICE',
      '--currency needs --price-per-gb: give the price in that currency, e.g. --price-per-gb 5.2 --currency EUR',
    );
  return {
    ...(price !== undefined ? { pricePerGb: price } : {}),
    ...(currency !== undefined ? { currency } : {}),
  };
}

/** A start-up error that names what the user's mappings, definitions or variables lack. */
function isUsersToFix(
  emulatorModule: typeof EmulatorModule,
  error: unknown,
): error is { code: string; message: string } & Error {
  return (
    error instanceof emulatorModule.CatalogError ||
    error instanceof emulatorModule.ConfigError ||
    error instanceof emulatorModule.UnsupportedKqlError
  );
}

/** --port as a port number (4443 when not given), or undefined when it is not one. */
function portOf(value: string | undefined): number | undefined {
  const port = value === undefined ? 4443 : Number(value);
  return Number.isInteger(port) && port >= 0 && port <= 65535 ? port : undefined;
}

/** What the emulator serves and the variables a client needs, as shell lines. */
function startBanner(emulator: RunningEmulator, withConsole: boolean): string {
  const lines = Object.entries(emulator.env()).map(([k, v]) => `export ${k}=${v}`);
  const streams = [...emulator.catalog.dcrs.values()].flatMap((d) =>
    [...d.streams.keys()].map((s) => `#   ${d.immutableId}  ${s}`),
  );
  return [
    `# otel-sentinel emulator listening on ${emulator.origin} (Ctrl-C stops it)`,
    `# trust its CA: NODE_EXTRA_CA_CERTS=${emulator.caPath}`,
    ...(withConsole
      ? [`# Console: ${emulator.origin}/console/ (your browser warns until it trusts that CA)`]
      : []),
    '# DCRs and streams:',
    ...streams,
    '# the client secret below is emulator-only: never use it anywhere else',
    ...lines,
    '',
  ].join('\n');
}

export async function emulatorQueryCommand(
  kql: string,
  options: EmulatorQueryOptions,
  io: CliIo,
): Promise<number> {
  const { defaultDataDir, openStore, recordedQuerySource } = await import('@otel-sentinel/emulator');
  const { runQuery } = await import('@otel-sentinel/kql');
  const dir = options.data !== undefined ? resolve(io.cwd, options.data) : defaultDataDir();
  const file = join(dir, 'emulator.sqlite');
  if (!existsSync(file)) {
    throw new CliError(
      'E_NO_STORE',
      `no emulator store in ${dir}; start the emulator (otel-sentinel emulator --data ${dir}) first`,
    );
  }
  const store = openStore(file);
  try {
    let table: QueryTable;
    try {
      // The workspace functions and externaldata files the emulator recorded, stand-ins rebuilt.
      table = runQuery(kql, recordedQuerySource(store), new Date());
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      // The query's own errors name the unsupported operator or the unknown column: show them.
      if (typeof code === 'string' && code.startsWith('E_KQL'))
        throw new CliError(code, withFlagHint((error as Error).message), { cause: error });
      throw error;
    }
    await write(io.stdout, renderTable(table));
    return 0;
  } finally {
    store.close();
  }
}

/** The engine speaks of its query source; the user's lever is the emulator's flag. */
function withFlagHint(message: string): string {
  return message.includes('externaldata: no file for URL')
    ? `${message} (here: start the emulator with --external-data <url>=<local file>)`
    : message;
}

function cell(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(v);
    case 'object':
      return v === null ? '' : v instanceof Date ? v.toISOString() : JSON.stringify(v);
    default:
      return '';
  }
}

/** A plain text table: header, rule, rows; long cells cut to keep one line per row. */
export function renderTable(t: QueryTable): string {
  const header = t.columns.map((c) => c.name);
  const body = t.rows.map((r) => r.map((v) => cell(v).slice(0, 80)));
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
    `(${t.rows.length} row${t.rows.length === 1 ? '' : 's'})`,
    '',
  ].join('\n');
}
