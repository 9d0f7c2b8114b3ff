// Derives the Sentinel table schema and the DCR stream declaration from a stream of a mapping.

import type { CompiledStream } from './compile-mapping.js';
import type { ColumnType, StreamColumnType, StreamConfig } from './types.js';

export interface TableColumn {
  readonly name: string;
  readonly type: ColumnType;
  readonly description?: string;
}

export interface TableSchema {
  readonly name: string;
  readonly columns: readonly TableColumn[];
}

export interface StreamDeclaration {
  readonly name: string;
  readonly columns: readonly { readonly name: string; readonly type: StreamColumnType }[];
}

function configOf(stream: StreamConfig | CompiledStream): StreamConfig {
  return 'config' in stream ? stream.config : stream;
}

/** TimeGenerated first, then the mapping's order. */
function ordered(stream: StreamConfig): StreamConfig['columns'] {
  const t = stream.columns.filter((c) => c.name === 'TimeGenerated');
  return [...t, ...stream.columns.filter((c) => c.name !== 'TimeGenerated')];
}

/** The custom table's columns, as a table resource or the Tables API declares them. */
export function tableSchema(stream: StreamConfig | CompiledStream): TableSchema {
  const s = configOf(stream);
  return {
    name: s.table,
    columns: ordered(s).map((c) =>
      c.description !== undefined
        ? { name: c.name, type: c.type, description: c.description }
        : { name: c.name, type: c.type },
    ),
  };
}

/** The DCR stream declaration: the same columns, with `guid` declared as `string`. */
export function streamDeclaration(stream: StreamConfig | CompiledStream): StreamDeclaration {
  const s = configOf(stream);
  return {
    name: s.stream,
    columns: ordered(s).map((c) => ({ name: c.name, type: c.type === 'guid' ? 'string' : c.type })),
  };
}
