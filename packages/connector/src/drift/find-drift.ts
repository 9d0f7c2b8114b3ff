// Compares a mapping with what is deployed, stream by stream, along the path a row takes: the
// DCR's stream declaration, its data flow and transform, then the table. Each finding names the
// mapping path it is about and what the service would do to those values; `error` means values
// would be lost.

import { DEPLOYMENT_PLACEHOLDERS, streamDeclaration, tableSchema } from '@otel-sentinel/mapping';
import type { MappingConfig, PathSegment, StreamConfig } from '@otel-sentinel/mapping';
import type { DeployedColumn, DeployedDcr, DeployedFlow, DeployedTable, Deployment } from './deployment.js';
import { valueFate } from './value-fate.js';

export type DriftSeverity = 'error' | 'warning' | 'info';

export interface DriftFinding {
  /** `error`: values would be lost; `warning`: changed or put elsewhere; `info`: harmless. */
  readonly severity: DriftSeverity;
  /** Stable code, e.g. `E_NOT_IN_TABLE`. */
  readonly code: string;
  readonly message: string;
  /** The mapping path it is about, e.g. `['streams', 0, 'columns', 'UserId']`. */
  readonly path: readonly PathSegment[];
  /** Point at the key (a column's name) or at the value (its type). */
  readonly target: 'key' | 'value';
}

/** The columns a transform outputs, or why they cannot be told. */
export type TransformProjection =
  | { readonly columns: readonly DeployedColumn[] }
  /** `offset`: where in the KQL the analysis failed, when known. */
  | { readonly error: string; readonly offset?: number };

/**
 * Finds the columns `kql` outputs for rows of `input` (a KQL analyzer: the CLI passes
 * Microsoft's, through `@otel-sentinel/kql`'s `analyzeKql`). An input column the transform reads
 * must make it fail when left out: that is how a rename is told from a drop.
 */
export type TransformProjector = (kql: string, input: readonly DeployedColumn[]) => TransformProjection;

export interface DriftOptions {
  /** Without it, a transform other than `source` is reported as not analysed. */
  readonly projectTransform?: TransformProjector;
}

/** A column as it travels: its name, and its type at that point. */
interface Carried {
  readonly name: string;
  readonly type: string;
}

const PASSTHROUGH = /^\s*source\s*$/;

/**
 * Whether `kql` uses the value of `column`: without it in the input, the analysis fails
 * somewhere other than in a `project-away`, which only removes it.
 */
function usesColumn(
  project: TransformProjector,
  kql: string,
  input: readonly DeployedColumn[],
  column: string,
): boolean {
  const without = project(
    kql,
    input.filter((d) => d.name !== column),
  );
  if (!('error' in without)) return false;
  if (without.offset === undefined) return true;
  const stage = kql.slice(kql.lastIndexOf('|', without.offset) + 1).trimStart();
  return !/^project-away\b/.test(stage);
}

/** Every finding for every stream of `config`, in stream order then along the row's path. */
export function findDrift(
  config: MappingConfig,
  deployment: Deployment,
  options: DriftOptions = {},
): DriftFinding[] {
  return config.streams.flatMap((s) => new StreamCheck(s, deployment, options).run());
}

class StreamCheck {
  private readonly findings: DriftFinding[] = [];
  /** The mapping's columns as the exporter sends them (guid as string). */
  private readonly sent: readonly Carried[];

  constructor(
    private readonly s: StreamConfig,
    private readonly deployment: Deployment,
    private readonly options: DriftOptions,
  ) {
    this.sent = streamDeclaration(s).columns;
  }

  run(): DriftFinding[] {
    let reaching: readonly Carried[] | undefined = this.sent;
    if (this.deployment.checked.dcrs) reaching = this.throughDcr();
    if (reaching !== undefined && this.deployment.checked.tables) this.intoTable(reaching);
    return this.findings;
  }

  private add(
    severity: DriftSeverity,
    code: string,
    path: readonly PathSegment[],
    message: string,
    target: 'key' | 'value' = 'key',
  ): void {
    this.findings.push({ severity, code, message, path: ['streams', this.s.index, ...path], target });
  }

