// The `solution:` section a starter mapping gets, so `otel-sentinel connector` packages it as
// written. The publisher and support values are RFC 2606 examples to replace before publishing
// (the connector warns while they are there); the rest follows from the table.

/** The flag of `otel-sentinel connector` that supplies or overrides each key, for its comment. */
export const SOLUTION_FLAGS: Readonly<Record<string, string>> = {
  name: '--name',
  publisher: '--publisher',
  publisherId: '--publisher-id',
  offerId: '--offer-id',
  version: '--solution-version',
  description: '--description',
  'support.name': '--support-name',
  'support.email': '--support-email',
  'support.link': '--support-link',
  'support.tier': '--support-tier',
};

/** The comment above the section, one string per line (without the `#`). */
export const SOLUTION_COMMENT: readonly string[] = [
  ' The Sentinel solution package `otel-sentinel connector` writes from this mapping. The',
  ' Example Publisher and example.com values are stand-ins to try it with: replace them before',
  ' you publish or share the package. The flag beside each value overrides it.',
];

/** What a name without a usable word falls back to (a table such as `X_1_CL`). */
const FALLBACK_WORDS = ['Security', 'Events'];

/**
 * The section for a mapping that writes `table`, e.g. `AppSecurityEvents_CL` → name
 * `App Security Events`, offer id `app-security-events`.
 */
export function starterSolution(table: string): Record<string, unknown> {
  const found = wordsOf(table.replace(/_CL$/, ''));
  // The connector needs a name starting with a letter and at least 3 letters or digits.
  const words = /^[A-Za-z]/.test(found[0] ?? '') && found.join('').length >= 3 ? found : FALLBACK_WORDS;
  return {
    name: words.join(' '),
    publisher: 'Example Publisher',
    publisherId: 'examplepublisher',
    offerId: words.join('-').toLowerCase(),
    version: '1.0.0',
    description: `Security events that applications send with OpenTelemetry, through otel-sentinel, to ${table}.`,
    support: {
      name: 'Example Publisher Security',
      email: 'security@example.com',
      link: 'https://example.com/security',
      tier: 'Community',
    },
  };
}

/** `AppSecurity_events2` → `App`, `Security`, `Events2`: words at `_` and lower-to-upper steps. */
function wordsOf(name: string): string[] {
  return name
    .split('_')
    .flatMap((part) => part.split(/(?<=[a-z0-9])(?=[A-Z])/))
    .filter((w) => w !== '')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1));
}
