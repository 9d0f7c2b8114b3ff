// Screens input before it is used. The store is not SQL, so an injection could do no harm here, but
// a probe is still an attack worth reporting (malicious_sqli, with the rule that matched and never
// the text). A body field the endpoint does not take is refused rather than silently dropped
// (malicious_extraneous): someone is trying fields such as `createdBy` to see what sticks.

interface SqliRule {
  readonly id: string;
  readonly pattern: RegExp;
}

const SQLI_RULES: readonly SqliRule[] = [
  { id: 'SQLI-UNION', pattern: /\bunion\b(?:\s+all)?\s+select\b/i },
  { id: 'SQLI-TAUTOLOGY', pattern: /['"]\s*or\s+['"]?(\w+)['"]?\s*=\s*['"]?\1\b/i },
  { id: 'SQLI-COMMENT', pattern: /['"]\s*(?:--|#|\/\*)/ },
  { id: 'SQLI-STACKED', pattern: /;\s*(?:drop|delete|insert|update|shutdown|exec)\b/i },
];

/** The id of the first SQL injection rule `text` matches, or `undefined`. */
export function sqlInjectionRule(text: string): string | undefined {
  return SQLI_RULES.find((rule) => rule.pattern.test(text))?.id;
}

/** The first field of a JSON object body that is not in `allowed`, or `undefined`. */
export function extraneousField(body: unknown, allowed: ReadonlySet<string>): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  return Object.keys(body).find((key) => !allowed.has(key));
}
