// The commander program: commands, options, help text with a worked example each, and error
// output rewritten to the one-line `otel-sentinel: message` form.

import { Command } from 'commander';
import type { OutputConfiguration } from 'commander';
import { PRESET_NAMES } from '@otel-sentinel/mapping';
// Each command's module is loaded by its action: `--help` and `validate` never load the emulator,
// the gateway (fastify) or the KQL language service, and each command pays only for its own.
import type { InitOptions } from './commands/init.js';
import type { CheckOptions } from './commands/check.js';
import type { ConnectorOptions } from './commands/connector.js';
import type { EmulatorCommandOptions, EmulatorQueryOptions } from './commands/emulator.js';
import type { GatewayCommandOptions } from './commands/gateway.js';
import type { ReplayCommandOptions } from './commands/replay.js';
import type { MapOptions } from './commands/map.js';
import type { ValidateOptions } from './commands/validate.js';
import type { CliIo } from './io.js';
import { packageVersion } from './version.js';

/** What a run reports back: the exit code the last action chose. */
export interface RunState {
  exitCode: number;
}

const VALIDATE_EXAMPLE = `
Example:
  $ SENTINEL_DCE_ENDPOINT=https://my-dce.westeurope-1.ingest.monitor.azure.com \\
    SENTINEL_DCR_IMMUTABLE_ID=dcr-00112233445566778899aabbccddeeff \\
    otel-sentinel validate mapping.yaml
  mapping.yaml is valid: 1 stream, 8 columns
  ...

Unset SENTINEL_DCE_ENDPOINT / SENTINEL_DCR_IMMUTABLE_ID (and hash keys) are warnings: the file
can be fine before the environment is. The exporter and the gateway refuse to start without them;
--require-env makes them errors, for CI.

Exit status: 0 valid (warnings allowed), 1 problems found (each printed as file:line:col).`;

const CHECK_EXAMPLE = `
Examples:
  $ otel-sentinel check mapping.yaml --against "out/Solutions/ContosoAudit/Data Connectors/ContosoAudit_ccf"
  $ otel-sentinel check mapping.yaml --against build/deploy/azuredeploy.json
  mapping.yaml:12:7: error: table AppSecurityEvents_CL has no column SessionHash: the service drops it at ingestion, …
  mapping.yaml (1 stream) against build/deploy/azuredeploy.json: 1 error; values would be lost

  $ otel-sentinel check mapping.yaml --against live --subscription <id> --resource-group sec-rg \
      --workspace sec-ws --dcr app-security-dcr
  # reads the DCR and each table through the Azure management API (credential: the AZURE_* variables,
  # managed or workload identity, or az login); needs Reader on the DCR and the workspace

  $ otel-sentinel check mapping.yaml --probe
  token: got a token for https://monitor.azure.com/.default
  Custom-AppSecurityEvents on dcr-0123… at my-dce.westeurope-1.ingest.monitor.azure.com:443: ready (204)
  # --probe gets a token as the app would and sends each stream one request with an empty JSON
  # array (no row, nothing stored): a 401, 403 (role), 404 (DCR id or region), InvalidStream,
  # refused connection, DNS, TLS or timeout is named in one line with what to change

--against takes DCR.json, table.json, an ARM template, a solution folder, saved GET responses,
several at once, or live. Findings print at the mapping's file:line:col with what the service
would do: a field the stream does not declare or a column the table lacks is dropped at
ingestion; a type the value does not fit becomes null; a transform drops or renames columns.

Exit status: 0 no values would be lost (notes and warnings allowed), 1 the check could not run,
2 values would be lost (with --strict: also changed or put elsewhere); with --probe, 2 when a
stream would not take rows.`;

const MAP_EXAMPLE = `
Example:
  $ otel-sentinel map mapping.yaml --input collector-logs.jsonl --rejects rejects.jsonl > rows.jsonl
  # stdout: {"stream":"Custom-AppSecurityEvents","table":"AppSecurityEvents_CL","row":{...}}
  # stderr: the counts (records read, rows per stream, skipped, rejected, redacted, ...)

Input is OTLP/JSON: one ExportLogsServiceRequest, a JSON array of them, or one per line (the
OpenTelemetry Collector file exporter format). Rejected and unrouted records are written with
their reason and position only, never attribute values or bodies.

Exit status: 0 done, 1 mapping invalid or input unreadable, 2 records rejected (with --fail-on-reject).`;

