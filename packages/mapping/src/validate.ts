// Validates mapping data (already parsed and interpolated) and resolves it into a
// `MappingConfig`: the preset it extends first, then structure (zod), then the semantic rules,
// all problems at once.

import { applyExtends } from './apply-extends.js';
import { formatPath, hasErrors } from './problems.js';
import type { MappingProblem } from './problems.js';
import { SHIPPED_PRESETS } from './presets.js';
import type { PresetCatalog } from './presets.js';
import type { z } from 'zod';
import { mappingSchema } from './schema.js';
import { issuesToProblems } from './structure-issues.js';
import type { RawProblem } from './structure-issues.js';
import { checkDcrId, checkEndpoint } from './semantics/check-target.js';
import { checkStreamSet } from './semantics/check-stream-set.js';
import { resolveEventNameFrom } from './semantics/event-name-from.js';
import { parseStreamShell, resolveStream } from './semantics/resolve-stream.js';
import { checkSecurityAttribute } from './semantics/security-attribute.js';
import { Problems, resolveDefaults } from './semantics/semantic-context.js';
import type { SemanticContext } from './semantics/semantic-context.js';
import { nullLocator } from './yaml-locator.js';
import type { Locator } from './yaml-locator.js';
import { DEFAULT_SECURITY_ATTRIBUTE, DEFAULTS } from './types.js';
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
  const { file, env } = options;
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
  if (!full.success) raw.push(...issuesToProblems(structureIssues(full.error.issues, data), data));

  const problems = new Problems();
  const doc = record(data);
  const resolved = doc
    ? resolveDocument(doc, { ...options, streamsFrom: ext.streamsFrom }, problems)
    : undefined;
  // A value emptied by an unset variable is reported once, by the interpolation problem.
  const unset = new Set(earlier.filter((p) => p.code === 'E_UNSET_VARIABLE').map((p) => formatPath(p.path)));
  raw.push(
    ...problems.list.filter(
      (p) => !(unset.has(formatPath(p.path)) && (p.code === 'E_ENDPOINT' || p.code === 'E_DCR_ID')),
    ),
  );

  const located = locate(raw, file, locator);
  if (hasErrors(located) || !full.success || doc?.streams === undefined) return { problems: located };
  const { securityAttribute, eventNameFrom, defaults, streams } = resolved ?? EMPTY_DOCUMENT;
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

type Issue = z.core.$ZodIssue;

/**
 * The structure issues worth reporting as they are. Column names, stream and table names are
 * reported by the semantic pass, with the rules; an unknown preset by applyExtends, with the
 * names there are.
 */
function structureIssues(issues: readonly Issue[], data: unknown): Issue[] {
  const last = (i: Issue, back: number): PropertyKey | undefined => i.path[i.path.length - back];
  return issues.filter(
    (i) =>
      !(i.code === 'invalid_key' && (last(i, 1) === 'columns' || last(i, 2) === 'columns')) &&
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
}

/** What the semantic pass makes of a document: its settings and the streams that resolved. */
interface ResolvedDocument {
  readonly securityAttribute: string;
  readonly eventNameFrom: EventNameSource | undefined;
  readonly defaults: MappingConfig['defaults'];
  readonly streams: StreamConfig[];
}

const EMPTY_DOCUMENT: ResolvedDocument = {
  securityAttribute: DEFAULT_SECURITY_ATTRIBUTE,
  eventNameFrom: undefined,
  defaults: DEFAULTS,
  streams: [],
};

/** The top-level settings, then each stream, then the checks that need the resolved streams. */
function resolveDocument(
  doc: Record<string, unknown>,
  options: ValidateDataOptions & { readonly streamsFrom: string | undefined },
  problems: Problems,
): ResolvedDocument {
  const settings = topLevelSettings(doc, problems);
  const ctx: SemanticContext = {
    env: options.env,
    problems,
    securityAttribute: settings.securityAttribute,
    defaults: settings.defaults,
    endpoint: settings.endpoint,
    dcrImmutableId: settings.dcrImmutableId,
    ...(options.streamsFrom !== undefined ? { streamsFrom: options.streamsFrom } : {}),
    ...solutionNames(doc.solution),
  };
  if (doc.streams === undefined && doc.extends === undefined)
    problems.error(
      'E_MISSING_KEY',
      ['streams'],
      'missing required key "streams": list the streams, or start from a preset with "extends: owasp"',
    );
  const streams = Array.isArray(doc.streams) ? resolveStreams(doc.streams, ctx) : [];
  const { checkTransform, samples } = options;
  if (checkTransform) for (const s of streams) checkStreamTransform(s, checkTransform, problems);
  if (samples !== undefined) for (const s of streams) checkSampleTypes(s, samples, problems);
  return { ...settings, streams };
}

/** The solution's publisher and name, when written as strings: the defaults of ASIM vendor and product. */
function solutionNames(solution: unknown): Pick<SemanticContext, 'solution'> {
  const s = record(solution);
  if (s === undefined) return {};
  const publisher = typeof s.publisher === 'string' ? s.publisher : undefined;
  const name = typeof s.name === 'string' ? s.name : undefined;
  return { solution: { publisher, name } };
}

/** securityAttribute, eventNameFrom, defaults, endpoint and dcrImmutableId at the top of the file. */
function topLevelSettings(
  doc: Record<string, unknown>,
  problems: Problems,
): Omit<ResolvedDocument, 'streams'> & { endpoint: string | undefined; dcrImmutableId: string | undefined } {
  let securityAttribute = DEFAULT_SECURITY_ATTRIBUTE;
  if (typeof doc.securityAttribute === 'string' && doc.securityAttribute !== '') {
    securityAttribute = doc.securityAttribute;
    checkSecurityAttribute(securityAttribute, problems);
  }
  // A value of the wrong shape is reported once, by the structure check.
  const eventNameFrom =
    mappingSchema.shape.eventNameFrom.safeParse(doc.eventNameFrom).success && doc.eventNameFrom !== undefined
      ? resolveEventNameFrom(doc.eventNameFrom, problems)
      : undefined;
  const d = mappingSchema.shape.defaults.safeParse(doc.defaults);
  const defaults = d.success ? resolveDefaults(DEFAULTS, d.data) : DEFAULTS;
  const endpoint = typeof doc.endpoint === 'string' ? doc.endpoint : undefined;
  const dcrImmutableId = typeof doc.dcrImmutableId === 'string' ? doc.dcrImmutableId : undefined;
  if (endpoint !== undefined) checkEndpoint(endpoint, ['endpoint'], problems);
  if (dcrImmutableId !== undefined) checkDcrId(dcrImmutableId, ['dcrImmutableId'], problems);
  return { securityAttribute, eventNameFrom, defaults, endpoint, dcrImmutableId };
}

/** Each well-formed stream resolved; the set checked as a whole when every one is well-formed. */
function resolveStreams(written: readonly unknown[], ctx: SemanticContext): StreamConfig[] {
  const streams: StreamConfig[] = [];
  const shells = written.map(parseStreamShell);
  shells.forEach((shell, i) => {
    if (!shell) return;
    const s = resolveStream(shell, i, ctx);
    if (s) streams.push(s);
  });
  const wellFormed = shells.filter((s) => s !== undefined);
  if (wellFormed.length === shells.length && wellFormed.length > 0) checkStreamSet(wellFormed, ctx.problems);
  return streams;
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