  /** Where a column is written; the `columns` key for the TimeGenerated the loader added. */
  private columnPath(name: string): PathSegment[] {
    const column = this.s.columns.find((c) => c.name === name);
    return column === undefined || column.added ? ['columns'] : ['columns', name];
  }

  private typePath(name: string): PathSegment[] {
    const column = this.s.columns.find((c) => c.name === name);
    if (column === undefined || column.added) return ['columns'];
    return column.typeInferred ? ['columns', name] : ['columns', name, 'type'];
  }

  /** The stream declaration and the data flow; the columns that reach the table, if any do. */
  private throughDcr(): readonly Carried[] | undefined {
    const { s } = this;
    const dcr = this.pickDcr();
    if (dcr === undefined) {
      const names = this.deployment.dcrs.map((d) => d.label).join(', ') || 'none';
      this.add(
        'error',
        'E_STREAM_NOT_DECLARED',
        ['stream'],
        `no DCR declares the stream ${s.stream} (DCRs read: ${names}): the service refuses every upload to it, ` +
          'so no row of this stream reaches the table (they wait in the spool). Deploy the DCR generated from this mapping, or fix the stream name',
      );
      return undefined;
    }
    const declared = dcr.streams.get(s.stream) ?? [];
    const where = `stream ${s.stream} of ${dcr.label}`;
    const reaching: Carried[] = [];
    for (const column of this.sent) {
      const d = declared.find((c) => c.name === column.name);
      if (d === undefined) {
        const cased = declared.find((c) => c.name.toLowerCase() === column.name.toLowerCase());
        const hint =
          cased !== undefined ? ` (it declares ${cased.name}: column names are case-sensitive)` : '';
        this.add(
          'error',
          'E_NOT_IN_STREAM',
          this.columnPath(column.name),
          `${column.name} is not declared in ${where}${hint}: the service drops the field as rows arrive, so every ${column.name} value is lost. ` +
            `Declare { "name": "${column.name}", "type": "${column.type}" } in the stream (redeploy the DCR from this mapping), or remove the column`,
        );
        continue;
      }
      if (d.type !== column.type) {
        const fate = valueFate(column.type, d.type);
        this.add(
          fate.loses ? 'error' : 'warning',
          fate.loses ? 'E_STREAM_TYPE' : 'W_STREAM_TYPE',
          this.typePath(column.name),
          `${column.name} is sent as ${column.type} but ${where} declares it ${d.type}: ${fate.effect}. Make the mapping's type and the declaration agree`,
          'value',
        );
      }
      reaching.push({ name: column.name, type: d.type });
    }
    for (const d of declared) {
      if (!this.sent.some((c) => c.name === d.name))
        this.add(
          'info',
          'I_EXTRA_IN_STREAM',
          ['columns'],
          `${where} declares ${d.name} (${d.type}), which this mapping does not send: it is null in every row`,
        );
    }
    const flow = this.pickFlow(dcr);
    if (flow === undefined) return undefined;
    this.compareTransform(dcr, flow);
    if (PASSTHROUGH.test(flow.transformKql)) return reaching;
    return this.throughTransform(dcr, flow, declared, reaching);
  }

  /** The DCR whose immutable id the mapping sends to, else the one that declares the stream. */
  private pickDcr(): DeployedDcr | undefined {
    const declaring = this.deployment.dcrs.filter((d) => d.streams.has(this.s.stream));
    const dcr = declaring.find((d) => d.immutableId === this.s.dcrImmutableId) ?? declaring[0];
    // A mapping read before its DCR existed carries the placeholder id: nothing to compare.
    const known = this.s.dcrImmutableId !== DEPLOYMENT_PLACEHOLDERS.dcrImmutableId;
    if (known && dcr?.immutableId !== undefined && dcr.immutableId !== this.s.dcrImmutableId) {
      this.findings.push({
        severity: 'warning',
        code: 'W_DCR_ID_DIFFERS',
        path: ['dcrImmutableId'],
        target: 'value',
        message:
          `the mapping sends ${this.s.stream} to DCR ${this.s.dcrImmutableId}, but the DCR read (${dcr.label}) is ${dcr.immutableId}: ` +
          'the findings are about the DCR read; set dcrImmutableId to the DCR the rows should go to',
      });
    }
    return dcr;
  }

