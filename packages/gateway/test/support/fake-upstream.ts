// A fake upstream OTLP/HTTP receiver on node:http: records every request body (decoded with the
// gateway's codec) and answers as the test says — 200, an error status with Retry-After, or
// never (a stalled collector).
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LogRecordLike } from '@otel-sentinel/mapping';
import { decodeLogsRequest } from '../../src/otlp/index.js';

export type UpstreamAnswer = { readonly status: number; readonly headers?: Record<string, string> } | 'hang';

export interface ReceivedRequest {
  readonly contentType: string | undefined;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
}

export interface FakeUpstream {
  readonly url: string;
  /** Every request, answered or not, in arrival order. */
  readonly received: ReceivedRequest[];
  /** The records of the requests answered 2xx. */
  accepted(): LogRecordLike[];
  /** How the n-th request (0-based) is answered. Default: 200 to all. */
  answer: (n: number) => UpstreamAnswer;
  close(): Promise<void>;
}

export async function startFakeUpstream(): Promise<FakeUpstream> {
  const received: ReceivedRequest[] = [];
  const acceptedBodies: Buffer[] = [];
  const hanging = new Set<ServerResponse>();
  const upstream: FakeUpstream = {
    url: '',
    received,
    accepted: () => acceptedBodies.flatMap((b) => [...decodeLogsRequest(b, 'protobuf').records]),
    answer: () => ({ status: 200 }),
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    },
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const n = received.length;
      received.push({ contentType: req.headers['content-type'], headers: req.headers, body });
      const answer = upstream.answer(n);
      if (answer === 'hang') {
        hanging.add(res);
        return;
      }
      if (answer.status >= 200 && answer.status < 300) acceptedBodies.push(body);
      res.writeHead(answer.status, { 'content-type': 'application/x-protobuf', ...answer.headers });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(upstream, { url: `http://127.0.0.1:${port}` });
}
