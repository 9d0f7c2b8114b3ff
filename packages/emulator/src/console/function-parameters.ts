// A stored function's parameter list as ARM's `functionParameters` writes it
// (`starttime:datetime=datetime(null), T:(*)`), split into Monaco Kusto's input parameters.

/** Monaco Kusto's `InputParameter`: a scalar (type, default) or a table (columns, empty for `(*)`). */
export interface InputParameter {
  readonly name: string;
  readonly type?: string;
  readonly cslType?: string;
  readonly cslDefaultValue?: string;
  readonly columns?: readonly { readonly name: string; readonly type: string; readonly cslType: string }[];
}

/** Splits `text` at `separator`s outside parentheses, brackets and quoted strings. */
export function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (quote !== undefined) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
    else if (ch === separator && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

function tabular(name: string, inner: string): InputParameter {
  const columns = splitTopLevel(inner, ',')
    .filter((c) => c !== '*')
    .map((c) => {
      const [column = '', type = 'dynamic'] = c.split(':').map((s) => s.trim());
      return { name: column, type, cslType: type };
    });
  return { name, columns };
}

function parameter(text: string): InputParameter | undefined {
  const colon = text.indexOf(':');
  if (colon <= 0) return undefined;
  const name = text.slice(0, colon).trim();
  const rest = text.slice(colon + 1).trim();
  if (rest.startsWith('(')) return tabular(name, rest.slice(1, rest.lastIndexOf(')')));
  const [type = 'dynamic', ...defaultParts] = splitTopLevel(rest, '=');
  const cslDefaultValue = defaultParts.join('=').trim();
  return { name, type, cslType: type, ...(cslDefaultValue !== '' ? { cslDefaultValue } : {}) };
}

/** The parameters of `parameters` (undefined or empty: none); unreadable entries are left out. */
export function inputParameters(parameters: string | undefined): InputParameter[] {
  if (parameters === undefined) return [];
  return splitTopLevel(parameters, ',')
    .map(parameter)
    .filter((p): p is InputParameter => p !== undefined);
}
