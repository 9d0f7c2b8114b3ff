// Which attribute keys hold a secret by their name alone (`password`, `api-key`), so dynamic values
// mask them and `init` leaves them out whatever the value looks like.

// Attribute names whose values are secrets whatever they look like, compared after lower-casing
// and dropping `-` and `_`, so `client_secret`, `client-secret` and `clientSecret` all count.
const SENSITIVE_NAMES: ReadonlySet<string> = new Set([
  'password',
  'passwd',
  'pwd',
  'secret',
  'clientsecret',
  'token',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'apikey',
  'xapikey',
  'authorization',
  'cookie',
  'setcookie',
  'privatekey',
  'connectionstring',
]);
const LONGEST_SENSITIVE_KEY = 'connection_string'.length + 2;
const KEY_SEPARATORS = /[-_]/g;

/**
 * True for a key such as `password`, `api-key` or `http.request.header.authorization` whose value
 * is a secret in itself. Only the last dotted segment counts, and it must be the whole name:
 * `token_count` and `password_changed` are not secrets.
 */
export function isSensitiveKey(key: string): boolean {
  const start = key.lastIndexOf('.') + 1;
  if (key.length - start > LONGEST_SENSITIVE_KEY) return false;
  return SENSITIVE_NAMES.has(key.slice(start).toLowerCase().replace(KEY_SEPARATORS, ''));
}
