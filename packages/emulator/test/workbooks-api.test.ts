// GET /console/api/workbooks on a running emulator: the solution's workbooks, a broken one listed
// with its error while the emulator runs on, behind the console's guard.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../src/index.js';
import { consoleGet } from './support/console-get.js';

const SOLUTION = join(
  import.meta.dirname,
  '../../connector/test/fixtures/golden/app-security/Solutions/ContosoAudit',
);

const made: { emulator?: RunningEmulator; dir: string }[] = [];
afterEach(async () => {
  for (const { emulator, dir } of made.splice(0)) {
    await emulator?.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The golden solution in a folder of its own, with `extra` files added to it. */
async function start(extra: Record<string, string>, options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const dir = mkdtempSync(join(tmpdir(), 'workbooks-api-'));
  const entry: { emulator?: RunningEmulator; dir: string } = { dir };
  made.push(entry);
  const solution = join(dir, 'ContosoAudit');
  cpSync(SOLUTION, solution, { recursive: true });
  for (const [name, text] of Object.entries(extra)) writeFileSync(join(solution, name), text);
  const emulator = await startEmulator({
    dataDir: join(dir, 'data'),
    inMemory: true,
    port: 0,
    env: {},
    definitions: [solution],
    console: true,
    ...options,
  });
  entry.emulator = emulator;
  return emulator;
}

function get(e: RunningEmulator, path: string, host?: string): Promise<{ status: number; body: string }> {
  return consoleGet(e, path, host);
}

describe('GET /console/api/workbooks', () => {
  it("lists the solution's workbooks with their content, and a broken one with where it breaks", async () => {
    const e = await start({
      'Workbooks/Broken.json': '{\n  "version": "Notebook/1.0",\n  "items": [,]\n}\n',
    });
    const response = await get(e, '/console/api/workbooks');
    expect(response.status).toBe(200);
    const listed = JSON.parse(response.body) as {
      id: string;
      name: string;
      content: unknown;
      error?: unknown;
    }[];
    expect(listed.map((w) => [w.id, w.name])).toEqual([
      ['Broken', 'Broken'],
      ['ContosoAuditAppAuthEvents', 'Contoso Audit: AppAuthEvents_CL'],
      ['ContosoAuditAppSecurityEvents', 'Contoso Audit: AppSecurityEvents_CL'],
    ]);
    expect(listed[0]).toMatchObject({
      content: null,
      error: { code: 'E_WORKBOOK_JSON', line: 3, column: 13 },
    });
    expect(listed[1]?.content).toMatchObject({ version: 'Notebook/1.0' });
  });

  it('reads the folder again at each request, so a regenerated workbook shows on reload', async () => {
    const e = await start({});
    writeFileSync(
      join(made[0]?.dir ?? '', 'ContosoAudit', 'Workbooks', 'Later.json'),
      JSON.stringify({ version: 'Notebook/1.0', items: [] }),
    );
    const listed = JSON.parse((await get(e, '/console/api/workbooks')).body) as { id: string }[];
    expect(listed.map((w) => w.id)).toContain('Later');
  });

  it('answers only to the loopback Host, as every console URL', async () => {
    const e = await start({});
    const response = await get(e, '/console/api/workbooks', `rebind.example:${e.port}`);
    expect(response.status).toBe(403);
    expect(JSON.parse(response.body)).toMatchObject({ error: { code: 'WrongHost' } });
  });

  it('is not there when the console is off', async () => {
    const e = await start({}, { console: false });
    expect((await get(e, '/console/api/workbooks')).status).toBe(404);
  });
});
