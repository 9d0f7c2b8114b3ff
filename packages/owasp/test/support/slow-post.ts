// Sends a JSON POST whose body arrives in pieces with pauses between them, so a server's body
// parser finishes in a socket event rather than in the request's own async flow.

import { request } from 'node:http';

export function slowPost(
  url: string,
  headers: Record<string, string>,
  body: string,
  pieces = 4,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          resolve(text);
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    const size = Math.ceil(body.length / pieces);
    let at = 0;
    const next = (): void => {
      if (at >= body.length) {
        req.end();
        return;
      }
      req.write(body.slice(at, at + size));
      at += size;
      setTimeout(next, 5 + Math.floor(Math.random() * 10));
    };
    next();
  });
}