  private pickFlow(dcr: DeployedDcr): DeployedFlow | undefined {
    const { s } = this;
    const flows = dcr.flows.filter((f) => f.streams.includes(s.stream));
    const output = `Custom-${s.table}`.toLowerCase();
    const flow = flows.find((f) => f.outputStream.toLowerCase() === output);
    if (flow !== undefined) return flow;
    const elsewhere = flows.map((f) => f.outputStream);
    this.add(
      'error',
      'E_NO_FLOW',
      ['table'],
      elsewhere.length > 0
        ? `${dcr.label} sends ${s.stream} to ${elsewhere.join(', ')}, not to ${s.table}: no row of this stream is stored in ${s.table}. ` +
            `Add a data flow with outputStream Custom-${s.table}, or set the mapping's table to where the rows go`
        : `${dcr.label} declares ${s.stream} but has no data flow for it: the service accepts its rows and stores them nowhere (assumed). ` +
            `Add a data flow from ${s.stream} to Custom-${s.table}`,
    );
    return undefined;
  }

  private compareTransform(dcr: DeployedDcr, flow: DeployedFlow): void {
    const mine = (this.s.transformKql ?? 'source').replace(/\s+/g, ' ').trim();
    const theirs = flow.transformKql.replace(/\s+/g, ' ').trim();
    if (mine === theirs) return;
    const shown = theirs.length > 120 ? `${theirs.slice(0, 117)}...` : theirs;
    this.add(
      'warning',
      'W_TRANSFORM_DIFFERS',
      this.s.transformKql !== undefined ? ['transformKql'] : ['stream'],
      `the transform of ${this.s.stream} in ${dcr.label} is not the mapping's (${this.s.transformKql === undefined ? 'source' : 'its transformKql'}): it is "${shown}"`,
      'value',
    );
  }

  /** The transform's output, checked for mapping columns it drops or renames. */
  private throughTransform(
    dcr: DeployedDcr,
    flow: DeployedFlow,
    declared: readonly DeployedColumn[],
    reaching: readonly Carried[],
  ): readonly Carried[] {
    const project = this.options.projectTransform;
    const where = `the transform of ${this.s.stream} in ${dcr.label}`;
    const projected = project?.(flow.transformKql, declared);
    if (projected === undefined || 'error' in projected) {
      const why = projected === undefined ? 'no KQL analyzer was given' : projected.error;
      this.add(
        'warning',
        'W_TRANSFORM_UNKNOWN',
        this.s.transformKql !== undefined ? ['transformKql'] : ['stream'],
        `could not tell which columns ${where} outputs (${why}): columns it may drop or rename are not checked, and the table is compared as if it passed every column through`,
        'value',
      );
      return reaching;
    }
    const output = projected.columns;
    const made = output.filter((o) => !declared.some((d) => d.name === o.name)).map((o) => o.name);
    for (const column of reaching) {
      if (output.some((o) => o.name === column.name)) continue;
      const reads = project !== undefined && usesColumn(project, flow.transformKql, declared, column.name);
      this.lostInTransform(column.name, where, reads, made);
    }
    return output.map((o) => ({ name: o.name, type: o.type }));
  }

