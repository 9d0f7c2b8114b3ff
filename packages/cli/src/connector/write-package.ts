// Writes the generated files of a solution package below the output folder.

import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CliError, fsReason } from '../errors.js';

export interface PackageFile {
  /** Relative to the output folder, with `/`. */
  readonly path: string;
  readonly content: string;
}

/** Writes each file, making its folders; a failure names the file and why. */
export async function writePackageFiles(out: string, files: readonly PackageFile[]): Promise<void> {
  for (const f of files) {
    const target = join(out, f.path);
    try {
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, f.content);
    } catch (error) {
      throw new CliError('E_OUT', `cannot write ${target}: ${fsReason(error)}`, { cause: error });
    }
  }
}