const INIT_EXAMPLE = `
Example:
  $ otel-sentinel init --sample owasp-event.json --table AppSecurityEvents_CL --out mapping.yaml
  $ otel-sentinel init --preset owasp --out mapping.yaml
  $ otel-sentinel validate mapping.yaml

The sample is one JSON event, a JSON array of events, JSON lines, or an OTLP/JSON logs request.
--preset owasp writes a file that extends the preset (OWASP Logging Vocabulary events to
OwaspSecurityEvents_CL); with --expand it holds the preset's columns to customise instead.
The file ends with a solution: section for otel-sentinel connector. Notes on what was
inferred, and the variables the exporter will need, go to stderr.`;

const REPLAY_EXAMPLE = `
Example:
  $ AZURE_TENANT_ID=… AZURE_CLIENT_ID=… AZURE_CLIENT_SECRET=… otel-sentinel replay /var/lib/app/sentinel-spool
  replay:
    entries                  1200
    delivered and removed    1200

Each spooled row names its endpoint, DCR and stream; the credential comes from the AZURE_*
variables (or managed/workload identity). Rows that processes which ended (crashed, killed or
stopped) left in the write-ahead queue are taken over and sent too, never those of a running
one, so replay is safe next to a running app. Rows that fail again stay; records the mapping
rejected are held unless --include-rejected. It also reports what crashed processes held in
memory only: lost. Why rows were spooled, and why they failed again, is shown grouped with counts.

After fixing a deployment, send the rows somewhere else (--dry-run first shows what goes where):
  $ otel-sentinel replay /var/lib/app/sentinel-spool --dry-run --dcr-immutable-id dcr-0123…
  $ otel-sentinel replay /var/lib/app/sentinel-spool --from-stream Custom-Sec --stream Custom-SecEvents
A redirected field (--endpoint, --dcr-immutable-id, --stream) must have one value among the rows
replayed; when the spool holds several, pick one with --from-endpoint, --from-dcr-immutable-id or
--from-stream. Rows leave the spool only once delivered.

Exit status: 0 all sent, 1 error, 3 some entries stay in the spool, 4 Entra ID or the ingestion
endpoint could not be reached (replay stopped; the rows stay in the spool).`;

const CONNECTOR_EXAMPLE = `
Example:
  $ otel-sentinel connector security-mapping.yaml --out ./out
  wrote out/Solutions/ContosoAudit/Data Connectors/ContosoAudit_ccf/table.json
  …
  $ otel-sentinel connector --check ./out/Solutions/ContosoAudit

Solution values come from the mapping's solution: section (init writes one; its stand-in
publisher values get a warning until replaced); the flags supply or override them. A missing or
invalid value is one line naming its mapping key and its flag. Unset SENTINEL_* variables are
fine here.
--check runs the CCF checklist on any solution folder and names the file and the fix.`;

const EMULATOR_EXAMPLE = `
Example:
  $ otel-sentinel emulator --mapping security-mapping.yaml
  # otel-sentinel emulator listening on https://127.0.0.1:4443 (Ctrl-C stops it)
  export NODE_EXTRA_CA_CERTS=…/tls/ca.pem
  export AZURE_AUTHORITY_HOST=https://127.0.0.1:4443
  …
  $ otel-sentinel emulator query "AppSecurityEvents_CL | summarize count() by EventName"

  $ otel-sentinel emulator --definitions build/sentinel/deploy/azuredeploy.json
  # serves the tables and DCR that \`otel-sentinel connector\` generated, as Azure would deploy them

ASIM, locally (the solution's parsers become workspace functions, with stand-ins for
imAuthentication, _Im_WebSession and the other unifying parsers):
  $ otel-sentinel connector mapping.yaml --out build/sentinel --asim-custom-unifiers
  $ otel-sentinel emulator --definitions build/sentinel/Solutions/ContosoAudit
  $ otel-sentinel emulator query "imAuthentication | summarize count() by EventResult"
emulator query serves what the emulator last started with (or received through its management
API): functions, and the files given with --external-data <url>=<file>.

A local, HTTPS-only stand-in for Entra ID, the Logs Ingestion API and the Log Analytics query
API, for demos and tests. Its secrets are emulator-only.`;

