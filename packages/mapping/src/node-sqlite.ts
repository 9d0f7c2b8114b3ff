// Loads `node:sqlite` once per thread, for the exporter's store and the emulator's store (both
// depend on this package; it is not part of the mapping API). Node 22 prints an
// ExperimentalWarning when it loads the module; a user who never asked for SQLite should not see
// that, so exactly that warning is dropped while the module loads, and every other passes through.

import type * as Sqlite from 'node:sqlite';

/** @internal For the exporter's and the emulator's stores only (see the first lines). */
export type SqliteModule = typeof Sqlite;

const MINIMUM = '22.13';

let loaded: SqliteModule | undefined;

/**
 * `node:sqlite`, or an error naming `user` (what needs it, e.g. `the spool`) on a Node without it
 * (before 22.13, or built without it).
 * @internal For the exporter's and the emulator's stores only (see the first lines).
 */
export function loadNodeSqlite(user: string): SqliteModule {
  if (loaded !== undefined) return loaded;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- put back as it was, called with `process`
  const emitWarning = process.emitWarning;
  process.emitWarning = function filtered(warning: string | Error, ...rest: unknown[]): void {
    if (isSqliteExperimentalWarning(warning, rest[0])) return;
    Reflect.apply(emitWarning, process, [warning, ...rest]);
  };
  let module: SqliteModule | undefined;
  try {
    // Typed as always present by @types/node; on Node 22.12 and older it is undefined.
    module = process.getBuiltinModule('node:sqlite');
  } catch {
    module = undefined;
  } finally {
    process.emitWarning = emitWarning;
  }
  if (module === undefined) {
    throw new Error(
      `${user} needs node:sqlite, which Node ${process.versions.node} does not have: ` +
        `use Node ${MINIMUM} or later`,
    );
  }
  loaded = module;
  return module;
}

function isSqliteExperimentalWarning(warning: string | Error, typeOrOptions: unknown): boolean {
  const message = typeof warning === 'string' ? warning : warning.message;
  const type =
    typeof warning !== 'string'
      ? warning.name
      : typeof typeOrOptions === 'string'
        ? typeOrOptions
        : typeof typeOrOptions === 'object' && typeOrOptions !== null && 'type' in typeOrOptions
          ? typeOrOptions.type
          : undefined;
  return type === 'ExperimentalWarning' && message.startsWith('SQLite is an experimental feature');
}
