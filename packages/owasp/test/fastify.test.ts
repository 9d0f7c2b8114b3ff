import Fastify from 'fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';

import { fastifySecurityContext, getSecurityContext, setSecurityUser } from '../src/index.js';
import type { SecurityEvents } from '../src/index.js';
import { captureSecurityEvents, randomPause } from './support/capture.js';
import { callers, headersOf } from './support/http.js';
import { slowPost } from './support/slow-post.js';

const CONCURRENT = 60;
let app: FastifyInstance | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function appWith(security: SecurityEvents): Promise<FastifyInstance> {
  const fastify = Fastify({ trustProxy: true, bodyLimit: 1024 * 1024 });
  await fastify.register(fastifySecurityContext);
  // An async preHandler in between, as authentication plugins are.
  fastify.addHook('preHandler', async (request) => {
    await randomPause();
    setSecurityUser(String(request.headers['x-user']));
  });
  const handle = async (_request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    await randomPause();
    security.sequenceFail();
    await Promise.all([randomPause(), randomPause()]);
    security.maliciousDirectReference();
    await reply.send(getSecurityContext() ?? null);
  };
  // Routes in an encapsulated child plugin: the hooks must reach them too.
  await fastify.register((child, _options, done) => {
    child.get('/items/:id', handle);
    child.post('/items/:id', handle);
    done();
  });
  return fastify;
}

describe('fastifySecurityContext', () => {
  it.each(['GET', 'POST'])(
    'gives each of 60 concurrent %s requests on a real server its own context',
    async (method) => {
      const capture = captureSecurityEvents();
      app = await appWith(capture.security);
      const base = await app.listen({ host: '127.0.0.1', port: 0 });
      const all = callers(CONCURRENT);

      const responses = await Promise.all(
        all.map(async (c) => {
          const res = await fetch(`${base}/items/${c.i}?token=secret-${c.i}`, {
            method,
            headers: { ...headersOf(c), 'content-type': 'application/json' },
            // A body of several chunks, so the parser's stream events run between them.
            ...(method === 'POST' ? { body: JSON.stringify({ n: c.i, pad: 'x'.repeat(200_000) }) } : {}),
          });
          return (await res.json()) as { correlationId?: string; userId?: string };
        }),
      );

      const records = capture.records();
      expect(records).toHaveLength(2 * CONCURRENT);
      for (const c of all) {
        const mine = records.filter((r) => r.attributes['correlation.id'] === c.correlationId);
        expect(mine.map((r) => r.eventName)).toStrictEqual(['sequence_fail', 'malicious_direct_reference']);
        for (const r of mine) {
          expect(r.attributes['client.address']).toBe(c.ip);
          expect(r.attributes['user.id']).toBe(c.user);
          expect(r.attributes['user_agent.original']).toBe(c.userAgent);
          expect(r.attributes['http.request.method']).toBe(method);
          expect(r.attributes['url.path']).toBe(`/items/${c.i}`);
          expect(r.attributes['server.address']).toBe('127.0.0.1');
        }
      }
      expect(responses.map((r) => [r.correlationId, r.userId])).toStrictEqual(
        all.map((c) => [c.correlationId, c.user]),
      );
      expect(JSON.stringify(records.map((r) => r.attributes))).not.toContain('secret-');
    },
  );

  it('keeps the context of 40 concurrent requests whose bodies arrive in pieces after onRequest ran', async () => {
    app = Fastify();
    await app.register(fastifySecurityContext);
    app.post('/', (_request, reply) => {
      void reply.send({ correlationId: getSecurityContext()?.correlationId ?? null });
    });
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const all = callers(40);

    const seen = await Promise.all(
      all.map(async (c) => {
        const text = await slowPost(`${base}/`, headersOf(c), JSON.stringify({ pad: 'y'.repeat(5000) }));
        return (JSON.parse(text) as { correlationId: string | null }).correlationId;
      }),
    );

    expect(seen).toStrictEqual(all.map((c) => c.correlationId));
  });

  it('re-enters the context after a body parser that finishes outside the request (a callback pool)', async () => {
    // A pool that runs queued callbacks from a timer started outside any request.
    const queue: (() => void)[] = [];
    const pool = setInterval(() => {
      for (const job of queue.splice(0)) job();
    }, 2);
    app = Fastify();
    await app.register(fastifySecurityContext);
    app.addContentTypeParser('application/x-pooled', (_request, payload, done) => {
      payload.resume();
      payload.on('end', () => {
        queue.push(() => {
          done(null, {});
        });
      });
    });
    app.post('/', (_request, reply) => {
      void reply.send({ correlationId: getSecurityContext()?.correlationId ?? null });
    });
    const all = callers(20);

    const seen = await Promise.all(
      all.map(async (c) => {
        const res = await app?.inject({
          method: 'POST',
          url: '/',
          headers: { ...headersOf(c), 'content-type': 'application/x-pooled' },
          payload: 'x',
        });
        return res?.json<{ correlationId: string | null }>().correlationId;
      }),
    );
    clearInterval(pool);

    expect(seen).toStrictEqual(all.map((c) => c.correlationId));
  });

  it('gives each of 60 concurrent injected requests its own context', async () => {
    const capture = captureSecurityEvents();
    app = await appWith(capture.security);
    const all = callers(CONCURRENT);

    const server = app;
    await Promise.all(
      all.map((c) =>
        server.inject({ method: 'POST', url: `/items/${c.i}`, headers: headersOf(c), payload: { n: c.i } }),
      ),
    );

    for (const c of all) {
      const mine = capture.records().filter((r) => r.attributes['correlation.id'] === c.correlationId);
      expect(mine.map((r) => [r.attributes['client.address'], r.attributes['user.id']])).toStrictEqual([
        [c.ip, c.user],
        [c.ip, c.user],
      ]);
    }
  });

  it('takes the user and the session from the callbacks, and never emits the raw session id', async () => {
    const capture = captureSecurityEvents();
    app = Fastify();
    await app.register(fastifySecurityContext, {
      getUser: (request: FastifyRequest) => String(request.headers['x-user']),
      getSessionId: (request: FastifyRequest) => String(request.headers['x-session']),
    });
    app.get('/', (_request, reply) => {
      capture.security.authzFail({ userId: 'joebob1', resource: '/admin' });
      void reply.send(getSecurityContext() ?? null);
    });

    const res = await app.inject({ url: '/', headers: { 'x-user': 'alice', 'x-session': 'sid-RAW-42' } });

    expect(res.json()).toMatchObject({ userId: 'alice', hasSession: true });
    expect(res.body).not.toContain('sid-RAW-42');
    const record = capture.only();
    expect(record.attributes['user.id']).toBe('joebob1');
    expect(record.attributes['owasp.session_hash']).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(record)).not.toContain('sid-RAW-42');
  });

  it('carries the context into the not-found handler', async () => {
    const capture = captureSecurityEvents();
    app = Fastify();
    await app.register(fastifySecurityContext);
    app.setNotFoundHandler(async (_request, reply) => {
      await randomPause();
      capture.security.maliciousExcess404();
      return reply.code(404).send();
    });

    await app.inject({ url: '/nope?q=1', headers: { 'x-request-id': 'req-9' } });

    expect(capture.only().attributes).toMatchObject({ 'url.path': '/nope', 'correlation.id': 'req-9' });
  });
});
