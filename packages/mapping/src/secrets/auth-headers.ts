// Credentials in HTTP authentication: `Bearer` and `Basic` tokens wherever they appear, any other
// `Authorization` scheme (Token, ApiKey, SSWS, Negotiate, NTLM, a bare key), the `response=` of
// Digest, AWS Signature V4 signatures, and API-key header lines (`X-Api-Key: …`).

import { afterPrefix, looksGenerated, unlessMarker } from './detector.js';
import type { Detector } from './detector.js';

const PLACEHOLDER = /^(?:\*+|x{3,}|X{3,}|null|none|undefined|redacted|<[^>]*>|\$\{[^}]*\}|\{\{.*\}\})$/i;

function generatedCredential(secret: string): boolean {
  return !PLACEHOLDER.test(secret) && (looksGenerated(secret) || secret.length >= 24);
}

const AUTHORIZATION = '(?:[Pp]roxy-)?[Aa]uthorization|(?:PROXY-)?AUTHORIZATION';
/** Schemes that other detectors or rules handle: their own kinds, Digest's parameter list. */
const OTHER_RULES = '(?:[Bb]earer|BEARER|[Bb]asic|BASIC|[Dd]igest|DIGEST|AWS4-HMAC-SHA256)\\b';

/** Header names that carry an API key or token as their whole value. */
const KEY_HEADERS = [
  'x-api-key',
  'api-key',
  'apikey',
  'x-api-token',
  'x-auth-token',
  'x-access-token',
  'x-vault-token',
  'x-goog-api-key',
  'x-functions-key',
  'private-token',
  'job-token',
  'ocp-apim-subscription-key',
  'x-shopify-access-token',
  'x-figma-token',
  'x-postmark-server-token',
  'x-jfrog-art-api',
  'x-auth-key',
  'x-auth-user-service-key',
].join('|');

export const BEARER_BASIC_DETECTORS: readonly Detector[] = [
  // RFC 6750 bearer tokens; a token must look generated, so "Bearer authentication" stays.
  // The token ends where its characters and padding do: `bearer expires_in=3600` (OAuth's
  // `token_type=bearer` before the next field) is a key and a value, not a token.
  afterPrefix(
    'bearer',
    /(?<![A-Za-z0-9_-])(bearer[ \t]+)([A-Za-z0-9._~+/-]{8,}=*)(?![A-Za-z0-9._~+/=-])/gi,
    looksGenerated,
  ),
  // RFC 7617 Basic credentials: base64 of user:password.
  afterPrefix(
    'basic-auth',
    /(?<![A-Za-z0-9_-])(basic[ \t]+)([A-Za-z0-9+/]{8,}={0,2})(?![A-Za-z0-9+/=])/gi,
    looksGenerated,
  ),
];

export const AUTH_HEADER_DETECTORS: readonly Detector[] = [
  // `Authorization: <scheme> <credentials>` for every scheme but those above, or a bare key.
  afterPrefix(
    'auth-header',
    new RegExp(
      `((?:${AUTHORIZATION})["']?[ \\t]*[:=][ \\t]*["']?(?!${OTHER_RULES})(?:[A-Za-z][A-Za-z0-9_-]*[ \\t]+)?)${unlessMarker('[^\\s"\',]')}([A-Za-z0-9._~+/=:-]{6,})`,
      'g',
    ),
    generatedCredential,
  ),
  // RFC 7616 Digest: the response is a hash of the password.
  afterPrefix('auth-header', /(?<![A-Za-z0-9_-])(response="?)([0-9a-f]{32,128})(?![0-9a-f])/g),
  // AWS Signature Version 4 (AWS docs "Authorization header"): the request signature.
  afterPrefix('auth-header', /(Signature=)([0-9a-f]{64})(?![0-9a-f])/g),
  // SPNEGO/Kerberos and NTLM blobs outside an Authorization header (WWW-Authenticate replies).
  afterPrefix('auth-header', /(?<![A-Za-z0-9_-])((?:Negotiate|NTLM)[ \t]+)([A-Za-z0-9+/]{16,}={0,2})/g),
  // API-key header lines (`X-Api-Key: …`, `Ocp-Apim-Subscription-Key: …`), in any case.
  afterPrefix(
    'auth-header',
    new RegExp(
      `(?<![A-Za-z0-9/.-])((?:${KEY_HEADERS})["']?[ \\t]*:[ \\t]*["']?)${unlessMarker('[^\\s"\',;]')}([^\\s"',;]{6,})`,
      'gi',
    ),
    generatedCredential,
  ),
];
