// `readSpool`: what a spool directory's store holds for people and tests, without changing a
// byte: the spool's entries, and the rows processes that ended left in their queues (what the
// next start or `replay` takes over). A running process's own queue is not shown.

import { parseJsonExact } from '@otel-sentinel/mapping/exact-json';
import type { Row } from '@otel-sentinel/mapping';
import type { SpoolEntry } from '../spool/spool-entry.ts';
import { endedOwners, leftQueued, leftSpool, openReader } from './read-store.ts';
import { storePath } from './store-options.ts';
import type { OwnerRole } from './store-types.ts';

export interface ReadSpoolOptions {
  /** The spool directory. Example: `/var/lib/my-app/sentinel-spool`. */
  readonly directory: string;
  /** Prefix of the store file (`<prefix>.sqlite`). Default `sentinel-spool`. */
  readonly prefix?: string;
}

/** A row a process left in its write-ahead queue when it ended. */
export interface LeftInQueue {
  /** When the row was accepted, ISO 8601 UTC. */
  readonly time: string;
  readonly endpoint: string;
  readonly dcrImmutableId: string;
  readonly stream: string;
  readonly table: string;
  readonly row: Row;
  /** The process that left it; absent when its record is gone. */
  readonly owner?: {
    readonly pid: number;
    readonly host: string;
    readonly role: OwnerRole;
    /** It closed the store itself (false: it crashed or was killed). */
    readonly clean: boolean;
  };
}

export interface SpoolContents {
  /** Spooled rows with their reason, oldest first: the same entries the JSONL files held. */
  readonly spool: SpoolEntry[];
  /** Rows of ended processes not taken over yet, oldest first. */
  readonly queued: LeftInQueue[];
}

/**
 * Reads the store of a spool directory. An empty result when there is no store. Throws the
 * file system's or SQLite's error when the file cannot be read, and `StoreSchemaError`
 * (`E_SPOOL_VERSION`) for a layout that must be converted (or is newer) first.
 */
export function readSpool(options: ReadSpoolOptions): Promise<SpoolContents> {
  // An executor that throws rejects: errors come back as a rejection, as from any async reader.
  return new Promise((resolve) => {
    resolve(readNow(options));
  });
}

function readNow(options: ReadSpoolOptions): SpoolContents {
  const db = openReader(storePath(options.directory, options.prefix));
  const contents: SpoolContents = { spool: [], queued: [] };
  if (db === undefined) return contents;
  try {
    const ended = endedOwners(db);
    for (const e of leftSpool(db, ended)) {
      const entry = { time: e.time, ...e.target, reason: e.reason, row: parseJsonExact(e.row) as Row };
      contents.spool.push(e.detail === null ? entry : { ...entry, detail: e.detail });
    }
    for (const q of leftQueued(db, ended)) {
      const owner = ended.get(q.owner);
      const left = { time: new Date(q.queued).toISOString(), ...q.target, row: q.row as Row };
      contents.queued.push(
        owner === undefined
          ? left
          : {
              ...left,
              owner: { pid: owner.pid, host: owner.host, role: owner.role, clean: owner.ended !== null },
            },
      );
    }
  } finally {
    db.close();
  }
  return contents;
}
