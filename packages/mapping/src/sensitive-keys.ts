// Which attribute keys hold a secret by their name alone (`password`, `api-key`), so dynamic values
// mask them and `init` leaves them out whatever the value looks like.

// Names whose values are secrets whatever they look like, compared after lower-casing and dropping
// `-` and `_`, so `client_secret`, `client-secret` and `clientSecret` all count.
const SENSITIVE_NAMES: readonly string[] = [
  'password',
  'passwd',
  'passphrase',
  'pwd',
  'secret',
  'clientsecret',
  'token',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'authtoken',
  'apitoken',
  'sessiontoken',
  'apikey',
  'xapikey',
  'secretkey',
  'accesskey',
  'privatekey',
  'secretaccesskey',
  'accountkey',
  'sharedaccesskey',
  'sastoken',
  'credentials',
  'authorization',
  'proxyauthorization',
  'cookie',
  'setcookie',
  'connectionstring',
];
const NAMES: ReadonlySet<string> = new Set(SENSITIVE_NAMES);
const LONGEST_SENSITIVE_KEY = 64;
const KEY_SEPARATORS = /[-_]/g;
/** A word boundary inside a key: after a separator, or a lower-case letter before an upper-case one. */
const WORD_START = /(?:^|[-_])[a-zA-Z]|[a-z0-9][A-Z]/g;

/**
 * True for a key such as `password`, `api-key`, `db_password`, `awsSecretAccessKey` or
 * `http.request.header.authorization` whose value is a secret in itself. Only the last dotted
 * segment counts, and a sensitive name must end it and start at a word boundary: `token_count`,
 * `password_changed` and `passwordless` are not secrets, `github_token` and `dbPassword` are.
 */
export function isSensitiveKey(key: string): boolean {
  const start = key.lastIndexOf('.') + 1;
  if (key.length - start > LONGEST_SENSITIVE_KEY) return false;
  const segment = key.slice(start);
  if (NAMES.has(segment.toLowerCase().replace(KEY_SEPARATORS, ''))) return true;
  // Try each suffix that starts a word: `db_password` → `password`, `awsSecretAccessKey` →
  // `secretaccesskey`, `accesskey`, `key`.
  WORD_START.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = WORD_START.exec(segment)) !== null) {
    const at = m[0].length === 2 && /[a-z0-9]/.test(m[0].charAt(0)) ? m.index + 1 : m.index;
    const suffix = segment.slice(at).toLowerCase().replace(KEY_SEPARATORS, '');
    if (NAMES.has(suffix)) return true;
    WORD_START.lastIndex = m.index + 1;
  }
  return false;
}
