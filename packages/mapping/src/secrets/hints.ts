// The pre-filter: text that every secret of a kind contains, joined into ONE case-sensitive regex
// that a clean string pays for once. A false hit only costs a run of the full detectors.

import type { SecretKind } from '../secret-kinds.js';

/**
 * A hint is plain regex text, or an anchor character with what must come just before it (`after`,
 * checked by a lookbehind) or just after it (`before`, a lookahead). Most provider prefixes end in
 * `_`, `-` or `.`, and key names in `=` or `:`, so hints are grouped under those characters: the
 * regex then tries a few alternatives per character instead of one per prefix (a flat alternation
 * of every prefix cost five times as much per clean string). Case-sensitive throughout: a
 * case-insensitive alternation costs about twice as much per character, so fragments spell the
 * usual cases out (`[Bb]earer|BEARER`).
 */
interface Hint {
  /** One character (regex text) that every secret of the kind holds, preferably a rare one. */
  readonly at: string;
  /** What comes just before `at`, checked by a lookbehind. */
  readonly after?: string;
  /** What comes just after `at`, checked by a lookahead. */
  readonly before?: string;
}

/**
 * Most provider tokens: a short prefix that starts with a letter (`ghp`, `sk_live`, `xoxb`, `HRKU`,
 * `dp.pt`), a `_`, `-` or `.`, then 16 or more token characters. One hint for all of them.
 */
const PREFIXED: Hint = {
  at: '[_.-]',
  after: '(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9]{0,8}',
  before: '[A-Za-z0-9_-]{16}',
};

/** The separator after a key name: `=`, `:` or the `>` of an XML element. */
const SEP = '[:=>]';

/** Key words cut to what they must contain, with an optional closing quote and blanks after. */
const PASSWORD_WORDS = '(?:ass(?:word|wd|phrase)?|wd|ASS(?:WORD|WD|PHRASE)?|WD)["\']?[ \\t]*';
const SECRET_WORDS = '(?:ecret|ECRET|oken|OKEN|[Kk]ey|KEY|redentials?|REDENTIALS?|PAT|pat)["\']?[ \\t]*';

