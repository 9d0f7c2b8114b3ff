// A local HTTP endpoint standing in for a Logic App: it keeps every POST it receives (headers and
// JSON body) and answers 200, so a test can check what the emulator's automation delivered.
import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Delivery {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
}

export interface WebhookReceiver {
  /** `http://127.0.0.1:<port>/incident`: the URL to give the emulator's automation. */
  readonly url: string;
  /** Every POST so far, in arrival order. */
  readonly received: Delivery[];
  /** Resolves with the first delivery that `matches`, as soon as it arrives. */
  next(matches: (delivery: Delivery) => boolean): Promise<Delivery>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: Delivery[] = [];
  const waiting: { matches: (d: Delivery) => boolean; resolve: (d: Delivery) => void }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = JSON.parse(text) as unknown;
      } catch {
        // Kept as text: the test's assertion on the body says what was wrong.
      }
      const delivery: Delivery = { path: req.url ?? '', headers: req.headers, body };
      received.push(delivery);
      for (const w of waiting.filter((x) => x.matches(delivery))) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve(delivery);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/incident`,
    received,
    next: (matches) => {
      const already = received.find(matches);
      if (already !== undefined) return Promise.resolve(already);
      return new Promise((resolve) => waiting.push({ matches, resolve }));
    },
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => {
          if (error) reject(error);
          else resolve();
        });
      }),
  };
}
