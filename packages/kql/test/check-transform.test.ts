// checkTransformKql: a DCR transform is compiled for its stream and its output checked against
// its table, one plain-English message per problem; and the package loads only itself and the Kusto parser.
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { TransformContext } from '@otel-sentinel/mapping';
import { describe, expect, it } from 'vitest';
import { checkTransformKql } from '../src/check-transform.js';

const CONTEXT: TransformContext = {
  stream: 'Custom-AppEvents',
  table: 'AppEvents_CL',
  streamColumns: [
    { name: 'TimeGenerated', type: 'datetime' },
    { name: 'EventName', type: 'string' },
    { name: 'Attempts', type: 'int' },
    { name: 'RequestId', type: 'string' },
  ],
  tableColumns: [
    { name: 'TimeGenerated', type: 'datetime' },
    { name: 'EventName', type: 'string' },
    { name: 'Attempts', type: 'long' },
    { name: 'Ratio', type: 'real' },
    { name: 'RequestId', type: 'guid' },
    { name: 'EventTime', type: 'datetime' },
  ],
};

const check = (kql: string): readonly string[] => checkTransformKql(kql, CONTEXT);

describe('checkTransformKql accepts', () => {
  it('a transform that filters and sets TimeGenerated', () => {
    expect(check('source | where EventName != "x" | extend TimeGenerated = now()')).toEqual([]);
  });

  it('source itself, widening int to long and string to guid as the service does', () => {
    expect(check('source')).toEqual([]);
  });

  it('an int or long value in a real column', () => {
    expect(check('source | project TimeGenerated, Ratio = Attempts')).toEqual([]);
    expect(check('source | project TimeGenerated, Ratio = tolong(Attempts)')).toEqual([]);
  });
});

describe('checkTransformKql reports', () => {
  it('a parse error with its line and column in the KQL', () => {
    const [message, ...rest] = check('source\n| where (');
    expect(rest).toEqual([]);
    expect(message).toMatch(/\(line 2, column \d+\)$/);
  });

  it('an operator DCR transforms do not support, naming it', () => {
    expect(check('source | summarize count() by EventName')).toEqual([
      expect.stringMatching(/Operator 'summarize' is not supported in DCR transforms.*\(line 1, column 10\)/),
    ]);
  });

  it('a function the emulator does not support, naming it', () => {
    expect(check('source | extend EventName = parse_xml(EventName)')).toEqual([
      expect.stringMatching(/Function 'parse_xml' is not supported.*\(line 1, column 29\)/),
    ]);
  });

  it('a column the stream does not declare', () => {
    expect(check('source | where Nope == 1')).toEqual([
      expect.stringMatching(/Failed to resolve column 'Nope'.*\(line 1, column 16\)/),
    ]);
  });

  it('an output without TimeGenerated', () => {
    expect(check('source | project EventName')).toEqual([
      expect.stringContaining('the service requires TimeGenerated (datetime) in the output'),
    ]);
  });

  it('a TimeGenerated that is not a datetime, suggesting todatetime()', () => {
    expect(check('source | extend TimeGenerated = EventName')).toEqual([
      "TimeGenerated is string in the transform's output, and the service requires TimeGenerated (datetime) " +
        'in the output: convert it with extend TimeGenerated = todatetime(TimeGenerated)',
    ]);
  });

  it('each output column the table lacks, as the service would drop it', () => {
    expect(check('source | extend Extra = 1, Other = "x"')).toEqual([
      "Extra is not a column of table AppEvents_CL, so the service would drop it: add it to the mapping's columns or project it away",
      "Other is not a column of table AppEvents_CL, so the service would drop it: add it to the mapping's columns or project it away",
    ]);
  });

  it('an output type the table column cannot hold, naming both and the conversion', () => {
    expect(check('source | project TimeGenerated, EventTime = EventName, Attempts = 1.5')).toEqual([
      "EventTime is string in the transform's output but datetime in table AppEvents_CL: convert it with extend EventTime = todatetime(EventTime)",
      "Attempts is real in the transform's output but long in table AppEvents_CL: convert it with extend Attempts = tolong(Attempts)",
    ]);
  });

  it('a number in a string column, suggesting tostring()', () => {
    expect(check('source | project TimeGenerated, EventName = Attempts')).toEqual([
      expect.stringMatching(
        /EventName is int .* but string .*: convert it with extend EventName = tostring\(EventName\)/,
      ),
    ]);
  });
});

describe('@otel-sentinel/kql', () => {
  it('exports checkTransformKql and loads only its own modules, Node built-ins and the Kusto parser', () => {
    const script = [
      "import { registerHooks } from 'node:module';",
      'const loaded = [];',
      'registerHooks({ resolve(specifier, context, next) { const r = next(specifier, context); loaded.push(r.url); return r; } });',
      "const { checkTransformKql } = await import('@otel-sentinel/kql');",
      "const ok = checkTransformKql('source', { stream: 'Custom-A', table: 'A_CL', streamColumns: [{ name: 'TimeGenerated', type: 'datetime' }], tableColumns: [{ name: 'TimeGenerated', type: 'datetime' }] });",
      'console.log(JSON.stringify({ ok, loaded }));',
    ].join('\n');
    const packageDir = fileURLToPath(new URL('..', import.meta.url));
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: packageDir,
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    const { ok, loaded } = JSON.parse(run.stdout) as { ok: string[]; loaded: string[] };
    expect(ok).toEqual([]);
    expect(loaded).toContain(pathToFileURL(`${packageDir}dist/check-transform.js`).href);
    // Of the mapping package only its error classes load (the `./errors` entry): not its
    // compiler, nor its YAML and schema libraries.
    const ownDist = pathToFileURL(`${packageDir}dist/`).href;
    const mappingErrors = pathToFileURL(
      fileURLToPath(new URL('../../mapping/dist/errors/', import.meta.url)),
    ).href;
    const outside = loaded.filter(
      (url) =>
        !url.startsWith(ownDist) &&
        !url.startsWith(mappingErrors) &&
        !url.startsWith('node:') &&
        !url.includes('/@kusto/language-service-next/'),
    );
    expect(loaded.some((url) => url.startsWith(mappingErrors))).toBe(true);
    expect(outside).toEqual([]);
  });
});
