// The tables of the store. The write-ahead queue is `segments`: one record per enqueued call (its
// rows as the calling thread serialised them, in `segment_rows`, and a mask of the rows already
// settled), so the queue costs per call, not per row. The spool is `spool`, one record per entry;
// replay's claims are spool entries with an owner. `entries` is a view of both, one row per row
// held, for people with the `sqlite3` shell.

import { MAX_SEGMENT_ROWS } from './segment-ids.ts';

/**
 * The tables of layout 2 that layout 1 did not have in this form (`targets` and `imported` are
 * unchanged). Owners are known by an integer key (`owners.id`); their random token stays their
 * identity. Segment, owner and forward ids are never reused (AUTOINCREMENT): a process that was
 * taken for ended while it was only paused must never settle another segment with an old id.
 * Spool ids may be reused: a spool entry is only ever settled by the owner that claimed it.
 */
export const LAYOUT_2 = `
CREATE TABLE owners (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  token TEXT NOT NULL UNIQUE,
  pid INTEGER NOT NULL,
  host TEXT NOT NULL,
  pid_scope TEXT NOT NULL,
  thread INTEGER NOT NULL,
  process_start INTEGER NOT NULL,
  role TEXT NOT NULL,
  durability TEXT NOT NULL,
  started INTEGER NOT NULL,
  heartbeat INTEGER NOT NULL,
  ended INTEGER,
  held_in_memory INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE segments (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  owner INTEGER NOT NULL,
  target INTEGER NOT NULL REFERENCES targets (id),
  queued INTEGER NOT NULL,
  count INTEGER NOT NULL,
  pending INTEGER NOT NULL,
  taken INTEGER NOT NULL,
  done BLOB
);
CREATE INDEX segments_by_owner ON segments (owner, id);
CREATE INDEX segments_adopted ON segments (owner, id) WHERE taken < count;
CREATE TABLE segment_rows (
  id INTEGER PRIMARY KEY,
  rows TEXT NOT NULL
);
CREATE TABLE spool (
  id INTEGER PRIMARY KEY,
  owner INTEGER,
  target INTEGER NOT NULL REFERENCES targets (id),
  queued INTEGER NOT NULL,
  time TEXT NOT NULL,
  reason TEXT NOT NULL,
  detail TEXT,
  row TEXT NOT NULL
);
CREATE INDEX spool_by_owner ON spool (owner, id);
CREATE TABLE forward (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  owner INTEGER NOT NULL,
  taken INTEGER NOT NULL DEFAULT 1,
  queued INTEGER NOT NULL,
  records INTEGER NOT NULL,
  body BLOB NOT NULL
);
CREATE INDEX forward_by_owner ON forward (owner, id);
CREATE INDEX forward_adopted ON forward (owner, id) WHERE taken = 0;
CREATE VIEW entries (id, owner, target, queued, time, reason, detail, bytes, row) AS
SELECT s.id, o.token, s.target, s.queued, s.time, s.reason, s.detail, length(CAST(s.row AS BLOB)), s.row
FROM spool s LEFT JOIN owners o ON o.id = s.owner
UNION ALL
SELECT g.id * ${MAX_SEGMENT_ROWS} + j.key, o.token, g.target, g.queued, NULL, NULL, NULL, length(CAST(j.value AS BLOB)), j.value
FROM segments g JOIN segment_rows r ON r.id = g.id LEFT JOIN owners o ON o.id = g.owner, json_each(r.rows) j
WHERE g.done IS NULL OR ((instr('0123456789ABCDEF',
  substr(hex(substr(g.done, j.key / 8 + 1, 1)), 2 - (j.key % 8 >= 4), 1)) - 1) >> (j.key % 4)) & 1 = 0;
`;

/** Every table of a new store. */
export const TABLES = `
CREATE TABLE targets (
  id INTEGER PRIMARY KEY,
  endpoint TEXT NOT NULL,
  dcr_immutable_id TEXT NOT NULL,
  stream TEXT NOT NULL,
  table_name TEXT NOT NULL,
  UNIQUE (endpoint, dcr_immutable_id, stream, table_name)
);
CREATE TABLE imported (
  name TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  at INTEGER NOT NULL
) WITHOUT ROWID;
${LAYOUT_2}`;
