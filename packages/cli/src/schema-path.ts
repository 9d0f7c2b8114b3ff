// Where the generated mapping's `$schema` comment points. A path only helps teammates when it
// stays inside the project: so it is relative, through the project's own node_modules, when
// the output's folder resolves @otel-sentinel/mapping there; otherwise (`npx otel-sentinel init`
// without a local install puts the package in npx's cache) it is a URL pinned to the version.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE = '@otel-sentinel/mapping';

export interface SchemaReference {
  /** The `$schema` value: a relative path or an https URL. */
  readonly path: string;
  /** Said on stderr when the path is a URL: why, and how to get a local path. */
  readonly note?: string;
}

/** The `$schema` for a mapping written to `outFile`, or to stdout (`undefined`) in `cwd`. */
export function schemaReferenceFor(outFile: string | undefined, cwd: string): SchemaReference {
  const from = outFile === undefined ? cwd : dirname(outFile);
  const local = projectSchemaFile(from);
  if (local !== undefined) {
    const rel = relative(from, local).split(sep).join('/');
    return { path: rel.startsWith('.') ? rel : `./${rel}` };
  }
  const own = readManifest(fileURLToPath(import.meta.resolve(`${PACKAGE}/package.json`)));
  const url = `https://unpkg.com/${PACKAGE}@${own.version}/${own.schema}`;
  return {
    path: url,
    note: `$schema points at ${url}: ${PACKAGE} is not installed in this project (install it as a dev dependency for a local path).`,
  };
}

/** The schema file through the first node_modules/@otel-sentinel/mapping at or above `dir`. */
function projectSchemaFile(dir: string): string | undefined {
  for (let at = dir; ; at = dirname(at)) {
    const manifest = join(at, 'node_modules', PACKAGE, 'package.json');
    if (existsSync(manifest)) {
      const file = join(dirname(manifest), readManifest(manifest).schema);
      return existsSync(file) ? file : undefined;
    }
    if (dirname(at) === at) return undefined;
  }
}

/** The version and the schema file (as the `./schema.json` export names it) of a mapping package. */
function readManifest(file: string): { readonly version: string; readonly schema: string } {
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as {
    version?: unknown;
    exports?: Record<string, unknown>;
  };
  const target = manifest.exports?.['./schema.json'];
  if (typeof manifest.version !== 'string' || typeof target !== 'string')
    throw new Error(`${file} has no version or no "./schema.json" export`);
  return { version: manifest.version, schema: target.replace(/^\.\//, '') };
}
