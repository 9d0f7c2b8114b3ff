// Inbound authentication: `Authorization: Bearer <token>` or `x-api-key: <key>`. Both sides are
// hashed with SHA-256 and compared with timingSafeEqual, so neither the comparison's time nor
// the secret's length tells a caller anything. Secrets are never logged or echoed.

import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

const BEARER = /^bearer[ \t]+(.+)$/i;

export class InboundAuth {
  private readonly token: Buffer | undefined;
  private readonly apiKey: Buffer | undefined;

  constructor(bearerToken: string | undefined, apiKey: string | undefined) {
    this.token = bearerToken === undefined ? undefined : digest(bearerToken);
    this.apiKey = apiKey === undefined ? undefined : digest(apiKey);
  }

  /** True when no secret is configured. */
  get open(): boolean {
    return this.token === undefined && this.apiKey === undefined;
  }

  /** Which kinds are accepted, for the start-up log line: `bearer token`, `API key`, `none`. */
  describe(): string {
    const kinds = [this.token && 'bearer token', this.apiKey && 'API key'].filter(
      (k) => typeof k === 'string',
    );
    return kinds.length === 0 ? 'none' : kinds.join(' or ');
  }

  /** True when the request carries a configured secret. */
  allows(headers: IncomingHttpHeaders): boolean {
    if (this.open) return true;
    let ok = false;
    if (this.token !== undefined) {
      const match = BEARER.exec(headers.authorization ?? '');
      if (match?.[1] !== undefined) ok = timingSafeEqual(digest(match[1].trim()), this.token);
    }
    if (!ok && this.apiKey !== undefined) {
      const key = headers['x-api-key'];
      if (typeof key === 'string') ok = timingSafeEqual(digest(key.trim()), this.apiKey);
    }
    return ok;
  }
}
