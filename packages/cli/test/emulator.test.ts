// `otel-sentinel emulator` starts, prints what a client needs, and stops on SIGINT;
// `otel-sentinel emulator query` reads the store it left.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, PACKAGE_DIR, runCli, tempDir } from './support/run-cli.js';

const MAPPING = join(PACKAGE_DIR, '../../examples/audit-app/mapping/security-mapping.yaml');

describe('emulator', () => {
  it('prints the variables a client needs, stops on SIGINT, and leaves a store that query reads', async () => {
    const data = tempDir();
    const child = spawn(
      process.execPath,
      [BIN, 'emulator', '--port', '0', '--quiet', '--mapping', MAPPING, '--data', data],
      {
        env: { PATH: process.env.PATH ?? '', HOME: data },
      },
    );
    let out = '';
    child.stdout.setEncoding('utf8');
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`no variables printed: ${out}`));
      }, 30_000);
      child.stdout.on('data', (chunk: string) => {
        out += chunk;
        if (out.includes('export SENTINEL_DCE_ENDPOINT=')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.on('exit', () => {
        reject(new Error(`exited early: ${out}`));
      });
    });
    expect(out).toMatch(/^# otel-sentinel emulator listening on https:\/\/127\.0\.0\.1:\d+/m);
    expect(out).toMatch(/^export NODE_EXTRA_CA_CERTS=.*ca\.pem$/m);
    expect(out).toMatch(/^export AZURE_CLIENT_SECRET=\S+$/m);
    expect(out).toMatch(/Custom-ContosoAuthEvents/);
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGINT');
    expect(await exited).toBe(0);

    const q = runCli(['emulator', 'query', 'ContosoAuthEvents_CL | count', '--data', data]);
    expect(q.status).toBe(0);
    expect(q.stdout).toMatch(/Count\s*\n-+\s*\n0\s*\n\(1 row\)/);

    const bad = runCli(['emulator', 'query', 'ContosoAuthEvents_CL | mv-expand x', '--data', data]);
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/^otel-sentinel: .*mv-expand/);
  });

  it('says where the store should be when there is none', () => {
    const data = tempDir();
    const r = runCli(['emulator', 'query', 'T | count', '--data', data]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^otel-sentinel: no emulator store in /);
  });
});
