// The checklist's rules on one connector folder: its tables, its DCR's stream declarations and
// data flows, and the connector definition and data connector that point at them.

import { readdirSync, existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import {
  columnNameProblem,
  COLUMN_TYPES,
  CUSTOM_STREAM_PREFIX,
  CUSTOM_TABLE_SUFFIX,
  MAX_TABLE_COLUMNS,
} from '@otel-sentinel/mapping';
import { checkDataFlows, isColumnType, isStreamType } from './check-data-flows.js';
import { columns, obj, text } from './solution-checker.js';
import type { Checker, Column, Obj } from './solution-checker.js';

const CONNECTOR_FILES = ['table.json', 'DCR.json', 'connectorDefinition.json', 'dataConnector.json'] as const;
const TABLE_TYPE = 'microsoft.operationalinsights/workspaces/tables';

/** Every JSON file below `base` except the DCR and connector files, relative to the solution. */
function otherJsonFiles(c: Checker, base: string): string[] {
  const skip = new Set<string>(CONNECTOR_FILES.slice(1));
  return readdirSync(join(c.dir, base), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.json') && !skip.has(f))
    .map((f) => `${base}/${f.split(sep).join('/')}`)
    .sort((a, b) => (a.endsWith('/table.json') ? -1 : b.endsWith('/table.json') ? 1 : a.localeCompare(b)));
}

/**
 * The tables of a connector folder: `table.json` plus any other file whose resource `type` is a
 * workspace table, one resource or an array of them per file (the packager finds them by type).
 */
function connectorTables(c: Checker, base: string): Map<string, Column[]> {
  const tables = new Map<string, Column[]>();
  if (!existsSync(join(c.dir, base, 'table.json'))) c.json(`${base}/table.json`);
  for (const file of otherJsonFiles(c, base)) {
    const content = c.json(file);
    const resources = Array.isArray(content) ? content : content === undefined ? [] : [content];
    for (const t of resources) {
      if (text(obj(t).type)?.toLowerCase() !== TABLE_TYPE) continue;
      const schema = obj(obj(obj(t).properties).schema);
      const name = text(schema.name) ?? text(obj(t).name) ?? '';
      const cols = columns(schema.columns);
      tables.set(name, cols);
      checkTable(c, file, name, cols);
    }
  }
  return tables;
}

function checkTable(c: Checker, file: string, name: string, cols: readonly Column[]): void {
  if (!name.endsWith(CUSTOM_TABLE_SUFFIX))
    c.add(
      file,
      'table-name',
      `table "${name}" does not end in _CL`,
      `rename it to "${name}_CL" (custom tables end in _CL)`,
    );
  if (cols.length > MAX_TABLE_COLUMNS)
    c.add(
      file,
      'column-count',
      `table "${name}" has ${cols.length} columns; the limit is ${MAX_TABLE_COLUMNS}`,
      'drop columns or move them into a dynamic column',
    );
  for (const col of cols) {
    if (!isColumnType(col.type))
      c.add(
        file,
        'column-type',
        `column "${col.name}" in ${name} has type "${col.type}"`,
        `use one of ${COLUMN_TYPES.join(', ')}`,
      );
    const problem = columnNameProblem(col.name);
    if (problem === 'length' || problem === 'characters')
      c.add(
        file,
        'column-name',
        `column "${col.name}" in ${name} breaks the naming rule (2–45 characters, a letter first, then letters, digits or _)`,
        'rename the column',
      );
    else if (problem === 'reserved')
      c.add(
        file,
        'column-name',
        `column "${col.name}" in ${name} is a reserved name`,
        'rename the column, e.g. with a prefix',
      );
  }
}

/** Checks one connector folder; returns its tables and its definition's id for the rule checks. */
export function checkConnector(
  c: Checker,
  base: string,
): { tables: string[]; definitionId: string | undefined } {
  const tables = connectorTables(c, base);
  const [dcrJson, defJson, dcJson] = CONNECTOR_FILES.slice(1).map((f) => c.json(`${base}/${f}`));
  const dcrFile = `${base}/DCR.json`;
  const props = obj(obj(dcrJson).properties);
  const decls = obj(props.streamDeclarations);
  checkStreamDeclarations(c, dcrFile, decls);
  checkDataFlows(c, dcrFile, props.dataFlows, decls, tables);
  const defId = text(obj(obj(obj(defJson).properties).connectorUiConfig).id);
  if (dcJson !== undefined)
    checkDataConnector(c, base, obj(obj(dcJson).properties), {
      definitionId: defJson === undefined ? undefined : { id: defId },
      streams: dcrJson === undefined ? undefined : decls,
    });
  return { tables: [...tables.keys()], definitionId: defId };
}

/** Each declared stream: a Custom- name, and columns of the types a stream declaration takes. */
function checkStreamDeclarations(c: Checker, dcrFile: string, decls: Obj): void {
  for (const [stream, decl] of Object.entries(decls)) {
    for (const col of columns(obj(decl).columns))
      if (!isStreamType(col.type))
        c.add(
          dcrFile,
          'column-type',
          `stream "${stream}" declares "${col.name}" as "${col.type}"`,
          `use one of ${COLUMN_TYPES.filter((t) => t !== 'guid').join(', ')} (declare guid columns as string)`,
        );
    if (!stream.startsWith(CUSTOM_STREAM_PREFIX))
      c.add(
        dcrFile,
        'stream-name',
        `stream "${stream}" does not start with Custom-`,
        `rename it to "Custom-${stream}"`,
      );
  }
}

/**
 * The data connector names the definition by its id and the DCR stream it sends to; each is
 * checked when the file it points at could be read.
 */
function checkDataConnector(
  c: Checker,
  base: string,
  dcProps: Obj,
  against: {
    readonly definitionId: { readonly id: string | undefined } | undefined;
    readonly streams: Obj | undefined;
  },
): void {
  const defId = against.definitionId?.id;
  if (against.definitionId !== undefined && text(dcProps.connectorDefinitionName) !== defId)
    c.add(
      `${base}/dataConnector.json`,
      'connector-definition-name',
      `connectorDefinitionName "${text(dcProps.connectorDefinitionName) ?? ''}" is not the definition's id "${defId ?? ''}"`,
      `set connectorDefinitionName to "${defId ?? ''}"`,
    );
  const decls = against.streams;
  const streamName = text(obj(dcProps.dcrConfig).streamName);
  if (decls !== undefined && (streamName === undefined || !(streamName in decls)))
    c.add(
      `${base}/dataConnector.json`,
      'dcr-stream-name',
      `dcrConfig.streamName "${streamName ?? ''}" is not a stream declared in DCR.json`,
      `set it to one of ${Object.keys(decls)
        .map((s) => `"${s}"`)
        .join(', ')}`,
    );
}
