// The pre-filter: what every secret of a kind contains, looked for in a way that a clean string
// pays little for. A false hit only costs a run of the full detectors.

import { isUnsafe } from '../sanitize.js';
import type { SecretKind } from '../secret-kinds.js';

/**
 * A hint is an anchor character that every secret of the kind holds, with cheap guards on the
 * characters around it and regex text for what must come just before it (`after`, a lookbehind)
 * or just after it (`before`, a lookahead). Case-sensitive throughout: fragments spell the usual
 * cases out (`earer|EARER`).
 *
 * The scan looks each character up in one table, so a character that anchors nothing costs one
 * load; at an anchor, a few more loads give the hints whose guards accept the characters on either
 * side, and only those run their check (most anchors in ordinary text end at the first load). One
 * regex of every hint, the first design, cost about twice as much per clean string: V8 skips
 * through text natively only when a regex starts with a few characters that the text rarely holds,
 * and these hints start at lower-case letters, digits, `.`, `-` and `_` too.
 */
interface Hint {
  /** The anchor: characters one of which every secret of the kind holds, preferably rare ones. */
  readonly at: string;
  /** Characters one of which must come just before the anchor (`a-z` ranges allowed). */
  readonly prev?: string;
  /** Characters one of which must come just after the anchor. */
  readonly next?: string;
  /** Characters one of which must come second after the anchor. */
  readonly next2?: string;
  /** Characters one of which must come third after the anchor. */
  readonly next3?: string;
  /** Characters one of which must come second before the anchor. */
  readonly prev2?: string;
  /** Further guards: character sets that the characters at these offsets from the anchor are in. */
  readonly also?: readonly (readonly [offset: number, chars: string])[];
  /** Regex text for what comes just before the anchor. */
  readonly after?: string;
  /** Regex text for what comes just after the anchor. */
  readonly before?: string;
}

/**
 * Provider tokens that start with a fixed prefix ending in `_`, `-` or `.` (`ghp_`, `sk_live_`,
 * `dp.pt.`): the separator is the anchor, ten token characters must follow it, and the text that
 * ends with it must be one of the wanted kinds' prefixes (regex text, separator included).
 */
interface PrefixHint {
  readonly prefixes: readonly string[];
}

const prefixed = (...prefixes: string[]): PrefixHint => ({ prefixes });

/** The characters a provider prefix ends with. */
const PREFIX_SEPARATORS = '_.\\-';
/** Characters of generated tokens, base64 and the dots some providers put inside (GitLab) included. */
const TOKEN = 'A-Za-z0-9_+/=.-';
/** The separator after a key name: `=`, `:` or the `>` of an XML element. */
const SEP = ':=>';
/** Blanks and quotes that may come between a key name and its separator. */
const GAP = `"' \t`;

/** Key words cut to what they must contain, with an optional closing quote and blanks after. */
const PASSWORD_WORDS = '(?:ass(?:word|wd|phrase)?|wd|ASS(?:WORD|WD|PHRASE)?|WD)["\']?[ \\t]*';
const SECRET_WORDS = '(?:ecret|ECRET|oken|OKEN|[Kk]ey|KEY|redentials?|REDENTIALS?|PAT|[Pp]at)["\']?[ \\t]*';