const GATEWAY_EXAMPLE = `
Example:
  $ export SENTINEL_DCE_ENDPOINT=… SENTINEL_DCR_IMMUTABLE_ID=… AZURE_TENANT_ID=… AZURE_CLIENT_ID=… AZURE_CLIENT_SECRET=…
  $ export OTEL_SENTINEL_GATEWAY_TOKEN=…   # optional: clients must send Authorization: Bearer <token>
  $ otel-sentinel gateway --mapping security-mapping.yaml --host 0.0.0.0 --upstream http://collector:4318
  # otel-sentinel gateway listening on http://0.0.0.0:4318 (POST /v1/logs; /healthz, /readyz, /metrics)

Any OTLP/HTTP client (protobuf or JSON, gzip or not) sends logs to /v1/logs. Security records go to
Sentinel through the mapping (batched, retried, spooled); the others go to --upstream. A 200 means
the records are on disk in the write-ahead queue (--durability disk, the default): a crash or a
kill -9 loses none of them, and the next start sends what the last one left.
Secrets come from the environment only (OTEL_SENTINEL_GATEWAY_TOKEN, OTEL_SENTINEL_GATEWAY_API_KEY, AZURE_*).`;

const PRICE_PER_GB_HELP =
  "the console's cost view projects each table's monthly cost at this price per GB ingested (no default: GB only)";

const ENV_FILE_HELP = 'KEY=VALUE file whose variables are added to the environment (process variables win)';

/** The program, wired to `io`; actions record their exit code in `state`. */
export function createProgram(io: CliIo, state: RunState = { exitCode: 0 }): Command {
  const program = new Command('otel-sentinel')
    .description(
      'Validate and dry-run otel-sentinel mapping files (OpenTelemetry security log records to Microsoft Sentinel custom tables), and replay spooled rows.',
    )
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .option('--debug', 'show stack traces for errors')
    .configureHelp({ showGlobalOptions: true })
    .exitOverride()
    .configureOutput(outputFor(io, 'otel-sentinel --help'))
    .addHelpText('after', "\nRun otel-sentinel <command> --help for a command's options and an example.");

  addValidateCommand(program, io, state);
  addCheckCommand(program, io, state);
  addMapCommand(program, io, state);
  addInitCommand(program, io, state);
  addReplayCommand(program, io, state);
  addConnectorCommand(program, io, state);
  addGatewayCommand(program, io, state);
  addEmulatorCommand(program, io, state);
  return program;
}

/** `validate <mapping>`. */
function addValidateCommand(program: Command, io: CliIo, state: RunState): void {
  program
    .command('validate')
    .description('check a mapping file and summarise its streams and columns')
    .argument('<mapping>', 'mapping file (YAML or JSON)')
    .option(
      '--json',
      'print a JSON report (validity, problems, table and stream columns) instead of the summary',
    )
    .option(
      '--sample <file>',
      'OTLP/JSON records the app sends (as map --input reads them): warn where column types do not fit their values',
    )
    .option(
      '--require-env',
      'unset variables the exporter needs (endpoint, DCR id, hash keys) are errors, not warnings (for CI)',
    )
    .option('--env-file <file>', ENV_FILE_HELP)
    .addHelpText('after', VALIDATE_EXAMPLE)
    .configureOutput(outputFor(io, 'otel-sentinel validate --help'))
    .action(async (mapping: string, options: ValidateOptions) => {
      const { validateCommand } = await import('./commands/validate.js');
      state.exitCode = await validateCommand(mapping, options, io);
    });
}

/** `check <mapping>`. */
function addCheckCommand(program: Command, io: CliIo, state: RunState): void {
  program
    .command('check')
    .description(
      'compare a mapping with the deployed DCR and table (drift that would lose values), or --probe its streams',
    )
    .argument('<mapping>', 'mapping file (YAML or JSON)')
    .option(
      '-a, --against <source...>',
      'DCR.json, table.json, an ARM template or a folder (several allowed), or live',
    )
    .option('--subscription <id>', 'live: the subscription (default AZURE_SUBSCRIPTION_ID)')
    .option('-g, --resource-group <name>', 'live: the resource group of the DCR and the workspace')
    .option('-w, --workspace <name>', 'live: the Log Analytics workspace holding the tables')
    .option('--dcr <name>', 'live: the data collection rule name')
    .option(
      '--dcr-id <resource-id>',
      'live: the DCR resource id, instead of --subscription/--resource-group/--dcr',
    )
    .option('--workspace-id <resource-id>', 'live: the workspace resource id, instead of --workspace')
    .option(
      '--management-endpoint <url>',
      'live: the Resource Manager endpoint (default https://management.azure.com; a sovereign cloud or the emulator)',
    )
    .option('--json', 'print the findings as JSON')
    .option('--strict', 'exit 2 on warnings too (values changed, renamed or put elsewhere)')
    .option(
      '--probe',
      'instead of --against: get a token and send each stream an empty request (nothing is stored); say what stops rows',
    )
    .option(
      '--timeout <ms>',
      '--probe: time limit of the token request and of each stream request (default 30000)',
    )
    .option('--env-file <file>', ENV_FILE_HELP)
    .addHelpText('after', CHECK_EXAMPLE)
    .configureOutput(outputFor(io, 'otel-sentinel check --help'))
    .action(async (mapping: string, options: CheckOptions) => {
      const { checkCommand } = await import('./commands/check.js');
      state.exitCode = await checkCommand(mapping, options, io);
    });
}

