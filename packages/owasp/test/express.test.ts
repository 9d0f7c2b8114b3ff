import { createServer } from 'node:http';
import type { Server } from 'node:http';

import express from 'express';
import type { Request } from 'express';
import { afterEach, describe, expect, it } from 'vitest';

import { getSecurityContext, securityContextMiddleware, setSecurityUser } from '../src/index.js';
import type { SecurityEvents } from '../src/index.js';
import { captureSecurityEvents, randomPause } from './support/capture.js';
import { callers, close, headersOf, listen } from './support/http.js';
import { slowPost } from './support/slow-post.js';

const CONCURRENT = 60;
let server: Server | undefined;

afterEach(async () => {
  if (server) await close(server);
  server = undefined;
});

function appWith(security: SecurityEvents, parser: 'before' | 'after'): express.Express {
  const app = express();
  app.set('trust proxy', true);
  if (parser === 'before') app.use(express.json({ limit: '1mb' }));
  app.use(securityContextMiddleware());
  if (parser === 'after') app.use(express.json({ limit: '1mb' }));
  const handle = async (req: Request, res: express.Response): Promise<void> => {
    await randomPause();
    security.sequenceFail();
    await randomPause();
    setSecurityUser(String(req.headers['x-user']));
    await Promise.all([randomPause(), randomPause()]);
    security.maliciousDirectReference();
    res.json(getSecurityContext() ?? null);
  };
  app.get('/items/:id', handle);
  app.post('/items/:id', handle);
  return app;
}

describe('securityContextMiddleware', () => {
  it.each([
    ['GET', 'before'],
    ['POST', 'before'],
    ['POST', 'after'],
  ] as const)(
    'gives each of 60 concurrent %s requests its own context through async handlers (body parser %s it)',
    async (method, parser) => {
      const capture = captureSecurityEvents();
      server = createServer(appWith(capture.security, parser));
      const base = await listen(server);
      const all = callers(CONCURRENT);

      const responses = await Promise.all(
        all.map(async (c) => {
          const res = await fetch(`${base}/items/${c.i}?token=secret-${c.i}`, {
            method,
            headers: { ...headersOf(c), 'content-type': 'application/json' },
            // A body of several chunks, so the parser's stream events run between them.
            ...(method === 'POST' ? { body: JSON.stringify({ n: c.i, pad: 'x'.repeat(200_000) }) } : {}),
          });
          return (await res.json()) as { userId?: string };
        }),
      );

      const records = capture.records();
      expect(records).toHaveLength(2 * CONCURRENT);
      for (const c of all) {
        const mine = records.filter((r) => r.attributes['correlation.id'] === c.correlationId);
        expect(mine.map((r) => r.eventName)).toStrictEqual(['sequence_fail', 'malicious_direct_reference']);
        for (const r of mine) {
          expect(r.attributes['client.address']).toBe(c.ip);
          expect(r.attributes['user_agent.original']).toBe(c.userAgent);
          expect(r.attributes['http.request.method']).toBe(method);
          expect(r.attributes['url.path']).toBe(`/items/${c.i}`);
          expect(r.attributes['server.address']).toBe('127.0.0.1');
        }
        expect(mine[0]?.attributes['user.id']).toBeUndefined();
        expect(mine[1]?.attributes['user.id']).toBe(c.user);
        expect(mine[1]?.body).toBe(
          `A user at ${c.ip} attempted to access an object to which they are not authorized`,
        );
      }
      expect(responses.map((r) => r.userId)).toStrictEqual(all.map((c) => c.user));
      expect(JSON.stringify(records.map((r) => r.attributes))).not.toContain('secret-');
    },
  );

  it('keeps the context of 40 concurrent requests whose bodies arrive in pieces after the middleware ran', async () => {
    const app = express();
    app.use(securityContextMiddleware());
    app.use(express.json());
    app.post('/', (_req, res) => {
      res.json(getSecurityContext()?.correlationId ?? null);
    });
    server = createServer(app);
    const base = await listen(server);
    const all = callers(40);

    const seen = await Promise.all(
      all.map(async (c) => {
        const text = await slowPost(`${base}/`, headersOf(c), JSON.stringify({ pad: 'y'.repeat(5000) }));
        return JSON.parse(text) as unknown;
      }),
    );

    expect(seen).toStrictEqual(all.map((c) => c.correlationId));
  });

  it('takes the user and session from the callbacks, and never emits the raw session id', async () => {
    const capture = captureSecurityEvents();
    const app = express();
    app.use(
      securityContextMiddleware({
        getUser: (req) => String(req.headers['x-user']),
        getSessionId: (req) => String(req.headers['x-session']),
      }),
    );
    app.get('/', (_req, res) => {
      capture.security.sessionUseAfterExpire({ userId: 'joebob1' });
      res.end();
    });
    server = createServer(app);
    const base = await listen(server);

    await fetch(`${base}/`, { headers: { 'x-user': 'alice', 'x-session': 'sid-RAW-42' } });

    const record = capture.only();
    expect(record.attributes['owasp.session_hash']).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(record)).not.toContain('sid-RAW-42');
  });

  it('reports a getUser that throws once, and the request still succeeds', async () => {
    const problems: string[] = [];
    const app = express();
    app.use(
      securityContextMiddleware({
        getUser: () => {
          throw new Error('no session store');
        },
        onError: (e) => problems.push(e.code),
      }),
    );
    app.get('/', (_req, res) => {
      res.json(getSecurityContext()?.userId ?? 'none');
    });
    server = createServer(app);
    const base = await listen(server);

    const bodies = await Promise.all([1, 2, 3].map(async () => (await fetch(`${base}/`)).json()));

    expect(bodies).toStrictEqual(['none', 'none', 'none']);
    expect(problems).toStrictEqual(['E_CONTEXT_CAPTURE']);
  });

  it('uses the socket address when trust proxy is off, whatever X-Forwarded-For says', async () => {
    const capture = captureSecurityEvents();
    const app = express();
    app.use(securityContextMiddleware());
    app.get('/', (_req, res) => {
      capture.security.maliciousCsrf();
      res.end();
    });
    server = createServer(app);
    const base = await listen(server);

    await fetch(`${base}/`, { headers: { 'x-forwarded-for': '6.6.6.6' } });

    expect(capture.only().attributes['client.address']).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
  });
});