const HINTS: Readonly<Record<SecretKind, readonly (Hint | PrefixHint)[]>> = {
  jwt: [{ at: 'J', prev: 'y', next: 'A-Za-z0-9_.\\-', after: 'ey' }],
  bearer: [
    { at: 'B', next: 'eE', before: 'earer[ \\t]|EARER[ \\t]' },
    { at: 'b', next: 'e', before: 'earer[ \\t]' },
  ],
  'basic-auth': [
    { at: 'B', next: 'aA', before: 'asic[ \\t]|ASIC[ \\t]' },
    { at: 'b', next: 'a', before: 'asic[ \\t]' },
  ],
  'azure-key': [
    { at: '=', prev: 'yYeEg=', after: '[Kk]ey|KEY|[Ss]ignature|SIGNATURE|sig|=' },
    { at: '"', prev: 'y', after: 'Key' },
    { at: '.', prev: 's', next: 'n', after: 'azurewebsites' },
  ],
  'url-credentials': [{ at: ':', next: '/', before: '\\/\\/[^\\s\\/?#@]*:[^\\s]*@' }],
  'private-key': [
    { at: 'B', next: 'E', before: 'EGIN ' },
    { at: '-', prev: 'Y', after: 'PuTTY' },
    prefixed('AGE-'),
  ],
  card: [
    {
      at: '2-6',
      // Not inside a word, number or decimal fraction.
      prev: '\u0000-\u002d/:-@[-^`{-\u007f',
      next: '0-9',
      next2: '0-9',
      next3: '0-9',
      also: [[4, '0-9 \\-']],
      before: '\\d{3}(?:[ -]\\d{4}|\\d{9})',
    },
  ],
  'aws-key': [{ at: 'A', next: '3KSBCGINPR', before: '3T|KIA|SIA|BIA|CCA|GPA|IDA|IPA|NPA|NVA|PKA|ROA|SCA' }],
  'github-token': [prefixed('gh[pousr]_', 'github_')],
  'entra-secret': [{ at: '~', prev: 'Q', after: '\\dQ' }],
  'password-field': [
    { at: SEP, prev: `dDsSeE${GAP}`, after: PASSWORD_WORDS },
    // --password, sshpass -p, mysql -pX, redis-cli -a, curl -u / --user.
    {
      at: '-',
      prev: ' \t\\-s',
      next: 'a-z\\-',
      after: '[ \\t]|-|redis',
      before: '-?[a-z-]*(?:pass|pwd|user)|[pua]|cli',
    },
  ],
  'aws-secret': [
    { at: '_', prev: 'tTsS', next: 'aAkKsS', after: '[Ss]ecret|SECRET|[Aa]ws|AWS' },
    { at: 'S', next: 'e', before: 'ecretAccessKey' },
  ],
  'gcp-key': [{ at: 'A', next: 'I', before: 'Iza' }, prefixed('GOCSPX-', 'ya29\\.')],
  'alibaba-key': [{ at: 'L', next: 'T', before: 'TAI' }],
  'digitalocean-token': [prefixed('do[por]_')],
  'heroku-key': [prefixed('HRKU-')],
  'flyio-token': [prefixed('fo1_', 'fm[12][ar]?_')],
  'supabase-key': [prefixed('sbp_', 'sb_')],
  'planetscale-token': [prefixed('pscale_')],
  'databricks-token': [
    // On the `p`: English text holds `i` about four times as often.
    { at: 'p', prev: 'a', next: 'i', next2: '0-9a-f', prev2: 'd', before: 'i[a-f0-9]{32}' },
  ],
  'cloudflare-key': [prefixed('v1\\.')],
  'gitlab-token': [
    prefixed('gl(?:pat|dt|rt|ptt|cbt|imt|oas|soat|ffct|agent|ft|wt)-'),
    { at: 'G', next: 'R', before: 'R1348941' },
  ],
  'atlassian-token': [{ at: 'A', next: 'T', before: 'T(?:ATT|CTT|BB)' }],
  'npm-token': [prefixed('npm_')],
  'pypi-token': [prefixed('pypi-')],
  'nuget-key': [{ at: '2', prev: 'y', next: 'a-z0-9', next2: 'a-z0-9', after: 'oy', before: '[a-z0-9]{10}' }],
  'rubygems-key': [prefixed('rubygems_')],
  'docker-token': [prefixed('dckr_')],
  'vault-token': [prefixed('hv[sbr]\\.')],
  'doppler-token': [prefixed('dp\\.(?:pt|st|sa|ct|scim|audit)\\.')],
  'terraform-token': [prefixed('atlasv1\\.')],
  'pulumi-token': [prefixed('pul-')],
  'postman-key': [prefixed('PMAK-')],
  'artifactory-token': [
    { at: 'A', next: 'K', before: 'KCp' },
    { at: 'V', prev: 'm', after: 'cm', before: 'mdGtu' },
  ],
  'slack-token': [
    prefixed('xox[a-z]-', 'xoxe\\.', 'xapp-'),
    { at: '.', prev: 's', next: 's', after: 'hooks' },
  ],
  'teams-webhook': [{ at: '.', prev: 'k', next: 'o', after: 'webhook' }],
  'discord-token': [
    // A bot token's second part is six characters between two dots.
    {
      at: '.',
      prev: 'A-Za-z0-9_\\-',
      next: 'A-Za-z0-9_\\-',
      next2: 'A-Za-z0-9_\\-',
      // The dot that ends the first part, 24 to 26 characters long, and the one after six more.
      also: [
        [-24, 'A-Za-z0-9_\\-'],
        [7, '.'],
        [6, 'A-Za-z0-9_\\-'],
      ],
      after: '[MNO][A-Za-z0-9_-]{23,25}',
    },
    { at: '.', prev: 'dp', next: 'c', after: 'discord(?:app)?' },
  ],
  'telegram-token': [{ at: ':', next: 'A', before: 'AA' }],
  'twilio-key': [
    { at: 'S', next: 'K', before: 'K[0-9a-fA-F]' },
    { at: 'A', next: 'C', before: 'C[0-9a-f]' },
  ],
  'sendgrid-key': [prefixed('SG\\.')],
  'mailgun-key': [prefixed('key-')],
  'mailchimp-key': [{ at: '-', next: 'u', before: 'us\\d' }],
  'brevo-key': [prefixed('xkeysib-')],
  'stripe-key': [prefixed('[sr]k_', 'whsec_')],
  'square-token': [{ at: 'E', next: 'A', before: 'AAA' }, prefixed('sq0(?:atp|csp)-')],
  'braintree-token': [{ at: '$', prev: 'n', next: 'ps', after: 'access_token' }],
  'shopify-token': [prefixed('shp(?:at|ss|ca|pa)_')],
  'openai-key': [prefixed('sk-')],
  'anthropic-key': [prefixed('sk-')],
  'huggingface-token': [prefixed('hf_', 'api_')],
  'groq-key': [prefixed('gsk_')],
  'replicate-token': [prefixed('r8_')],
  'perplexity-key': [prefixed('pplx-')],
  'xai-key': [prefixed('xai-')],
  'langsmith-key': [prefixed('lsv2_')],
  'datadog-key': [{ at: '_\\-', prev: 'dDgG', next: 'aA', after: '[Dd][Dd]|atadog|ATADOG' }],
  'newrelic-key': [prefixed('NR(?:AK|II|JS|RA)-')],
  'sentry-token': [prefixed('sntry[su]_')],
  'grafana-token': [prefixed('glc_', 'glsa_')],
  'dynatrace-token': [prefixed('dt0[a-z]\\d\\d\\.')],
  'linear-key': [prefixed('lin_')],
  'notion-token': [prefixed('ntn_', 'secret_')],
  'figma-token': [prefixed('figd_')],
  'contentful-token': [prefixed('CFPAT-')],
  'secret-field': [
    { at: SEP, prev: `tTnNyYsSlL${GAP}`, after: SECRET_WORDS },
    { at: '-', prev: 'a-z\\-', next: 'a-z\\-', after: '-[a-z-]*', before: '[a-z-]*(?:secret|token|key)' },
  ],
  'auth-header': [
    { at: SEP, prev: `nN${GAP}`, after: '(?:uthorization|UTHORIZATION)["\']?[ \\t]*' },
    { at: 'N', next: 'eT', before: 'egotiate |TLM ' },
    { at: '=', prev: 'e', after: 'response|Signature' },
    { at: '-', next: 'kKtTaA', before: '[Kk]ey|KEY|[Tt]oken|TOKEN|(?:[Aa]pi|API)["\']?[ \\t]*:' },
  ],
};

