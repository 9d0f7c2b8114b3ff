// Session ids are never emitted raw. A session id is sealed when it enters the package (an
// argument, `withSecurityContext`, `setSecuritySession`, the middleware): the raw id lives only in
// a private field no snapshot, JSON or inspection shows, and the only thing read from it is its
// HMAC-SHA-256 under the emitter's key, computed once per key and kept.

import { Buffer } from 'node:buffer';
import { createHmac } from 'node:crypto';
import { inspect } from 'node:util';

export const HASH_KEY_ENV = 'OTEL_SENTINEL_HASH_KEY';

/** A key for session hashes; its identity is what a sealed session caches hashes by. */
export class SessionHasher {
  private readonly key: Buffer;

  constructor(key: string | Uint8Array) {
    this.key = typeof key === 'string' ? Buffer.from(key, 'utf8') : Buffer.from(key);
  }

  /** Lower-case hex HMAC-SHA-256 of `sessionId` (UTF-8), as the mapping's `hmac-sha256` writes it. */
  hash(sessionId: string): string {
    return createHmac('sha256', this.key).update(sessionId, 'utf8').digest('hex');
  }
}

/** The key from the option, else from `OTEL_SENTINEL_HASH_KEY`; undefined when neither is set. */
export function resolveHasher(
  hashKey: string | Uint8Array | undefined,
  env: NodeJS.ProcessEnv = process.env,
): SessionHasher | undefined {
  const key = hashKey ?? env[HASH_KEY_ENV];
  if (key === undefined || key.length === 0) return undefined;
  return new SessionHasher(key);
}

/** A session id nobody can read back: only its hash under a given key comes out. */
export class SealedSession {
  readonly #id: string;
  #hasher: SessionHasher | undefined;
  #hash = '';

  constructor(sessionId: string) {
    this.#id = sessionId;
  }

  hashWith(hasher: SessionHasher): string {
    if (this.#hasher !== hasher) {
      this.#hash = hasher.hash(this.#id);
      this.#hasher = hasher;
    }
    return this.#hash;
  }

  toString(): string {
    return '[session]';
  }

  toJSON(): string {
    return '[session]';
  }

  [inspect.custom](): string {
    return '[session]';
  }
}
