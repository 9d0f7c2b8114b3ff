// What the store found at start (or later) about processes that used the spool directory before
// and ended: rows they left in the write-ahead queue, which this pipeline now sends, and rows
// they held in memory only when they crashed, which are lost. Both are counted and reported.

import type { DiagReporter } from '../diag-reporter.js';
import type { SelfMetrics } from '../self-metrics.js';
import type { AdoptionReport, EndedOwner } from '../store/store-types.js';

function who(owner: EndedOwner): string {
  const when = new Date(owner.lastSeenAt).toISOString();
  return `${owner.role} pid ${owner.pid} on ${owner.host} (${owner.clean ? 'stopped' : 'last seen'} ${when})`;
}

export function reportStoreEvents(report: AdoptionReport, metrics: SelfMetrics, diag: DiagReporter): void {
  for (const owner of report.owners) {
    const key = `${owner.host}:${owner.pid}:${owner.startedAt}`;
    if (owner.rows > 0)
      diag.warn(
        `resumed:${key}`,
        `resuming ${owner.rows} row(s) that ${who(owner)} left in the write-ahead queue` +
          (owner.clean ? '' : ' when it crashed or was killed'),
      );
    if (!owner.clean && owner.heldInMemory > 0) {
      metrics.previousRunLost(owner.heldInMemory);
      diag.error(
        `crash-lost:${key}`,
        `${who(owner)} ended without a clean stop while holding about ${owner.heldInMemory} security record(s) ` +
          "in memory only (durability 'memory'); they are lost. Use durability 'disk' to keep them through a crash",
      );
    }
  }
}
