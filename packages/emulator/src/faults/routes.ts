// The fault-injection admin API: POST a rule (or an array of rules), GET the active ones,
// DELETE them all. Loopback-only like the rest of the emulator, and never part of Azure's API.

import type { FastifyInstance, FastifyReply } from 'fastify';
import type { FaultInjector } from './fault-injector.js';
import { FaultRuleError, parseFaultRules } from './fault-rule.js';

const BODY_LIMIT = 64 * 1024;

export function faultRoutes(app: FastifyInstance, injector: FaultInjector): void {
  // A scope of its own: the body is read raw and parsed here, so every malformed request gets
  // the same error shape whatever parsers the rest of the app registers.
  void app.register((scope, _options, done) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: BODY_LIMIT },
      (_request, body, parsed) => {
        parsed(null, body);
      },
    );
    scope.setErrorHandler((error: { statusCode?: number; message: string }, _request, reply) =>
      badRequest(
        reply,
        error.statusCode === 413 ? `the body is over ${BODY_LIMIT} bytes` : error.message,
        error.statusCode,
      ),
    );

    scope.post('/admin/faults', (request, reply) => {
      let body: unknown;
      try {
        const text = Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '';
        body = JSON.parse(text);
      } catch {
        return badRequest(
          reply,
          'the body must be JSON: a fault rule like {"kind":"throttle","count":2} or an array of them',
        );
      }
      try {
        for (const rule of parseFaultRules(body)) injector.add(rule);
      } catch (e) {
        if (e instanceof FaultRuleError) return badRequest(reply, e.message);
        throw e;
      }
      return reply.code(201).send({ rules: injector.list() });
    });

    scope.get('/admin/faults', (_request, reply) => reply.send({ rules: injector.list() }));

    scope.delete('/admin/faults', (_request, reply) => {
      injector.clear();
      return reply.code(204).send();
    });
    done();
  });
}

function badRequest(reply: FastifyReply, message: string, status = 400): FastifyReply {
  return reply
    .code(status >= 400 && status < 500 ? status : 400)
    .header('x-ms-error-code', 'InvalidFaultRule')
    .send({ error: { code: 'InvalidFaultRule', message } });
}