/** `map <mapping>`. */
function addMapCommand(program: Command, io: CliIo, state: RunState): void {
  program
    .command('map')
    .description('dry run: map OTLP/JSON log records to table rows, one JSON line per row')
    .argument('<mapping>', 'mapping file (YAML or JSON)')
    .option('-i, --input <file>', 'OTLP/JSON input file, or - for standard input', '-')
    .option('-r, --rejects <file>', 'write rejected and unrouted records here (default: stderr)')
    .option('--pretty', 'indent each row (the output is then no longer one line per row)')
    .option('--fail-on-reject', 'exit 2 when any record was rejected or unrouted')
    .option('--env-file <file>', ENV_FILE_HELP)
    .addHelpText('after', MAP_EXAMPLE)
    .configureOutput(outputFor(io, 'otel-sentinel map --help'))
    .action(async (mapping: string, options: MapOptions) => {
      const { mapCommand } = await import('./commands/map.js');
      state.exitCode = await mapCommand(mapping, options, io);
    });
}

/** `init`. */
function addInitCommand(program: Command, io: CliIo, state: RunState): void {
  program
    .command('init')
    .description('write a starter mapping inferred from a sample event, or a ready one from a preset')
    .usage('(--sample <file> | --preset <name> [--expand]) [options]')
    .option('-s, --sample <file>', 'sample event file (JSON, JSON lines or OTLP/JSON)')
    .option(
      '-p, --preset <name>',
      `start from a shipped preset instead of a sample (${PRESET_NAMES.join(', ')}): the file extends it`,
    )
    .option('--expand', "with --preset: write the preset's streams and columns into the file, to edit")
    .option('-t, --table <name>', 'destination custom table, ending in _CL (default: SecurityEvents_CL)')
    .option(
      '--stream <name>',
      'DCR input stream, starting with Custom- (default: Custom-<table without _CL>)',
    )
    .option('-o, --out <file>', 'write the mapping here (default: stdout)')
    .option('-f, --force', 'overwrite --out if it exists')
    .option('--env-file <file>', ENV_FILE_HELP)
    .addHelpText('after', INIT_EXAMPLE)
    .configureOutput(outputFor(io, 'otel-sentinel init --help'))
    .action(async (options: InitOptions) => {
      const { initCommand } = await import('./commands/init.js');
      state.exitCode = await initCommand(options, io);
    });
}

/** `replay <spool-dir>`. */
function addReplayCommand(program: Command, io: CliIo, state: RunState): void {
  program
    .command('replay')
    .description('send rows an exporter spooled again; delivered rows leave the spool')
    .argument('<spool-dir>', 'the spool directory (OTEL_SENTINEL_SPOOL_DIR of the app)')
    .option('--dry-run', 'count what would be sent; send and change nothing')
    .option(
      '--min-age <seconds>',
      'only for *.jsonl spool files of earlier versions: leave those modified within this many seconds',
      '0',
    )
    .option('--include-rejected', 'also send entries the mapping rejected (after fixing the mapping)')
    .option(
      '--endpoint <url>',
      'send the selected rows to this ingestion endpoint (DCE) instead of their own',
    )
    .option('--dcr-immutable-id <id>', 'send the selected rows to this DCR immutable id instead of their own')
    .option('--stream <name>', 'send the selected rows to this DCR stream instead of their own')
    .option('--from-endpoint <url>', 'only replay rows spooled for this ingestion endpoint')
    .option('--from-dcr-immutable-id <id>', 'only replay rows spooled for this DCR immutable id')
    .option('--from-stream <name>', 'only replay rows spooled for this stream')
    .option('--audience <url>', 'token audience for sovereign clouds (default https://monitor.azure.com)')
    .option('--env-file <file>', ENV_FILE_HELP)
    .addHelpText('after', REPLAY_EXAMPLE)
    .configureOutput(outputFor(io, 'otel-sentinel replay --help'))
    .action(async (directory: string, options: ReplayCommandOptions) => {
      const { replayCommand } = await import('./commands/replay.js');
      state.exitCode = await replayCommand(directory, options, io);
    });
}

