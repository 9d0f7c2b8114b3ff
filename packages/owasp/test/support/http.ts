// Starts real HTTP servers on 127.0.0.1 with a free port, and fires many requests at once.

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

export async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve, reject) => {
    server.close((error) => {
      if (error) reject(error);
      else resolve();
    });
  });
}

/** The request number `i` carries, for the assertions. */
export interface Caller {
  readonly i: number;
  readonly ip: string;
  readonly user: string;
  readonly correlationId: string;
  readonly userAgent: string;
}

export function callers(n: number): Caller[] {
  return Array.from({ length: n }, (_, i) => ({
    i,
    ip: `10.0.${Math.floor(i / 250)}.${(i % 250) + 1}`,
    user: `user-${i}`,
    correlationId: `corr-${i}`,
    userAgent: `agent/${i}`,
  }));
}

export function headersOf(c: Caller): Record<string, string> {
  return {
    'x-forwarded-for': c.ip,
    'x-user': c.user,
    'x-correlation-id': c.correlationId,
    'user-agent': c.userAgent,
  };
}
