// Compile-time checks: `tsc --noEmit` (the typecheck script) fails if a line marked as an
// expected error compiles, or if an unmarked line does not. The body never runs.

import type { Logger as ApiLogsLogger } from '@opentelemetry/api-logs';
import type { LoggerProvider } from '@opentelemetry/sdk-logs';
import express from 'express';
import type { Request } from 'express';
import Fastify from 'fastify';
import type { FastifyRequest } from 'fastify';
import { expect, expectTypeOf, it } from 'vitest';

import { fastifySecurityContext, securityContextMiddleware } from '../src/index.js';
import type {
  AuthnLoginFailArgs,
  InputValidationFailArgs,
  SecurityEventName,
  SecurityEvents,
  SecurityLogger,
} from '../src/index.js';

function typeChecks(security: SecurityEvents, provider: LoggerProvider, apiLogger: ApiLogsLogger): void {
  expectTypeOf<AuthnLoginFailArgs>().toEqualTypeOf<{
    readonly userId: string;
    readonly reason?: string;
    readonly sessionId?: string;
  }>();
  expectTypeOf<InputValidationFailArgs['fields']>().toEqualTypeOf<readonly string[]>();
  expectTypeOf<'authn_login_fail' | 'malicious_excess_404'>().toExtend<SecurityEventName>();

  security.authnLoginFail({ userId: 'joebob1' });
  security.authnLoginSuccessafterfail({ userId: 'joebob1', retries: 2, sessionId: 'sid' });
  security.inputValidationFail({ fields: ['zip', 'date_of_birth'] as const });
  security.maliciousExcess404();
  security.emit('authn_login_fail', { userId: 'joebob1' });
  security.emit('crypt_decrypt_fail');

  // @ts-expect-error userId is required
  security.authnLoginFail({});
  // @ts-expect-error retries is an integer
  security.authnLoginSuccessafterfail({ userId: 'joebob1', retries: '2' });
  // @ts-expect-error there is no payload argument
  security.maliciousSqli({ parameter: 'q', ruleId: 'SQLI-UNION', payload: "' OR 1=1" });
  // @ts-expect-error the event needs arguments
  security.emit('authn_login_fail');
  // @ts-expect-error not an event of the vocabulary
  security.emit('authn_login_everywhere', {});

  // Both OpenTelemetry loggers fit the logger option.
  expectTypeOf(provider.getLogger('x')).toExtend<SecurityLogger>();
  expectTypeOf(apiLogger).toExtend<SecurityLogger>();

  const app = express();
  app.use(securityContextMiddleware());
  app.use('/api', securityContextMiddleware({ getUser: (req: Request) => req.get('x-user') }));

  const fastify = Fastify();
  void fastify.register(fastifySecurityContext);
  void fastify.register(fastifySecurityContext, {
    getSessionId: (request: FastifyRequest) => request.headers['x-session'] as string | undefined,
  });
}

it('type-checks the helpers and integrations (see tsc)', () => {
  expect(typeof typeChecks).toBe('function');
});