/** `connector [mapping]`. */
function addConnectorCommand(program: Command, io: CliIo, state: RunState): void {
  program
    .command('connector')
    .description('write the Sentinel solution package (CCF Push connector, table, DCR) for a mapping')
    .argument('[mapping]', 'mapping file (YAML or JSON)')
    .option('-o, --out <dir>', 'where Solutions/<Name>/ is written')
    .option('--check <dir>', 'run the CCF checklist on a solution folder instead')
    .option('-f, --force', 'overwrite the solution folder if it exists')
    .option(
      '--arm',
      'also write deploy/azuredeploy.json: tables, DCE, DCR and role assignment, deployed directly',
    )
    .option('--direct', 'with --arm: a Direct DCR with its own ingestion endpoint instead of a DCE')
    .option(
      '--asim-custom-unifiers',
      "also ship Im_<Schema>Custom and ASim_<Schema>Custom, which plug the ASIM parsers into Microsoft's unifying parsers; they REPLACE the workspace's own functions of those names",
    )
    .option('--name <name>', 'solution name')
    .option('--publisher <name>', 'publisher shown in Sentinel')
    .option('--publisher-id <id>', 'marketplace publisher id')
    .option('--offer-id <id>', 'marketplace offer id')
    .option('--solution-version <semver>', 'solution version')
    .option('--description <text>', 'solution description (Markdown)')
    .option('--support-name <name>', 'support contact name')
    .option('--support-email <email>', 'support e-mail')
    .option('--support-link <url>', 'support link')
    .option('--support-tier <tier>', 'Microsoft, Partner or Community')
    .option('--env-file <file>', ENV_FILE_HELP)
    .addHelpText('after', CONNECTOR_EXAMPLE)
    .configureOutput(outputFor(io, 'otel-sentinel connector --help'))
    .action(async (mapping: string | undefined, options: ConnectorOptions) => {
      const { connectorCommand } = await import('./commands/connector.js');
      state.exitCode = await connectorCommand(mapping, options, io);
    });
}

/** `gateway`. */
function addGatewayCommand(program: Command, io: CliIo, state: RunState): void {
  program
    .command('gateway')
    .description(
      'run the OTLP/HTTP gateway: security records to Sentinel through the mapping, the rest to an upstream',
    )
    .option('-m, --mapping <file>', 'the mapping file (required)')
    .option('-p, --port <port>', 'port (0 picks a free one)', '4318')
    .option('--host <address>', 'address to listen on; 0.0.0.0 in a container or a pool', '127.0.0.1')
    .option('--upstream <url>', 'OTLP/HTTP endpoint for operational records, e.g. http://collector:4318')
    .option('--upstream-header <name=value...>', 'headers for the upstream (never printed)')
    .option('--tls-cert <file>', 'serve HTTPS with this PEM certificate (with --tls-key)')
    .option('--tls-key <file>', 'the PEM private key of --tls-cert')
    .option('--max-body-bytes <n>', 'largest request body, before and after gzip (default 67108864)')
    .option('--max-queue-size <n>', 'security records held before 503 + Retry-After (default 10000)')
    .option(
      '--max-upstream-queue-bytes <n>',
      'operational bytes held for the upstream before 503 (default 67108864)',
    )
    .option(
      '--spool-dir <dir>',
      'the write-ahead queue and the spool (default OTEL_SENTINEL_SPOOL_DIR, else ~/.local/state/otel-sentinel/gateway)',
    )
    .option(
      '--durability <mode>',
      'disk: answer 200 only once records are on disk (default); memory: a crash loses what is held',
    )
    .option('-q, --quiet', 'no event lines on stderr')
    .option('--env-file <file>', ENV_FILE_HELP)
    .addHelpText('after', GATEWAY_EXAMPLE)
    .configureOutput(outputFor(io, 'otel-sentinel gateway --help'))
    .action(async (options: GatewayCommandOptions) => {
      const { gatewayCommand } = await import('./commands/gateway.js');
      state.exitCode = await gatewayCommand(options, io);
    });
}

