// One stream of the file: its names, where its rows go, its columns, transform, overflow column
// and match, resolved into a `StreamConfig` when all of them are right.

import { z } from 'zod';
import { isCustomStreamName, isCustomTableName } from '../azure-limits.js';
import type { PathSegment } from '../problems.js';
import { matchSchema, streamSchema } from '../schema.js';
import type { MatchConfig, StreamConfig } from '../types.js';
import { resolveTarget } from './check-target.js';
import { resolveColumns } from './resolve-columns.js';
import { resolveMatch } from './resolve-match.js';
import { resolveOverflow } from './resolve-overflow.js';
import { resolveDefaults } from './semantic-context.js';
import { streamAsimSchema } from '../asim/asim-input.js';
import { resolveAsim } from '../asim/resolve-asim.js';
import type { AsimStreamSpec } from '../asim/model.js';
import type { ColumnConfig } from '../types.js';
import type { Problems, SemanticContext } from './semantic-context.js';

/** A stream whose own keys are well-formed; its columns, match and defaults are checked one by one. */
const streamShell = streamSchema.extend({
  stream: z.string(),
  table: z.string(),
  columns: z.record(z.string(), z.unknown()),
  match: z.unknown().optional(),
  defaults: z.unknown().optional(),
  asim: z.unknown().optional(),
});
type StreamShell = z.infer<typeof streamShell>;
const defaultsOnly = streamSchema.shape.defaults;

export function parseStreamShell(raw: unknown): StreamShell | undefined {
  const r = streamShell.safeParse(raw);
  return r.success ? r.data : undefined;
}

export function resolveStream(s: StreamShell, index: number, ctx: SemanticContext): StreamConfig | undefined {
  const path: PathSegment[] = ['streams', index];
  const p = ctx.problems;
  checkStreamNames(s, path, p);
  const { endpoint, dcrImmutableId } = resolveTarget(s, path, ctx);
  const parsedDefaults = defaultsOnly.safeParse(s.defaults);
  const defaults = resolveDefaults(ctx.defaults, parsedDefaults.success ? parsedDefaults.data : undefined);
  const { columns, ok: columnsOk } = resolveColumns(s.columns, s.table, defaults, path, ctx);
  const transformOk = checkTransformStart(s.transformKql, path, p);
  const overflowColumn = resolveOverflow(s.overflowColumn, columns, path, p);
  const match = streamMatch(s.match, path, ctx);
  const asim = columnsOk ? streamAsim(s, columns, path, ctx) : undefined;
  if (!columnsOk || !transformOk || match === false || asim === false) return undefined;
  if (endpoint === undefined || dcrImmutableId === undefined) return undefined;
  return {
    index,
    stream: s.stream,
    table: s.table,
    endpoint,
    dcrImmutableId,
    columns,
    maxRowBytes: defaults.maxRowBytes,
    ...(overflowColumn !== undefined ? { overflowColumn } : {}),
    ...(match !== undefined ? { match } : {}),
    ...(s.description !== undefined ? { description: s.description } : {}),
    ...(s.transformKql !== undefined ? { transformKql: s.transformKql } : {}),
    ...(asim !== undefined ? { asim } : {}),
  };
}

/** The stream's ASIM declaration; undefined when it has none, false when it has errors (reported). */
function streamAsim(
  s: StreamShell,
  columns: readonly ColumnConfig[],
  path: readonly PathSegment[],
  ctx: SemanticContext,
): AsimStreamSpec | undefined | false {
  if (s.asim === undefined) return undefined;
  const parsed = streamAsimSchema.safeParse(s.asim);
  if (!parsed.success) return false; // reported by the structure check
  const spec = resolveAsim(parsed.data, {
    table: s.table,
    columns,
    problems: ctx.problems,
    path,
    solution: ctx.solution,
  });
  return spec ?? false;
}

function checkStreamNames(s: StreamShell, path: readonly PathSegment[], p: Problems): void {
  if (!isCustomStreamName(s.stream))
    p.error(
      'E_STREAM_NAME',
      [...path, 'stream'],
      `stream "${s.stream}" must be "Custom-" followed by letters, digits, _ . or -`,
    );
  if (!isCustomTableName(s.table))
    p.error(
      'E_TABLE_NAME',
      [...path, 'table'],
      `table "${s.table}" must start with a letter, use only letters, digits and _, and end with _CL`,
    );
}

/** Whether a stream's transform (if any) reads `source` first; reports it when not. */
function checkTransformStart(kql: string | undefined, path: readonly PathSegment[], p: Problems): boolean {
  if (kql === undefined || startsWithSource(kql)) return true;
  p.error(
    'E_TRANSFORM',
    [...path, 'transformKql'],
    'a DCR transform reads the incoming rows as "source": start it with source, e.g. "source | where EventSeverity != \'Informational\'"',
  );
  return false;
}

/** The stream's match; undefined when it has none, false when it is malformed (reported already). */
function streamMatch(
  written: unknown,
  path: readonly PathSegment[],
  ctx: SemanticContext,
): MatchConfig | undefined | false {
  if (written === undefined) return undefined;
  const parsed = matchSchema.safeParse(written);
  return parsed.success ? resolveMatch(parsed.data, [...path, 'match'], ctx) : false;
}

/** `source` is the first word once whitespace and `//` comments are skipped. */
function startsWithSource(kql: string): boolean {
  return /^(?:\s|\/\/[^\n]*(?:\n|$))*source(?![\w])/.test(kql);
}
