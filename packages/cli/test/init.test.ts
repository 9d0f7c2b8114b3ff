import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { linesOf, runCli, SENTINEL_ENV, tempDir } from './support/run-cli.js';

const OWASP = 'test/fixtures/samples/owasp-event.json';

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

  it('points the $schema comment at the installed schema, relative to the output file', () => {
    const file = join(tempDir(), 'mapping.yaml');
    expect(runCli(['init', '--sample', OWASP, '--out', file]).status).toBe(0);
    const schema = schemaPathIn(readFileSync(file, 'utf8'));
    expect(isAbsolute(schema)).toBe(false);
    expect(schema.endsWith('mapping.schema.json')).toBe(true);
    expect(existsSync(resolve(dirname(file), schema))).toBe(true);
  });

  it('fails in one line when the output directory does not exist', () => {
    const r = runCli(['init', '--sample', OWASP, '--out', join(tempDir(), 'nested', 'mapping.yaml')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /^otel-sentinel: cannot write .*nested\/mapping\.yaml: no such file or directory\n$/,
    );
  });

  it('writes to stdout with an absolute schema path when there is no --out', () => {
    const r = runCli(['init', '--sample', OWASP]);
    expect(r.status).toBe(0);
    const schema = schemaPathIn(r.stdout);
    expect(isAbsolute(schema)).toBe(true);
    expect(existsSync(schema)).toBe(true);
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
