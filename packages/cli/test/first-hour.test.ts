// A new user's first hour, in a fresh shell: their own event → init → validate → map →
// connector, each step's output the next step's input. Each command runs in a new temporary
// folder with only PATH and HOME set (runCli), so no SENTINEL_* variable leaks in.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_DIR } from './support/packed.js';
import { linesOf, runCli, SENTINEL_ENV, tempDir } from './support/run-cli.js';
import type { CliResult, RunOptions } from './support/run-cli.js';

/** The event of issue 15: what the user's app logs today, flat JSON. */
const EVENT =
  '{"userId":"jdoe@example.com","action":"Read","entityType":"WeatherForecast","entityId":"42","timestamp":"2026-02-20T14:30:00.0000000Z","correlationId":"0HN8PQrst:00000001"}';

/** The same event as the app's OpenTelemetry logger sends it, written out by hand. */
const OTLP_LINE = JSON.stringify({
  resourceLogs: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'weather-api' } }] },
      scopeLogs: [
        {
          logRecords: [
            {
              timeUnixNano: '1771597800000000000',
              eventName: 'data_read',
              attributes: [
                { key: 'security.event', value: { boolValue: true } },
                { key: 'userId', value: { stringValue: 'jdoe@example.com' } },
                { key: 'action', value: { stringValue: 'Read' } },
                { key: 'entityType', value: { stringValue: 'WeatherForecast' } },
                { key: 'entityId', value: { stringValue: '42' } },
                { key: 'correlationId', value: { stringValue: '0HN8PQrst:00000001' } },
              ],
            },
            // An operational record: not flagged, so skipped.
            { timeUnixNano: '1771597801000000000', body: { stringValue: 'GET /weatherforecast 200' } },
          ],
        },
      ],
    },
  ],
});

const ENV_WARNING =
  'otel-sentinel: warning: the mapping is valid, but SENTINEL_DCE_ENDPOINT, SENTINEL_DCR_IMMUTABLE_ID are not set, and the exporter and the gateway refuse to start without them: set them (in the environment or an --env-file) where those run; --require-env makes this an error\n';

