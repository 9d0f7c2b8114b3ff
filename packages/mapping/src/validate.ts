// Validates mapping data (already parsed and interpolated) and resolves it into a
// `MappingConfig`: the preset it extends first, then structure (zod), then the semantic rules,
// all problems at once.

import { applyExtends } from './apply-extends.js';
import { formatPath, hasErrors } from './problems.js';
import type { MappingProblem } from './problems.js';
import { SHIPPED_PRESETS } from './presets.js';
import type { PresetCatalog } from './presets.js';
import { mappingSchema } from './schema.js';
import { issuesToProblems } from './structure-issues.js';
import type { RawProblem } from './structure-issues.js';
import {
  checkDcrId,
  checkEndpoint,
  checkSecurityAttribute,
  checkStreamSet,
  DEFAULTS,
  parseStreamShell,
  Problems,
  resolveDefaults,
  resolveEventNameFrom,
  resolveStream,
} from './validate-semantics.js';
import type { SemanticContext } from './validate-semantics.js';
import { nullLocator } from './yaml-locator.js';
import type { Locator } from './yaml-locator.js';
import { DEFAULT_SECURITY_ATTRIBUTE } from './types.js';
import type { EventNameSource, MappingConfig, StreamConfig, TransformChecker } from './types.js';
import { streamDeclaration, tableSchema } from './table-schema.js';
import type { LogRecordLike } from './log-record.js';
import { checkSampleTypes } from './sample-types.js';

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
  /**
   * Records the app sends (for example read with `readOtlpJsonText`): where the values a column
   * would get from them do not fit its type, a `W_SAMPLE_TYPE` warning at the column says so.
   */
  readonly samples?: readonly LogRecordLike[];
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

/** Where the data came from, and what else validation needs. */
export interface ValidateDataOptions {
  /** File name used in problems and in `MappingConfig.file` (`<mapping>`: none). */
  readonly file: string;
  /** Positions in that file. */
  readonly locator: Locator;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Problems found before validation (interpolation). */
  readonly earlier?: readonly RawProblem[];
  readonly checkTransform?: TransformChecker | undefined;
  readonly samples?: readonly LogRecordLike[] | undefined;
  /** The presets `extends` may name; default the shipped ones. */
  readonly presets?: PresetCatalog;
}

/** Validates data with known positions, plus problems found before (parse, interpolation). */
export function validateData(input: unknown, options: ValidateDataOptions): ValidationResult {
  const { file, env, checkTransform } = options;
  const ext = applyExtends({
    data: input,
    locator: options.locator,
    earlier: options.earlier ?? [],
    env,
    presets: options.presets ?? SHIPPED_PRESETS,
  });
  if (ext.located.length > 0) return { problems: ext.located };
  const { data, locator, earlier } = ext;
  const raw: RawProblem[] = [...earlier, ...ext.problems];
  const full = mappingSchema.safeParse(data);
  if (!full.success) {
    // Column names, stream and table names are reported by the semantic pass, with the rules;
    // an unknown preset by applyExtends, with the names there are.
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
        ) &&
        !(
          i.code === 'invalid_value' &&
          i.path.length === 1 &&
          i.path[0] === 'extends' &&
          typeof record(data)?.extends === 'string'
        ),
    );
    raw.push(...issuesToProblems(issues, data));
  }

  const problems = new Problems();
  const doc = record(data);
  const streams: StreamConfig[] = [];
  let securityAttribute = DEFAULT_SECURITY_ATTRIBUTE;
  let eventNameFrom: EventNameSource | undefined;
  let defaults = DEFAULTS;
  if (doc) {
    if (typeof doc.securityAttribute === 'string' && doc.securityAttribute !== '') {
      securityAttribute = doc.securityAttribute;
      checkSecurityAttribute(securityAttribute, problems);
    }
    // A value of the wrong shape is reported once, by the structure check.
    if (
      mappingSchema.shape.eventNameFrom.safeParse(doc.eventNameFrom).success &&
      doc.eventNameFrom !== undefined
    )
      eventNameFrom = resolveEventNameFrom(doc.eventNameFrom, problems);
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
      ...(ext.streamsFrom !== undefined ? { streamsFrom: ext.streamsFrom } : {}),
    };
    if (doc.streams === undefined && doc.extends === undefined)
      problems.error(
        'E_MISSING_KEY',
        ['streams'],
        'missing required key "streams": list the streams, or start from a preset with "extends: owasp"',
      );
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
    if (options.samples !== undefined)
      for (const s of streams) checkSampleTypes(s, options.samples, problems);
  }
  // A value emptied by an unset variable is reported once, by the interpolation problem.
  const unset = new Set(earlier.filter((p) => p.code === 'E_UNSET_VARIABLE').map((p) => formatPath(p.path)));
  raw.push(
    ...problems.list.filter(
      (p) => !(unset.has(formatPath(p.path)) && (p.code === 'E_ENDPOINT' || p.code === 'E_DCR_ID')),
    ),
  );

  const located = locate(raw, file, locator);
  if (hasErrors(located) || !full.success || doc?.streams === undefined) return { problems: located };
  const config: MappingConfig = {
    version: 1,
    securityAttribute,
    ...(eventNameFrom !== undefined ? { eventNameFrom } : {}),
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
      file: pos.file ?? file,
      line: pos.line,
      column: pos.column,
    });
  }
  const rank = { error: 0, warning: 1, info: 2 } as const;
  // The user's file first, then what came from a preset; in file order within each.
  const other = (p: MappingProblem): number => (p.file === file ? 0 : 1);
  return out.sort(
    (a, b) =>
      other(a) - other(b) || a.line - b.line || a.column - b.column || rank[a.severity] - rank[b.severity],
  );
}

/** Validates an in-memory mapping object (no positions: problems carry paths only). */
export function validateMapping(data: unknown, options: ValidateOptions = {}): ValidationResult {
  return validateData(data, {
    file: options.file ?? '<mapping>',
    locator: nullLocator,
    env: options.env ?? process.env,
    checkTransform: options.checkTransform,
    samples: options.samples,
  });
}
