import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, PACKAGE_DIR, runCli, SENTINEL_ENV } from './support/run-cli.js';

const VALID = 'test/fixtures/mappings/valid.yaml';
const BREAK_PAD_END = join(FIXTURES, 'break-pad-end.mjs');

describe('help and version', () => {
  it.each([
    ['validate', 'otel-sentinel validate mapping.yaml'],
    ['map', 'otel-sentinel map mapping.yaml --input collector-logs.jsonl --rejects rejects.jsonl'],
    ['init', 'otel-sentinel init --sample owasp-event.json --table AppSecurityEvents_CL --out mapping.yaml'],
  ])('shows a worked example in %s --help', (command, example) => {
    const r = runCli([command, '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`Usage: otel-sentinel ${command}`);
    expect(r.stdout).toContain('Example:');
    expect(r.stdout).toContain(example);
    expect(r.stdout).toContain('--env-file <file>');
    expect(r.stdout).toContain('--debug');
  });

  it('lists the commands in the top-level help', () => {
    const r = runCli(['--help']);
    expect(r.status).toBe(0);
    for (const command of ['validate', 'map', 'init'])
      expect(r.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
  });

  it('prints the package version with --version', () => {
    const pkg = JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')) as { version: string };
    const r = runCli(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${pkg.version}\n`);
  });
});

describe('usage errors', () => {
  it('reports an unknown command in one line, with no stack trace', () => {
    const r = runCli(['frobnicate']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toBe("otel-sentinel: unknown command 'frobnicate' (see otel-sentinel --help)\n");
  });

  it('suggests the command a typo was probably meant to be', () => {
    const r = runCli(['validat', VALID]);
    expect(r.stderr).toBe(
      "otel-sentinel: unknown command 'validat' (did you mean validate?) (see otel-sentinel --help)\n",
    );
  });

  it('reports a missing argument in one line', () => {
    const r = runCli(['validate']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toBe(
      "otel-sentinel: missing required argument 'mapping' (see otel-sentinel validate --help)\n",
    );
  });

  it('reports an init with neither --sample nor --preset in one line', () => {
    const r = runCli(['init']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toBe(
      'otel-sentinel: give --sample <file> to infer a mapping from sample events, or --preset <name> to start from a preset (owasp)\n',
    );
  });

  it('reports an unknown option in one line', () => {
    const r = runCli(['map', VALID, '--bogus']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toBe("otel-sentinel: unknown option '--bogus' (see otel-sentinel map --help)\n");
  });
});

describe('internal errors', () => {
  it('are one line that says how to see more', () => {
    const r = runCli(['validate', VALID], { env: SENTINEL_ENV, nodeArgs: ['--import', BREAK_PAD_END] });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      'otel-sentinel: internal error: simulated internal failure (this is a bug; run again with --debug for the stack trace)\n',
    );
  });

  it('show the stack trace with --debug', () => {
    const r = runCli(['validate', VALID, '--debug'], {
      env: SENTINEL_ENV,
      nodeArgs: ['--import', BREAK_PAD_END],
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('TypeError: simulated internal failure');
    expect(r.stderr).toMatch(/^\s+at .*validate-summary\.js/m);
  });

  it('accept --debug before the command too', () => {
    const r = runCli(['--debug', 'validate', VALID], {
      env: SENTINEL_ENV,
      nodeArgs: ['--import', BREAK_PAD_END],
    });
    expect(r.stderr).toMatch(/^\s+at /m);
  });
});

describe('the installed command', () => {
  it('runs through its shebang and reports a missing --env-file itself (Node does not intercept it)', () => {
    const bin = join(PACKAGE_DIR, 'dist', 'bin.js');
    expect(readFileSync(bin, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env -S node --');
    chmodSync(bin, 0o755); // what npm and pnpm do when they link a package's bin
    const r = spawnSync(bin, ['validate', VALID, '--env-file', 'missing.env'], {
      cwd: PACKAGE_DIR,
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('otel-sentinel: cannot read env file missing.env: no such file or directory\n');
  });
});