/** What a scan saw: nothing for redaction or sanitising to do. */
export const SCAN_CLEAN = 0;
/** A hint of a wanted kind: run the detectors. */
export const SCAN_HINT = 1;
/**
 * No hint, but a character at or above U+007F that sanitising escapes or a surrogate (a TAG
 * character is a pair): it may hide a secret's pieces from the detectors.
 */
export const SCAN_HIDING = 2;
/** No hint, but a C0 control (a line break, a tab) that sanitising escapes; nothing hides. */
export const SCAN_CONTROL = 4;

export interface Prefilter {
  /**
   * `SCAN_HINT` at the first hint; else, for the whole string, `SCAN_HIDING` and `SCAN_CONTROL`
   * combined, or `SCAN_CLEAN`.
   */
  scan(s: string): number;
}

/**
 * One hint, compiled: further guards (a character set that the character at an offset from the
 * anchor must be in) and a sticky regex run at the anchor, or (`prefix`) a provider prefix check.
 * Its guards on the characters nearest the anchor (TABLE_OFFSETS) live in the pre-filter's tables.
 */
interface Check {
  readonly offsets: readonly number[];
  readonly sets: readonly Uint8Array[];
  readonly re: RegExp | undefined;
  /** The regex checks the text that ends after the anchor, once a token's tail follows it. */
  readonly prefix: boolean;
}