  /**
   * A mapping column the transform does not output: renamed (into columns the table has, or
   * not) when the transform reads it and makes new ones, else dropped.
   */
  private lostInTransform(name: string, where: string, reads: boolean, made: readonly string[]): void {
    if (reads && made.length > 0) {
      // Renamed into columns the table lacks is lost all the same.
      const table = this.deployment.checked.tables ? this.pickTable() : undefined;
      const kept =
        table === undefined ||
        made.some((m) => [...table.columns, ...table.standardColumns].some((c) => c.name === m));
      this.add(
        kept ? 'warning' : 'error',
        kept ? 'W_RENAMED_BY_TRANSFORM' : 'E_RENAMED_BY_TRANSFORM',
        this.columnPath(name),
        `${where} reads ${name} but does not output it: its values go into ${made.join(', ')} (renamed, or computed from it), not into ${name}` +
          (kept ? '' : `, and the table has none of them, so every ${name} value is lost`) +
          `. Name the mapping's column as the table does, or keep ${name} in the transform's output`,
      );
      return;
    }
    this.add(
      'error',
      'E_DROPPED_BY_TRANSFORM',
      this.columnPath(name),
      `${where} drops ${name}${reads ? ' (it reads it, but outputs nothing from it)' : ''}: every ${name} value is lost before the table. ` +
        `Keep ${name} in the transform's output, or remove the column from the mapping`,
    );
  }

  private intoTable(reaching: readonly Carried[]): void {
    const { s } = this;
    const table = this.pickTable();
    if (table === undefined) {
      const missing = this.deployment.missingTables?.includes(s.table) === true;
      const read = this.deployment.tables.map((t) => t.name).join(', ') || 'none';
      this.add(
        'error',
        'E_TABLE_MISSING',
        ['table'],
        `${missing ? `the workspace has no table ${s.table}` : `table ${s.table} is not among the tables read (${read})`}: ` +
          'rows for it cannot be stored, so every value of this stream is lost (assumed). Deploy the table generated from this mapping, or fix the table name',
      );
      return;
    }
    // With no DCR read, what reaches the table is the mapping's own types (guid included).
    const types = this.deployment.checked.dcrs
      ? undefined
      : new Map(tableSchema(s).columns.map((c) => [c.name, c.type]));
    for (const column of reaching)
      this.intoColumn(table, column.name, types?.get(column.name) ?? column.type);
    const where = `table ${table.name}`;
    for (const t of table.columns) {
      if (!reaching.some((c) => c.name === t.name))
        this.add(
          'info',
          'I_EXTRA_IN_TABLE',
          ['columns'],
          `${where} has ${t.name} (${t.type}), which nothing from this mapping fills: it is null in these rows`,
        );
    }
  }

  /** One column reaching the table as `type`: missing from it, or of another type. */
  private intoColumn(table: DeployedTable, name: string, type: string): void {
    const all = [...table.columns, ...table.standardColumns];
    const where = `table ${table.name}`;
    const fromMapping = this.sent.some((c) => c.name === name);
    const t = all.find((c) => c.name === name);
    if (t === undefined) {
      const cased = all.find((c) => c.name.toLowerCase() === name.toLowerCase());
      const hint = cased !== undefined ? ` (it has ${cased.name}: column names are case-sensitive)` : '';
      if (fromMapping)
        this.add(
          'error',
          'E_NOT_IN_TABLE',
          this.columnPath(name),
          `${where} has no column ${name}${hint}: the service drops it at ingestion, so every ${name} value is lost. ` +
            `Add ${name} (${type}) to the table (redeploy it from this mapping), or remove the column`,
        );
      else
        this.add(
          'warning',
          'W_TRANSFORM_OUTPUT_NOT_IN_TABLE',
          this.s.transformKql !== undefined ? ['transformKql'] : ['table'],
          `the transform outputs ${name}, which ${where} does not have${hint}: the service drops it at ingestion`,
          'value',
        );
      return;
    }
    if (t.type === type) return;
    const fate = valueFate(type, t.type);
    this.add(
      fate.loses ? 'error' : 'warning',
      fate.loses ? 'E_TABLE_TYPE' : 'W_TABLE_TYPE',
      fromMapping ? this.typePath(name) : ['table'],
      `${name} reaches ${where} as ${type} but the column is ${t.type}: ${fate.effect}. Make the mapping's type and the table agree`,
      'value',
    );
  }

  private pickTable(): DeployedTable | undefined {
    const name = this.s.table.toLowerCase();
    return this.deployment.tables.find((t) => t.name.toLowerCase() === name);
  }
}
