// The CLI loads the emulator, the gateway, fastify and the KQL language service only for the
// commands that need them: `--help` and `validate` of a mapping without a transform do not, and
// `validate` of one with a transform and `map` load KQL at most, never the emulator's server.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, linesOf, runCli, SENTINEL_ENV, tempDir } from './support/run-cli.js';

const RECORDER = join(FIXTURES, 'record-resolutions.mjs');
/** The emulator and gateway packages (pnpm store or workspace), fastify, Kusto, and the CLI's modules for them. */
const HEAVY =
  /@otel-sentinel[+/](emulator|gateway)|\/packages\/(emulator|gateway)\/|\/fastify[@/]|@kusto[+/]|\/dist\/commands\/(emulator|gateway)\.js$/;

/** The emulator package (pnpm store, npm install or workspace), fastify and the X.509 library. */
const SERVER = /@otel-sentinel[+/]emulator|\/packages\/emulator\/|\/fastify[@/]|@peculiar[+/]x509/;
/** @otel-sentinel/kql, wherever it is installed. */
const KQL = /@otel-sentinel[+/]kql|\/packages\/kql\//;

/** The module URLs one run of the built CLI resolved, and its result. */
function resolvedBy(args: readonly string[]): { status: number | null; stdout: string; urls: string[] } {
  const record = join(tempDir(), 'resolved.txt');
  const r = runCli(args, {
    nodeArgs: ['--import', RECORDER],
    env: { ...SENTINEL_ENV, OTEL_SENTINEL_RESOLUTIONS: record },
  });
  return { status: r.status, stdout: r.stdout, urls: linesOf(readFileSync(record, 'utf8')) };
}

describe('modules each command loads', () => {
  it.each([
    [['--help']],
    [['validate', 'test/fixtures/mappings/valid.yaml']],
    [['validate', '--json', 'test/fixtures/mappings/valid.yaml']],
  ])('%j loads no emulator, gateway, fastify or Kusto module', (args) => {
    const run = resolvedBy(args);
    expect(run.status).toBe(0);
    // The recorder saw the run: the CLI's own modules are there.
    expect(run.urls.some((u) => u.endsWith('/dist/program.js'))).toBe(true);
    expect(run.urls.filter((u) => HEAVY.test(u))).toEqual([]);
  });

  it('loads the KQL checker for validate when a stream has a transform', () => {
    const run = resolvedBy(['validate', 'test/fixtures/mappings/transform-ok.yaml']);
    expect(run.status).toBe(0);
    expect(run.urls.some((u) => /@kusto[+/]/.test(u))).toBe(true);
    expect(run.urls.some((u) => KQL.test(u))).toBe(true);
  });

  it.each([
    [['validate', 'test/fixtures/mappings/transform-ok.yaml']],
    [['validate', '--json', 'test/fixtures/mappings/transform-ok.yaml']],
    [['map', 'test/fixtures/mappings/valid.yaml', '--input', 'test/fixtures/otlp/collector.jsonl']],
    [['map', 'test/fixtures/mappings/transform-ok.yaml', '--input', 'test/fixtures/otlp/collector.jsonl']],
  ])('%j loads neither the emulator, fastify nor @peculiar/x509', (args) => {
    const run = resolvedBy(args);
    expect(run.status).toBe(0);
    expect(run.urls.some((u) => u.endsWith('/dist/program.js'))).toBe(true);
    expect(run.urls.filter((u) => SERVER.test(u))).toEqual([]);
  });

  it.each([
    ['emulator', 'Usage: otel-sentinel emulator'],
    ['gateway', 'Usage: otel-sentinel gateway'],
  ])('still shows %s --help', (command, usage) => {
    const r = runCli([command, '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(usage);
    expect(r.stdout).toContain('Example:');
  });
});
