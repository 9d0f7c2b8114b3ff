// A GET to the emulator's HTTPS server trusting only the CA file its start-up lines print
// (NODE_EXTRA_CA_CERTS): the status and the body.
import { readFileSync } from 'node:fs';
import { request } from 'node:https';

export function fetchTrusting(url: string, caPath: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca: readFileSync(caPath, 'utf8') }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('error', reject);
    req.end();
  });
}
