// The OTLP/HTTP contract of POST /v1/logs: content types and their answers, gzip (and a gzip
// bomb), body limits, 400/404/405/415 with a google.rpc.Status saying why, inbound
// authentication, partialSuccess for records the mapping rejects or cannot route, and HTTPS.
import { readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { dirname, join } from 'node:path';
import { createGzip } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  get,
  jsonBody,
  operationalRecord,
  partialSuccessOf,
  post,
  protobufBody,
  securityRecord,
  statusOf,
} from './support/otlp-bodies.js';
import type { TestRecord } from './support/otlp-bodies.js';
import { sharedStack, count, gatewayOptions } from './support/stack.js';

const { cleanup, emulator: stackEmulator } = sharedStack();

const PROTOBUF = 'application/x-protobuf';
const JSON_TYPE = 'application/json';

function withoutUser(seq: number): TestRecord {
  const r = securityRecord(seq);
  return {
    ...r,
    attributes: Object.fromEntries(Object.entries(r.attributes).filter(([k]) => k !== 'user.id')),
  };
}

/** `bytes` of zeros, gzipped as a stream (never held whole). */
async function gzipOfZeros(bytes: number): Promise<Buffer> {
  const zeros = Buffer.alloc(1 << 20);
  const gzip = createGzip({ level: 9 });
  const out: Buffer[] = [];
  gzip.on('data', (c: Buffer) => out.push(c));
  const ended = new Promise((resolve) => gzip.on('end', resolve));
  for (let left = bytes; left > 0; left -= zeros.length)
    if (!gzip.write(left >= zeros.length ? zeros : zeros.subarray(0, left)))
      await new Promise((resolve) => gzip.once('drain', resolve));
  gzip.end();
  await ended;
  return Buffer.concat(out);
}

describe('POST /v1/logs content types', () => {
  it('answers a protobuf request with an empty protobuf ExportLogsServiceResponse', async () => {
    const g = await cleanup.gateway(gatewayOptions(stackEmulator()));
    const answer = await post(`${g.url}/v1/logs`, protobufBody([securityRecord(1)]), PROTOBUF);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe(PROTOBUF);
    expect(answer.body.length).toBe(0);
    expect(partialSuccessOf(answer)).toBeUndefined();
  });

  it('answers a JSON request (with a charset parameter) in JSON', async () => {
    const g = await cleanup.gateway(gatewayOptions(stackEmulator()));
    const answer = await post(
      `${g.url}/v1/logs`,
      jsonBody([securityRecord(1)]),
      'application/json; charset=utf-8',
    );
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    expect(JSON.parse(answer.body.toString('utf8'))).toEqual({});
  });

  it('takes gzip bodies in both formats and delivers their records', async () => {
    const g = await cleanup.gateway(gatewayOptions(stackEmulator()));
    const before = count(stackEmulator(), 'GatewayAuth_CL');
    const a = await post(`${g.url}/v1/logs`, protobufBody([securityRecord(1), securityRecord(2)]), PROTOBUF, {
      gzip: true,
    });
    const b = await post(`${g.url}/v1/logs`, jsonBody([securityRecord(3)]), JSON_TYPE, { gzip: true });
    expect([a.status, b.status]).toEqual([200, 200]);
    await g.flush();
    expect(count(stackEmulator(), 'GatewayAuth_CL') - before).toBe(3);
  });

  it('answers 415 for another Content-Type, a missing one, or an unsupported Content-Encoding', async () => {
    const g = await cleanup.gateway(gatewayOptions(stackEmulator()));
    const body = protobufBody([securityRecord(1)]);
    const text = await post(`${g.url}/v1/logs`, body, 'text/plain');
    const none = await post(`${g.url}/v1/logs`, new Uint8Array(0), undefined);
    const brotli = await post(`${g.url}/v1/logs`, body, PROTOBUF, { headers: { 'content-encoding': 'br' } });
    expect([text.status, none.status, brotli.status]).toEqual([415, 415, 415]);
    expect(statusOf(text).message).toMatch(/application\/x-protobuf or application\/json/);
    expect(statusOf(brotli).message).toMatch(/Content-Encoding/);
    expect(statusOf(brotli).code).toBe(12);
  });

  it('answers 400 with the reason for a body that does not decode, in the request format', async () => {
    const g = await cleanup.gateway(gatewayOptions(stackEmulator()));
    const bad = await post(`${g.url}/v1/logs`, Buffer.from([0x0a, 0xff, 0xff, 0x01]), PROTOBUF);
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toBe(PROTOBUF);
    expect(statusOf(bad)).toMatchObject({
      code: 3,
      message: expect.stringMatching(/cannot decode the body as an OTLP protobuf/),
    });
    const badJson = await post(`${g.url}/v1/logs`, Buffer.from('{"resourceLogs": ['), JSON_TYPE);
    expect(badJson.status).toBe(400);
    expect(statusOf(badJson).message).toMatch(/OTLP\/JSON/);
  });

  it('answers 404 for other paths and 405 with Allow for other methods', async () => {
    const g = await cleanup.gateway(gatewayOptions(stackEmulator()));
    const missing = await post(`${g.url}/v1/traces`, protobufBody([]), PROTOBUF);
    const wrong = await get(`${g.url}/v1/logs`);
    const put = await post(`${g.url}/v1/logs`, protobufBody([]), PROTOBUF, { method: 'PUT' });
    expect(missing.status).toBe(404);
    expect(statusOf(missing).message).toMatch(/\/v1\/logs/);
    expect([wrong.status, put.status]).toEqual([405, 405]);
    expect(wrong.headers.get('allow')).toBe('POST');
  });
});