const WEBHOOK_HELP =
  'POST each new incident to this URL as a Sentinel playbook trigger would receive it, with retries and a ' +
  'delivery log (repeatable); settings after #: minSeverity=High, rules=<rule id or name>,…, maxAttempts=3';

/** `emulator` and `emulator query <kql>`. */
function addEmulatorCommand(program: Command, io: CliIo, state: RunState): void {
  const emulator = program
    .command('emulator')
    .description(
      'run the local Sentinel emulator (Entra ID, Logs Ingestion, Log Analytics query) on 127.0.0.1',
    )
    .option('-m, --mapping <file...>', 'mapping files whose DCRs, streams and tables it serves')
    .option(
      '--definitions <path...>',
      'DCR and table JSON (a solution or Data Connectors folder, DCR.json/table.json files, or an ARM template) to serve, as deployed',
    )
    .option('-p, --port <port>', 'HTTPS port on 127.0.0.1 (0 picks a free one)', '4443')
    .option('-d, --data <dir>', 'certificates and the database (default ~/.cache/otel-sentinel/emulator)')
    .option('--strict', 'answer 400 for fields the stream does not declare or that have the wrong type')
    .option('--in-memory', 'keep the store in memory (nothing survives a restart)')
    .option('-q, --quiet', 'no line per request on stderr')
    .option('--env-file <file>', ENV_FILE_HELP)
    .option(
      '--external-data <url=file...>',
      'the local file externaldata reads for a URL (nothing is fetched), e.g. https://example.com/list.csv=data/list.csv',
    )
    .option(
      '--no-console',
      'do not serve the console (KQL editor, results and charts) at https://127.0.0.1:<port>/console/',
    )
    .option('--webhook <url...>', WEBHOOK_HELP)
    .option(
      '--rules <path...>',
      'analytic rule YAML (files or folders) to run on their schedule, besides the Analytic Rules folders of --definitions',
    )
    .option(
      '--rule-frequency <duration>',
      'run every rule at this interval instead of its queryFrequency (e.g. PT20S for a demo; the window stays its queryPeriod)',
    )
    .option('--price-per-gb <price>', PRICE_PER_GB_HELP)
    .option('--currency <code>', 'the currency of --price-per-gb (default USD)')
    .addHelpText('after', EMULATOR_EXAMPLE)
    .configureOutput(outputFor(io, 'otel-sentinel emulator --help'))
    .action(async (options: EmulatorCommandOptions) => {
      const { emulatorCommand } = await import('./commands/emulator.js');
      state.exitCode = await emulatorCommand(options, io);
    });
  emulator
    .command('query')
    .description(
      "run KQL against the emulator's store, with the workspace functions and externaldata files it serves, and print the result",
    )
    .argument('<kql>', 'the query, e.g. "AppSecurityEvents_CL | take 10"')
    .option('-d, --data <dir>', 'the emulator data directory (default ~/.cache/otel-sentinel/emulator)')
    .configureOutput(outputFor(io, 'otel-sentinel emulator query --help'))
    .action(async (kql: string, _options: EmulatorQueryOptions, command: Command) => {
      // `--data` may be taken by the parent `emulator` command: merge its options in.
      const { emulatorQueryCommand } = await import('./commands/emulator.js');
      state.exitCode = await emulatorQueryCommand(kql, command.optsWithGlobals<EmulatorQueryOptions>(), io);
    });
}

/** Help to stdout, errors as one `otel-sentinel: …` line pointing at the right help. */
function outputFor(io: CliIo, helpCommand: string): OutputConfiguration {
  return {
    writeOut: (text) => {
      io.stdout.write(text);
    },
    writeErr: (text) => {
      io.stderr.write(text);
    },
    outputError: (text, writeErr) => {
      const message = text
        .replace(/^error: /, '')
        .replace(/\n\(Did you mean (.*)\?\)/, ' (did you mean $1?)')
        .replace(/\s*\n\s*/g, ' ')
        .trim();
      writeErr(`otel-sentinel: ${message} (see ${helpCommand})\n`);
    },
  };
}