/** A 128-entry table: 1 for every ASCII character in `spec` (`a-z` is a range, `\-` a dash). */
function charSet(spec: string): Uint8Array {
  const set = new Uint8Array(128);
  for (let i = 0; i < spec.length; i++) {
    let from = spec.charCodeAt(i);
    if (from === 0x5c) from = spec.charCodeAt(++i);
    let to = from;
    if (spec[i + 1] === '-' && i + 2 < spec.length) {
      to = spec.charCodeAt(i + 2);
      i += 2;
    }
    for (let c = from; c <= to; c++) set[c] = 1;
  }
  return set;
}

/** No guard: every entry, NUL (no character, or one past ASCII) included. */
const ANY = new Uint8Array(128).fill(1);
const TOKEN_SET = charSet(TOKEN);
const ALNUM_SET = charSet('A-Za-z0-9');
const LETTER_SET = charSet('A-Za-z');
/** Token characters a prefix must be followed by before its prefix regex runs. */
const PREFIX_TAIL = 10;
/** The longest word before a prefix's separator (`rubygems_`), with room to spare. */
const PREFIX_WORD = 10;

/**
 * The offsets from the anchor whose characters the tables check, in the order they are checked.
 * The last, +7, is far enough to turn away the dots of host names and addresses: a provider token
 * has ten token characters after its prefix, and a Discord token's six-character part ends there.
 */
const TABLE_OFFSETS = [-1, 1, 2, 3, -2, 7] as const;
/** The offset whose guard a hint gives in `also`, moved into the tables. */
const FAR_OFFSET = 7;

interface Compiled {
  readonly at: string;
  /** One character set per entry of TABLE_OFFSETS. */
  readonly near: readonly Uint8Array[];
  readonly check: Check;
}

function compileHint(h: Hint): Compiled {
  const far = h.also?.find((g) => g[0] === FAR_OFFSET)?.[1];
  const also = (h.also ?? []).filter((g) => g[0] !== FAR_OFFSET);
  // The lookahead first: it fails sooner. `[^]` is the anchor itself.
  const source =
    (h.before === undefined ? '' : `(?=[^](?:${h.before}))`) +
    (h.after === undefined ? '' : `(?<=(?:${h.after}))`);
  return {
    at: h.at,
    near: [h.prev, h.next, h.next2, h.next3, h.prev2, far].map((spec) =>
      spec === undefined ? ANY : charSet(spec),
    ),
    check: {
      offsets: also.map((g) => g[0]),
      sets: also.map((g) => charSet(g[1])),
      re: source === '' ? undefined : new RegExp(source, 'y'),
      prefix: false,
    },
  };
}

