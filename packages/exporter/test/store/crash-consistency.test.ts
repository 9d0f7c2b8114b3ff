// Crash consistency: a process appending with durability `disk` is killed with SIGKILL at random
// moments, again and again on one store. After every kill the database opens, passes SQLite's
// integrity check, and holds every entry whose commit the process had acknowledged.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSpool } from '../../src/store/read-spool.ts';
import { loadSqlite } from '../../src/store/load-sqlite.ts';
import { kill, NODES, startChild, tempDir } from '../support/store-fixtures.ts';

const RUNS = 8;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function acknowledged(lines: readonly string[], into: Set<number>): void {
  for (const line of lines) {
    const m = /^ack (\d+) (\d+)$/.exec(line);
    if (m === null) continue;
    for (let seq = Number(m[1]); seq <= Number(m[2]); seq++) into.add(seq);
  }
}

function integrity(directory: string): string {
  const db = new (loadSqlite().DatabaseSync)(join(directory, 'sentinel-spool.sqlite'));
  try {
    return String(Object.values(db.prepare('PRAGMA integrity_check').get() ?? {})[0]);
  } finally {
    db.close();
  }
}

describe.each(NODES)('crash consistency with children on %s', (node) => {
  // 3.5 s alone at load 3: a hang guard (test/README.md, "Time-outs").
  it('keeps every acknowledged entry through SIGKILLs at random moments', { timeout: 120_000 }, async () => {
    const directory = tempDir();
    const acked = new Set<number>();
    let killedWhileWriting = 0;
    for (let run = 0; run < RUNS; run++) {
      const child = startChild(['loop', directory, String(run * 1_000_000)], node);
      // Half the kills land anywhere from start-up (opening, taking over the last run's rows) on,
      // half while appending at full speed.
      if (run % 2 === 0) await sleep(Math.random() * 700);
      else await child.line(/^ack /).then(() => sleep(Math.random() * 300));
      await kill(child);
      const before = acked.size;
      acknowledged(child.lines, acked);
      if (acked.size > before) killedWhileWriting++;

      if (child.lines.length === 0 && run % 2 === 0) continue; // killed before it created anything
      expect(integrity(directory)).toBe('ok');
      const { queued } = await readSpool({ directory });
      const stored = new Set(queued.map((q) => q.row['Seq']));
      expect([...acked].filter((seq) => !stored.has(seq))).toEqual([]);
    }
    expect(killedWhileWriting).toBeGreaterThanOrEqual(RUNS / 2);
  });
});
