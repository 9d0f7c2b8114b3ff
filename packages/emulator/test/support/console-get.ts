// A GET to a running emulator's console over its TLS, with a chosen Host header (the console's
// guard answers only to the loopback Host): for the console API tests.
import { request } from 'node:https';
import type { RunningEmulator } from '../../src/index.js';

export function consoleGet(
  running: Pick<RunningEmulator, 'port' | 'caCertPem'>,
  path: string,
  host = `127.0.0.1:${running.port}`,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: running.port,
        path,
        ca: running.caCertPem,
        headers: { host },
        // The CA is still checked; only the name check would look at the Host under test.
        checkServerIdentity: () => undefined,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body });
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}