describe('the first hour: sample event → init → validate → map → connector, in a fresh shell', () => {
  const dir = tempDir();
  const run = (args: readonly string[], options: RunOptions = {}): CliResult =>
    runCli(args, { cwd: dir, ...options });

  beforeAll(() => {
    writeFileSync(join(dir, 'event.json'), `${EVENT}\n`);
    writeFileSync(join(dir, 'logs.jsonl'), `${OTLP_LINE}\n`);
    const init = run(['init', '--sample', 'event.json', '--out', 'mapping.yaml']);
    expect(init.status).toBe(0);
  });

  it('validate accepts the mapping init wrote, and warns by name about the unset variables', () => {
    const r = run(['validate', 'mapping.yaml']);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('mapping.yaml is valid: 1 stream, 7 columns');
    expect(r.stdout).toContain('  endpoint  (not set yet)\n  DCR       (not set yet)\n');
    expect(r.stdout).toMatch(
      /^mapping\.yaml:\d+:11: warning: SENTINEL_DCE_ENDPOINT is not set yet: the exporter and the gateway need it at start-up \(at endpoint\)$/m,
    );
    expect(r.stdout).toMatch(
      /^mapping\.yaml:\d+:17: warning: SENTINEL_DCR_IMMUTABLE_ID is not set yet: the exporter and the gateway need it at start-up \(at dcrImmutableId\)$/m,
    );
    expect(r.stderr).toBe(ENV_WARNING);
  });

  it('validate --require-env makes them errors for CI, one per variable, and exits 1', () => {
    const r = run(['validate', 'mapping.yaml', '--require-env']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    const lines = linesOf(r.stderr);
    expect(lines.map((l) => l.replace(/^mapping\.yaml:\d+:\d+: /, ''))).toEqual([
      'error: SENTINEL_DCE_ENDPOINT is not set, and the exporter and the gateway refuse to start without it: set it in the environment or in the --env-file file (at endpoint)',
      'error: SENTINEL_DCR_IMMUTABLE_ID is not set, and the exporter and the gateway refuse to start without it: set it in the environment or in the --env-file file (at dcrImmutableId)',
      '2 errors',
    ]);
  });

  it('validate --require-env passes once the variables are set', () => {
    const r = run(['validate', 'mapping.yaml', '--require-env'], { env: SENTINEL_ENV });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('  endpoint  my-dce.westeurope-1.ingest.monitor.azure.com\n');
  });

  it('validate --json gives null for the endpoint and DCR id that are not set yet', () => {
    const r = run(['validate', 'mapping.yaml', '--json']);
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as {
      problems: { code: string }[];
      streams: { endpoint: unknown; dcrImmutableId: unknown }[];
    };
    expect(report.problems.map((p) => p.code)).toEqual([
      'W_DEPLOYMENT_VARIABLE_UNSET',
      'W_DEPLOYMENT_VARIABLE_UNSET',
    ]);
    expect(report.streams[0]).toMatchObject({ endpoint: null, dcrImmutableId: null });
  });

  it('map turns the OTLP/JSON line of that event into the row, with the variables unset', () => {
    const r = run(['map', 'mapping.yaml', '--input', 'logs.jsonl']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      '{"stream":"Custom-SecurityEvents","table":"SecurityEvents_CL","row":{"TimeGenerated":"2026-02-20T14:30:00.0000000Z","EventName":"data_read","UserId":"jdoe@example.com","Action":"Read","EntityType":"WeatherForecast","EntityId":"42","CorrelationId":"0HN8PQrst:00000001"}}\n',
    );
    expect(r.stderr).toMatch(/^ {2}records read +2$/m);
    expect(r.stderr).toMatch(/^ {2}skipped \(not security\) +1$/m);
  });

  it('map refuses the flat sample with exit 1, naming the file and line and showing the shape', () => {
    const r = run(['map', 'mapping.yaml', '--input', 'event.json']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    const at = r.stderr.indexOf('otel-sentinel: event.json:1:');
    expect(at).toBeGreaterThanOrEqual(0);
    expect(r.stderr.slice(at)).toBe(
      [
        'otel-sentinel: event.json:1: not OTLP/JSON logs: this JSON object has no "resourceLogs" (its keys: "userId", "action", "entityType", "entityId", "timestamp", …)',
        'expected OpenTelemetry log records as OTLP/JSON, one ExportLogsServiceRequest per line (what the',
        "Collector's file exporter writes), e.g.:",
        '  {"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":"1771597800000000000","eventName":"data_read","attributes":[{"key":"security.event","value":{"boolValue":true}},{"key":"userId","value":{"stringValue":"jdoe@example.com"}}]}]}]}]}',
        'A flat event is a sample for `otel-sentinel init --sample`; the app sends it as a log record',
        'whose attributes are its keys.',
        '',
      ].join('\n'),
    );
    expect(r.stderr).not.toContain('map summary');
  });

  it('the shape map shows is itself input map reads: one row from the example line', () => {
    const shown = /^ {2}(\{"resourceLogs".*)$/m.exec(
      run(['map', 'mapping.yaml', '-i', 'event.json']).stderr,
    )?.[1];
    const r = run(['map', 'mapping.yaml'], { input: `${shown ?? ''}\n` });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      '{"stream":"Custom-SecurityEvents","table":"SecurityEvents_CL","row":{"TimeGenerated":"2026-02-20T14:30:00.0000000Z","EventName":"data_read","UserId":"jdoe@example.com"}}\n',
    );
  });

  it('connector --arm packages the mapping as init wrote it, and says which values are examples', () => {
    const r = run(['connector', 'mapping.yaml', '--out', 'build/sentinel', '--arm']);
    expect(r.status).toBe(0);
    const root = join(dir, 'build/sentinel/Solutions/SecurityEvents');
    for (const file of [
      'Data/Solution_SecurityEvents.json',
      'SolutionMetadata.json',
      'Data Connectors/SecurityEvents_ccf/DCR.json',
      'Data Connectors/SecurityEvents_ccf/table.json',
    ])
      expect(existsSync(join(root, file)), file).toBe(true);
    expect(existsSync(join(dir, 'build/sentinel/deploy/azuredeploy.json'))).toBe(true);
    expect(r.stderr).toBe(
      [
        'otel-sentinel: warning: mapping.yaml still has example solution values; replace them before you publish or share the package:',
        '  solution.publisher: set it in the file or pass --publisher <name>',
        '  solution.publisherId: set it in the file or pass --publisher-id <id>',
        '  solution.support.name: set it in the file or pass --support-name <name>',
        '  solution.support.email: set it in the file or pass --support-email <email>',
        '  solution.support.link: set it in the file or pass --support-link <url>',
        'every CCF check passed; set BasePath in Data/Solution_*.json before running the Azure-Sentinel packager',
        '',
      ].join('\n'),
    );
    const metadata = JSON.parse(readFileSync(join(root, 'SolutionMetadata.json'), 'utf8')) as {
      support: unknown;
    };
    expect(metadata.support).toEqual({
      name: 'Example Publisher Security',
      email: 'security@example.com',
      tier: 'Community',
      link: 'https://example.com/security',
    });
  });

  it('the flags replace the example values, and then nothing is left to warn about', () => {
    const r = run([
      'connector',
      'mapping.yaml',
      '--out',
      'build/contoso',
      '--publisher',
      'Contoso',
      '--publisher-id',
      'contoso',
      '--support-name',
      'Contoso SecOps',
      '--support-email',
      'secops@contoso.com',
      '--support-link',
      'https://contoso.com/security',
    ]);
    expect(r.status).toBe(0);
    expect(r.stderr).not.toContain('warning');
  });

  it('the gateway still refuses to start while the variables are unset, naming both', () => {
    const r = run(['gateway', '--mapping', 'mapping.yaml', '--port', '0']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^otel-sentinel: /);
    expect(r.stderr).toContain('environment variable SENTINEL_DCE_ENDPOINT is not set');
    expect(r.stderr).toContain('environment variable SENTINEL_DCR_IMMUTABLE_ID is not set');
  });
});

describe('map on input that is not OTLP/JSON', () => {
  const dir = tempDir();
  const mapping = join(dir, 'mapping.yaml');
  beforeAll(() => {
    writeFileSync(join(dir, 'event.json'), EVENT);
    expect(runCli(['init', '--sample', join(dir, 'event.json'), '--out', mapping]).status).toBe(0);
  });

  it.each([
    ['a flat event on the third line', `${OTLP_LINE}\n\n${EVENT}\n`, 'standard input:3'],
    ['a pretty-printed flat event', JSON.stringify(JSON.parse(EVENT), null, 2), 'standard input'],
    [
      'an array whose second request is a flat event',
      `[\n${OTLP_LINE},\n${EVENT}\n]`,
      'standard input (request [1] of the array)',
    ],
    ['an OTLP/JSON trace request', '{"resourceSpans":[]}', 'standard input:1'],
  ])('refuses %s with exit 1, naming where', (_what, input, where) => {
    const r = runCli(['map', mapping], { input });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      `\notel-sentinel: ${where}: not OTLP/JSON logs: this JSON object has no "resourceLogs"`,
    );
  });

  it.each([
    ['empty input', ''],
    ['blank lines', '\n\n'],
    ['an empty request', '{}\n'],
    ['a request without records', '{"resourceLogs":[]}\n'],
  ])('reads %s as 0 records and exits 0', (_what, input) => {
    const r = runCli(['map', mapping], { input });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^ {2}records read +0$/m);
  });

  it('validate --sample refuses a flat event the same way', () => {
    const r = runCli(['validate', mapping, '--sample', join(dir, 'event.json')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(': not OTLP/JSON logs: this JSON object has no "resourceLogs"');
    expect(r.stderr).toContain('expected OpenTelemetry log records as OTLP/JSON');
  });
});

describe('the README input line', () => {
  it('is OTLP/JSON that map turns into the row the README shows, with the mapping init writes from its sample', () => {
    const readme = readFileSync(join(REPO_DIR, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Five minutes with a mapping file'));
    // The README writes both files with echo '…' > file, so its commands run as they are.
    const sample = /^echo '(\{"userId".*)' > event\.json$/m.exec(section)?.[1];
    const line = /^echo '(\{"resourceLogs".*)' > logs\.jsonl$/m.exec(section)?.[1];
    expect(sample, "echo '<the sample event>' > event.json").toBe(EVENT);
    expect(line, "echo '<one OTLP/JSON line>' > logs.jsonl").toBeDefined();
    const dir = tempDir();
    writeFileSync(join(dir, 'event.json'), `${sample ?? ''}\n`);
    writeFileSync(join(dir, 'logs.jsonl'), `${line ?? ''}\n`);
    expect(runCli(['init', '--sample', 'event.json', '--out', 'mapping.yaml'], { cwd: dir }).status).toBe(0);
    const r = runCli(['map', 'mapping.yaml', '--input', 'logs.jsonl'], { cwd: dir });
    expect(r.status).toBe(0);
    const row =
      '{"stream":"Custom-SecurityEvents","table":"SecurityEvents_CL","row":{"TimeGenerated":"2026-02-20T14:30:00.0000000Z","EventName":"data_read","UserId":"jdoe@example.com","Action":"Read"}}';
    expect(r.stdout).toBe(`${row}\n`);
    expect(section).toContain(`$ otel-sentinel map mapping.yaml --input logs.jsonl 2>/dev/null\n${row}\n`);
  });
});
