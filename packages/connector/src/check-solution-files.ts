// The checklist's rules on the solution's own files: Data/Solution_<Folder>.json,
// SolutionMetadata.json and ReleaseNotes.md (names, version, publisher and offer ids).

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { OFFER_ID_RE, PUBLISHER_ID_RE, SEMVER_RE } from './solution-info.js';
import { obj, text } from './solution-checker.js';
import type { Checker, Obj } from './solution-checker.js';

/** Checks the solution and metadata files; returns the solution file's content ({} if unreadable). */
export function checkSolutionFiles(c: Checker, dir: string, folder: string): Obj {
  const solFile = `Data/Solution_${folder}.json`;
  checkSolutionFileName(c, dir, folder, solFile);
  const sol = obj(c.json(solFile));
  const meta = obj(c.json('SolutionMetadata.json'));
  if (!existsSync(join(dir, 'ReleaseNotes.md')))
    c.add(
      'ReleaseNotes.md',
      'required-file',
      'ReleaseNotes.md is missing',
      'create ReleaseNotes.md with a "## v<version>" section',
    );
  if (Object.keys(sol).length > 0) checkSolutionFile(c, solFile, folder, sol, meta);
  if (Object.keys(meta).length > 0) checkMetadataIds(c, meta);
  return sol;
}

/** A solution file under another name than the folder's. */
function checkSolutionFileName(c: Checker, dir: string, folder: string, solFile: string): void {
  if (existsSync(join(dir, solFile)) || !existsSync(join(dir, 'Data'))) return;
  const others = readdirSync(join(dir, 'Data')).filter((f) => /^Solution_.*\.json$/.test(f));
  if (others.length > 0)
    c.add(
      `Data/${others[0] ?? ''}`,
      'solution-name',
      `the solution file is named ${others.join(', ')}, not Solution_${folder}.json`,
      `rename it to Solution_${folder}.json or rename the folder`,
    );
}

/** The solution file's Name, Version, and the ids it shares with the metadata. */
function checkSolutionFile(c: Checker, solFile: string, folder: string, sol: Obj, meta: Obj): void {
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

/** The metadata's publisher and offer ids, in the form the Marketplace takes. */
function checkMetadataIds(c: Checker, meta: Obj): void {
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
