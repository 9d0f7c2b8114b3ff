// The cost view's console routes behind the console guard: the figures as JSON, and operational
// volume reports taken or refused with the console's error shape.
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { guardConsole } from '../src/console/guard.js';
import { CostView } from '../src/cost/cost-view.js';
import { costRoutes } from '../src/cost/routes.js';
import type { Store } from '../src/model.js';
import { openStore } from '../src/store/sqlite-store.js';

const ORIGIN = 'https://127.0.0.1:4443';
const HOST = '127.0.0.1:4443';
const NOW = new Date('2026-12-08T12:00:00Z');

let app: FastifyInstance;
let store: Store;

beforeEach(() => {
  store = openStore(':memory:');
  store.ensureTable({
    name: 'AppSecurityEvents_CL',
    columns: [
      { name: 'TimeGenerated', type: 'datetime' },
      { name: 'EventName', type: 'string' },
    ],
  });
  // 28 + 13 = 41 bytes, and 28 + 10 = 38 bytes.
  store.insert(
    'AppSecurityEvents_CL',
    [
      { TimeGenerated: '2026-12-08T10:00:00Z', EventName: 'authn_login_f' },
      { TimeGenerated: '2026-12-08T11:00:00Z', EventName: 'authz_fail' },
    ],
    NOW,
  );
  app = Fastify();
  guardConsole(app, { enabled: true, origin: () => ORIGIN });
  costRoutes(app, new CostView(store, { pricePerGb: 10, currency: 'EUR' }, () => NOW));
});
afterEach(async () => {
  await app.close();
  store.close();
});

function report(body: unknown, headers: Record<string, string> = {}) {
  return app.inject({
    method: 'POST',
    url: '/console/api/operational-volume',
    headers: { host: HOST, 'content-type': 'application/json', ...headers },
    payload: JSON.stringify(body),
  });
}

describe('GET /console/api/cost', () => {
  it('answers the estimate per table and day, the price in use and the saving', async () => {
    await report({
      source: 'audit-app',
      recordsFiltered: 7,
      bytesFiltered: 711,
      since: '2026-12-08T09:00:00Z',
    });
    const res = await app.inject({ url: '/console/api/cost', headers: { host: HOST } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      estimate: true,
      price: { perGb: 10, currency: 'EUR' },
      window: { from: '2026-12-08', to: '2026-12-08', days: 1 },
      tables: [
        {
          table: 'AppSecurityEvents_CL',
          rows: 2,
          billedBytes: 79,
          rowsPerDay: 2,
          days: [{ day: '2026-12-08', rows: 2, billedBytes: 79 }],
        },
      ],
      operational: [{ source: 'audit-app', recordsFiltered: 7, bytesFiltered: 711 }],
    });
    expect(body.rule).toMatch(/^Estimate:/);
    expect(body.tables[0].projectedCostPerMonth).toBeCloseTo((79 * 30.4 * 10) / 1e9, 15);
    expect(body.saving.projectedGbPerMonth).toBeCloseTo((711 * 30.4) / 1e9, 15);
    expect(body.saving.share).toBeCloseTo(711 / 790, 12);
  });

  it('is refused to a Host that is not the loopback server (DNS rebinding)', async () => {
    const res = await app.inject({ url: '/console/api/cost', headers: { host: 'evil.example:4443' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('WrongHost');
  });
});

describe('POST /console/api/operational-volume', () => {
  it('takes a report with 202', async () => {
    const res = await report({ source: 'gateway', recordsFiltered: 1, bytesFiltered: 2 });
    expect(res.statusCode).toBe(202);
  });

  it('answers 400 naming the field of a bad report', async () => {
    const res = await report({ source: 'gateway', recordsFiltered: 1, bytesFiltered: -2 });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: {
        code: 'BadReport',
        reason: 'E_REPORT_INVALID',
        field: 'bytesFiltered',
        message: 'bytesFiltered is -2: give a whole number of 0 or more',
      },
    });
  });

  it('answers 409 when a run reports fewer records than before', async () => {
    const since = '2026-12-08T09:00:00Z';
    await report({ source: 'app', recordsFiltered: 5, bytesFiltered: 50, since });
    const res = await report({ source: 'app', recordsFiltered: 4, bytesFiltered: 50, since });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.reason).toBe('E_REPORT_SHRANK');
  });

  it('is refused without a JSON content type, or from another origin', async () => {
    const form = await report({}, { 'content-type': 'text/plain' });
    expect(form.statusCode).toBe(403);
    const cross = await report(
      { source: 'a', recordsFiltered: 1, bytesFiltered: 1 },
      { origin: 'https://evil.example' },
    );
    expect(cross.statusCode).toBe(403);
    expect(cross.json().error.code).toBe('CrossOrigin');
  });
});
