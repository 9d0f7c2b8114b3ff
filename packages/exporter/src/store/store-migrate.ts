// Converts a store of layout 1 (one `entries` row per queued or spooled row, owners known by
// their token) to layout 2 in place, inside the caller's transaction: a crash part-way leaves
// layout 1 as it was. Each queued row becomes a segment of its own (the rows keep their order and
// whether they were handed over), spool entries keep their ids, and owners get integer keys.
// A process still running layout 1's code on the file finds its writes refused from then on
// (counted and reported); its rows stay queued under its owner until it ends.

import type { DatabaseSync } from 'node:sqlite';
import { LAYOUT_2 } from './store-layout.ts';

const OWNER_COLUMNS =
  'token, pid, host, pid_scope, thread, process_start, role, durability, started, heartbeat, ended, held_in_memory';

export function migrateFromLayout1(db: DatabaseSync): void {
  db.exec(`
    DROP INDEX entries_by_owner;
    DROP INDEX entries_adopted;
    DROP INDEX forward_by_owner;
    DROP INDEX forward_adopted;
    ALTER TABLE owners RENAME TO owners_layout1;
    ALTER TABLE entries RENAME TO entries_layout1;
    ALTER TABLE forward RENAME TO forward_layout1;
    ${LAYOUT_2}
    INSERT INTO owners (${OWNER_COLUMNS}) SELECT ${OWNER_COLUMNS} FROM owners_layout1 ORDER BY started;
    INSERT INTO spool (id, owner, target, queued, time, reason, detail, row)
      SELECT e.id, o.id, e.target, e.queued,
             coalesce(e.time, strftime('%Y-%m-%dT%H:%M:%fZ', e.queued / 1000.0, 'unixepoch')),
             e.reason, e.detail, e.row
      FROM entries_layout1 e LEFT JOIN owners o ON o.token = e.owner
      WHERE e.reason IS NOT NULL;
    -- Owner 0 is no owner's key: rows of an owner without a row are taken over as orphans.
    INSERT INTO segments (id, owner, target, queued, count, pending, taken, done)
      SELECT e.id, coalesce(o.id, 0), e.target, e.queued, 1, 1, e.taken != 0, NULL
      FROM entries_layout1 e LEFT JOIN owners o ON o.token = e.owner
      WHERE e.reason IS NULL;
    INSERT INTO segment_rows (id, rows)
      SELECT id, '[' || row || ']' FROM entries_layout1 WHERE reason IS NULL;
    INSERT INTO forward (id, owner, taken, queued, records, body)
      SELECT f.id, coalesce(o.id, 0), f.taken, f.queued, f.records, f.body
      FROM forward_layout1 f LEFT JOIN owners o ON o.token = f.owner;
    DROP TABLE entries_layout1;
    DROP TABLE forward_layout1;
    DROP TABLE owners_layout1;
  `);
}
