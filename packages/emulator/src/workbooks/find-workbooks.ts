// Finds the workbooks in the emulator's definitions: the JSON files of a solution's Workbooks/
// folder (titled by its WorkbooksMetadata.json) and the Microsoft.Insights/workbooks resources of
// ARM templates. A file that cannot be read is listed with its error, never thrown: the console
// shows it, and the rest of the emulator runs on.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isRecord } from '../catalog/read-definitions.js';
import { armWorkbooks } from './arm-workbooks.js';
import { parseJsonText } from './json-text.js';
import { isNotebook, type WorkbookEntry } from './workbook-entry.js';
import { isWorkbooksFolder } from './workbooks-folder.js';

const METADATA_FILE = 'workbooksmetadata.json';

/**
 * Every workbook in `paths` (files, or folders searched for `*.json`), in path order, then file
 * name order. The same content found twice (a Workbooks/ file and the template built from it) is
 * listed once, where it was found first.
 */
export function findWorkbooks(paths: readonly string[]): WorkbookEntry[] {
  const files = new Map<string, FoundFile>();
  for (const found of paths.flatMap(jsonFiles)) if (!files.has(found.file)) files.set(found.file, found);
  const titles = metadataTitles([...files.keys()]);
  const found: WorkbookEntry[] = [];
  for (const { file, inFolder } of files.values()) {
    if (basename(file).toLowerCase() === METADATA_FILE) continue;
    found.push(...workbooksOf(file, inFolder, titles));
  }
  return withUniqueIds(withoutRepeats(found));
}

/** A JSON file found while searching `root`, and whether it is in a Workbooks folder. */
interface FoundFile {
  readonly file: string;
  readonly inFolder: boolean;
}

function jsonFiles(root: string): FoundFile[] {
  try {
    if (!statSync(root).isDirectory()) {
      return [{ file: root, inFolder: basename(dirname(root)).toLowerCase() === 'workbooks' }];
    }
    return readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.json'))
      .map((e) => ({ file: join(e.parentPath, e.name), inFolder: isWorkbooksFolder(root, e.parentPath) }))
      .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  } catch {
    // The catalog has already refused a path it cannot read; nothing to list here.
    return [];
  }
}

function workbooksOf(file: string, inFolder: boolean, titles: ReadonlyMap<string, string>): WorkbookEntry[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const parsed = parseJsonText(text);
  if (!parsed.ok) {
    // Elsewhere, bad JSON is the catalog's to report (it stops the start-up, naming the file).
    if (!inFolder) return [];
    const { reason, line, column } = parsed.problem;
    const at = ` at line ${line}, column ${column}`;
    const message = `${file}: not valid JSON${at} (${reason}); fix the file, or run otel-sentinel connector again to regenerate it`;
    return [
      errorEntry(file, stem(file), {
        code: 'E_WORKBOOK_JSON',
        message,
        line,
        column,
      }),
    ];
  }
  if (isNotebook(parsed.value)) {
    const name = titles.get(file) ?? headingOf(parsed.value) ?? stem(file);
    return [{ id: stem(file), name, source: file, content: parsed.value }];
  }
  const fromTemplate = armWorkbooks(parsed.value, file).map((w): WorkbookEntry => {
    const name = w.displayName ?? headingOf(w.content) ?? `${stem(file)} ${w.path}`;
    const base = { id: w.displayName ?? stem(file), name, source: `${file}, ${w.path}`, content: w.content };
    return w.problem === undefined ? base : { ...base, error: w.problem };
  });
  if (fromTemplate.length > 0 || !inFolder) return fromTemplate;
  return [
    errorEntry(file, stem(file), {
      code: 'E_NOT_A_WORKBOOK',
      message: `${file}: not a workbook (no "version": "Notebook/1.0" with an "items" list); move it out of the Workbooks folder, or fix it`,
    }),
  ];
}

function errorEntry(file: string, name: string, error: NonNullable<WorkbookEntry['error']>): WorkbookEntry {
  return { id: name, name, source: file, content: null, error };
}

/** Workbook file → title, from each WorkbooksMetadata.json's `templateRelativePath` and `title`. */
function metadataTitles(files: readonly string[]): Map<string, string> {
  const titles = new Map<string, string>();
  for (const file of files.filter((f) => basename(f).toLowerCase() === METADATA_FILE)) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const parsed = parseJsonText(text);
    if (!parsed.ok || !Array.isArray(parsed.value)) continue;
    for (const item of parsed.value as unknown[]) {
      if (!isRecord(item)) continue;
      const { templateRelativePath: relative, title } = item;
      if (typeof relative === 'string' && typeof title === 'string' && title !== '') {
        titles.set(join(dirname(file), relative), title);
      }
    }
  }
  return titles;
}

/** The text of the first markdown heading of the first text item, as a fallback title. */
function headingOf(content: unknown): string | undefined {
  if (!isRecord(content) || !Array.isArray(content.items)) return undefined;
  const first: unknown = content.items.find((item: unknown) => isRecord(item) && item.type === 1);
  const json = isRecord(first) && isRecord(first.content) ? first.content.json : undefined;
  if (typeof json !== 'string') return undefined;
  return /^#{1,6}[ \t]+(.+?)[ \t#]*$/m.exec(json)?.[1];
}

function stem(file: string): string {
  return basename(file).replace(/\.json$/i, '');
}

function withoutRepeats(entries: readonly WorkbookEntry[]): WorkbookEntry[] {
  const seen = new Set<string>();
  return entries.filter((e) => {
    if (e.content === null) return true;
    const key = JSON.stringify(e.content);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Ids safe in a URL and a data-testid: letters, digits, `-` and `_`; a repeat gets `-2`, `-3`. */
function withUniqueIds(entries: readonly WorkbookEntry[]): WorkbookEntry[] {
  const taken = new Map<string, number>();
  return entries.map((e) => {
    const base = e.id.replace(/[^\w-]+/g, '-').replace(/^-+|-+$/g, '') || 'workbook';
    const count = (taken.get(base) ?? 0) + 1;
    taken.set(base, count);
    return { ...e, id: count === 1 ? base : `${base}-${count}` };
  });
}
