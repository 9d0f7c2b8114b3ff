import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { linesOf, PACKAGE_DIR, runCli, SENTINEL_ENV, tempDir } from './support/run-cli.js';

const OWASP = join(PACKAGE_DIR, 'test/fixtures/samples/owasp-event.json');
const MAPPING_DIR = join(PACKAGE_DIR, '..', 'mapping');
const MAPPING_MANIFEST = JSON.parse(readFileSync(join(MAPPING_DIR, 'package.json'), 'utf8')) as {
  version: string;
  exports: Record<string, unknown>;
};
const MAPPING_VERSION = MAPPING_MANIFEST.version;
/** The schema file as the mapping package exports it: `schema/mapping.schema.json`. */
const SCHEMA_FILE = String(MAPPING_MANIFEST.exports['./schema.json']).replace(/^\.\//, '');

/** A temporary project folder whose node_modules holds @otel-sentinel/mapping (a link to the package). */
function projectWithMapping(): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'node_modules', '@otel-sentinel'), { recursive: true });
  mkdirSync(join(dir, 'config'));
  symlinkSync(MAPPING_DIR, join(dir, 'node_modules', '@otel-sentinel', 'mapping'), 'dir');
  return dir;
}

function schemaPathIn(yaml: string): string {
  const m = /^# yaml-language-server: \$schema=(.+)$/m.exec(yaml);
  if (!m?.[1]) throw new Error('no $schema modeline in the generated mapping');
  return m[1];
}

describe('init', () => {
  it('writes a mapping from the OWASP-format sample that validate accepts', () => {
    const out = join(tempDir(), 'mapping.yaml');
    const init = runCli(['init', '--sample', OWASP, '--table', 'AppSecurityEvents_CL', '--out', out]);
    expect(init.status).toBe(0);
    expect(init.stdout).toBe('');
    const yaml = readFileSync(out, 'utf8');
    expect(yaml).toContain('table: AppSecurityEvents_CL');
    expect(yaml).toContain('stream: Custom-AppSecurityEvents');

    const validate = runCli(['validate', out], { env: SENTINEL_ENV });
    expect(validate.status).toBe(0);
    expect(validate.stdout).toContain(`${out} is valid: 1 stream`);
    expect(validate.stdout).toMatch(/^ {2}EventName +string +eventName +required$/m);
  });

  it("points the $schema comment through the project's node_modules, relative to the output file", () => {
    const file = join(projectWithMapping(), 'config', 'mapping.yaml');
    const r = runCli(['init', '--sample', OWASP, '--out', file]);
    expect(r.status).toBe(0);
    const schema = schemaPathIn(readFileSync(file, 'utf8'));
    expect(schema).toBe(`../node_modules/@otel-sentinel/mapping/${SCHEMA_FILE}`);
    expect(existsSync(resolve(dirname(file), schema))).toBe(true);
    expect(r.stderr).not.toContain('$schema points at');
  });

  it('points the $schema comment at a versioned URL, and says so, when the project has no @otel-sentinel/mapping', () => {
    const file = join(tempDir(), 'mapping.yaml');
    const r = runCli(['init', '--sample', OWASP, '--out', file]);
    expect(r.status).toBe(0);
    const url = `https://unpkg.com/@otel-sentinel/mapping@${MAPPING_VERSION}/${SCHEMA_FILE}`;
    expect(schemaPathIn(readFileSync(file, 'utf8'))).toBe(url);
    expect(linesOf(r.stderr).filter((l) => l.includes('$schema points at'))).toEqual([
      `note: $schema points at ${url}: @otel-sentinel/mapping is not installed in this project (install it as a dev dependency for a local path).`,
    ]);
  });

  it('fails in one line when the output directory does not exist', () => {
    const r = runCli(['init', '--sample', OWASP, '--out', join(tempDir(), 'nested', 'mapping.yaml')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /^otel-sentinel: cannot write .*nested\/mapping\.yaml: no such file or directory\n$/,
    );
  });

  it('writes to stdout with a schema path relative to the current directory when there is no --out', () => {
    const cwd = projectWithMapping();
    const r = runCli(['init', '--sample', OWASP], { cwd });
    expect(r.status).toBe(0);
    const schema = schemaPathIn(r.stdout);
    expect(schema).toBe(`./node_modules/@otel-sentinel/mapping/${SCHEMA_FILE}`);
    expect(existsSync(resolve(cwd, schema))).toBe(true);
    expect(r.stdout).toContain('endpoint: ${SENTINEL_DCE_ENDPOINT}');
  });

  it('prints the notes, the variables to set and the validate command on stderr', () => {
    const out = join(tempDir(), 'm.yaml');
    const r = runCli(['init', '--sample', OWASP, '--out', out]);
    expect(r.stderr).toContain('note: The sample uses the OWASP Logging Vocabulary format');
    expect(r.stderr).toContain('Set SENTINEL_DCE_ENDPOINT, SENTINEL_DCR_IMMUTABLE_ID');
    expect(r.stderr).toContain(`  otel-sentinel validate ${out}\n`);
  });

  it('does not ask for variables that are already set', () => {
    const r = runCli(['init', '--sample', OWASP, '--out', join(tempDir(), 'm.yaml')], { env: SENTINEL_ENV });
    expect(r.stderr).not.toContain('Set SENTINEL_DCE_ENDPOINT');
  });

  it('refuses to overwrite an existing file without --force, and overwrites with it', () => {
    const out = join(tempDir(), 'mapping.yaml');
    writeFileSync(out, 'my own mapping\n');
    const refused = runCli(['init', '--sample', OWASP, '--out', out]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe(`otel-sentinel: ${out} already exists; pass --force to overwrite it\n`);
    expect(readFileSync(out, 'utf8')).toBe('my own mapping\n');

    const forced = runCli(['init', '--sample', OWASP, '--out', out, '--force']);
    expect(forced.status).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('version: 1');
  });

  it('names the line of a sample that is not JSON', () => {
    const r = runCli(['init', '--sample', 'test/fixtures/samples/not-json.txt']);
    expect(r.status).toBe(1);
    expect(linesOf(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(
      /^otel-sentinel: sample test\/fixtures\/samples\/not-json\.txt: line 2: the sample is not valid JSON/,
    );
  });

  it('rejects a table name that is not a custom table, in one line', () => {
    const r = runCli(['init', '--sample', OWASP, '--table', 'Security']);
    expect(r.status).toBe(1);
    expect(linesOf(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/^otel-sentinel: .*_CL/);
  });

  it('fails with one line when the sample file is missing', () => {
    const r = runCli(['init', '--sample', 'nope.json']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('otel-sentinel: cannot read sample nope.json: no such file or directory\n');
  });
});

/** A one-record OTLP/JSON request, as an app using the owasp helpers would send it. */
const OWASP_RECORD = JSON.stringify({
  resourceLogs: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'shop' } }] },
      scopeLogs: [
        {
          logRecords: [
            {
              timeUnixNano: '1767225600000000000',
              eventName: 'authn_login_fail_max',
              severityNumber: 13,
              severityText: 'WARN',
              body: { stringValue: 'User joebob1 reached the login fail limit of 3' },
              attributes: [
                { key: 'security.event', value: { boolValue: true } },
                { key: 'owasp.category', value: { stringValue: 'AUTHN' } },
                { key: 'owasp.result', value: { stringValue: 'Failure' } },
                { key: 'user.id', value: { stringValue: 'joebob1' } },
                { key: 'owasp.max_limit', value: { intValue: '3' } },
                { key: 'client.address', value: { stringValue: '203.0.113.7' } },
              ],
            },
          ],
        },
      ],
    },
  ],
});