/**
 * The prefix hints, one per separator: the tables hold the characters that come just before the
 * separator in some wanted prefix, and the one before that, so `contoso.com` or `user_id` is turned
 * away at the first load; ten token characters must follow (+1 to +3 and +7 in the tables).
 */
function compilePrefixes(prefixes: readonly string[]): Compiled[] {
  const bySeparator = new Map<string, { texts: string[]; prev: Set<string>; prev2: Set<string> }>();
  for (const p of prefixes) {
    for (const word of expandPrefix(p)) {
      const sep = word.slice(-1);
      if (!PREFIX_SEPARATORS_SET.has(sep) || word.length < 3)
        throw new Error(`prefix ${p} must have two characters before one of ${PREFIX_SEPARATORS}`);
      let group = bySeparator.get(sep);
      if (group === undefined) {
        group = { texts: [], prev: new Set(), prev2: new Set() };
        bySeparator.set(sep, group);
      }
      if (!group.texts.includes(p)) group.texts.push(p);
      group.prev.add(word.charAt(word.length - 2));
      group.prev2.add(word.charAt(word.length - 3));
    }
  }
  return [...bySeparator].map(([sep, g]) => ({
    at: sep === '-' ? '\\-' : sep,
    near: [setOf(g.prev), TOKEN_SET, TOKEN_SET, TOKEN_SET, setOf(g.prev2), TOKEN_SET],
    // Sticky after the separator: does the text that ends there end with a prefix?
    check: {
      offsets: [],
      sets: [],
      re: new RegExp(`(?<=(?<![A-Za-z0-9])(?:${g.texts.join('|')}))`, 'y'),
      prefix: true,
    },
  }));
}

const PREFIX_SEPARATORS_SET = new Set(['_', '.', '-']);

/** A 128-entry table: 1 for each of these ASCII characters. */
function setOf(chars: Iterable<string>): Uint8Array {
  const set = new Uint8Array(128);
  for (const c of chars) set[c.charCodeAt(0)] = 1;
  return set;
}

/**
 * Every text a prefix's regex text matches. The prefixes use a small part of regex syntax, which
 * this reads: literal characters, the escapes `\.`, `\-` and `\d`, sets such as `[pousr]` or
 * `[a-z]`, groups `(?:a|b)` and `?` after a character, set or group.
 */
export function expandPrefix(pattern: string): string[] {
  const reader = new PrefixReader(pattern);
  const out = reader.alternatives();
  if (!reader.done()) reader.fail('unexpected )');
  return out;
}

/** A cursor over a prefix's regex text; each method reads one piece of the syntax. */
class PrefixReader {
  private at = 0;
  constructor(private readonly pattern: string) {}

  done(): boolean {
    return this.at === this.pattern.length;
  }

  fail(what: string): never {
    throw new Error(`prefix ${this.pattern}: ${what} at ${this.at}`);
  }

  /** `a|b|…` up to the end or a closing `)`. */
  alternatives(): string[] {
    const out: string[] = [];
    for (;;) {
      out.push(...this.sequence());
      if (this.pattern[this.at] !== '|') return out;
      this.at++;
    }
  }

  /** Atoms one after another, each optionally followed by `?`. */
  private sequence(): string[] {
    const p = this.pattern;
    let texts = [''];
    while (this.at < p.length && p[this.at] !== '|' && p[this.at] !== ')') {
      let atom = this.atom();
      if (p[this.at] === '?') {
        this.at++;
        atom = ['', ...atom];
      }
      texts = texts.flatMap((t) => atom.map((a) => t + a));
      if (texts.length > 100_000) this.fail('too many texts');
    }
    return texts;
  }

