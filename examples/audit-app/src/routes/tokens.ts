// Personal API tokens for scripts: POST /api/tokens creates one (authn_token_created) and shows it
// once; DELETE /api/tokens/:tokenId revokes it (authn_token_revoked). Both need a signed-in
// session: a token cannot mint or revoke tokens.

import type { SecurityEvents } from '@otel-sentinel/owasp';
import type { FastifyInstance, preValidationHookHandler } from 'fastify';
import type { ApiTokenStore } from '../api-tokens.js';

export interface TokenDeps {
  readonly security: SecurityEvents;
  readonly tokens: ApiTokenStore;
  readonly authenticate: preValidationHookHandler;
  readonly rateLimit: preValidationHookHandler;
  readonly now: () => number;
}

export function registerTokens(app: FastifyInstance, deps: TokenDeps): void {
  const { security, tokens, authenticate, rateLimit, now } = deps;

  app.post('/api/tokens', { preValidation: [authenticate, rateLimit] }, (request, reply) => {
    const userId = request.principal?.userId ?? 'anonymous';
    const { token, secret } = tokens.create(userId, now());
    security.authnTokenCreated({ userId, entitlements: [...token.entitlements] });
    return reply.code(201).send({ tokenId: token.tokenId, token: secret, entitlements: token.entitlements });
  });

  app.delete<{ Params: { readonly tokenId: string } }>(
    '/api/tokens/:tokenId',
    {
      schema: {
        params: {
          type: 'object',
          required: ['tokenId'],
          properties: { tokenId: { type: 'string', pattern: '^tok-[0-9a-f]{12}$' } },
        },
      },
      preValidation: [authenticate, rateLimit],
    },
    (request, reply) => {
      const userId = request.principal?.userId ?? 'anonymous';
      const revoked = tokens.revoke(request.params.tokenId, userId, now());
      if (revoked === undefined) return reply.code(404).send({ error: 'no such token' });
      security.authnTokenRevoked({ userId, tokenId: revoked.tokenId });
      return reply.code(204).send();
    },
  );
}
