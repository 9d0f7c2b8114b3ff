import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import {
  BEGIN,
  END,
  detectionsUsing,
  README,
  readDetections,
  renderEventsTable,
  renderReadme,
} from '../scripts/events-table.ts';
import { EVENTS_MODULE, generateEventsModule } from '../scripts/generate-events.ts';
import { OWASP_EVENTS } from '../src/index.js';

describe('generated files', () => {
  it('src/events.generated.ts matches the vocabulary (run node scripts/generate-events.ts)', async () => {
    expect(await readFile(EVENTS_MODULE, 'utf8')).toBe(await generateEventsModule());
  });

  it("README's events table matches the vocabulary and detections/ (run node scripts/events-table.ts)", async () => {
    const readme = await readFile(README, 'utf8');

    expect(readme).toBe(await renderReadme(readme, await readDetections()));
  });
});

describe('the events table', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  async function detectionsDir(files: Record<string, string>): Promise<string> {
    dir = await mkdtemp(join(tmpdir(), 'owasp-detections-'));
    await mkdir(join(dir, 'detections'));
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, 'detections', name), text);
    return join(dir, 'detections');
  }

  it('has a row per event, each with its helper, level and attributes', () => {
    const rows = renderEventsTable(OWASP_EVENTS, []).split('\n');

    expect(rows).toHaveLength(2 + 57);
    expect(rows).toContain(
      '| `authn_login_fail` | `authnLoginFail` | WARN | `userId` → `user.id`<br>`reason?` → `owasp.reason` |  |  |',
    );
    expect(rows).toContain(
      '| `malicious_sqli` | `maliciousSqli` | CRITICAL | `userId?` → `user.id`<br>`parameter` → `owasp.parameter`<br>`ruleId` → `security_rule.name` | new (2026-02) |  |',
    );
    expect(rows.filter((r) => r.includes('| new ('))).toHaveLength(11);
  });

  it('copes with a missing or an empty detections folder', async () => {
    expect(await readDetections('/nonexistent/owasp/detections')).toStrictEqual([]);
    expect(await readDetections(await detectionsDir({}))).toStrictEqual([]);
  });

  it('links each event to the rules whose query names it in quotes, and to no other', async () => {
    const folder = await detectionsDir({
      'b-brute.yaml': 'name: Brute\nquery: |\n  T | where EventOriginalType == "authn_login_fail"\n',
      'a-many.yml':
        "name: Many\nquery: T | where EventOriginalType in ('authn_login_fail_max', 'sys_crash')\n",
      'notes.md': 'not a rule: "sys_crash"',
    });

    const detections = await readDetections(folder);
    const table = renderEventsTable(OWASP_EVENTS, detections);

    expect(detections.map((d) => d.id)).toStrictEqual(['a-many', 'b-brute']);
    expect(detectionsUsing('authn_login_fail', detections).map((d) => d.id)).toStrictEqual(['b-brute']);
    expect(detectionsUsing('authn_login_fail_max', detections).map((d) => d.id)).toStrictEqual(['a-many']);
    expect(table).toContain('| [b-brute](detections/b-brute.yaml) |');
    expect(table).toContain('| [a-many](detections/a-many.yml) |');
  });

  it('names the file that is not valid YAML or has no query', async () => {
    await expect(readDetections(await detectionsDir({ 'bad.yaml': 'query: [unclosed' }))).rejects.toThrow(
      /detections\/bad\.yaml is not valid YAML/,
    );
    await rm(dir ?? '', { recursive: true, force: true });
    await expect(readDetections(await detectionsDir({ 'empty.yaml': 'name: x\n' }))).rejects.toThrow(
      /detections\/empty\.yaml has no query/,
    );
  });

  it('replaces only what is between the markers', async () => {
    const readme = `# Title\n\nBefore.\n\n${BEGIN}\nold table\n${END}\n\nAfter.\n`;

    const out = await renderReadme(readme, []);

    expect(out.startsWith('# Title\n\nBefore.\n\n')).toBe(true);
    expect(out.endsWith(`${END}\n\nAfter.\n`)).toBe(true);
    expect(out).not.toContain('old table');
    expect(out).toContain('`authnLoginFail`');
  });
});