  private atom(): string[] {
    const c = this.pattern.charAt(this.at++);
    if (c === '\\') return this.escape();
    if (c === '[') return this.set();
    if (c === '(') return this.group();
    if ('.*+{}^$'.includes(c)) this.fail(`operator ${c}`);
    return [c];
  }

  /** `\d`, `\.` or `\-`, after the backslash. */
  private escape(): string[] {
    const e = this.pattern.charAt(this.at++);
    if (e === 'd') return ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
    if (e === '.' || e === '-') return [e];
    return this.fail(`escape \\${e}`);
  }

  /** `[abc]` or `[a-z]`, after the `[`. */
  private set(): string[] {
    const p = this.pattern;
    const chars: string[] = [];
    while (this.at < p.length && p[this.at] !== ']') {
      const from = p.charCodeAt(this.at);
      if (p[this.at + 1] === '-' && p[this.at + 2] !== ']') {
        const to = p.charCodeAt(this.at + 2);
        for (let x = from; x <= to; x++) chars.push(String.fromCharCode(x));
        this.at += 3;
      } else {
        chars.push(p.charAt(this.at));
        this.at++;
      }
    }
    if (p[this.at++] !== ']') this.fail('unclosed set');
    return chars;
  }

  /** `(?:…)`, after the `(`. */
  private group(): string[] {
    if (this.pattern.slice(this.at, this.at + 2) !== '?:') this.fail('group other than (?:');
    this.at += 2;
    const inner = this.alternatives();
    if (this.pattern[this.at++] !== ')') this.fail('unclosed group');
    return inner;
  }
}

/** The character at `j`, or 0 outside `s` and for anything past ASCII (no guard holds 0). */
function asciiAt(s: string, j: number): number {
  if (j < 0 || j >= s.length) return 0;
  const c = s.charCodeAt(j);
  return c < 128 ? c : 0;
}

function passes(k: Check, s: string, i: number): boolean {
  const { offsets, sets } = k;
  for (let g = 0; g < offsets.length; g++) {
    if ((sets[g] as Uint8Array)[asciiAt(s, i + (offsets[g] as number))] !== 1) return false;
  }
  const re = k.re;
  if (re === undefined) return true;
  if (k.prefix) {
    for (let j = i + 4; j <= i + PREFIX_TAIL; j++) if (TOKEN_SET[asciiAt(s, j)] !== 1) return false;
    // Every prefix's last word starts with a letter and is at most PREFIX_WORD long.
    let start = i - 1;
    while (start > 0 && ALNUM_SET[asciiAt(s, start - 1)] === 1) if (i - --start > PREFIX_WORD) return false;
    if (LETTER_SET[asciiAt(s, start)] !== 1) return false;
    re.lastIndex = i + 1;
  } else re.lastIndex = i;
  return re.test(s);
}

class TablePrefilter implements Prefilter {
  /**
   * `tables[k][c << 7 | x]` holds one bit per check on anchor `c` whose guard at
   * `TABLE_OFFSETS[k]` accepts character `x` there (every check without such a guard accepts all).
   */
  constructor(
    tables: readonly Uint32Array[],
    private readonly checks: readonly (readonly Check[])[],
  ) {
    [this.before, this.after, this.after2, this.after3, this.before2, this.after7] = tables as [
      Uint32Array,
      Uint32Array,
      Uint32Array,
      Uint32Array,
      Uint32Array,
      Uint32Array,
    ];
  }

  private readonly before: Uint32Array;
  private readonly after: Uint32Array;
  private readonly after2: Uint32Array;
  private readonly after3: Uint32Array;
  private readonly before2: Uint32Array;
  private readonly after7: Uint32Array;

  scan(s: string): number {
    const before = this.before;
    let seen = SCAN_CLEAN;
    // The character before, kept from the last step rather than read again.
    let prev = 0;
    for (let i = 0, n = s.length; i < n; i++) {
      const c = s.charCodeAt(i);
      const kind = CHAR_KIND[c] as number;
      if (kind !== 0) {
        if (kind !== ANCHOR) seen |= kind;
        else {
          // The guard on the character before, here: most anchors in ordinary text end at it.
          const row = c << 7;
          const mask = before[row | (prev < 128 ? prev : 0)] as number;
          if (mask !== 0 && this.hintAt(s, i, row, mask)) return SCAN_HINT;
        }
      }
      prev = c;
    }
    return seen;
  }

