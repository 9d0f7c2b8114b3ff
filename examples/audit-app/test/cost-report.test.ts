// The app's cost report: the exporter's operational volume, sent to the emulator's cost view.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { operationalReport, sendOperationalReport } from '../src/cost-report.js';

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => {
    if (server)
      server.close(() => {
        resolve();
      });
    else resolve();
  });
  server = undefined;
  vi.restoreAllMocks();
});

/** A local endpoint answering `status`; returns its URL and what it received. */
async function endpoint(
  status: number,
): Promise<{ url: string; received: { type?: string; body: string }[] }> {
  const received: { type?: string; body: string }[] = [];
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ ...(req.headers['content-type'] ? { type: req.headers['content-type'] } : {}), body });
      res
        .writeHead(status, { 'content-type': 'application/json' })
        .end('{"error":{"code":"BadReport","message":"no"}}');
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/console/api/operational-volume`, received };
}

describe('the cost report', () => {
  it('is the exporter stats with the run it covers', () => {
    const report = operationalReport(
      'contoso-audit-app',
      { recordsFiltered: 12, bytesFiltered: 3456 },
      new Date('2026-12-08T09:00:00Z'),
      new Date('2026-12-08T09:30:00Z'),
    );
    expect(report).toEqual({
      source: 'contoso-audit-app',
      recordsFiltered: 12,
      bytesFiltered: 3456,
      since: '2026-12-08T09:00:00.000Z',
      until: '2026-12-08T09:30:00.000Z',
    });
  });

  it('is posted as JSON', async () => {
    const { url, received } = await endpoint(202);
    expect(await sendOperationalReport(url, { source: 'a', recordsFiltered: 1, bytesFiltered: 2 })).toBe(
      true,
    );
    expect(received).toEqual([
      { type: 'application/json', body: '{"source":"a","recordsFiltered":1,"bytesFiltered":2}' },
    ]);
  });

  it('says in one line when it is refused, without the query string, and does not throw', async () => {
    const { url } = await endpoint(400);
    const lines: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: string) => lines.push(line));
    expect(await sendOperationalReport(`${url}?sig=secret`, { source: 'a' })).toBe(false);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`the cost report to ${url} was refused (400)`);
    expect(lines[0]).not.toContain('secret');
  });
});
