// The loader: the only module that reads files. Parses YAML or JSON with positions, interpolates
// environment variables, and validates, so every problem points at file:line:col.

import { readFileSync } from 'node:fs';
import { isScalar, LineCounter, parseDocument, parse as parseYaml, visit } from 'yaml';
import { interpolate } from './interpolate.js';
import { MappingValidationError } from './problems.js';
import type { PathSegment } from './problems.js';
import type { RawProblem } from './structure-issues.js';
import type { MappingConfig, TransformChecker } from './types.js';
import { validateData, validateMapping } from './validate.js';
import type { ValidateOptions, ValidationResult } from './validate.js';
import { YamlLocator } from './yaml-locator.js';

export interface LoadOptions {
  /** Environment for `${VAR}` interpolation and hash-key checks; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Checks each stream's `transformKql` in depth; see `ValidateOptions.checkTransform`. */
  readonly checkTransform?: TransformChecker;
  /**
   * For tools that describe the Sentinel side before it is deployed (`otel-sentinel connector`):
   * an unset variable in `endpoint` or `dcrImmutableId` is not an error, the value becomes
   * `DEPLOYMENT_PLACEHOLDERS`' endpoint or DCR id. Default false: the exporter needs real values.
   */
  readonly deploymentPlaceholders?: boolean;
}

/** What `deploymentPlaceholders` puts in place of an endpoint or DCR id that is not known yet. */
export const DEPLOYMENT_PLACEHOLDERS = {
  endpoint: 'https://not-deployed-yet.invalid',
  dcrImmutableId: 'dcr-00000000000000000000000000000000',
} as const;

export interface ParseOptions extends LoadOptions {
  /** Name used in problems (`file:line:col`); default `<mapping>`. */
  readonly fileName?: string;
}

/** Parses and validates mapping text (YAML or JSON). Never throws for bad input: see `problems`. */
export function parseMapping(text: string, options: ParseOptions = {}): ValidationResult {
  const file = options.fileName ?? '<mapping>';
  const env = options.env ?? process.env;
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const locator = new YamlLocator(doc, lines);
  const early: RawProblem[] = [];
  const syntax = [...doc.errors];
  if (syntax.length > 0) {
    const problems = syntax.map((e) => {
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
    return { problems };
  }
  visit(doc, {
    Scalar(key, node, path) {
      if (key === 'key' || typeof node.value !== 'string' || !node.value.includes('${')) return;
      const r = interpolate(node.value, env);
      const at = scalarPath(path, node);
      const field = at[at.length - 1];
      if (
        options.deploymentPlaceholders === true &&
        r.missing.length > 0 &&
        (field === 'endpoint' || field === 'dcrImmutableId')
      ) {
        node.value = DEPLOYMENT_PLACEHOLDERS[field];
        return;
      }
      if (r.syntaxError !== undefined)
        early.push({ code: 'E_INTERPOLATION', message: r.syntaxError, path: at, target: 'value' });
      for (const name of r.missing)
        early.push({
          code: 'E_UNSET_VARIABLE',
          message: `environment variable ${name} is not set; set it or give a default: \${${name}:-value}`,
          path: at,
          target: 'value',
        });
      node.value = node.type === 'PLAIN' && r.whole ? rescan(r.value) : r.value;
    },
  });
  return validateData(doc.toJS({ maxAliasCount: 100 }), file, locator, env, early, options.checkTransform);
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

/** Reads and validates a mapping file. A missing or unreadable file is reported as a problem. */
export function loadMappingFile(path: string, options: LoadOptions = {}): ValidationResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory, not a file'
          : code === 'EACCES'
            ? 'permission denied'
            : (e as Error).message;
    return {
      problems: [
        {
          severity: 'error',
          code: 'E_READ',
          message: `cannot read mapping file: ${reason}`,
          path: '',
          file: path,
          line: 0,
          column: 0,
        },
      ],
    };
  }
  return parseMapping(text, { ...options, fileName: path });
}

/**
 * A mapping ready to compile, from a file path or an in-memory object; throws
 * `MappingValidationError` (with every problem) when it has errors.
 */
export function loadMapping(
  mapping: string | object,
  options: LoadOptions & ValidateOptions = {},
): MappingConfig {
  const result =
    typeof mapping === 'string' ? loadMappingFile(mapping, options) : validateMapping(mapping, options);
  if (!result.config) throw new MappingValidationError(result.problems);
  return result.config;
}
