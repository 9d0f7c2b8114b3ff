// The ASIM parsers as the solution and the ARM template carry them: YAML files in `Parsers/`
// (listed under "Parsers" in the solution file) and savedSearches resources.

import { asimSchema } from '@otel-sentinel/mapping';
import type { MappingConfig } from '@otel-sentinel/mapping';
import { parserResource } from './asim-parser-arm.js';
import { parserYaml, PARSERS_FOLDER } from './asim-parser-yaml.js';
import { asimParsers, type AsimParser, type AsimParserOptions, type SchemaFactsOf } from './asim-parsers.js';

/** Mapping's ASIM catalogue: the facts every parser is generated from and checked against. */
export const CATALOGUE: SchemaFactsOf = (schema) => asimSchema(schema);

export interface SolutionParsers {
  /** Relative to the solution folder, e.g. `Parsers/vimAuthenticationContosoAudit.yaml`. */
  readonly files: readonly { readonly path: string; readonly content: string }[];
}

/** The parser files of a solution, in stream, schema, then kind order. */
export function solutionParsers(
  config: MappingConfig,
  info: { readonly version: string },
  date: string,
  options: AsimParserOptions,
): SolutionParsers {
  const files = generateAsimParsers(config, options).map((p) => ({
    path: `${PARSERS_FOLDER}/${p.name}.yaml`,
    content: parserYaml(p, {
      version: info.version,
      date,
      schemaVersion: CATALOGUE(p.schema).version,
    }),
  }));
  return { files };
}

/** The parsers as savedSearches resources of the `--arm` template. */
export function armParsers(
  config: MappingConfig,
  options: AsimParserOptions,
  tableId: (table: string) => string,
): object[] {
  return generateAsimParsers(config, options).map((p) => parserResource(p, tableId));
}

/**
 * The ASIM parsers of a mapping's streams (those with an ASIM declaration): for each stream and
 * schema the filtering `vim…` and parameter-less `ASim…` parser, and on request the custom unifiers.
 */
export function generateAsimParsers(config: MappingConfig, options: AsimParserOptions = {}): AsimParser[] {
  return asimParsers(config, CATALOGUE, options);
}
