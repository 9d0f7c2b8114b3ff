// Access tokens of the emulated Entra ID: compact JWTs signed HS256 with a key that, by default,
// lives only as long as the process. Clients treat them as opaque; the emulator verifies them.

import type { KeyObject } from 'node:crypto';
import { createHmac, createSecretKey, randomBytes, timingSafeEqual } from 'node:crypto';
import { ConfigError, OtelSentinelError } from '@otel-sentinel/mapping';
import type { TokenIssuer } from '../model.js';
import { audienceForScope } from './scopes.js';

export interface TokenIssuerOptions {
  /**
   * The directory (tenant) id tokens are issued in: their `tid`, and part of `iss`.
   * Example: `'00000000-0000-4000-8000-000000000001'`.
   */
  readonly tenantId: string;
  /**
   * The emulator's https origin; tokens carry `iss` = `<issuerOrigin>/<tenantId>/v2.0`.
   * Example: `'https://127.0.0.1:4443'`.
   */
  readonly issuerOrigin: string;
  /**
   * The HMAC-SHA256 signing key, at least 32 bytes. Default: 32 random bytes, so tokens do not
   * survive a restart of the emulator (as if the signing key had rolled over).
   */
  readonly secret?: Uint8Array;
  /** Token lifetime, the `expires_in` of the token response. Default: 3599 (what Entra ID answers). */
  readonly lifetimeSeconds?: number;
  /** The clock, in milliseconds since the epoch. Default: `Date.now`. Tests inject one. */
  readonly now?: () => number;
}

/** A `ConfigError` `E_TOKEN_ISSUER_CONFIG`, thrown by `createTokenIssuer` for an option it cannot work with. */
function tokenIssuerConfigError(option: string, message: string): ConfigError {
  return new ConfigError('E_TOKEN_ISSUER_CONFIG', option, `${option}: ${message}`);
}

/** Thrown by `issue` for a scope the emulator issues no tokens for (check `audienceForScope` first). */
export class UnsupportedScopeError extends OtelSentinelError {
  declare readonly code: 'E_UNSUPPORTED_SCOPE';
  constructor(scope: string) {
    super(
      'E_UNSUPPORTED_SCOPE',
      `no token can be issued for scope '${scope}': use <resource>/.default of an Azure Monitor API`,
    );
  }
}

const MIN_SECRET_BYTES = 32;
const DEFAULT_LIFETIME_SECONDS = 3599;
/** `{"alg":"HS256","typ":"JWT"}`, encoded once. */
const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

/**
 * Issues and verifies the emulator's access tokens. `verify` returns claims only for a token this
 * issuer signed (compared in constant time) that is within its `nbf`..`exp` window;
 * `TokenClaims.expiresAt` is in milliseconds since the epoch.
 */
export function createTokenIssuer(options: TokenIssuerOptions): TokenIssuer {
  const { tenantId, issuer, key, lifetimeSeconds, now } = validate(options);
  const origin = new URL(options.issuerOrigin).origin;

  const sign = (content: string): string => createHmac('sha256', key).update(content).digest('base64url');

  return {
    issue(clientId, scope) {
      const audience = audienceForScope(scope, origin);
      if (audience === undefined) throw new UnsupportedScopeError(scope);
      const issuedAt = Math.floor(now() / 1000);
      const claims = {
        aud: audience,
        iss: issuer,
        iat: issuedAt,
        nbf: issuedAt,
        exp: issuedAt + lifetimeSeconds,
        appid: clientId,
        azp: clientId,
        tid: tenantId,
        idtyp: 'app',
        ver: '2.0',
      };
      const content = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
      return { token: `${content}.${sign(content)}`, expiresIn: lifetimeSeconds };
    },

    verify(token) {
      const lastDot = token.lastIndexOf('.');
      if (lastDot < 0) return undefined;
      const content = token.slice(0, lastDot);
      const given = Buffer.from(token.slice(lastDot + 1));
      const expected = Buffer.from(sign(content));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;

      const claims = decodePayload(content);
      // A token this key signed for another origin (the key outlives a restart on another
      // port) names another authority: Azure refuses a token whose `iss` it does not trust.
      if (claims === undefined || claims.tid !== tenantId || claims.iss !== issuer) return undefined;
      const nowSeconds = now() / 1000;
      if (nowSeconds < claims.nbf || nowSeconds >= claims.exp) return undefined;
      return {
        clientId: claims.appid,
        tenantId: claims.tid,
        audience: claims.aud,
        expiresAt: claims.exp * 1000,
      };
    },
  };
}

interface VerifiedPayload {
  readonly aud: string;
  readonly iss: string;
  readonly appid: string;
  readonly tid: string;
  readonly nbf: number;
  readonly exp: number;
}

/** The payload of a token whose signature is already verified; undefined if it is malformed. */
function decodePayload(content: string): VerifiedPayload | undefined {
  const parts = content.split('.');
  if (parts.length !== 2 || parts[0] !== HEADER || parts[1] === undefined) return undefined;
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof payload !== 'object' || payload === null) return undefined;
  const { aud, iss, appid, tid, nbf, exp } = payload as Record<string, unknown>;
  if (typeof aud !== 'string' || typeof appid !== 'string' || typeof tid !== 'string') return undefined;
  if (typeof iss !== 'string' || typeof nbf !== 'number' || typeof exp !== 'number') return undefined;
  return { aud, iss, appid, tid, nbf, exp };
}

function validate(options: TokenIssuerOptions): {
  tenantId: string;
  issuer: string;
  key: KeyObject;
  lifetimeSeconds: number;
  now: () => number;
} {
  if (options.tenantId.trim() === '') {
    throw tokenIssuerConfigError('tenantId', 'must not be empty');
  }
  let origin: URL;
  try {
    origin = new URL(options.issuerOrigin);
  } catch {
    throw tokenIssuerConfigError(
      'issuerOrigin',
      `'${options.issuerOrigin}' is not a URL; use e.g. https://127.0.0.1:4443`,
    );
  }
  if (origin.protocol !== 'https:') {
    throw tokenIssuerConfigError(
      'issuerOrigin',
      'must be an https URL: Azure clients refuse any other authority',
    );
  }
  const secret = options.secret ?? randomBytes(MIN_SECRET_BYTES);
  if (secret.length < MIN_SECRET_BYTES) {
    throw tokenIssuerConfigError(
      'secret',
      `must be at least ${MIN_SECRET_BYTES} bytes for HS256, got ${secret.length}`,
    );
  }
  const lifetimeSeconds = options.lifetimeSeconds ?? DEFAULT_LIFETIME_SECONDS;
  if (!Number.isSafeInteger(lifetimeSeconds) || lifetimeSeconds <= 0) {
    throw tokenIssuerConfigError(
      'lifetimeSeconds',
      `must be a positive whole number of seconds, got ${lifetimeSeconds}`,
    );
  }
  return {
    tenantId: options.tenantId,
    issuer: `${origin.origin}/${options.tenantId}/v2.0`,
    // A copy, so that the caller changing its buffer cannot change the key.
    key: createSecretKey(Buffer.from(secret)),
    lifetimeSeconds,
    now: options.now ?? Date.now,
  };
}
