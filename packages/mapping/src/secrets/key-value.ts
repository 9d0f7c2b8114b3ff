// Generic secrets known by the name in front of them: `password=…`, `"client_secret": "…"`,
// `token: …`, `--password …`, `<apiKey>…</apiKey>`, and the command lines that take a password
// after a short flag where that flag is unambiguous (`sshpass -p`, `mysql -p…`, `curl -u u:p`).

import type { SecretKind } from '../secret-kinds.js';
import { afterPrefix, unlessMarker } from './detector.js';
import type { Detector, Found } from './detector.js';

/** Key words, each a list of words a key name joins with `_`, `-`, `.` or camel case. */
const PASSWORD_WORDS: readonly (readonly string[])[] = [
  ['password'],
  ['passwd'],
  ['passphrase'],
  ['pwd'],
  ['pass'],
  // libpq's environment variable, one word: `PGPASSWORD=… psql`.
  ['pgpassword'],
];
const SECRET_WORDS: readonly (readonly string[])[] = [
  ['secret'],
  ['secret', 'key'],
  ['token'],
  ['api', 'key'],
  ['access', 'key'],
  ['private', 'key'],
  ['auth', 'key'],
  ['signing', 'key'],
  ['admin', 'key'],
  ['master', 'key'],
  ['encryption', 'key'],
  ['service', 'key'],
  ['pat'],
  ['credentials'],
];

const cap = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1);
const JOIN = '[_.-]?';

/**
 * Every spelling of the key words: `api_key`, `apiKey`, `API_KEY`, `ApiKey`. A capitalised word
 * may follow a lower-case letter (`dbPassword`, `clientSecret`); the other spellings may not
 * follow a letter or digit (`bypass`, `OLDPWD`), though `_`, `-` and `.` may (`DB_PASSWORD`).
 */
function keyPattern(phrases: readonly (readonly string[])[]): string {
  const lower = phrases.map((p) => p.join(JOIN));
  const upper = phrases.map((p) => p.map((w) => w.toUpperCase()).join(JOIN));
  const camel = phrases.filter((p) => p.length > 1).map((p) => [p[0], ...p.slice(1).map(cap)].join(JOIN));
  const pascal = phrases.map((p) => p.map(cap).join(JOIN));
  return `(?:(?<![A-Za-z0-9])(?:${[...lower, ...upper, ...camel].join('|')})|(?<![A-Z0-9])(?:${pascal.join('|')}))`;
}

const PASSWORD_KEY = /pass|pwd/i;
const PLACEHOLDER =
  /^(?:\*+|x{3,}|X{3,}|true|false|null|nil|none|undefined|redacted|hidden|masked|<[^>]*>|\$\{[^}]*\}|\$\(.*\)|%s|%\(\w+\)s|\{\{.*\}\}|\.\.\.|…)$/i;
/** `$DB_PASSWORD`: a reference to an environment variable (upper case only; `$uO8…` is a value). */
const ENV_REFERENCE = /^\$[A-Z_][A-Z0-9_]*$/;
const ALL_DIGITS = /^\d+$/;
const URL_USER = /:\/\/[A-Za-z0-9_.~%-]*$/;

function isPlaceholder(value: string): boolean {
  return PLACEHOLDER.test(value) || ENV_REFERENCE.test(value);
}
const DIGIT_OR_SYMBOL = /[^A-Za-z]/;
const TRAILING_PUNCTUATION = /[.,;:!?]+$/;

function kindOfKey(prefix: string): SecretKind {
  return PASSWORD_KEY.test(prefix) ? 'password-field' : 'secret-field';
}

/**
 * Whether a value after a key is a secret. Quoted values and `=` values are, unless they are a
 * placeholder (`***`, `${DB_PASSWORD}`, `null`); a secret-word `=` value also needs six characters
 * and a letter (`max_token=100` is a count). An unquoted value after `:` reads like prose
 * ("password: please reset it", "token: 3 left"), so it needs a digit or a symbol and a letter.
 */
function isSecretValue(value: string, kind: SecretKind, form: 'quoted' | 'equals' | 'colon'): boolean {
  if (value.length === 0 || isPlaceholder(value)) return false;
  if (form === 'quoted') return true;
  if (form === 'equals') return kind === 'password-field' || (value.length >= 6 && !ALL_DIGITS.test(value));
  const word = value.replace(TRAILING_PUNCTUATION, '');
  return word.length >= 4 && DIGIT_OR_SYMBOL.test(word) && !ALL_DIGITS.test(word) && /[A-Za-z]/.test(word);
}

const KEY = `(?:${keyPattern(PASSWORD_WORDS)}|${keyPattern(SECRET_WORDS)})`;
// A marker may end with the escaped line break that followed a PEM key in JSON (`…KEY-----\n"`).
const QUOTED_DOUBLE = `"(?!\\[REDACTED:[a-z0-9-]+\\](?:\\\\[nrt])*")((?:[^"\\\\\\n]|\\\\.)*)(?=")`;
const QUOTED_SINGLE = `'${unlessMarker("[^']")}([^'\\n]*)(?=')`;

