// What `GET /console/api/workbooks` lists: one entry per workbook found in the definitions, with
// its content, or with the error that kept it from being read.

/** Why a workbook could not be read; the message names the file, where, and what to change. */
export interface WorkbookProblem {
  readonly code: 'E_WORKBOOK_JSON' | 'E_NOT_A_WORKBOOK' | 'E_WORKBOOK_EXPRESSION';
  readonly message: string;
  /** 1-based line and column in the file (or in the ARM resource's serializedData string). */
  readonly line?: number;
  readonly column?: number;
}

export interface WorkbookEntry {
  /** Stable while the definitions stay the same: from the file name or the display name. */
  readonly id: string;
  /** The title people see: the solution's WorkbooksMetadata title, the ARM displayName, or the file name. */
  readonly name: string;
  /** The file, and for a workbook inside an ARM template the JSON path of its resource. */
  readonly source: string;
  /** The workbook (`{ version: 'Notebook/1.0', items: [...] }`), or null when it could not be read. */
  readonly content: unknown;
  readonly error?: WorkbookProblem;
}

/** A workbook's JSON: a `Notebook/…` version and a list of items. */
export function isNotebook(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { version, items } = value as { version?: unknown; items?: unknown };
  return typeof version === 'string' && version.startsWith('Notebook/') && Array.isArray(items);
}
