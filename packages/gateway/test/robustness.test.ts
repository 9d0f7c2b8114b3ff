// Nothing a client sends can stop the gateway: malformed bodies of every kind get a 4xx, and the
// same server answers a good request right after.
import type { RunningEmulator } from '@otel-sentinel/emulator';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../src/index.js';
import {
  jsonBody,
  post,
  protobufBody,
  requestObject,
  securityRecord,
  statusOf,
} from './support/otlp-bodies.js';
import { gatewayOptions, startTestEmulator } from './support/stack.js';
import { startGateway } from '../src/index.js';

let emulator: RunningEmulator;
let gateway: RunningGateway;
const MAX_BODY = 256 * 1024;
const PROTOBUF = 'application/x-protobuf';
const JSON_TYPE = 'application/json';

beforeAll(async () => {
  emulator = await startTestEmulator();
  gateway = await startGateway(gatewayOptions(emulator, { maxBodyBytes: MAX_BODY }));
});
afterAll(async () => {
  await gateway.close();
  await emulator.close();
});

const good = protobufBody([securityRecord(1), securityRecord(2)]);

async function stillServes(): Promise<void> {
  const answer = await post(`${gateway.url}/v1/logs`, good, PROTOBUF);
  expect(answer.status).toBe(200);
}

/** A JSON body whose first record's body is an AnyValue array nested `depth` deep. */
function deeplyNested(depth: number): Buffer {
  const request = requestObject([securityRecord(1)]);
  // Built as text: JSON.stringify itself would recurse that deep.
  const value = '{"arrayValue":{"values":['.repeat(depth) + '{"stringValue":"core"}' + ']}}'.repeat(depth);
  const text = JSON.stringify(request).replace(
    '"body":{"stringValue":"security event 1"}',
    `"body":${value}`,
  );
  return Buffer.from(text);
}

describe('malformed bodies', () => {
  it('answers 400 for a truncated protobuf body', async () => {
    const answer = await post(`${gateway.url}/v1/logs`, good.subarray(0, good.length - 7), PROTOBUF);
    expect(answer.status).toBe(400);
    expect(statusOf(answer).message).toMatch(/cannot decode/);
    await stillServes();
  });

  it('answers 400 for JSON nested far deeper than any log body', async () => {
    const answer = await post(`${gateway.url}/v1/logs`, deeplyNested(5000), JSON_TYPE);
    expect(answer.status).toBe(400);
    expect(statusOf(answer).message).toMatch(/nest/);
    await stillServes();
  });

  it('answers 400 for a JSON document nested 100000 levels deep', async () => {
    const body = Buffer.from(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    const answer = await post(`${gateway.url}/v1/logs`, body, JSON_TYPE);
    expect(answer.status).toBe(400);
    await stillServes();
  });

  it('answers 400 for JSON that is not valid UTF-8', async () => {
    const text = jsonBody([securityRecord(1)]);
    const at = text.indexOf('security event');
    const body = Buffer.concat([text.subarray(0, at), Buffer.from([0xc3, 0x28, 0xff]), text.subarray(at)]);
    const answer = await post(`${gateway.url}/v1/logs`, body, JSON_TYPE);
    expect(answer.status).toBe(400);
    await stillServes();
  });

  it('answers 413 for a 10 MB body over maxBodyBytes, with Content-Length or chunked', async () => {
    const big = Buffer.alloc(10 * 1024 * 1024, 0x41);
    const sized = await post(`${gateway.url}/v1/logs`, big, PROTOBUF);
    expect(sized.status).toBe(413);
    const chunks = function* (): Generator<Uint8Array> {
      for (let i = 0; i < 10; i++) yield big.subarray(i * 1024 * 1024, (i + 1) * 1024 * 1024);
    };
    const res = await fetch(`${gateway.url}/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': PROTOBUF },
      body: ReadableStream.from(chunks()),
      duplex: 'half',
    });
    expect(res.status).toBe(413);
    await res.arrayBuffer();
    await stillServes();
  });

  it('never answers random bytes with a 5xx, in either format, and keeps serving', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 2048 }),
        fc.constantFrom(PROTOBUF, JSON_TYPE),
        async (bytes, type) => {
          const answer = await post(`${gateway.url}/v1/logs`, bytes, type);
          expect([200, 400]).toContain(answer.status);
        },
      ),
      { numRuns: 150 },
    );
    await stillServes();
  });

  it('never answers a mutated valid body with a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }), {
          minLength: 1,
          maxLength: 8,
        }),
        async (edits) => {
          const body = Buffer.from(good);
          for (const e of edits) body[e.at % body.length] = e.byte;
          const answer = await post(`${gateway.url}/v1/logs`, body, PROTOBUF);
          expect([200, 400]).toContain(answer.status);
        },
      ),
      { numRuns: 150 },
    );
    await stillServes();
  });
});
