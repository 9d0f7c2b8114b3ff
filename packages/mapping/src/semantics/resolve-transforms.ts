// A column's `transform` list: each entry resolved to its config and checked against the
// column's type (and, for hmac-sha256, against the environment that must hold its key).

import type { PathSegment } from '../problems.js';
import type { ColumnInput, TransformInput } from '../schema.js';
import type { ColumnType, TransformConfig } from '../types.js';
import type { SemanticContext } from './semantic-context.js';

const STRING_ONLY = new Set(['hmac-sha256', 'lowercase', 'uppercase', 'trim', 'truncate', 'lookup']);

export function resolveTransforms(
  input: ColumnInput['transform'],
  ctx: SemanticContext,
  type: ColumnType,
  path: readonly PathSegment[],
): TransformConfig[] {
  if (input === undefined) return [];
  const list: readonly TransformInput[] = Array.isArray(input) ? input : [input];
  return list.map((t, i) => {
    const tPath = Array.isArray(input) ? [...path, i] : path;
    const cfg = transformConfig(t, ctx, tPath);
    checkTransform(cfg, type, ctx, tPath);
    return cfg;
  });
}

function transformConfig(
  t: TransformInput,
  ctx: SemanticContext,
  path: readonly PathSegment[],
): TransformConfig {
  if (typeof t === 'string')
    return t === 'hmac-sha256' ? { kind: 'hmac-sha256', keyEnv: ctx.defaults.hashKeyEnv } : { kind: t };
  if ('truncate' in t) return { kind: 'truncate', maxBytes: t.truncate };
  if ('lookup' in t) return resolveLookup(t.lookup, t.default, ctx, path);
  return { kind: 'hmac-sha256', keyEnv: t['hmac-sha256'].keyEnv };
}

/** Whether a transform fits the column's type, and whether its hash key is set. */
function checkTransform(
  cfg: TransformConfig,
  type: ColumnType,
  ctx: SemanticContext,
  path: readonly PathSegment[],
): void {
  if (STRING_ONLY.has(cfg.kind) && type !== 'string') {
    ctx.problems.error(
      'E_TRANSFORM_TYPE',
      path,
      `transform ${cfg.kind} works on string columns; this column is ${type}`,
    );
  }
  if (cfg.kind === 'redact' && type !== 'string' && type !== 'dynamic') {
    ctx.problems.error(
      'E_TRANSFORM_TYPE',
      path,
      `transform redact works on string and dynamic columns; this column is ${type}`,
    );
  }
  if (cfg.kind === 'hmac-sha256') {
    const key = ctx.env[cfg.keyEnv];
    if (key === undefined || key === '') {
      ctx.problems.warn(
        'W_HASH_KEY_UNSET',
        path,
        `hmac-sha256 needs a key in the environment variable ${cfg.keyEnv}, which is not set here; the exporter refuses to start without it (use 32+ random bytes)`,
      );
    }
  }
}

function resolveLookup(
  table: Readonly<Record<string, string>>,
  otherwise: string | undefined,
  ctx: SemanticContext,
  path: readonly PathSegment[],
): TransformConfig {
  // Built with defineProperty semantics, so a key such as __proto__ stays an ordinary entry.
  const map = Object.fromEntries(Object.entries(table));
  if (Object.keys(map).length === 0)
    ctx.problems.error(
      'E_INVALID_VALUE',
      [...path, 'lookup'],
      'lookup has no entries; list each value and its replacement, e.g. { lookup: { INFO: Informational, WARN: Medium } }',
    );
  return otherwise === undefined ? { kind: 'lookup', map } : { kind: 'lookup', map, default: otherwise };
}
