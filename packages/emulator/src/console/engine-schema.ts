// The workspace as Monaco Kusto's EngineSchema (`setSchema`): every table the queries can read,
// with its columns, and every function with its parameters, so the editor completes and checks
// against exactly what the emulator holds at the time of asking.

import type { QuerySource } from '@otel-sentinel/kql';
import { inputParameters, type InputParameter } from './function-parameters.js';

export interface SchemaColumn {
  readonly name: string;
  readonly type: string;
}

export interface SchemaTable {
  readonly name: string;
  readonly entityType: 'Table';
  readonly columns: readonly SchemaColumn[];
}

export interface SchemaFunction {
  readonly name: string;
  /** In braces, as Kusto's `.show schema` gives a function body. */
  readonly body: string;
  readonly inputParameters: readonly InputParameter[];
}

export interface SchemaDatabase {
  readonly name: string;
  readonly tables: readonly SchemaTable[];
  readonly functions: readonly SchemaFunction[];
  readonly entityGroups: readonly never[];
  readonly majorVersion: number;
  readonly minorVersion: number;
}

export interface EngineSchema {
  readonly clusterType: 'Engine';
  readonly cluster: { readonly connectionString: string; readonly databases: readonly SchemaDatabase[] };
  readonly database: SchemaDatabase;
}

/** Column types as KQL names them (the store says `boolean` where KQL says `bool`). */
export function cslType(type: string): string {
  return type === 'boolean' ? 'bool' : type;
}

/** The tables of `source`, by name, with their columns in KQL types. */
export function schemaTables(source: QuerySource): SchemaTable[] {
  return [...source.tables()]
    .sort((a, b) => a.localeCompare(b))
    .map((name) => ({
      name,
      entityType: 'Table' as const,
      columns: (source.columns(name) ?? []).map((c) => ({ name: c.name, type: cslType(c.type) })),
    }));
}

/** The functions of `source`, by name, with their parameters split. */
export function schemaFunctions(source: QuerySource): SchemaFunction[] {
  return [...(source.functions?.() ?? [])]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((fn) => ({
      name: fn.name,
      body: `{\n${fn.body}\n}`,
      inputParameters: inputParameters(fn.parameters),
    }));
}

/** The EngineSchema of `source`, one database named `workspace` on the cluster `connectionString`. */
export function engineSchema(source: QuerySource, workspace: string, connectionString: string): EngineSchema {
  const database: SchemaDatabase = {
    name: workspace,
    tables: schemaTables(source),
    functions: schemaFunctions(source),
    entityGroups: [],
    majorVersion: 1,
    minorVersion: 0,
  };
  return { clusterType: 'Engine', cluster: { connectionString, databases: [database] }, database };
}
