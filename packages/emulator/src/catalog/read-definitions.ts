// Finds the Azure resources in DCR and table JSON: files, or folders searched for `*.json`. A
// file holds one resource, an array of them, or an ARM template; JSON without resources (solution
// metadata, the `Data/Solution_*.json` manifest) is skipped.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isWorkbooksFolder } from '../workbooks/workbooks-folder.js';
import { CatalogError } from './catalog-error.js';

/** One resource object (it has a string `type`) and where it was found. */
export interface FoundResource {
  readonly file: string;
  /** JSONPath of the resource in its file: `$`, `$[1]`, `$.resources[2]`. */
  readonly path: string;
  readonly type: string;
  readonly value: Readonly<Record<string, unknown>>;
}

export function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `$.a[0]['Custom-X']`: dotted for plain names, bracketed otherwise. */
export function jsonPath(base: string, ...segments: readonly (string | number)[]): string {
  let out = base;
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(s)) out += `.${s}`;
    else out += `['${s.replace(/'/g, "\\'")}']`;
  }
  return out;
}

/** Every resource of every JSON file at `paths`, in path order, then file name order. */
export function findResources(paths: readonly string[]): FoundResource[] {
  const seen = new Set<string>();
  const resources: FoundResource[] = [];
  for (const path of paths) {
    for (const file of jsonFiles(path)) {
      if (seen.has(file)) continue;
      seen.add(file);
      resources.push(...resourcesOf(file, parseJsonFile(file)));
    }
  }
  return resources;
}

function jsonFiles(path: string): string[] {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch (error: unknown) {
    throw unreadable(path, error);
  }
  if (!isDirectory) return [path];
  const entries = readdirSync(path, { recursive: true, withFileTypes: true });
  // A solution's Workbooks/ folder holds workbooks, never a DCR or table: the console's workbook
  // list reads them and shows a broken one, which must not stop the emulator from starting.
  return entries
    .filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.json'))
    .filter((e) => !isWorkbooksFolder(path, e.parentPath))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

function parseJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error: unknown) {
    throw unreadable(file, error);
  }
  try {
    // Files saved by Windows editors often start with a byte order mark, which JSON.parse refuses.
    return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch (error: unknown) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CatalogError(
      'E_DEFINITIONS',
      `${file}: not valid JSON (${reason}); fix the file, or leave it out of the definitions`,
    );
  }
}

function resourcesOf(file: string, json: unknown): FoundResource[] {
  const resource = (value: unknown, path: string): FoundResource[] =>
    isRecord(value) && typeof value.type === 'string' ? [{ file, path, type: value.type, value }] : [];
  if (Array.isArray(json)) return json.flatMap((item, i) => resource(item, jsonPath('$', i)));
  if (!isRecord(json)) return [];
  if (typeof json.type === 'string') return resource(json, '$');
  const { resources } = json;
  if (Array.isArray(resources))
    return resources.flatMap((item, i) => resource(item, jsonPath('$', 'resources', i)));
  return [];
}

function unreadable(path: string, error: unknown): CatalogError {
  const code = isRecord(error) ? error.code : undefined;
  const reason =
    code === 'ENOENT'
      ? 'no such file or folder'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : error instanceof Error
          ? error.message
          : String(error);
  return new CatalogError(
    'E_DEFINITIONS',
    `${path}: cannot read it (${reason}); give a DCR or table JSON file, or a folder holding them`,
  );
}
