// The user table: ids, roles and scrypt password hashes. A plain password is only ever held in the
// request that carries it; it is never stored, logged or compared other than through scrypt.

import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { ScryptOptions } from 'node:crypto';

export type Role = 'admin' | 'clerk';

export interface User {
  readonly id: string;
  readonly role: Role;
}

/** A user as stored: the password only as `scrypt$N$r$p$<salt>$<hash>` (base64url). */
export interface UserRecord extends User {
  readonly passwordHash: string;
}

interface ParsedHash {
  readonly options: ScryptOptions;
  readonly salt: Buffer;
  readonly hash: Buffer;
}

const KEY_LENGTH = 64;
const COST = { N: 16384, r: 8, p: 1 } as const;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_LENGTH, { ...options, maxmem: 64 * 1024 * 1024 }, (error, key) => {
      if (error) reject(error);
      else resolve(key);
    });
  });
}

/** Hashes a password for a `UserRecord` (a new random salt each time). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(password, salt, COST);
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

function parseHash(userId: string, text: string): ParsedHash {
  const [kind, n, r, p, salt, hash] = text.split('$');
  if (kind !== 'scrypt' || salt === undefined || hash === undefined) {
    throw new Error(
      `user ${userId}: passwordHash must be scrypt$N$r$p$<salt>$<hash>, as hashPassword() writes it`,
    );
  }
  return {
    options: { N: Number(n), r: Number(r), p: Number(p) },
    salt: Buffer.from(salt, 'base64url'),
    hash: Buffer.from(hash, 'base64url'),
  };
}

// Unknown users are checked against this, so a wrong user name takes as long as a wrong password
// and response times do not tell which user names exist.
const NOBODY: ParsedHash = { options: COST, salt: randomBytes(16), hash: randomBytes(KEY_LENGTH) };

/**
 * The demo users. Their passwords are in the README only, never in code: alice (admin) signs in
 * with `alice-demo-password`, bob (clerk) with `bob-demo-password`.
 */
export const DEMO_USERS: readonly UserRecord[] = [
  {
    id: 'alice',
    role: 'admin',
    passwordHash:
      'scrypt$16384$8$1$GRXHpXdzzXZayyLH_OIdyg$5QQIfC5Vq2Z4yGkEvchdzftjjRoeWKHIYM1azzdtMOpG48cqLDLfNw0FNYezxm0dXgFr6EdB8hMihVTvaQcvbQ',
  },
  {
    id: 'bob',
    role: 'clerk',
    passwordHash:
      'scrypt$16384$8$1$MoBBMCeHZmj7WWm5XHwi_Q$XMyxAcakusQzlLvsQMUyCQlPd6RpNMxkVWODr6-YT8XRY9Fjt2YfrTGEM9UXriI6F-u8KghSK1GgPYfYtAKhxQ',
  },
];

export class UserStore {
  private readonly users = new Map<string, { readonly user: User; readonly hash: ParsedHash }>();

  /** Throws when a record's `passwordHash` is not in the `hashPassword()` format. */
  constructor(records: readonly UserRecord[] = DEMO_USERS) {
    for (const r of records) {
      this.users.set(r.id, { user: { id: r.id, role: r.role }, hash: parseHash(r.id, r.passwordHash) });
    }
  }

  /** The user when the password is theirs; `undefined` for a wrong password or an unknown user. */
  async verify(userId: string, password: string): Promise<User | undefined> {
    const entry = this.users.get(userId);
    const stored = entry?.hash ?? NOBODY;
    const key = await derive(password, stored.salt, stored.options);
    const match = key.length === stored.hash.length && timingSafeEqual(key, stored.hash);
    return match ? entry?.user : undefined;
  }

  /** Whether the user name exists (for the reason of a failed sign-in, which only the SOC sees). */
  has(userId: string): boolean {
    return this.users.has(userId);
  }

  /** The users without their hashes. */
  list(): User[] {
    return [...this.users.values()].map((e) => e.user);
  }
}