const HINTS: Readonly<Record<SecretKind, readonly Hint[]>> = {
  jwt: [{ at: 'J', after: 'ey' }],
  bearer: [{ at: '[Bb]', before: '(?:earer|EARER)[ \\t]' }],
  'basic-auth': [{ at: '[Bb]', before: '(?:asic|ASIC)[ \\t]' }],
  'azure-key': [
    { at: '=', after: '[Kk]ey|KEY|[Ss]ignature|SIGNATURE|sig|=' },
    { at: '"', after: 'Key' },
    { at: '\\.', after: 'azurewebsites' },
  ],
  'url-credentials': [{ at: ':', before: '\\/\\/[^\\s\\/?#@]*:[^\\s]*@' }],
  'private-key': [{ at: 'B', before: 'EGIN ' }, { at: '-', after: 'PuTTY' }, PREFIXED],
  card: [{ at: '[2-6]', before: '\\d{3}(?:[ -]\\d{4}|\\d{9})' }],
  'aws-key': [{ at: 'A', before: '3T|KIA|SIA|BIA|CCA|GPA|IDA|IPA|NPA|NVA|PKA|ROA|SCA' }],
  'github-token': [PREFIXED],
  'entra-secret': [{ at: '~', after: '\\dQ' }],
  'password-field': [
    { at: SEP, after: PASSWORD_WORDS },
    // --password, sshpass -p, mysql -pX, redis-cli -a, curl -u / --user.
    { at: '-', after: '[ \\t]|-|redis', before: '-?[a-z-]*(?:pass|pwd|user)|[pua]|cli' },
  ],
  'aws-secret': [
    { at: '_', after: '[Ss]ecret|SECRET|[Aa]ws|AWS' },
    { at: 'S', before: 'ecretAccessKey' },
  ],
  'gcp-key': [{ at: 'A', before: 'Iza' }, PREFIXED],
  'alibaba-key': [{ at: 'L', before: 'TAI' }],
  'digitalocean-token': [PREFIXED],
  'heroku-key': [PREFIXED],
  'flyio-token': [PREFIXED],
  'supabase-key': [PREFIXED],
  'planetscale-token': [PREFIXED],
  'databricks-token': [{ at: 'i', after: 'dap', before: '[a-f0-9]{32}' }],
  'cloudflare-key': [PREFIXED],
  'gitlab-token': [PREFIXED, { at: 'G', before: 'R1348941' }],
  'atlassian-token': [{ at: 'A', before: 'T(?:ATT|CTT|BB)' }],
  'npm-token': [PREFIXED],
  'pypi-token': [PREFIXED],
  'nuget-key': [{ at: '2', after: 'oy' }],
  'rubygems-key': [PREFIXED],
  'docker-token': [PREFIXED],
  'vault-token': [PREFIXED],
  'doppler-token': [PREFIXED],
  'terraform-token': [PREFIXED],
  'pulumi-token': [PREFIXED],
  'postman-key': [PREFIXED],
  'artifactory-token': [
    { at: 'A', before: 'KCp' },
    { at: 'V', after: 'cm', before: 'mdGtu' },
  ],
  'slack-token': [PREFIXED, { at: '\\.', after: 'hooks' }],
  'teams-webhook': [{ at: '\\.', after: 'webhook' }],
  'discord-token': [{ at: '\\.', after: '[MNO][A-Za-z0-9_-]{23,25}|discord(?:app)?' }],
  'telegram-token': [{ at: ':', before: 'AA' }],
  'twilio-key': [
    { at: 'S', before: 'K[0-9a-fA-F]' },
    { at: 'A', before: 'C[0-9a-f]' },
  ],
  'sendgrid-key': [PREFIXED],
  'mailgun-key': [PREFIXED],
  'mailchimp-key': [{ at: '-', before: 'us\\d' }],
  'brevo-key': [PREFIXED],
  'stripe-key': [PREFIXED],
  'square-token': [{ at: 'E', before: 'AAA' }, PREFIXED],
  'braintree-token': [{ at: '\\$', after: 'access_token' }],
  'shopify-token': [PREFIXED],
  'openai-key': [PREFIXED],
  'anthropic-key': [PREFIXED],
  'huggingface-token': [PREFIXED],
  'groq-key': [PREFIXED],
  'replicate-token': [PREFIXED],
  'perplexity-key': [PREFIXED],
  'xai-key': [PREFIXED],
  'langsmith-key': [PREFIXED],
  'datadog-key': [
    { at: '_', after: '[Dd][Dd]|atadog|ATADOG' },
    { at: '-', after: '[Dd][Dd]|atadog|ATADOG' },
  ],
  'newrelic-key': [PREFIXED],
  'sentry-token': [PREFIXED],
  'grafana-token': [PREFIXED],
  'dynatrace-token': [PREFIXED],
  'linear-key': [PREFIXED],
  'notion-token': [PREFIXED],
  'figma-token': [PREFIXED],
  'contentful-token': [PREFIXED],
  'secret-field': [
    { at: SEP, after: SECRET_WORDS },
    { at: '-', after: '-[a-z-]*', before: '[a-z-]*(?:secret|token|key)' },
  ],
  'auth-header': [
    { at: SEP, after: '(?:uthorization|UTHORIZATION)["\']?[ \\t]*' },
    { at: 'N', before: 'egotiate |TLM ' },
    { at: '=', after: 'response|Signature' },
    { at: '-', before: '[Kk]ey|KEY|[Tt]oken|TOKEN|(?:[Aa]pi|API)["\']?[ \\t]*:' },
  ],
};

/**
 * The one pre-filter regex for `kinds`, or none when there is nothing to look for: one alternative
 * per anchor character, each with the lookarounds of every hint on that character.
 */
export function hintsFor(kinds: readonly SecretKind[]): readonly RegExp[] {
  const checks = new Map<string, Set<string>>();
  for (const kind of kinds) {
    for (const hint of HINTS[kind]) {
      const set = checks.get(hint.at) ?? new Set<string>();
      const behind = hint.after === undefined ? '' : `(?<=(?:${hint.after})${hint.at})`;
      const ahead = hint.before === undefined ? '' : `(?=${hint.before})`;
      // The lookahead first: it fails sooner.
      set.add(`${ahead}${behind}`);
      checks.set(hint.at, set);
    }
  }
  const sources = [...checks].map(([at, set]) => `${at}(?:${[...set].join('|')})`);
  return sources.length > 0 ? [new RegExp(sources.join('|'))] : [];
}
