// The user table: ids, roles and scrypt password hashes. A plain password is only ever held in the
// request that carries it; it is never stored, logged or compared other than through scrypt.

import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { ScryptOptions } from 'node:crypto';

export const ROLES = ['admin', 'clerk'] as const;
export type Role = (typeof ROLES)[number];

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
 * The demo users: alice is an admin, everyone else a clerk. Their passwords are in the README and
 * the demo scenario only, never in the app's code: each signs in with `<name>-demo-password`.
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
  {
    id: 'carol',
    role: 'clerk',
    passwordHash:
      'scrypt$16384$8$1$Up_7k5EBMh2dQYEtMt--tA$6rnkuD3gV3WOT2yV-cekSDOjK2qOYGvxZSmYW83Wtqeb6xZAng430ybXGtFukIUG8XF4xQhqrm-wr7nqi63vZg',
  },
  {
    id: 'dave',
    role: 'clerk',
    passwordHash:
      'scrypt$16384$8$1$HfX8jG9wpt8wjCIma33d5A$IrmH3TdCgiMdUcGyqFcen0ab0uiIR9GeNx0KvOGUWFwsYzJNpQE68DwxyIJJY4hpLIB6KDp6ZwGRe_yHc5TGbQ',
  },
  {
    id: 'erin',
    role: 'clerk',
    passwordHash:
      'scrypt$16384$8$1$A-qgk_XeVzclOgiley3TkQ$onWyrN9DB7J6jrOaMwtMdzCkFqUn-43Q0Em8H-zP31FSZsXOp2OwKM24y05ujixwdkKXWoYQv2JkpaM3UF0vxQ',
  },
  {
    id: 'frank',
    role: 'clerk',
    passwordHash:
      'scrypt$16384$8$1$34zSlVUdERBRPACHCOqBqw$dsrZuf7jUBjJmr5_RmcW2_5Dy9e6RqD_rUsmHNvLxm4eK57Yt71JhNG-Bi5t7p_aqut7q52g6Xuygjf-jKGFSw',
  },
  {
    id: 'grace',
    role: 'clerk',
    passwordHash:
      'scrypt$16384$8$1$5lMZmZ3A3_zqrxeaf2Ak-A$f7V-Z7zz-IRUdHTEq3yYzGL-SLbXuk6mIAh75xE_l0fR3giy4sIH1nI4oEVmbelqpQ5UxnNErxtRi2XFZ73n9g',
  },
  {
    id: 'henry',
    role: 'clerk',
    passwordHash:
      'scrypt$16384$8$1$qUqE1TJ2i_WGmjxOrk_pIg$XWVJiZKtWWgrBRtMnAsIw0Mqeht4xdwR3dD0RD2K-7CYx6-rJBGtbvJSRX0GNqpJTespCODCWlcToK4gjfiuFg',
  },
  {
    id: 'ivan',
    role: 'clerk',
    passwordHash:
      'scrypt$16384$8$1$bRowoMdfZ1-VncqPJ7vT0w$j3Au06pMbpRMbI2ei_d5D26CbKHAo4unZXAuhc2ulSVyIdP-J2tAWF_AK9pF8-wT8FvqXhalfMir7ySGfsHndg',
  },
  {
    id: 'judy',
    role: 'clerk',
    passwordHash:
      'scrypt$16384$8$1$eRSfW8Y0kb3OwzR_OyjtLQ$FxJwGF57gsTAm6PKbwXOgqbknJvXiK0KOecGxcSF8uFKr9CBpi8zDLFDXWu1eWTJNFbHM1NslYT1R3dO2vVmJg',
  },
];

export class UserStore {
  private readonly users = new Map<string, { role: Role; readonly hash: ParsedHash }>();
  /** Accounts an admin closed: kept (their history stays), but no one may sign in with them. */
  private readonly archived = new Set<string>();

  /** Throws when a record's `passwordHash` is not in the `hashPassword()` format. */
  constructor(records: readonly UserRecord[] = DEMO_USERS) {
    for (const r of records) this.users.set(r.id, { role: r.role, hash: parseHash(r.id, r.passwordHash) });
  }

  /** The user when the password is theirs; `undefined` for a wrong password or an unknown user. */
  async verify(userId: string, password: string): Promise<User | undefined> {
    const entry = this.users.get(userId);
    const stored = entry?.hash ?? NOBODY;
    const key = await derive(password, stored.salt, stored.options);
    const match = key.length === stored.hash.length && timingSafeEqual(key, stored.hash);
    return match && entry !== undefined ? { id: userId, role: entry.role } : undefined;
  }

  /** Whether the user name exists (for the reason of a failed sign-in, which only the SOC sees). */
  has(userId: string): boolean {
    return this.users.has(userId);
  }

  /** The user's current role: a change applies to sessions already open. */
  roleOf(userId: string): Role | undefined {
    return this.users.get(userId)?.role;
  }

  /** Gives the user `role`; returns the role they had, or `undefined` for an unknown user. */
  setRole(userId: string, role: Role): Role | undefined {
    const entry = this.users.get(userId);
    if (entry === undefined) return undefined;
    const previous = entry.role;
    entry.role = role;
    return previous;
  }

  /** Opens an account with `password` (hashed here); false when the id is taken. */
  async add(userId: string, role: Role, password: string): Promise<boolean> {
    if (this.users.has(userId)) return false;
    const hash = parseHash(userId, await hashPassword(password));
    if (this.users.has(userId)) return false;
    this.users.set(userId, { role, hash });
    return true;
  }

  /** Closes an account; returns whether it was open. */
  archive(userId: string): boolean {
    if (!this.users.has(userId) || this.archived.has(userId)) return false;
    this.archived.add(userId);
    return true;
  }

  isArchived(userId: string): boolean {
    return this.archived.has(userId);
  }

  /** The users without their hashes. */
  list(): User[] {
    return [...this.users].map(([id, entry]) => ({ id, role: entry.role }));
  }
}
