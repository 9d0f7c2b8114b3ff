// `otel-sentinel emulator --webhook <url>[#settings]`: each flag is one automation target; the
// fragment carries its settings and is not part of the URL posted to; a bad flag is one line
// that never repeats the URL (it may hold a secret).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { webhookTargets } from '../src/commands/webhook-flag.js';
import { fetchTrusting } from './support/fetch-trusting.js';
import { PACKAGE_DIR, runCli, tempDir } from './support/run-cli.js';
import { startCli } from './support/start-cli.js';

const MAPPING = join(PACKAGE_DIR, '../../examples/mappings/app-security.yaml');

describe('webhookTargets', () => {
  it('reads the settings after # and posts to the URL without them', () => {
    expect(
      webhookTargets([
        'http://127.0.0.1:8080/hook',
        'https://u:pw@hooks.test/in?sig=abc#minSeverity=high&rules=rule-1,Password%20spray&maxAttempts=3',
      ]),
    ).toEqual([
      { url: 'http://127.0.0.1:8080/hook' },
      {
        url: 'https://u:pw@hooks.test/in?sig=abc',
        minSeverity: 'High',
        rules: ['rule-1', 'Password spray'],
        maxAttempts: 3,
      },
    ]);
  });

  it.each([
    [
      'not a url SECRET',
      '--webhook: not an absolute URL; give one like http://127.0.0.1:8080/hook#minSeverity=High',
    ],
    ['ftp://h.test/x', '--webhook: give an http: or https: URL, not ftp:'],
    [
      'http://h.test/#severity=High',
      '--webhook: unknown setting "severity" after #; use minSeverity, rules or maxAttempts',
    ],
    [
      'http://h.test/#minSeverity=Critical',
      '--webhook: minSeverity "Critical" is not one of Informational, Low, Medium, High',
    ],
    ['http://h.test/#rules=,', '--webhook: rules= names no rule; give rule ids or names, comma-separated'],
    ['http://h.test/#maxAttempts=0', '--webhook: maxAttempts "0" must be a whole number from 1 to 20'],
  ])('refuses %s, saying why', (value, message) => {
    expect(() => webhookTargets([value])).toThrow(expect.objectContaining({ code: 'E_WEBHOOK', message }));
  });

  it('numbers the flag when there are several', () => {
    expect(() => webhookTargets(['http://a.test/', 'nope'])).toThrow(/^--webhook #2: not an absolute URL/);
  });
});

describe('emulator --webhook', () => {
  it('serves each flag as an automation target, shown without userinfo, query or settings', async () => {
    const data = tempDir();
    const started = await startCli(
      [
        'emulator',
        '--port',
        '0',
        '--quiet',
        '--in-memory',
        '--mapping',
        MAPPING,
        '--data',
        data,
        '--webhook',
        'http://hook:PW-SECRET@127.0.0.1:9/in?sig=SIG-SECRET#minSeverity=Medium&rules=r1',
        '--webhook',
        'http://127.0.0.1:9/all',
      ],
      { env: { PATH: process.env.PATH ?? '', HOME: data }, until: 'export SENTINEL_DCE_ENDPOINT=' },
    );
    const origin = /listening on (https:\/\/\S+)/.exec(started.out)?.[1] ?? '';
    const ca = /^export NODE_EXTRA_CA_CERTS=(.*)$/m.exec(started.out)?.[1] ?? '';
    const answer = (await fetchTrusting(`${origin}/console/api/automation`, ca)).body;
    const exited = new Promise<number | null>((resolve) => started.child.on('exit', resolve));
    started.child.kill('SIGINT');

    expect(JSON.parse(answer)).toEqual({
      targets: [
        {
          index: 0,
          url: 'http://127.0.0.1:9/in',
          rules: ['r1'],
          minSeverity: 'Medium',
          headers: [],
          maxAttempts: 5,
          timeoutMs: 10_000,
        },
        {
          index: 1,
          url: 'http://127.0.0.1:9/all',
          minSeverity: 'Informational',
          headers: [],
          maxAttempts: 5,
          timeoutMs: 10_000,
        },
      ],
    });
    expect(started.out + started.err()).not.toMatch(/PW-SECRET|SIG-SECRET/);
    expect(await exited).toBe(0);
  });

  it('refuses a bad --webhook in one line that does not repeat the URL', () => {
    const r = runCli([
      'emulator',
      '--port',
      '0',
      '--in-memory',
      '--mapping',
      MAPPING,
      '--webhook',
      'hook-SECRET',
    ]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      'otel-sentinel: --webhook: not an absolute URL; give one like http://127.0.0.1:8080/hook#minSeverity=High\n',
    );
  });
});
