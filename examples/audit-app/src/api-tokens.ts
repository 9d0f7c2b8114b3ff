// Personal API tokens, for scripts that read invoices: `cat_` and 32 random bytes, shown once when
// created. The store keeps only the token's SHA-256 and a token id (`tok-…`) that is safe to log.
// A revoked token is remembered, so presenting it again is recognised as reuse (authn_token_reuse):
// whoever still has it may have taken it from a leaked script or repository.

import { createHash, randomBytes } from 'node:crypto';

/** What every API token starts with, so it is told apart from a session id. */
export const TOKEN_PREFIX = 'cat_';

/** What a token may do. Tokens read; writing needs a signed-in session. */
export const TOKEN_ENTITLEMENTS = ['invoices:read'] as const;

export interface ApiToken {
  readonly tokenId: string;
  readonly userId: string;
  readonly entitlements: readonly string[];
  readonly createdAt: number;
  revokedAt?: number;
}

export type TokenLookup =
  | { readonly status: 'active'; readonly token: ApiToken }
  | { readonly status: 'revoked'; readonly token: ApiToken };

function digestOf(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export class ApiTokenStore {
  private readonly byDigest = new Map<string, ApiToken>();
  private readonly digestById = new Map<string, string>();

  /** A new token for `userId`: the record, and the secret to hand over once. */
  create(userId: string, now: number): { readonly token: ApiToken; readonly secret: string } {
    const secret = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const token: ApiToken = {
      tokenId: `tok-${randomBytes(6).toString('hex')}`,
      userId,
      entitlements: TOKEN_ENTITLEMENTS,
      createdAt: now,
    };
    const digest = digestOf(secret);
    this.byDigest.set(digest, token);
    this.digestById.set(token.tokenId, digest);
    return { token, secret };
  }

  /** The token a bearer secret belongs to, active or revoked; `undefined` when it is not one. */
  find(secret: string): TokenLookup | undefined {
    const token = this.byDigest.get(digestOf(secret));
    if (token === undefined) return undefined;
    return token.revokedAt === undefined ? { status: 'active', token } : { status: 'revoked', token };
  }

  /** Revokes one of `userId`'s active tokens; returns it, or `undefined` when they have no such token. */
  revoke(tokenId: string, userId: string, now: number): ApiToken | undefined {
    const digest = this.digestById.get(tokenId);
    const token = digest === undefined ? undefined : this.byDigest.get(digest);
    if (token?.userId !== userId || token.revokedAt !== undefined) return undefined;
    token.revokedAt = now;
    return token;
  }
}
