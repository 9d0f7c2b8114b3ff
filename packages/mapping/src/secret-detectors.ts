// The secret detectors: for each kind, a candidate regex and a closer look (Luhn, token shape,
// key names) that decides what inside a candidate is the secret; and the pre-filter hints.

import type { SecretKind } from './secret-kinds.js';

/** Where the secret sits inside a candidate match, as offsets from the start of the match. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface Detector {
  readonly kind: SecretKind;
  /** `[REDACTED:<kind>]`, built once. */
  readonly marker: string;
  /** A global regex for candidates; must not match the text of a `[REDACTED:...]` marker. */
  readonly pattern: RegExp;
  /** The secret inside a candidate, or `undefined` when a closer look says it is none. */
  readonly locate: (m: RegExpExecArray) => Span | undefined;
}

// Pre-filter fragments: text every secret of a kind contains, cheap to scan for; a false hit
// only costs a run of the full detectors. They are joined into ONE case-sensitive regex: a
// case-insensitive alternation costs about twice as much per character, so key words are
// reduced to what they must contain (`=` for every key=value form, `"…:` for the JSON form) and
// Bearer/Basic are recognised in their usual spellings (`Bearer`, `bearer`, `BEARER`).
const HINTS: readonly { readonly kind: SecretKind; readonly source: string }[] = [
  { kind: 'private-key', source: '-----BEGIN ' },
  { kind: 'jwt', source: 'eyJ' },
  { kind: 'aws-key', source: 'A[KS]IA' },
  { kind: 'github-token', source: 'gh[pousr]_|github_pat_' },
  { kind: 'entra-secret', source: 'Q~' },
  { kind: 'azure-key', source: '=' },
  { kind: 'url-credentials', source: ':\\/\\/[^\\s\\/?#@]*:[^\\s\\/?#]*@' },
  { kind: 'password-field', source: '=|"\\s*:' },
  { kind: 'bearer', source: '[Bb](?:earer|EARER)[ \\t]' },
  { kind: 'basic-auth', source: '[Bb](?:asic|ASIC)[ \\t]' },
  { kind: 'card', source: '[2-6]\\d{3}(?:[ -]\\d{4}|\\d{9})' },
];

export function hintsFor(kinds: readonly SecretKind[]): readonly RegExp[] {
  const sources = [...new Set(HINTS.filter((h) => kinds.includes(h.kind)).map((h) => h.source))];
  return sources.length > 0 ? [new RegExp(sources.join('|'))] : [];
}

const FIELD_KEYS = '(?:password|passwd|pwd|client_secret|api_key|apikey|access_token)';

/**
 * Skips a value that is exactly a marker left by an earlier detector (or pass), so redacting
 * twice changes nothing; a value that merely starts like a marker is still redacted.
 */
function unlessMarker(valueChar: string): string {
  return `(?!\\[REDACTED:[a-z-]+\\](?!${valueChar}))`;
}

function whole(m: RegExpExecArray): Span {
  return { start: 0, end: m[0].length };
}

/** The second capture group, after a first group that is kept (a key name, `Bearer `, ...). */
function afterPrefix(m: RegExpExecArray): Span {
  const start = (m[1] ?? '').length;
  return { start, end: start + (m[2] ?? '').length };
}

const DIGIT_OR_SYMBOL = /[0-9+/=]/;
const LOWER = /[a-z]/;
const UPPER = /[A-Z]/;

/**
 * Generated tokens have a digit, a base64 symbol, or upper case past the first letter; words do
 * not. This is what keeps "Bearer authentication" and "Basic information" out.
 */
function looksGenerated(token: string): boolean {
  if (DIGIT_OR_SYMBOL.test(token)) return true;
  return token.length >= 12 && LOWER.test(token) && UPPER.test(token.slice(1));
}

function afterPrefixIfGenerated(m: RegExpExecArray): Span | undefined {
  return looksGenerated(m[2] ?? '') ? afterPrefix(m) : undefined;
}

/** The shell's `PWD=/some/dir` is a working directory, not a password. */
function locateField(m: RegExpExecArray): Span | undefined {
  const prefix = m[1] ?? '';
  if (prefix.startsWith('PWD=') && (m[2] ?? '').startsWith('/')) return undefined;
  return afterPrefix(m);
}

/**
 * A candidate card number is kept when its digits pass the Luhn check. A grouped candidate that
 * fails may have swallowed a following number ("4111 1111 1111 1111 3 times"), so trailing groups
 * are dropped one at a time while 13 digits remain.
 */