describe('init --preset owasp', () => {
  it('writes a file that extends the preset, which validate accepts', () => {
    const out = join(tempDir(), 'mapping.yaml');
    const init = runCli(['init', '--preset', 'owasp', '--out', out]);
    expect(init.status).toBe(0);
    expect(init.stdout).toBe('');
    const yaml = readFileSync(out, 'utf8');
    expect(yaml).toMatch(/^version: 1\nextends: owasp\n/m);
    expect(yaml).toContain(
      'endpoint: ${SENTINEL_DCE_ENDPOINT}\ndcrImmutableId: ${SENTINEL_DCR_IMMUTABLE_ID}\n',
    );
    expect(yaml).not.toMatch(/^streams:/m);

    const validate = runCli(['validate', out], { env: SENTINEL_ENV });
    expect(validate.stderr).toBe('');
    expect(validate.status).toBe(0);
    expect(validate.stdout).toContain(`${out} is valid: 1 stream`);
    expect(validate.stdout).toContain('OwaspSecurityEvents_CL');
    expect(validate.stdout).toMatch(/^ {2}EventSeverity +string +severityText +lookup$/m);
  });

  it("points the $schema comment through the project's node_modules, relative to the output file", () => {
    const file = join(projectWithMapping(), 'mapping.yaml');
    expect(runCli(['init', '--preset', 'owasp', '--out', file]).status).toBe(0);
    const schema = schemaPathIn(readFileSync(file, 'utf8'));
    expect(schema).toBe(`./node_modules/@otel-sentinel/mapping/${SCHEMA_FILE}`);
    expect(existsSync(resolve(dirname(file), schema))).toBe(true);
  });

  it('writes to stdout, with a versioned schema URL, outside a project that has @otel-sentinel/mapping', () => {
    const r = runCli(['init', '--preset', 'owasp'], { cwd: tempDir() });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('extends: owasp');
    expect(schemaPathIn(r.stdout)).toBe(
      `https://unpkg.com/@otel-sentinel/mapping@${MAPPING_VERSION}/${SCHEMA_FILE}`,
    );
    expect(r.stderr).toContain('note: $schema points at https://unpkg.com/');
  });

  it('maps an OWASP record through a file that extends the preset', () => {
    const out = join(tempDir(), 'mapping.yaml');
    expect(runCli(['init', '--preset', 'owasp', '--out', out]).status).toBe(0);
    const r = runCli(['map', out, '--input', '-'], { env: SENTINEL_ENV, input: OWASP_RECORD });
    expect(r.status).toBe(0);
    const line = JSON.parse(r.stdout) as { stream: string; table: string; row: Record<string, unknown> };
    expect(line).toMatchObject({
      stream: 'Custom-OwaspSecurityEvents',
      table: 'OwaspSecurityEvents_CL',
      row: {
        EventOriginalType: 'authn_login_fail_max',
        EventSeverity: 'Medium',
        EventOriginalSeverity: 'WARN',
        EventResult: 'Failure',
        ActorUserId: 'joebob1',
        Limit: 3,
        SrcIpAddr: '203.0.113.7',
        TargetAppName: 'shop',
      },
    });
  });

  it('writes a solution section from which connector builds a solution as it is, warning of the example values', () => {
    const dir = tempDir();
    const out = join(dir, 'mapping.yaml');
    expect(runCli(['init', '--preset', 'owasp', '--out', out]).status).toBe(0);
    const yaml = readFileSync(out, 'utf8');
    expect(yaml).toContain('\nsolution:\n  name: OWASP Security Events # --name\n');
    expect(runCli(['validate', out], { env: SENTINEL_ENV }).status).toBe(0);
    const connector = runCli(['connector', out, '--out', join(dir, 'solution')]);
    expect(connector.status).toBe(0);
    expect(connector.stdout).toContain(
      'Solutions/OWASPSecurityEvents/Data/Solution_OWASPSecurityEvents.json',
    );
    expect(connector.stderr).toContain(
      `otel-sentinel: warning: ${out} still has example solution values; replace them before you publish or share the package:\n  solution.publisher: set it in the file or pass --publisher <name>\n`,
    );
    expect(connector.stderr).toContain('every CCF check passed');
  });

  it('with --expand, writes the preset columns into the file to customise, and it validates', () => {
    const out = join(tempDir(), 'mapping.yaml');
    const init = runCli(['init', '--preset', 'owasp', '--expand', '--out', out]);
    expect(init.status).toBe(0);
    const yaml = readFileSync(out, 'utf8');
    expect(yaml).not.toMatch(/^extends:/m);
    expect(yaml).toMatch(/^streams:\n {2}- stream: Custom-OwaspSecurityEvents$/m);
    expect(yaml).toContain('transform: { lookup: { INFO: Informational, WARN: Medium, CRITICAL: High } }');
    expect(yaml).toMatch(/^ {6}RowId:\n {8}from: rowId\n {8}type: string\n/m);
    expect(schemaPathIn(yaml).endsWith('mapping.schema.json')).toBe(true);

    const validate = runCli(['validate', out], { env: SENTINEL_ENV });
    expect(validate.status).toBe(0);
    expect(validate.stdout).toContain(`${out} is valid: 1 stream, 32 columns`);
  });

  it('says what the preset sets up, the variables to set and the validate command, on stderr', () => {
    const out = join(tempDir(), 'm.yaml');
    const r = runCli(['init', '--preset', 'owasp', '--out', out]);
    expect(r.stderr).toContain(
      'note: The owasp preset sends every security record to OwaspSecurityEvents_CL (stream Custom-OwaspSecurityEvents, 32 columns).',
    );
    expect(r.stderr).toContain('Set SENTINEL_DCE_ENDPOINT, SENTINEL_DCR_IMMUTABLE_ID');
    expect(r.stderr).toContain(`  otel-sentinel validate ${out}\n`);
  });

  it('refuses to overwrite an existing file without --force', () => {
    const out = join(tempDir(), 'mapping.yaml');
    writeFileSync(out, 'my own mapping\n');
    const r = runCli(['init', '--preset', 'owasp', '--out', out]);
    expect(r.status).toBe(1);
    expect(readFileSync(out, 'utf8')).toBe('my own mapping\n');
  });

  it.each([
    [
      'an unknown preset',
      ['--preset', 'owsap'],
      'otel-sentinel: unknown preset "owsap"; the presets are: owasp\n',
    ],
    [
      'neither a sample nor a preset',
      [],
      'otel-sentinel: give --sample <file> to infer a mapping from sample events, or --preset <name> to start from a preset (owasp)\n',
    ],
    [
      'both a sample and a preset',
      ['--sample', OWASP, '--preset', 'owasp'],
      'otel-sentinel: give --sample or --preset, not both: they are two ways to start a mapping\n',
    ],
    [
      '--expand without a preset',
      ['--sample', OWASP, '--expand'],
      "otel-sentinel: --expand goes with --preset: it writes the preset's streams into the file\n",
    ],
    [
      '--table with a preset',
      ['--preset', 'owasp', '--table', 'Mine_CL'],
      'otel-sentinel: --table goes with --sample; the owasp preset names its own streams and tables (use --expand to write them out and edit them)\n',
    ],
  ])('refuses %s in one line, writing nothing', (_what, args, message) => {
    const out = join(tempDir(), 'mapping.yaml');
    const r = runCli(['init', ...args, '--out', out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(message);
    expect(existsSync(out)).toBe(false);
  });
});
