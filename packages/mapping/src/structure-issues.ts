// Turns zod issues into mapping problems whose messages say what is wrong and what is allowed.

import type { z } from 'zod';
import { formatPath } from './problems.js';
import type { PathSegment } from './problems.js';

export interface RawProblem {
  readonly code: string;
  readonly message: string;
  readonly path: readonly PathSegment[];
  readonly target: 'key' | 'value';
  readonly severity?: 'error' | 'warning' | 'info';
}

type Issue = z.core.$ZodIssue;

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint')
    return `${typeof v} ${String(v)}`;
  return typeof v;
}

function kindOf(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

const FIELD_HINTS: Readonly<Record<string, string>> = {
  stream: 'a DCR stream name starting with "Custom-", e.g. Custom-AppSecurityEvents',
  table: 'a custom table name ending with "_CL", e.g. AppSecurityEvents_CL',
  version: 'version 1',
};

function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let v: unknown = root;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

/** Picks the branch of a failed union that fits the input's kind, so messages stay specific. */
function unionBranch(issue: Issue & { code: 'invalid_union' }, input: unknown): readonly Issue[] | undefined {
  const kind = kindOf(input);
  // A branch that refuses the value as a whole (a string or an enum of strings, given a map)
  // explains nothing when another branch takes that kind of value.
  const wholeValue =
    kind === 'object' || kind === 'array' ? ['invalid_type', 'invalid_value'] : ['invalid_type'];
  const plausible = issue.errors.filter(
    (branch) =>
      !(
        branch.length === 1 &&
        branch[0] !== undefined &&
        wholeValue.includes(branch[0].code) &&
        branch[0].path.length === 0
      ),
  );
  if (plausible.length === 1) return plausible[0];
  // Several branches accept this kind of value (e.g. several object shapes): take the one with an
  // unrecognised-key complaint least, i.e. whose keys overlap the input most.
  if (plausible.length > 1 && kind === 'object') {
    const scored = plausible.map((b) => ({ b, bad: b.filter((i) => i.code === 'unrecognized_keys').length }));
    scored.sort((a, b) => a.bad - b.bad);
    const best = scored[0];
    const second = scored[1];
    if (best && second && best.bad < second.bad) return best.b;
  }
  return undefined;
}

export function issuesToProblems(
  issues: readonly Issue[],
  root: unknown,
  prefix: readonly PathSegment[] = [],
): RawProblem[] {
  return issues.flatMap((issue) =>
    issueToProblems(issue, root, [...prefix, ...(issue.path as PathSegment[])]),
  );
}

/** The problems one structure issue at `path` stands for. */
function issueToProblems(issue: Issue, root: unknown, path: PathSegment[]): RawProblem[] {
  const input = valueAt(root, path);
  const last = path[path.length - 1];
  const field = typeof last === 'string' ? last : '';
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({
        code: 'E_UNKNOWN_KEY',
        message: `unknown key "${key}"${allowedKeysHint(root, path)}`,
        path: [...path, key],
        target: 'key' as const,
      }));
    case 'invalid_union': {
      const branch = unionBranch(issue, input);
      if (branch) return issuesToProblems(branch, root, path);
      return [{ code: 'E_INVALID_VALUE', message: unionMessage(field, input), path, target: 'value' }];
    }
    case 'invalid_type':
    case 'invalid_value':
      return [typeOrValueProblem(issue, field, input, path)];
    case 'invalid_format':
      return [
        {
          code: 'E_INVALID_FORMAT',
          message: FIELD_HINTS[field]
            ? `${describeValue(input)} is not ${FIELD_HINTS[field]}`
            : `${describeValue(input)} does not match ${issue.pattern ?? issue.format}`,
          path,
          target: 'value',
        },
      ];
    case 'invalid_key':
      // Column names: reported with the full naming rules by the semantic pass.
      return issuesToProblems(issue.issues, root, path).map((p) => ({ ...p, target: 'key' as const }));
    case 'too_small':
    case 'too_big':
      return [sizeProblem(issue, field, input, path)];
    default:
      return [{ code: 'E_INVALID_VALUE', message: `${field}: ${issue.message}`, path, target: 'value' }];
  }
}