describe('body limits', () => {
  it('answers 413 for a body over maxBodyBytes', async () => {
    const g = await cleanup.gateway(gatewayOptions(stackEmulator(), { maxBodyBytes: 1024 }));
    const big = protobufBody(Array.from({ length: 50 }, (_, i) => securityRecord(i)));
    expect(big.length).toBeGreaterThan(1024);
    const answer = await post(`${g.url}/v1/logs`, big, PROTOBUF);
    expect(answer.status).toBe(413);
    expect(statusOf(answer).message).toMatch(/maxBodyBytes/);
  });

  it('answers 413 for a gzip body that inflates past maxBodyBytes, even when it is small on the wire', async () => {
    const g = await cleanup.gateway(gatewayOptions(stackEmulator(), { maxBodyBytes: 64 * 1024 }));
    const body = protobufBody(Array.from({ length: 1000 }, (_, i) => securityRecord(i)));
    expect(body.length).toBeGreaterThan(64 * 1024);
    const answer = await post(`${g.url}/v1/logs`, body, PROTOBUF, { gzip: true });
    expect(answer.status).toBe(413);
    expect(statusOf(answer).message).toMatch(/inflates to more than 65536 bytes/);
  });

  it('refuses a gzip bomb with 413 without inflating it all', async () => {
    const g = await cleanup.gateway(gatewayOptions(stackEmulator(), { maxBodyBytes: 1 << 20 }));
    const bomb = await gzipOfZeros(512 << 20); // 512 MiB of zeros in about 500 KB
    expect(bomb.length).toBeLessThan(1 << 20);
    const rss = process.memoryUsage.rss();
    const answer = await post(`${g.url}/v1/logs`, bomb, PROTOBUF, {
      headers: { 'content-encoding': 'gzip' },
    });
    expect(answer.status).toBe(413);
    // Inflating it whole would take 512 MiB at once; the streaming limit stops after about 1 MiB.
    expect(process.memoryUsage.rss() - rss).toBeLessThan(256 << 20);
  });

  it('answers 400 for a corrupt gzip body', async () => {
    const g = await cleanup.gateway(gatewayOptions(stackEmulator()));
    const answer = await post(`${g.url}/v1/logs`, Buffer.from('not gzip at all'), PROTOBUF, {
      headers: { 'content-encoding': 'gzip' },
    });
    expect(answer.status).toBe(400);
    expect(statusOf(answer).message).toMatch(/not valid gzip/);
  });
});

