// Where the generated mapping's `$schema` comment points: the installed mapping package's JSON
// Schema, relative to the output file so the pair can move together, or absolute for stdout.

import { dirname, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export function schemaPathFor(outFile: string | undefined): string {
  const schema = fileURLToPath(import.meta.resolve('@otel-sentinel/mapping/schema.json'));
  if (outFile === undefined) return schema;
  const rel = relative(dirname(outFile), schema).split(sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}
