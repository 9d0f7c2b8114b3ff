// Compact JWTs as Entra ID reads client assertions: split, decode, and verify an RS256 or PS256
// signature against a public key. Nothing here trusts a claim before its signature is checked.

import type { KeyObject } from 'node:crypto';
import { constants, verify } from 'node:crypto';

export interface DecodedJwt {
  readonly header: Readonly<Record<string, unknown>>;
  readonly payload: Readonly<Record<string, unknown>>;
  /** `<header>.<payload>`, the bytes the signature covers. */
  readonly signedContent: string;
  readonly signature: Buffer;
}

/** The three parts of a compact JWT, decoded; undefined when it is not one. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [header, payload, signature] = parts;
  if (header === undefined || payload === undefined || signature === undefined) return undefined;
  const decodedHeader = parseObject(header);
  const decodedPayload = parseObject(payload);
  if (decodedHeader === undefined || decodedPayload === undefined) return undefined;
  return {
    header: decodedHeader,
    payload: decodedPayload,
    signedContent: `${header}.${payload}`,
    signature: Buffer.from(signature, 'base64url'),
  };
}

/** True when `jwt` carries a valid RS256 or PS256 signature by `key`; any other `alg` is false. */
export function hasValidSignature(jwt: DecodedJwt, key: KeyObject): boolean {
  const data = Buffer.from(jwt.signedContent);
  try {
    switch (jwt.header['alg']) {
      case 'RS256':
        return verify('sha256', data, key, jwt.signature);
      case 'PS256':
        return verify(
          'sha256',
          data,
          { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO },
          jwt.signature,
        );
      default:
        return false;
    }
  } catch {
    // A key of another type (e.g. EC for RS256) cannot have made the signature.
    return false;
  }
}

function parseObject(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
