// Parses mapping text (YAML or JSON) with positions and interpolates `${VAR}` references in place,
// for a user's file and for a preset alike. No file I/O and no validation here.

import { isScalar, LineCounter, parseDocument, parse as parseYaml, visit } from 'yaml';
import { interpolate } from './interpolate.js';
import type { MappingProblem, PathSegment } from './problems.js';
import type { RawProblem } from './structure-issues.js';
import { YamlLocator } from './yaml-locator.js';

export interface ReadYamlOptions {
  /** Environment for `${VAR}` interpolation. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Replaces an `endpoint` or `dcrImmutableId` whose variable is unset (see `LoadOptions`). */
  readonly placeholders?: { readonly endpoint: string; readonly dcrImmutableId: string } | undefined;
}

export type ReadYamlResult =
  | {
      readonly ok: true;
      readonly data: unknown;
      readonly locator: YamlLocator;
      /** Interpolation problems, by document path, to locate with the rest. */
      readonly early: readonly RawProblem[];
    }
  /** The text is not YAML/JSON: the syntax problems, already located in `file`. */
  | { readonly ok: false; readonly problems: readonly MappingProblem[] };

/** Parses `text` and interpolates its string values; `file` names it in syntax problems. */
export function readYaml(text: string, file: string, options: ReadYamlOptions): ReadYamlResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const locator = new YamlLocator(doc, lines);
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((e) => {
      const pos = locator.at(e.pos[0]);
      const message =
        e.code === 'DUPLICATE_KEY'
          ? `duplicate key: ${e.message.split('\n')[0] ?? ''}`
          : (e.message.split('\n')[0] ?? e.message);
      return {
        severity: 'error' as const,
        code: `E_YAML_${e.code}`,
        message,
        path: '',
        file,
        line: pos.line,
        column: pos.column,
      };
    });
    return { ok: false, problems };
  }
  const early: RawProblem[] = [];
  const { env, placeholders } = options;
  visit(doc, {
    Scalar(key, node, path) {
      if (key === 'key' || typeof node.value !== 'string' || !node.value.includes('${')) return;
      const r = interpolate(node.value, env);
      const at = scalarPath(path, node);
      const field = at[at.length - 1];
      if (
        placeholders !== undefined &&
        r.missing.length > 0 &&
        (field === 'endpoint' || field === 'dcrImmutableId')
      ) {
        node.value = placeholders[field];
        return;
      }
      if (r.syntaxError !== undefined)
        early.push({ code: 'E_INTERPOLATION', message: r.syntaxError, path: at, target: 'value' });
      for (const name of r.missing)
        early.push({
          code: 'E_UNSET_VARIABLE',
          message: unsetMessage(name, field),
          path: at,
          target: 'value',
        });
      node.value = node.type === 'PLAIN' && r.whole ? rescan(r.value) : r.value;
    },
  });
  return { ok: true, data: doc.toJS({ maxAliasCount: 100 }), locator, early };
}

/**
 * What to set an unset variable to. A default makes no sense for the endpoint or the DCR id, which
 * only a deployment knows: say which value of the deployment it is instead.
 */
function unsetMessage(name: string, field: PathSegment | undefined): string {
  const unset = `environment variable ${name} is not set`;
  if (field === 'endpoint')
    return `${unset}; set it to the logs-ingestion endpoint of the DCE (or of a Direct DCR), e.g. https://my-dce.westeurope-1.ingest.monitor.azure.com`;
  if (field === 'dcrImmutableId')
    return `${unset}; set it to the immutable id of the DCR (dcr- and 32 hex digits), e.g. dcr-00112233445566778899aabbccddeeff`;
  return `${unset}; set it or give a default: \${${name}:-value}`;
}

/** A plain scalar that was one `${...}` is read again, so `${PORT:-8080}` is a number. */
function rescan(value: string): unknown {
  try {
    const v: unknown = parseYaml(value);
    return v === null || typeof v === 'object' ? value : v;
  } catch {
    return value;
  }
}

function scalarPath(ancestors: readonly unknown[], node: unknown): PathSegment[] {
  const out: PathSegment[] = [];
  let child: unknown = node;
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const a = ancestors[i] as { items?: unknown[]; key?: unknown; value?: unknown } | undefined;
    if (!a) continue;
    if (Array.isArray(a.items)) {
      const idx = a.items.indexOf(child);
      if (idx >= 0 && !('key' in (a.items[idx] as object))) out.unshift(idx);
    } else if ('key' in a && a.value === child && isScalar(a.key)) {
      out.unshift(String(a.key.value));
    }
    child = a;
  }
  return out;
}