describe('inbound authentication', () => {
  it('answers 401 with WWW-Authenticate without the bearer token, and 200 with it', async () => {
    const token = 'gw-token-4b9e0c1d2f';
    const g = await cleanup.gateway(gatewayOptions(stackEmulator(), { auth: { bearerToken: token } }));
    const body = protobufBody([securityRecord(1)]);
    const none = await post(`${g.url}/v1/logs`, body, PROTOBUF);
    const wrong = await post(`${g.url}/v1/logs`, body, PROTOBUF, {
      headers: { authorization: 'Bearer nope' },
    });
    const right = await post(`${g.url}/v1/logs`, body, PROTOBUF, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect([none.status, wrong.status, right.status]).toEqual([401, 401, 200]);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect(statusOf(wrong).code).toBe(16);
    expect(wrong.body.toString('latin1')).not.toContain(token);
  });

  it('takes an x-api-key set through OTEL_SENTINEL_GATEWAY_API_KEY', async () => {
    const key = 'gw-key-77aa55';
    const options = gatewayOptions(stackEmulator());
    const g = await cleanup.gateway({
      ...options,
      env: { ...options.env, OTEL_SENTINEL_GATEWAY_API_KEY: key },
    });
    const body = jsonBody([securityRecord(1)]);
    const wrong = await post(`${g.url}/v1/logs`, body, JSON_TYPE, { headers: { 'x-api-key': 'other' } });
    const right = await post(`${g.url}/v1/logs`, body, JSON_TYPE, { headers: { 'x-api-key': key } });
    expect([wrong.status, right.status]).toEqual([401, 200]);
  });

  it('leaves /healthz, /readyz and /metrics open', async () => {
    const g = await cleanup.gateway(gatewayOptions(stackEmulator(), { auth: { bearerToken: 't0k3n' } }));
    expect((await get(`${g.url}/healthz`)).status).toBe(200);
    expect((await get(`${g.url}/metrics`)).status).toBe(200);
    expect([200, 503]).toContain((await get(`${g.url}/readyz`)).status);
  });
});

describe('partialSuccess', () => {
  const records = [
    securityRecord(1),
    withoutUser(2),
    securityRecord(3, 'authz_fail'),
    withoutUser(4),
    securityRecord(5, 'input_validation_fail'),
    operationalRecord(6),
    securityRecord(7),
  ];
  const message =
    'rejected 3 of 7 log records: 2 required column UserId missing (stream Custom-GatewayAuth), 1 unrouted';

  it('counts and explains the records the mapping rejected or could not route (protobuf)', async () => {
    const g = await cleanup.gateway(gatewayOptions(stackEmulator()));
    const answer = await post(`${g.url}/v1/logs`, protobufBody(records), PROTOBUF);
    expect(answer.status).toBe(200);
    expect(partialSuccessOf(answer)).toEqual({ rejectedLogRecords: 3, errorMessage: message });
    expect(g.stats().records).toMatchObject({
      received: 7,
      security: 6,
      operational: 1,
      rejected: 2,
      unrouted: 1,
    });
  });

  it('does the same in JSON', async () => {
    const g = await cleanup.gateway(gatewayOptions(stackEmulator()));
    const answer = await post(`${g.url}/v1/logs`, jsonBody(records), JSON_TYPE);
    expect(partialSuccessOf(answer)).toEqual({ rejectedLogRecords: 3, errorMessage: message });
  });
});

describe('HTTPS', () => {
  it('serves /v1/logs over TLS from a PEM certificate and key', async () => {
    const dir = dirname(stackEmulator().caPath);
    const g = await cleanup.gateway(
      gatewayOptions(stackEmulator(), {
        tls: {
          cert: readFileSync(join(dir, 'server.pem')),
          key: readFileSync(join(dir, 'server-key.pem'), 'utf8'),
        },
      }),
    );
    expect(g.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const body = protobufBody([securityRecord(1)]);
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpsRequest(
        `${g.url}/v1/logs`,
        { method: 'POST', ca: stackEmulator().caCertPem, headers: { 'content-type': PROTOBUF } },
        (res) => {
          res.resume();
          res.on('end', () => {
            resolve(res.statusCode ?? 0);
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    expect(status).toBe(200);
  });
});
