// Reads what is deployed from files: DCR.json, table.json, an ARM template, saved GET responses,
// or folders searched for `*.json` (a solution folder). Which side was read (DCRs, tables) is
// decided by what the files hold.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Deployment } from './deployment.js';
import { DeploymentError, readDeployment } from './read-deployment.js';

/**
 * The DCRs and tables in `paths` (relative ones to `cwd`, default the process's; messages name
 * them as given); throws DeploymentError for an unreadable file or a path with neither.
 */
export function loadDeployment(paths: readonly string[], cwd = process.cwd()): Deployment {
  const dcrs: Deployment['dcrs'][number][] = [];
  const tables: Deployment['tables'][number][] = [];
  for (const path of paths) {
    let found = 0;
    for (const file of jsonFiles(path, cwd)) {
      const read = readDeployment(parse(file, cwd), file);
      dcrs.push(...read.dcrs);
      tables.push(...read.tables);
      found += read.dcrs.length + read.tables.length;
    }
    if (found === 0)
      throw new DeploymentError(
        `${path} holds no DCR (Microsoft.Insights/dataCollectionRules) and no table (Microsoft.OperationalInsights/workspaces/tables): give a DCR.json, a table.json, an ARM template or a folder holding them`,
        { path },
      );
  }
  return { dcrs, tables, checked: { dcrs: dcrs.length > 0, tables: tables.length > 0 } };
}

function jsonFiles(path: string, cwd: string): string[] {
  let directory: boolean;
  try {
    directory = statSync(resolve(cwd, path)).isDirectory();
  } catch (error: unknown) {
    throw new DeploymentError(`${path}: cannot read it (${reason(error)})`, { path, cause: error });
  }
  if (!directory) return [path];
  return readdirSync(resolve(cwd, path), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.json'))
    .map((e) => join(path, relative(resolve(cwd, path), join(e.parentPath, e.name))))
    .sort();
}

function parse(file: string, cwd: string): unknown {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, file), 'utf8');
  } catch (error: unknown) {
    throw new DeploymentError(`${file}: cannot read it (${reason(error)})`, { path: file, cause: error });
  }
  try {
    // Windows editors often save a byte order mark, which JSON.parse refuses.
    return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch (error: unknown) {
    throw new DeploymentError(`${file}: not valid JSON (${reason(error)})`, { path: file, cause: error });
  }
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}
