// The kinds of secret the redactor knows, and the counters it keeps per kind.

export type SecretKind =
  | 'jwt'
  | 'bearer'
  | 'basic-auth'
  | 'azure-key'
  | 'url-credentials'
  | 'private-key'
  | 'card'
  | 'aws-key'
  | 'github-token'
  | 'entra-secret'
  | 'password-field';

export const SECRET_KINDS: readonly SecretKind[] = Object.freeze([
  'jwt',
  'bearer',
  'basic-auth',
  'azure-key',
  'url-credentials',
  'private-key',
  'card',
  'aws-key',
  'github-token',
  'entra-secret',
  'password-field',
] as const);

/** How many secrets of each kind were replaced. */
export type RedactionCounts = Record<SecretKind, number>;

export function newRedactionCounts(): RedactionCounts {
  return {
    jwt: 0,
    bearer: 0,
    'basic-auth': 0,
    'azure-key': 0,
    'url-credentials': 0,
    'private-key': 0,
    card: 0,
    'aws-key': 0,
    'github-token': 0,
    'entra-secret': 0,
    'password-field': 0,
  };
}

/** A redaction setting named a kind of secret this version does not know. */
export class UnknownSecretKindError extends Error {
  readonly code = 'E_UNKNOWN_SECRET_KIND';
  readonly kind: string;
  constructor(kind: string) {
    super(`unknown secret kind "${kind}"; known kinds: ${SECRET_KINDS.join(', ')}`);
    this.name = 'UnknownSecretKindError';
    this.kind = kind;
  }
}
