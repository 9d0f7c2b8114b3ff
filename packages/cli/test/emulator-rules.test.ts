// `otel-sentinel emulator --rules <path...> --rule-frequency <duration>`: the emulator runs the
// rules given (here the OWASP package's thirteen), every one at the local interval, and lists
// them on the console API; a missing path or a frequency that is no duration is one line.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fetchTrusting } from './support/fetch-trusting.js';
import { PACKAGE_DIR, runCli, tempDir } from './support/run-cli.js';
import { startCli } from './support/start-cli.js';

const MAPPING = join(PACKAGE_DIR, '../../examples/audit-app/mapping/security-mapping.yaml');
const OWASP_RULES = join(PACKAGE_DIR, '../owasp/detections');

describe('emulator --rules', () => {
  it('runs the rules given at --rule-frequency and logs what it loaded', async () => {
    const data = tempDir();
    const started = await startCli(
      [
        'emulator',
        '--port',
        '0',
        '--in-memory',
        '--mapping',
        MAPPING,
        '--data',
        data,
        '--rules',
        OWASP_RULES,
        '--rule-frequency',
        'PT20S',
      ],
      { env: { PATH: process.env.PATH ?? '', HOME: data }, until: 'export SENTINEL_DCE_ENDPOINT=' },
    );
    try {
      expect(started.err()).toContain('detections: 13 analytic rules loaded, 13 scheduled, 0 skipped');
      const origin = /listening on (https:\/\/\S+)/.exec(started.out)?.[1] ?? '';
      const ca = /^export NODE_EXTRA_CA_CERTS=(.*)$/m.exec(started.out)?.[1] ?? '';
      const rules = await fetchTrusting(`${origin}/console/api/rules`, ca);
      const listed = JSON.parse(rules.body) as {
        name: string;
        queryFrequency: string;
        lastRun?: { status: string };
      }[];
      expect(listed).toHaveLength(13);
      expect(listed.every((r) => r.queryFrequency === 'PT20S' && r.lastRun?.status === 'ok')).toBe(true);
      expect(listed.map((r) => r.name)).toContain('OWASP - Failed logins across accounts from one IP');
    } finally {
      started.child.kill('SIGINT');
    }
  });

  it.each([
    [
      ['--rules', 'no-such-rules'],
      /^otel-sentinel: --rules "no-such-rules": no such file or folder \S+no-such-rules; give analytic rule YAML files or folders of them\n$/,
    ],
    [
      ['--rule-frequency', 'often'],
      /^otel-sentinel: --rule-frequency "often": give how often every rule runs as a duration, e.g. PT20S or 5m\n$/,
    ],
  ])('refuses %j in one line naming the flag', (flag, message) => {
    const r = runCli(['emulator', '--port', '0', '--in-memory', '--mapping', MAPPING, ...flag]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(message);
  });
});