function locateCard(m: RegExpExecArray): Span | undefined {
  const text = m[0];
  const separator = m[1];
  let end = text.length;
  while (true) {
    const digits = countDigits(text, end);
    if (digits < 13) return undefined;
    if (digits <= 19 && passesLuhn(text, end)) return { start: 0, end };
    if (separator === undefined) return undefined;
    end = text.lastIndexOf(separator, end - 1);
    if (end < 0) return undefined;
  }
}

function countDigits(text: string, end: number): number {
  let n = 0;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) n++;
  }
  return n;
}

function passesLuhn(text: string, end: number): boolean {
  let sum = 0;
  let double = false;
  for (let i = end - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) continue;
    let d = c - 0x30;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

// Detectors run in this order: specific token formats first, so a JWT sent as a bearer token or
// a GitHub token used as a URL password is counted as what it is; the later, structural detectors
// skip values that already read `[REDACTED:...]`.
const DETECTOR_SPECS: readonly Omit<Detector, 'marker'>[] = [
  {
    kind: 'private-key',
    // PEM and PGP armour; without an END line the key runs to the end of the value.
    pattern:
      /-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY( BLOCK)?-----[\s\S]*?(?:-----END \1PRIVATE KEY\2-----|$)/g,
    locate: whole,
  },
  {
    kind: 'jwt',
    pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]*\.eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/g,
    locate: whole,
  },
  {
    kind: 'aws-key',
    pattern: /(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/g,
    locate: whole,
  },
  {
    kind: 'github-token',
    pattern: /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})/g,
    locate: whole,
  },
  {
    kind: 'entra-secret',
    // A secret may end a sentence: a final "." followed by no token character is not part of it.
    pattern:
      /(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~-]|\.[A-Za-z0-9_~.-])/g,
    locate: whole,
  },
  {
    kind: 'azure-key',
    pattern: new RegExp(
      `(?<![A-Za-z0-9])((?:AccountKey|SharedAccessKey|SharedAccessSignature)=)${unlessMarker(`[^;\\s"']`)}([^;\\s"']+)`,
      'gi',
    ),
    locate: afterPrefix,
  },
  {
    kind: 'azure-key',
    // SAS signatures are base64 HMACs, 40+ characters; the length keeps `?sig=1` out.
    pattern: /([?&]sig=)([A-Za-z0-9%+/=_-]{16,})/g,
    locate: afterPrefix,
  },
  {
    kind: 'azure-key',
    // A bare 64-byte storage key. The `-` before rules out `sha512-...==` integrity hashes.
    pattern: /(?<![A-Za-z0-9+/-])[A-Za-z0-9+/]{86}==(?![A-Za-z0-9+/=])/g,
    locate: whole,
  },
  {
    kind: 'url-credentials',
    // The password runs to the last `@` of the authority, so an unescaped `@` in it is covered.
    pattern: new RegExp(
      `([A-Za-z][A-Za-z0-9+.-]*:\\/\\/[^\\s:\\/?#@\\[\\]"'<>]*:)${unlessMarker('[^@]')}([^\\s\\/?#"'<>]+)(?=@)`,
      'g',
    ),
    locate: afterPrefix,
  },
  {
    kind: 'password-field',
    pattern: new RegExp(
      `(?<![A-Za-z0-9])(${FIELD_KEYS}=["']?)${unlessMarker(`[^&;\\s"']`)}([^&;\\s"']+)`,
      'gi',
    ),
    locate: locateField,
  },
  {
    kind: 'password-field',
    pattern: new RegExp(`("${FIELD_KEYS}"\\s*:\\s*")${unlessMarker('[^"]')}((?:[^"\\\\]|\\\\.)+)`, 'gi'),
    locate: afterPrefix,
  },
  {
    kind: 'bearer',
    pattern: /(?<![A-Za-z0-9_-])(bearer[ \t]+)([A-Za-z0-9._~+/-]{8,}=*)/gi,
    locate: afterPrefixIfGenerated,
  },
  {
    kind: 'basic-auth',
    pattern: /(?<![A-Za-z0-9_-])(basic[ \t]+)([A-Za-z0-9+/]{8,}={0,2})(?![A-Za-z0-9+/=])/gi,
    locate: afterPrefixIfGenerated,
  },
  {
    kind: 'card',
    // Grouped by one repeated separator, or a plain run; never inside a longer word, number or
    // decimal fraction. Card numbers start with 2-6, which rules out epoch-millisecond times.
    pattern: /(?<![\w.])(?:[2-6]\d{3}([ -])\d{4,6}(?:\1\d{1,6}){1,3}|[2-6]\d{12,18})(?!\w)/g,
    locate: locateCard,
  },
];

export const DETECTORS: readonly Detector[] = DETECTOR_SPECS.map((d) => ({
  ...d,
  marker: `[REDACTED:${d.kind}]`,
}));