/** `key=value`, `key: value`, `"key": "value"`, `KEY = 'value'`. */
const FIELD: Detector = {
  kinds: ['password-field', 'secret-field'],
  pattern: new RegExp(
    `(${KEY}["']?[ \\t]*[:=][ \\t]*)(?:${QUOTED_DOUBLE}|${QUOTED_SINGLE}|${unlessMarker(`[^&;\\s"',)}]`)}(\\$\\{[^}\\s]*\\}|[^;\\s"',)}]+))`,
    'g',
  ),
  locate: (m) => {
    const prefix = m[1] ?? '';
    const quoted = m[2] ?? m[3];
    const whole = quoted ?? m[4] ?? '';
    const equals = prefix.includes('=');
    // In a query string `&` starts the next parameter; after `:` it is part of the value.
    const amp = quoted === undefined && equals ? whole.indexOf('&') : -1;
    const value = amp >= 0 ? whole.slice(0, amp) : whole;
    const kind = kindOfKey(prefix);
    // The shell's `PWD=/some/dir` (or a `pwd=/some/dir` field) is a working directory.
    if (/^pwd/i.test(prefix) && value.startsWith('/')) return undefined;
    // `https://x-access-token:…@host`: the user of a URL, whose password url-credentials takes.
    if (!equals && URL_USER.test(m.input.slice(Math.max(0, m.index - 40), m.index))) return undefined;
    const form = quoted !== undefined ? 'quoted' : equals ? 'equals' : 'colon';
    if (!isSecretValue(value, kind, form)) return undefined;
    const start = m[0].length - whole.length;
    return { start, end: start + value.length, kind };
  },
};

const FLAG_WORDS =
  'password|passwd|passphrase|pass|pwd|secret|token|api-key|apikey|access-key|secret-key|private-key|auth-token|access-token';

/** `--password x`, `--db-password=x`, `--client-secret "x"`, `--api-key x`. */
const FLAG: Detector = {
  kinds: ['password-field', 'secret-field'],
  pattern: new RegExp(
    `(?<![A-Za-z0-9-])(--(?:[a-z0-9]+-)*(?:${FLAG_WORDS})(?:=|[ \\t]+|["'][ \\t]*,[ \\t]*)["']?)${unlessMarker(`[^\\s"']`)}([^\\s"'-][^\\s"']*)`,
    'g',
  ),
  locate: (m): Found | undefined => {
    const prefix = m[1] ?? '';
    const value = m[2] ?? '';
    const kind = kindOfKey(prefix);
    if (!isSecretValue(value, kind, 'equals')) return undefined;
    return { start: prefix.length, end: prefix.length + value.length, kind };
  },
};

/** `<password>x</password>`, `<ns:apiKey>x</ns:apiKey>`. */
const XML_ELEMENT: Detector = {
  kinds: ['password-field', 'secret-field'],
  pattern: new RegExp(
    `(<(?:[A-Za-z][\\w.-]*:)?[A-Za-z0-9_.-]*${KEY}>)${unlessMarker('[^<]')}([^<\\s][^<]*)(?=</)`,
    'g',
  ),
  locate: (m) => {
    const prefix = m[1] ?? '';
    const value = m[2] ?? '';
    const kind = kindOfKey(prefix);
    if (isPlaceholder(value)) return undefined;
    return { start: prefix.length, end: prefix.length + value.length, kind };
  },
};

export const KEY_VALUE_DETECTORS: readonly Detector[] = [
  FIELD,
  FLAG,
  XML_ELEMENT,
  // Command lines whose short flag is a password: sshpass -p, the MySQL/MariaDB clients' -pSECRET
  // (no space: with a space -p prompts), redis-cli -a, docker/podman/helm registry login -p.
  afterPrefix(
    'password-field',
    new RegExp(
      `((?:\\bsshpass[ \\t]+-p[ \\t]*|\\b(?:mysql|mysqldump|mysqladmin|mariadb)\\b[^\\n|;&]*?[ \\t]-p|\\bredis-cli\\b[^\\n|;&]*?[ \\t]-a[ \\t]+|\\b(?:docker|podman|helm(?:[ \\t]+registry)?)[ \\t]+login\\b[^\\n|;&]*?[ \\t]-p[ \\t]+)["']?)${unlessMarker(`[^\\s"']`)}([^\\s"']+)`,
      'g',
    ),
    (secret) => !isPlaceholder(secret),
  ),
  // curl -u user:password (and --user): the part after the first colon.
  afterPrefix(
    'password-field',
    new RegExp(
      `(\\bcurl\\b[^\\n|;&]*?[ \\t](?:-u|--user)(?:[ \\t]+|=)?["']?[^\\s:"'[]*:)${unlessMarker(`[^\\s"']`)}([^\\s"']+)`,
      'g',
    ),
    (secret) => !isPlaceholder(secret),
  ),
];
