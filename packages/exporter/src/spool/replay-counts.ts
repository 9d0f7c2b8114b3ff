// What a replay did, counted as it goes and handed out as `ReplayResult` (also when it stops
// with an error, so the caller knows what was already sent).

import type { StreamTarget, UndeliveredReason } from '../row-batch.ts';
import type { AdoptionReport, EndedOwner } from '../store/store-types.ts';
import type {
  RedirectedEntries,
  ReplayResult,
  SpooledBecause,
  StreamReplayCounts,
} from './replay-options.ts';

interface StreamCounts {
  entries: number;
  delivered: number;
  failed: number;
}

export class ReplayCounts {
  files = 0;
  filesSkipped = 0;
  imported = 0;
  takenOver = 0;
  entries = 0;
  delivered = 0;
  failed = 0;
  unsent = 0;
  held = 0;
  skipped = 0;
  malformed = 0;
  malformedFiles: string[] = [];
  batches = 0;
  deliverErrors = 0;
  aborted = false;
  readonly #owners: EndedOwner[] = [];
  readonly #perStream = new Map<string, StreamCounts>();
  readonly #because = new Map<
    string,
    { target: StreamTarget; reason: UndeliveredReason; detail: string | undefined; entries: number }
  >();
  readonly #redirected = new Map<string, { from: StreamTarget; to: StreamTarget; entries: number }>();

  /** A spool entry offered (or that would be): why it had been spooled. */
  spooledBecause(target: StreamTarget, reason: UndeliveredReason, detail: string | null | undefined): void {
    const key = `${targetKey(target)}\n${reason}\n${detail ?? ''}`;
    const seen = this.#because.get(key);
    if (seen === undefined)
      this.#because.set(key, { target, reason, detail: detail ?? undefined, entries: 1 });
    else seen.entries++;
  }

  /** An entry sent (or that would be) to `to` instead of its own target `from`. */
  redirected(from: StreamTarget, to: StreamTarget): void {
    if (from === to) return;
    const key = `${targetKey(from)}\n${targetKey(to)}`;
    const seen = this.#redirected.get(key);
    if (seen === undefined) this.#redirected.set(key, { from, to, entries: 1 });
    else seen.entries++;
  }

  stream(target: StreamTarget): StreamCounts {
    const key = `${target.dcrImmutableId}/${target.stream}`;
    let counts = this.#perStream.get(key);
    if (counts === undefined) {
      counts = { entries: 0, delivered: 0, failed: 0 };
      this.#perStream.set(key, counts);
    }
    return counts;
  }

  /** Owners found ended; their rows count as taken over when `rows` says so. */
  tookOver(report: AdoptionReport): void {
    this.takenOver += report.rows;
    this.#owners.push(...report.owners);
  }

  result(): ReplayResult {
    const perStream: Record<string, StreamReplayCounts> = {};
    for (const [key, counts] of this.#perStream) perStream[key] = { ...counts };
    return {
      files: this.files,
      filesSkipped: this.filesSkipped,
      imported: this.imported,
      takenOver: this.takenOver,
      endedOwners: [...this.#owners],
      lostInMemory: this.#owners.reduce((n, o) => n + (o.clean ? 0 : o.heldInMemory), 0),
      entries: this.entries,
      delivered: this.delivered,
      failed: this.failed,
      unsent: this.unsent,
      held: this.held,
      skipped: this.skipped,
      spooledBecause: [...this.#because.values()]
        .sort((a, b) => b.entries - a.entries)
        .map((b): SpooledBecause =>
          b.detail === undefined
            ? { target: b.target, reason: b.reason, entries: b.entries }
            : { target: b.target, reason: b.reason, detail: b.detail, entries: b.entries },
        ),
      redirected: [...this.#redirected.values()].map((r): RedirectedEntries => ({ ...r })),
      malformed: this.malformed,
      malformedFiles: [...this.malformedFiles],
      batches: this.batches,
      deliverErrors: this.deliverErrors,
      aborted: this.aborted,
      perStream,
    };
  }
}

function targetKey(t: StreamTarget): string {
  return `${t.endpoint}\n${t.dcrImmutableId}\n${t.stream}\n${t.table}`;
}
