// Client assertions (RFC 7523, `private_key_jwt`) as Entra ID checks them: a JWT the app signed
// with the key of a certificate registered on it (ClientCertificateCredential), or a token of a
// trusted external issuer named by a federated identity credential (workload identity).

import { createHash, createPublicKey, X509Certificate } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { AppRegistration } from '../model.js';
import type { EntraError } from './entra-errors.js';
import { entraErrors } from './entra-errors.js';
import type { DecodedJwt } from './jwt.js';
import { decodeJwt, hasValidSignature } from './jwt.js';

export const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Entra tolerates this much clock difference between the client and itself. */
const CLOCK_SKEW_SECONDS = 300;

/** A registered certificate, indexed by both thumbprints a client may name (`x5t`, `x5t#S256`). */
interface RegisteredCertificate {
  readonly sha1: string;
  readonly sha256: string;
  readonly key: KeyObject;
}

interface TrustedFederation {
  readonly issuer: string;
  readonly subject: string;
  readonly audiences: readonly string[];
  readonly keys: readonly KeyObject[];
}

/** What an app accepts as a client assertion, parsed once at start-up. */
export interface AssertionKeys {
  readonly certificates: readonly RegisteredCertificate[];
  readonly federations: readonly TrustedFederation[];
}

export function assertionKeys(app: AppRegistration): AssertionKeys {
  return {
    certificates: (app.certificates ?? []).map((pem) => {
      const certificate = new X509Certificate(pem);
      return {
        sha1: createHash('sha1').update(certificate.raw).digest('base64url'),
        sha256: createHash('sha256').update(certificate.raw).digest('base64url'),
        key: certificate.publicKey,
      };
    }),
    federations: (app.federatedCredentials ?? []).map((credential) => ({
      issuer: credential.issuer,
      subject: credential.subject,
      audiences: credential.audiences,
      keys: credential.signingKeys.map((pem) => createPublicKey(pem)),
    })),
  };
}

export interface AssertionContext {
  readonly clientId: string;
  /** The URL of the token endpoint the client called: a certificate assertion's `aud`. */
  readonly tokenEndpoint: string;
  readonly nowSeconds: number;
}

/** Undefined when `assertion` proves the app's identity, else the error Entra answers. */
export function checkClientAssertion(
  assertion: string,
  keys: AssertionKeys,
  context: AssertionContext,
): EntraError | undefined {
  const jwt = decodeJwt(assertion);
  if (jwt === undefined) return entraErrors.malformedAssertion();
  const signedByCertificate = 'x5t' in jwt.header || 'x5t#S256' in jwt.header;
  return signedByCertificate
    ? checkCertificateAssertion(jwt, keys, context)
    : checkFederatedAssertion(jwt, keys, context);
}

function checkCertificateAssertion(
  jwt: DecodedJwt,
  keys: AssertionKeys,
  context: AssertionContext,
): EntraError | undefined {
  const { iss, sub, aud } = jwt.payload;
  if (!sameId(iss, context.clientId) || !sameId(sub, context.clientId)) {
    return entraErrors.assertionClientMismatch();
  }
  if (typeof aud !== 'string' || !sameUrl(aud, context.tokenEndpoint)) {
    return entraErrors.assertionAudience(String(aud), context.tokenEndpoint);
  }
  const sha256 = jwt.header['x5t#S256'];
  const sha1 = jwt.header['x5t'];
  const certificate = keys.certificates.find((candidate) =>
    typeof sha256 === 'string' ? candidate.sha256 === sha256 : candidate.sha1 === sha1,
  );
  if (certificate === undefined) {
    const named = typeof sha256 === 'string' ? sha256 : String(sha1);
    return entraErrors.unknownCertificate(thumbprintHex(named), context.clientId);
  }
  if (!hasValidSignature(jwt, certificate.key)) return entraErrors.invalidAssertionSignature();
  return checkLifetime(jwt, context.nowSeconds);
}

function checkFederatedAssertion(
  jwt: DecodedJwt,
  keys: AssertionKeys,
  context: AssertionContext,
): EntraError | undefined {
  const { iss, sub, aud } = jwt.payload;
  const issuer = typeof iss === 'string' ? iss : '';
  const byIssuer = keys.federations.filter((federation) => federation.issuer === issuer);
  if (byIssuer.length === 0) return entraErrors.noFederatedIssuer(issuer);
  const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud.map(String) : [];
  const byAudience = byIssuer.filter((federation) =>
    audiences.some((audience) => federation.audiences.includes(audience)),
  );
  if (byAudience.length === 0) return entraErrors.noFederatedAudience(audiences.join(','));
  // Subjects are compared case-sensitively, as Entra has done since 2025.
  const subject = typeof sub === 'string' ? sub : '';
  const federation = byAudience.find((candidate) => candidate.subject === subject);
  if (federation === undefined) return entraErrors.noFederatedSubject(subject);
  if (!federation.keys.some((key) => hasValidSignature(jwt, key))) {
    return entraErrors.invalidAssertionSignature();
  }
  return checkLifetime(jwt, context.nowSeconds);
}

function checkLifetime(jwt: DecodedJwt, nowSeconds: number): EntraError | undefined {
  const { exp, nbf } = jwt.payload;
  if (typeof exp !== 'number' || nowSeconds >= exp + CLOCK_SKEW_SECONDS)
    return entraErrors.assertionExpired();
  if (typeof nbf === 'number' && nowSeconds + CLOCK_SKEW_SECONDS < nbf) return entraErrors.assertionExpired();
  return undefined;
}

function sameId(value: unknown, clientId: string): boolean {
  return typeof value === 'string' && value.toLowerCase() === clientId.toLowerCase();
}

function sameUrl(given: string, expected: string): boolean {
  const trim = (url: string): string => url.replace(/\/+$/, '').toLowerCase();
  return trim(given) === trim(expected);
}

/** Entra names thumbprints in upper-case hex in its messages. */
function thumbprintHex(base64url: string): string {
  return Buffer.from(base64url, 'base64url').toString('hex').toUpperCase();
}
