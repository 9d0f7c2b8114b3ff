// `${VAR}` and `${VAR:-default}` interpolation of environment variables in mapping values.

export interface InterpolationResult {
  readonly value: string;
  /** Variables referenced without a default and not set. */
  readonly missing: readonly string[];
  /** A malformed reference, e.g. `${` without `}`. */
  readonly syntaxError?: string;
  /** True when the whole input was one `${...}` reference. */
  readonly whole: boolean;
}

const REF = /\$\$\{|\$\{([^}]*)\}|\$\{/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Replaces references with values from `env`. `:-` uses the default when the variable is unset
 * or empty; `$${` writes a literal `${`. Unset variables without a default are reported, and
 * replaced by the empty string so the rest of validation can go on.
 */
export function interpolate(
  input: string,
  env: Readonly<Record<string, string | undefined>>,
): InterpolationResult {
  if (!input.includes('${')) return { value: input, missing: [], whole: false };
  const missing: string[] = [];
  let syntaxError: string | undefined;
  let refs = 0;
  const value = input.replace(REF, (match: string, body: string | undefined) => {
    if (match === '$${') return '${';
    if (body === undefined) {
      syntaxError ??= 'a "${" without a closing "}"';
      return match;
    }
    refs++;
    const sep = body.indexOf(':-');
    const name = sep === -1 ? body : body.slice(0, sep);
    if (!NAME.test(name)) {
      syntaxError ??= `"\${${body}}" is not a variable reference; names are letters, digits and _ (e.g. \${SENTINEL_DCE_ENDPOINT} or \${NAME:-default})`;
      return match;
    }
    const set = env[name];
    if (sep !== -1) return set === undefined || set === '' ? body.slice(sep + 2) : set;
    if (set === undefined) {
      missing.push(name);
      return '';
    }
    return set;
  });
  const whole = refs === 1 && /^\$\{[^}]*\}$/.test(input);
  return syntaxError === undefined ? { value, missing, whole } : { value, missing, whole, syntaxError };
}
