// The CCF validation checklist, run on any solution folder (generated or hand-written).

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, sep } from 'node:path';
import {
  columnNameProblem,
  COLUMN_TYPES,
  CUSTOM_STREAM_PREFIX,
  CUSTOM_TABLE_SUFFIX,
  MAX_TABLE_COLUMNS,
} from '@otel-sentinel/mapping';
import type { ColumnType, StreamColumnType, TransformChecker } from '@otel-sentinel/mapping';
import { checkAnalyticRules, type AnalyticRuleCheck } from './check-analytic-rules.js';
import { OFFER_ID_RE, PUBLISHER_ID_RE, SEMVER_RE } from './solution-info.js';

export type CheckRule =
  | 'required-file'
  | 'invalid-json'
  | 'table-name'
  | 'stream-name'
  | 'column-name'
  | 'column-count'
  | 'column-type'
  | 'stream-columns'
  | 'transform'
  | 'output-stream'
  | 'connector-definition-name'
  | 'dcr-stream-name'
  | 'solution-name'
  | 'ids-match'
  | 'version'
  | AnalyticRuleCheck;

export interface CheckProblem {
  /** Path relative to the checked folder. */
  readonly file: string;
  readonly rule: CheckRule;
  readonly message: string;
  readonly fix: string;
}

export interface CheckOptions {
  /**
   * Checks a data flow's `transformKql` other than `source` in depth (`@otel-sentinel/kql`'s
   * `checkTransformKql`, which parses KQL, is one). Default: only that it reads `source` first.
   */
  readonly checkTransform?: TransformChecker;
}

interface Column {
  readonly name: string;
  readonly type: string;
}

const CONNECTOR_FILES = ['table.json', 'DCR.json', 'connectorDefinition.json', 'dataConnector.json'] as const;
const TABLE_TYPE = 'microsoft.operationalinsights/workspaces/tables';
const SOURCE_FIRST = /^(?:\s|\/\/[^\n]*(?:\n|$))*source(?!\w)/;