/** A missing key, a value of the wrong type, or one not among the allowed values. */
function typeOrValueProblem(
  issue: Extract<Issue, { code: 'invalid_type' | 'invalid_value' }>,
  field: string,
  input: unknown,
  path: PathSegment[],
): RawProblem {
  if (input === undefined)
    return {
      code: 'E_MISSING_KEY',
      message: `missing required key "${field}"${FIELD_HINTS[field] ? `: ${FIELD_HINTS[field]}` : ''}`,
      path,
      target: 'value',
    };
  if (issue.code === 'invalid_type')
    return {
      code: 'E_INVALID_TYPE',
      message: `${field === '' ? 'the document' : `"${field}"`} must be ${article(issue.expected)}, not ${describeValue(input)}`,
      path,
      target: 'value',
    };
  return {
    code: 'E_INVALID_VALUE',
    message: `${describeValue(input)} is not allowed for "${field}"; allowed: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`,
    path,
    target: 'value',
  };
}

/** A number, list or text under its minimum or over its maximum. */
function sizeProblem(
  issue: Extract<Issue, { code: 'too_small' | 'too_big' }>,
  field: string,
  input: unknown,
  path: PathSegment[],
): RawProblem {
  const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
  const what = issue.origin === 'array' ? 'entries' : issue.origin === 'string' ? 'characters' : '';
  const rel = issue.code === 'too_small' ? 'at least' : 'at most';
  const subject = field === '' ? 'value' : `"${field}"`;
  const message =
    what === ''
      ? `${subject} must be ${rel} ${String(bound)}; got ${describeValue(input)}`
      : `${subject} must have ${rel} ${String(bound)} ${what}; got ${describeValue(input)}`;
  return { code: issue.code === 'too_small' ? 'E_TOO_SMALL' : 'E_TOO_BIG', message, path, target: 'value' };
}

function article(t: string): string {
  const word = t === 'record' || t === 'object' ? 'map' : t === 'array' ? 'list' : t;
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`;
}

function unionMessage(field: string, input: unknown): string {
  switch (field) {
    case 'eventNameFrom':
      return `"eventNameFrom" must be a source string such as "attributes['event']", { const: value }, or a list of those; got ${describeValue(input)}`;
    case 'from':
      return `"from" must be a source string, { const: value }, or a list of those; got ${describeValue(input)}`;
    case 'transform':
      return `unknown transform ${describeValue(input)}; allowed: hmac-sha256, { hmac-sha256: { keyEnv: NAME } }, lowercase, uppercase, trim, redact, { truncate: N }, { lookup: { value: replacement, … }, default: replacement }`;
    case 'redact':
      return `"redact" must be true, false, or a list of secret kinds; got ${describeValue(input)}`;
    case 'minSeverity':
      return `"minSeverity" must be a severity name (TRACE, DEBUG, INFO, WARN, ERROR, FATAL, INFO2, …) or a number 1–24; got ${describeValue(input)}`;
    case 'eventName':
      return `"eventName" must be a glob or a list of globs; got ${describeValue(input)}`;
    default:
      return `${field === '' ? 'value' : `"${field}"`} has an invalid value: ${describeValue(input)}`;
  }
}

const ALLOWED_KEYS: ReadonlyArray<[RegExp, string]> = [
  [
    /^$/,
    '$schema, version, extends, securityAttribute, eventNameFrom, endpoint, dcrImmutableId, defaults, solution, streams',
  ],
  [/^solution$/, 'name, publisher, publisherId, offerId, version, description, logo, support'],
  [/^solution\.support$/, 'name, email, link, tier'],
  [/^(streams\[\d+\]\.)?defaults$/, 'maxFieldBytes, maxRowBytes, redact, sanitize, hashKeyEnv, onMismatch'],
  [
    /^streams\[\d+\]$/,
    'stream, table, description, endpoint, dcrImmutableId, match, defaults, transformKql, overflowColumn, columns',
  ],
  [/^streams\[\d+\]\.match$/, 'eventName, minSeverity, attributes, resource'],
  [
    /^streams\[\d+\]\.columns\.[^.]+$/,
    'from, type, required, default, onMismatch, transform, include, exclude, redact, sanitize, maxBytes, description',
  ],
  [
    /^streams\[\d+\]\.columns\.[^.]+\.transform(\[\d+\])?$/,
    'one of { hmac-sha256: { keyEnv } }, { truncate: N }, { lookup: { … }, default }',
  ],
];

function allowedKeysHint(_root: unknown, path: readonly PathSegment[]): string {
  const p = formatPath(path).replace(/\.columns\[[^\]]+\]$/, '.columns.X');
  for (const [re, keys] of ALLOWED_KEYS) if (re.test(p)) return `; allowed here: ${keys}`;
  return '';
}