  /** Whether a hint on the anchor at `i` holds: the rest of its guards, then its check. */
  private hintAt(s: string, i: number, row: number, guarded: number): boolean {
    // Unrolled over the rest of TABLE_OFFSETS: most anchors stop at the first load.
    let mask = guarded & (this.after[row | asciiAt(s, i + 1)] as number);
    if (mask === 0) return false;
    mask &= this.after2[row | asciiAt(s, i + 2)] as number;
    if (mask === 0) return false;
    mask &=
      (this.after3[row | asciiAt(s, i + 3)] as number) &
      (this.before2[row | asciiAt(s, i - 2)] as number) &
      (this.after7[row | asciiAt(s, i + 7)] as number);
    const checks = this.checks[row >> 7] as readonly Check[];
    while (mask !== 0) {
      const bit = 31 - Math.clz32(mask & -mask);
      mask &= mask - 1;
      if (passes(checks[bit] as Check, s, i)) return true;
    }
    return false;
  }
}

/** Not a scan outcome: a character that some hint starts at (an odd number, unlike the flags). */
const ANCHOR = 1;
/**
 * Every UTF-16 unit: `ANCHOR` for an ASCII character that some hint starts at, `SCAN_CONTROL` for
 * a C0 control, `SCAN_HIDING` for what sanitising escapes at or above U+007F and for surrogates,
 * else 0. One load per character.
 */
const CHAR_KIND = new Uint8Array(0x10000);
for (let c = 0; c < 0x20; c++) CHAR_KIND[c] = SCAN_CONTROL;
for (let c = 0x7f; c < 0x10000; c++)
  if (isUnsafe(c) || (c >= 0xd800 && c <= 0xdfff)) CHAR_KIND[c] = SCAN_HIDING;
for (const hints of Object.values(HINTS)) {
  for (const h of hints) {
    const anchors = 'prefixes' in h ? charSet(PREFIX_SEPARATORS) : charSet(h.at);
    for (let c = 0; c < 128; c++) if (anchors[c] === 1) CHAR_KIND[c] = ANCHOR;
  }
}

/** The pre-filter for `kinds`: the guard tables and the checks of every anchor character. */
export function prefilterFor(kinds: readonly SecretKind[]): Prefilter {
  const compiled: Compiled[] = [];
  const prefixes = new Set<string>();
  const seen = new Set<Hint>();
  for (const kind of kinds) {
    for (const hint of HINTS[kind]) {
      if ('prefixes' in hint) {
        for (const p of hint.prefixes) prefixes.add(p);
      } else if (!seen.has(hint)) {
        seen.add(hint);
        compiled.push(compileHint(hint));
      }
    }
  }
  compiled.push(...compilePrefixes([...prefixes]));
  const tables = TABLE_OFFSETS.map(() => new Uint32Array(128 * 128));
  const checks: Check[][] = Array.from({ length: 128 }, () => []);
  for (const h of compiled) {
    const at = charSet(h.at);
    for (let c = 0; c < 128; c++) {
      if (at[c] !== 1) continue;
      const list = checks[c] as Check[];
      if (list.length === 32)
        throw new Error(`more than 32 pre-filter checks on ${JSON.stringify(String.fromCharCode(c))}`);
      const bit = 1 << list.length;
      list.push(h.check);
      tables.forEach((table, k) => {
        const set = h.near[k] as Uint8Array;
        for (let x = 0; x < 128; x++)
          if (set[x] === 1) table[(c << 7) | x] = ((table[(c << 7) | x] as number) | bit) >>> 0;
      });
    }
  }
  return new TablePrefilter(tables, checks);
}
