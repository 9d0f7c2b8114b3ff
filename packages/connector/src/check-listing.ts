// The solution file's lists of content files ("Analytic Rules", "Parsers", "Workbooks"), checked
// the same way for each kind: every entry is "<Folder>/<file>" and every such file in the folder
// is listed, since Azure-Sentinel's packager packs only what the list names.

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** One kind of listed content. */
export interface Listing {
  /** The solution file's key, e.g. `Parsers`. */
  readonly key: string;
  /** The folder under the solution, e.g. `Parsers`. */
  readonly folder: string;
  /** What one entry is, for messages: `rule`, `parser`, `workbook`. */
  readonly what: string;
  /** The file part of an entry as messages show it: `<file>.yaml`, `<Name>.json`. */
  readonly form: string;
  /** Whether a name (without the folder) is a file of this kind, listed or found in the folder. */
  readonly isFile: (name: string) => boolean;
  /** Files of the folder that are not listed content (e.g. `WorkbooksMetadata.json`). */
  readonly notContent?: readonly string[];
}

export interface ListingContext<Rule extends string> {
  readonly dir: string;
  readonly solutionFile: string;
  /** The solution file's value under `listing.key` (undefined when absent). */
  readonly listed: unknown;
  readonly add: (file: string, rule: Rule, message: string, fix: string) => void;
}

/** The well-formed entries of the list, in order; each bad entry (or a list that is not one) reported. */
export function listedFiles<Rule extends string>(
  ctx: ListingContext<Rule>,
  listing: Listing,
  rule: Rule,
): string[] {
  const { listed } = ctx;
  if (listed === undefined) return [];
  const items: unknown[] = Array.isArray(listed) ? (listed as unknown[]) : [listed];
  const prefix = `${listing.folder}/`;
  const files: string[] = [];
  for (const item of items) {
    const path = typeof item === 'string' ? item : '';
    const name = path.startsWith(prefix) ? path.slice(prefix.length) : '';
    if (Array.isArray(listed) && listing.isFile(name)) files.push(path);
    else
      ctx.add(
        ctx.solutionFile,
        rule,
        `"${listing.key}" entry ${JSON.stringify(item)} is not "${prefix}${listing.form}"`,
        `list each ${listing.what} as "${prefix}${listing.form}", relative to the solution folder`,
      );
  }
  return files;
}

/** Reports each file of the folder that the list leaves out. */
export function reportUnlisted<Rule extends string>(
  ctx: ListingContext<Rule>,
  listing: Listing,
  rule: Rule,
  listed: readonly string[],
): void {
  const folder = join(ctx.dir, listing.folder);
  const present = existsSync(folder)
    ? readdirSync(folder)
        .filter((name) => listing.isFile(name) && !(listing.notContent ?? []).includes(name))
        .sort()
    : [];
  const listedSet = new Set(listed);
  for (const name of present) {
    const path = `${listing.folder}/${name}`;
    if (!listedSet.has(path))
      ctx.add(
        path,
        rule,
        `${path} is not listed in ${ctx.solutionFile}, so the packager leaves it out`,
        `add "${path}" to "${listing.key}" in ${ctx.solutionFile}, or delete the file`,
      );
  }
}
