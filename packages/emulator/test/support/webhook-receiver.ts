// A real local webhook endpoint for the automation tests: answers each POST as its script
// says (a status and headers, or a dropped connection) and keeps what it received.
import { createServer as createHttpServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/** How the receiver answers one request: a status (with headers), `drop` the socket, or `hang`. */
export type Answer = { status: number; headers?: Record<string, string> } | 'drop' | 'hang';

export interface Received {
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
}

export interface Receiver {
  readonly url: string;
  readonly received: Received[];
  close(): Promise<void>;
}

/**
 * Starts a receiver on 127.0.0.1 answering requests with `script` in turn (the last answer
 * repeats); over HTTPS when `tls` (a key and certificate) is given.
 */
export async function startReceiver(
  script: readonly Answer[],
  tls?: { readonly key: string; readonly cert: string },
): Promise<Receiver> {
  const received: Received[] = [];
  let n = 0;
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        url: req.url ?? '',
        headers: req.headers,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
      });
      const answer = script[Math.min(n++, script.length - 1)] ?? { status: 200 };
      if (answer === 'drop') req.socket.destroy();
      else if (answer !== 'hang') res.writeHead(answer.status, answer.headers ?? {}).end('ok');
    });
  };
  const server: Server = tls ? createHttpsServer(tls, handle) : createHttpServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
