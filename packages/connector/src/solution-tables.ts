// The tables a solution folder declares: every `Microsoft.OperationalInsights/workspaces/tables`
// resource file of its connector folders, with its columns (what the parser checks analyse against).

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { TableColumns } from './asim-parser-fields.js';
import { columns, obj, text } from './solution-checker.js';

const TABLE_TYPE = 'microsoft.operationalinsights/workspaces/tables';

function tableOf(path: string): TableColumns | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined; // Reported by the connector checks.
  }
  const d = obj(doc);
  if (text(d.type)?.toLowerCase() !== TABLE_TYPE) return undefined;
  const schema = obj(obj(d.properties).schema);
  const name = text(schema.name) ?? text(d.name);
  return name === undefined ? undefined : { name, columns: columns(schema.columns) };
}

/** The tables of `Data Connectors/<folder>/*.json`, in folder and file order. */
export function solutionTables(dir: string): TableColumns[] {
  const root = join(dir, 'Data Connectors');
  if (!existsSync(root)) return [];
  const tables: TableColumns[] = [];
  for (const sub of readdirSync(root).sort()) {
    const folder = join(root, sub);
    if (!statSync(folder).isDirectory()) continue;
    for (const f of readdirSync(folder)
      .filter((n) => n.endsWith('.json'))
      .sort()) {
      const t = tableOf(join(folder, f));
      if (t !== undefined) tables.push(t);
    }
  }
  return tables;
}
