// The bearer-token checks of an ingestion request: present, issued by this emulator, not
// expired, for the Azure Monitor audience and the emulator's tenant.

import type { TokenClaims, TokenIssuer } from '../model.js';

/**
 * The audiences `@azure/monitor-ingestion` asks for (`<audience>/.default`): public cloud, US
 * Government, China. The emulator stands in for a DCE of any of them.
 */
export const MONITOR_AUDIENCES: ReadonlySet<string> = new Set([
  'https://monitor.azure.com',
  'https://monitor.azure.us',
  'https://monitor.azure.cn',
]);

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;
const SCOPE_SUFFIX = /\/\.default$/;
const TRAILING_SLASHES = /\/+$/;

/** The verified claims, or why authentication failed (for the 401 message; never the token). */
export function authenticate(
  header: string | undefined,
  tokens: TokenIssuer,
  tenantId: string,
  nowMs: number,
): TokenClaims | string {
  if (header === undefined || header === '') return "The 'Authorization' header is missing.";
  const token = BEARER.exec(header)?.[1];
  if (token === undefined) return "The 'Authorization' header is not a Bearer token.";
  const claims = tokens.verify(token);
  if (!claims) return 'The access token is invalid, expired, or not issued by this authority (iss).';
  if (expiresAtMs(claims.expiresAt) <= nowMs) return 'The access token has expired.';
  if (!MONITOR_AUDIENCES.has(normalizeAudience(claims.audience))) {
    return `The access token's audience '${claims.audience}' is not Azure Monitor's; request the scope https://monitor.azure.com/.default.`;
  }
  if (claims.tenantId !== tenantId) return 'The access token was issued for another tenant.';
  return claims;
}

/** `https://monitor.azure.com/`, `…//.default` (monitor-ingestion 1.0.0's scope) and the like. */
export function normalizeAudience(audience: string): string {
  return audience.toLowerCase().replace(SCOPE_SUFFIX, '').replace(TRAILING_SLASHES, '');
}

/**
 * model.ts leaves the unit of `expiresAt` open: JWT-style seconds and JavaScript milliseconds
 * are told apart by magnitude (1e12 ms is 2001; 1e12 s is the year 33658).
 */
function expiresAtMs(expiresAt: number): number {
  return expiresAt < 1e12 ? expiresAt * 1000 : expiresAt;
}
