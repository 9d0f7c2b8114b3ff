// Validates mapping data (already parsed and interpolated) and resolves it into a
// `MappingConfig`: structure first (zod), then the semantic rules, all problems at once.

import { formatPath, hasErrors } from './problems.js';
import type { MappingProblem } from './problems.js';
import { mappingSchema } from './schema.js';
import { issuesToProblems } from './structure-issues.js';
import type { RawProblem } from './structure-issues.js';
import {
  checkDcrId,
  checkEndpoint,
  checkStreamSet,
  DEFAULTS,
  parseStreamShell,
  Problems,
  resolveDefaults,
  resolveStream,
} from './validate-semantics.js';
import type { SemanticContext } from './validate-semantics.js';
import { nullLocator } from './yaml-locator.js';
import type { Locator } from './yaml-locator.js';
import { DEFAULT_SECURITY_ATTRIBUTE } from './types.js';
import type { MappingConfig, StreamConfig, TransformChecker } from './types.js';
import { streamDeclaration, tableSchema } from './table-schema.js';

export interface ValidateOptions {
  /** Environment used to check hash keys; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** File name used in problems; default `<mapping>`. */
  readonly file?: string;
  /**
   * Checks each stream's `transformKql` in depth (parse, operators, output columns); its messages
   * become `E_TRANSFORM` errors at the transform's position. Default: only the first word is checked.
   */
  readonly checkTransform?: TransformChecker;
}

export interface ValidationResult {
  /** Present when there are no errors (warnings are fine). */
  readonly config?: MappingConfig;
  /** Errors, warnings and notes, in file order. */
  readonly problems: readonly MappingProblem[];
}

function record(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

/** Validates data with known positions (`locator`), plus problems found before (parse, interpolation). */
export function validateData(
  data: unknown,
  file: string,
  locator: Locator,
  env: Readonly<Record<string, string | undefined>>,
  earlier: readonly RawProblem[] = [],
  checkTransform?: TransformChecker,
): ValidationResult {
  const raw: RawProblem[] = [...earlier];
  const full = mappingSchema.safeParse(data);
  if (!full.success) {
    // Column names are reported by the semantic pass with the naming rules spelled out.
    // Column names, stream and table names are reported by the semantic pass, with the rules.
    const issues = full.error.issues.filter(
      (i) =>
        !(
          i.code === 'invalid_key' &&
          (i.path[i.path.length - 1] === 'columns' || i.path[i.path.length - 2] === 'columns')
        ) &&
        !(
          i.code === 'invalid_format' &&
          i.path.length === 3 &&
          (i.path[2] === 'stream' || i.path[2] === 'table')
        ),
    );
    raw.push(...issuesToProblems(issues, data));
  }

  const problems = new Problems();
  const doc = record(data);
  const streams: StreamConfig[] = [];
  let securityAttribute = DEFAULT_SECURITY_ATTRIBUTE;
  let defaults = DEFAULTS;
  if (doc) {
    if (typeof doc.securityAttribute === 'string' && doc.securityAttribute !== '')
      securityAttribute = doc.securityAttribute;
    const d = mappingSchema.shape.defaults.safeParse(doc.defaults);
    if (d.success) defaults = resolveDefaults(DEFAULTS, d.data);
    const endpoint = typeof doc.endpoint === 'string' ? doc.endpoint : undefined;
    const dcr = typeof doc.dcrImmutableId === 'string' ? doc.dcrImmutableId : undefined;
    if (endpoint !== undefined) checkEndpoint(endpoint, ['endpoint'], problems);
    if (dcr !== undefined) checkDcrId(dcr, ['dcrImmutableId'], problems);
    const ctx: SemanticContext = {
      env,
      problems,
      securityAttribute,
      defaults,
      endpoint,
      dcrImmutableId: dcr,
    };
    if (Array.isArray(doc.streams)) {
      const shells = doc.streams.map(parseStreamShell);
      shells.forEach((shell, i) => {
        if (!shell) return;
        const s = resolveStream(shell, i, ctx);
        if (s) streams.push(s);
      });
      const wellFormed = shells.filter((s) => s !== undefined);
      if (wellFormed.length === shells.length && wellFormed.length > 0) checkStreamSet(wellFormed, problems);
    }
    if (checkTransform) for (const s of streams) checkStreamTransform(s, checkTransform, problems);
  }
  // A value emptied by an unset variable is reported once, by the interpolation problem.
  const unset = new Set(earlier.filter((p) => p.code === 'E_UNSET_VARIABLE').map((p) => formatPath(p.path)));
  raw.push(
    ...problems.list.filter(
      (p) => !(unset.has(formatPath(p.path)) && (p.code === 'E_ENDPOINT' || p.code === 'E_DCR_ID')),
    ),
  );

  const located = locate(raw, file, locator);
  if (hasErrors(located) || !full.success) return { problems: located };
  const config: MappingConfig = {
    version: 1,
    securityAttribute,
    defaults,
    streams,
    ...(file !== '<mapping>' ? { file } : {}),
    ...(full.data.solution !== undefined ? { solution: full.data.solution } : {}),
  };
  return { config, problems: located };
}

function checkStreamTransform(s: StreamConfig, check: TransformChecker, problems: Problems): void {
  if (s.transformKql === undefined) return;
  let messages: readonly string[];
  try {
    messages = check(s.transformKql, {
      stream: s.stream,
      table: s.table,
      streamColumns: streamDeclaration(s).columns,
      tableColumns: tableSchema(s).columns.map((c) => ({ name: c.name, type: c.type })),
    });
  } catch (error: unknown) {
    messages = [`the transform checker failed: ${error instanceof Error ? error.message : String(error)}`];
  }
  for (const message of messages)
    problems.error('E_TRANSFORM', ['streams', s.index, 'transformKql'], message);
}

function locate(raw: readonly RawProblem[], file: string, locator: Locator): MappingProblem[] {
  const seen = new Set<string>();
  const out: MappingProblem[] = [];
  for (const r of raw) {
    const path = formatPath(r.path);
    const key = `${r.code}|${path}|${r.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const pos = locator.locate(r.path, r.target);
    out.push({
      severity: r.severity ?? 'error',
      code: r.code,
      message: r.message,
      path,
      file,
      line: pos.line,
      column: pos.column,
    });
  }
  const rank = { error: 0, warning: 1, info: 2 } as const;
  return out.sort((a, b) => a.line - b.line || a.column - b.column || rank[a.severity] - rank[b.severity]);
}

/** Validates an in-memory mapping object (no positions: problems carry paths only). */
export function validateMapping(data: unknown, options: ValidateOptions = {}): ValidationResult {
  return validateData(
    data,
    options.file ?? '<mapping>',
    nullLocator,
    options.env ?? process.env,
    [],
    options.checkTransform,
  );
}
