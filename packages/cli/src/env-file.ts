// The environment a command sees: the process environment plus an optional `--env-file`.

import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { CliError, fsReason } from './errors.js';

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * `base` plus the KEY=VALUE lines of `file`. As with `node --env-file`, a variable already set in
 * the process environment wins over the file, so one-off overrides on the command line work.
 */
export async function loadEnv(file: string | undefined, base: Env, cwd: string): Promise<Env> {
  if (file === undefined) return base;
  let text: string;
  try {
    text = await readFile(resolve(cwd, file), 'utf8');
  } catch (error) {
    throw new CliError('E_ENV_FILE', `cannot read env file ${file}: ${fsReason(error)}`, { cause: error });
  }
  const merged: Record<string, string | undefined> = { ...parseEnv(text) };
  for (const [key, value] of Object.entries(base)) if (value !== undefined) merged[key] = value;
  return merged;
}