type Obj = Readonly<Record<string, unknown>>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function obj(v: unknown): Obj {
  return isObj(v) ? v : {};
}
function arr(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : [];
}
function text(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
function columns(v: unknown): Column[] {
  return arr(v)
    .map((c) => ({ name: text(obj(c).name) ?? '', type: text(obj(c).type) ?? '' }))
    .filter((c) => c.name !== '');
}

class Checker {
  readonly problems: CheckProblem[] = [];
  constructor(
    readonly dir: string,
    readonly options: CheckOptions,
  ) {}

  add(file: string, rule: CheckRule, message: string, fix: string): void {
    this.problems.push({ file, rule, message, fix });
  }

  /** The parsed file, or undefined after reporting why not. */
  json(file: string): unknown {
    const full = join(this.dir, file);
    if (!existsSync(full)) {
      this.add(file, 'required-file', `${file} is missing`, `create ${file} (see the CCF Push layout)`);
      return undefined;
    }
    try {
      return JSON.parse(readFileSync(full, 'utf8')) as unknown;
    } catch (error: unknown) {
      const why = error instanceof Error ? error.message : String(error);
      this.add(file, 'invalid-json', `${file} is not valid JSON: ${why}`, 'fix the JSON syntax');
      return undefined;
    }
  }
}

/** Runs every rule and returns each failure; an empty array means the folder passes. */
export function checkSolution(dir: string, options: CheckOptions = {}): CheckProblem[] {
  const c = new Checker(dir, options);
  const folder = basename(dir);
  const sol = checkSolutionFiles(c, dir, folder);
  const connectorsDir = join(dir, 'Data Connectors');
  if (!existsSync(connectorsDir)) {
    c.add(
      'Data Connectors',
      'required-file',
      'the Data Connectors folder is missing',
      'create Data Connectors/<Id>_ccf with the four connector files',
    );
    return c.problems;
  }
  const subs = readdirSync(connectorsDir)
    .filter((d) => statSync(join(connectorsDir, d)).isDirectory())
    .sort();
  if (subs.length === 0)
    c.add(
      'Data Connectors',
      'required-file',
      'Data Connectors has no connector folder',
      'add Data Connectors/<Id>_ccf',
    );
  const tables = new Set<string>();
  const connectorIds = new Set<string>();
  for (const sub of subs) {
    const found = checkConnector(c, `Data Connectors/${sub}`);
    for (const t of found.tables) tables.add(t);
    if (found.definitionId !== undefined) connectorIds.add(found.definitionId);
  }
  checkAnalyticRules({
    dir,
    solutionFile: `Data/Solution_${folder}.json`,
    listed: sol['Analytic Rules'],
    tables,
    connectorIds,
    add: (file, rule, message, fix) => {
      c.add(file, rule, message, fix);
    },
  });
  return c.problems;
}

/** Checks the solution and metadata files; returns the solution file's content ({} if unreadable). */
function checkSolutionFiles(c: Checker, dir: string, folder: string): Obj {
  const solFile = `Data/Solution_${folder}.json`;
  if (!existsSync(join(dir, solFile)) && existsSync(join(dir, 'Data'))) {
    const others = readdirSync(join(dir, 'Data')).filter((f) => /^Solution_.*\.json$/.test(f));
    if (others.length > 0)
      c.add(
        `Data/${others[0] ?? ''}`,
        'solution-name',
        `the solution file is named ${others.join(', ')}, not Solution_${folder}.json`,
        `rename it to Solution_${folder}.json or rename the folder`,
      );
  }
  const sol = obj(c.json(solFile));
  const meta = obj(c.json('SolutionMetadata.json'));
  if (!existsSync(join(dir, 'ReleaseNotes.md')))
    c.add(
      'ReleaseNotes.md',
      'required-file',
      'ReleaseNotes.md is missing',
      'create ReleaseNotes.md with a "## v<version>" section',
    );

  if (Object.keys(sol).length > 0) {
    const name = text(sol.Name);
    if (name !== folder)
      c.add(
        solFile,
        'solution-name',
        `Name is ${JSON.stringify(name ?? null)} but the folder is ${folder}`,
        `set "Name": "${folder}" (the folder name, no spaces)`,
      );
    const version = text(sol.Version);
    if (version === undefined || !SEMVER_RE.test(version))
      c.add(
        solFile,
        'version',
        `Version ${JSON.stringify(version ?? null)} is not semver`,
        'set "Version" to MAJOR.MINOR.PATCH, e.g. "1.0.0"',
      );
    for (const key of ['publisherId', 'offerId'] as const) {
      const inSol = text(sol[key]);
      if (inSol !== undefined && inSol !== text(meta[key]))
        c.add(
          solFile,
          'ids-match',
          `${key} "${inSol}" differs from SolutionMetadata.json ("${text(meta[key]) ?? ''}")`,
          `use the same ${key} in both files`,
        );
    }
  }
  if (Object.keys(meta).length > 0) {
    const publisherId = text(meta.publisherId) ?? '';
    const offerId = text(meta.offerId) ?? '';
    if (!PUBLISHER_ID_RE.test(publisherId))
      c.add(
        'SolutionMetadata.json',
        'ids-match',
        `publisherId "${publisherId}" must match ^[a-z][a-z0-9]*$`,
        'use lower-case letters and digits, e.g. "contoso"',
      );
    if (!OFFER_ID_RE.test(offerId))
      c.add(
        'SolutionMetadata.json',
        'ids-match',
        `offerId "${offerId}" must match ^[a-z][a-z0-9-]*$`,
        'use lower-case letters, digits and "-", e.g. "contoso-audit"',
      );
  }
  return sol;
}

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
function checkConnector(c: Checker, base: string): { tables: string[]; definitionId: string | undefined } {
  const tables = connectorTables(c, base);
  const [dcrJson, defJson, dcJson] = CONNECTOR_FILES.slice(1).map((f) => c.json(`${base}/${f}`));
  const dcrFile = `${base}/DCR.json`;

  const props = obj(obj(dcrJson).properties);
  const decls = obj(props.streamDeclarations);
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
  for (const flow of arr(props.dataFlows)) {
    const f = obj(flow);
    const out = text(f.outputStream) ?? '';
    const table = out.startsWith(CUSTOM_STREAM_PREFIX) ? out.slice(CUSTOM_STREAM_PREFIX.length) : undefined;
    const tableCols = table === undefined ? undefined : tables.get(table);
    if (tableCols === undefined) {
      c.add(
        dcrFile,
        'output-stream',
        `outputStream "${out}" is not Custom-<table> for a table in the connector's table files`,
        `set it to one of ${[...tables.keys()].map((t) => `"Custom-${t}"`).join(', ')}`,
      );
      continue;
    }
    const transform = text(f.transformKql) ?? 'source';
    for (const s of arr(f.streams)) {
      const name = text(s) ?? '';
      const decl = decls[name];
      if (decl === undefined) {
        c.add(
          dcrFile,
          'stream-name',
          `data flow stream "${name}" is not declared in streamDeclarations`,
          'declare it or fix the name',
        );
        continue;
      }
      // Only a pass-through transform requires the declaration to equal the table.
      if (transform.trim() === 'source')
        checkColumnsMatch(c, dcrFile, name, columns(obj(decl).columns), table ?? '', tableCols);
      else checkTransform(c, dcrFile, transform, name, columns(obj(decl).columns), table ?? '', tableCols);
    }
  }

  const defId = text(obj(obj(obj(defJson).properties).connectorUiConfig).id);
  const dcProps = obj(obj(dcJson).properties);
  if (dcJson !== undefined && defJson !== undefined && text(dcProps.connectorDefinitionName) !== defId)
    c.add(
      `${base}/dataConnector.json`,
      'connector-definition-name',
      `connectorDefinitionName "${text(dcProps.connectorDefinitionName) ?? ''}" is not the definition's id "${defId ?? ''}"`,
      `set connectorDefinitionName to "${defId ?? ''}"`,
    );
  const streamName = text(obj(dcProps.dcrConfig).streamName);
  if (dcJson !== undefined && dcrJson !== undefined && (streamName === undefined || !(streamName in decls)))
    c.add(
      `${base}/dataConnector.json`,
      'dcr-stream-name',
      `dcrConfig.streamName "${streamName ?? ''}" is not a stream declared in DCR.json`,
      `set it to one of ${Object.keys(decls)
        .map((s) => `"${s}"`)
        .join(', ')}`,
    );
  return { tables: [...tables.keys()], definitionId: defId };
}

function checkTransform(
  c: Checker,
  file: string,
  kql: string,
  stream: string,
  declared: readonly Column[],
  table: string,
  tableCols: readonly Column[],
): void {
  const fix = `fix the transformKql of the data flow from ${stream}`;
  if (!SOURCE_FIRST.test(kql)) {
    c.add(file, 'transform', `the transform of ${stream} does not read "source" first`, fix);
    return;
  }
  const check = c.options.checkTransform;
  if (check === undefined) return;
  let messages: readonly string[];
  try {
    messages = check(kql, {
      stream,
      table,
      // Columns of unknown types are reported by the column-type rule, not passed on.
      streamColumns: declared.filter(hasStreamType),
      tableColumns: tableCols.filter(hasColumnType),
    });
  } catch (error: unknown) {
    messages = [`the transform checker failed: ${error instanceof Error ? error.message : String(error)}`];
  }
  for (const message of messages) c.add(file, 'transform', `${stream}: ${message}`, fix);
}

const TYPES = new Set<string>(COLUMN_TYPES);

interface Typed<T extends string> {
  readonly name: string;
  readonly type: T;
}
function isColumnType(type: string): type is ColumnType {
  return TYPES.has(type);
}
function isStreamType(type: string): type is StreamColumnType {
  return type !== 'guid' && TYPES.has(type);
}
function hasColumnType(col: Column): col is Typed<ColumnType> {
  return isColumnType(col.type);
}
function hasStreamType(col: Column): col is Typed<StreamColumnType> {
  return isStreamType(col.type);
}

function checkColumnsMatch(
  c: Checker,
  file: string,
  stream: string,
  declared: readonly Column[],
  table: string,
  tableCols: readonly Column[],
): void {
  const want = new Map(tableCols.map((col) => [col.name, col.type === 'guid' ? 'string' : col.type]));
  const got = new Map(declared.map((col) => [col.name, col.type]));
  for (const [name, type] of want) {
    const g = got.get(name);
    if (g === undefined)
      c.add(
        file,
        'stream-columns',
        `stream "${stream}" lacks column "${name}" of table ${table}`,
        `declare { "name": "${name}", "type": "${type}" }`,
      );
    else if (g !== type)
      c.add(
        file,
        'stream-columns',
        `stream "${stream}" declares "${name}" as ${g}, table ${table} has ${type}`,
        `declare it as "${type}" (guid columns are declared as string)`,
      );
  }
  for (const name of got.keys())
    if (!want.has(name))
      c.add(
        file,
        'stream-columns',
        `stream "${stream}" declares "${name}", which table ${table} does not have`,
        'add the column to the table or drop it from the stream',
      );
}
