// Remembers values that a string column passed through unchanged, so a value that repeats from
// record to record (a user agent, an event name, a host name) costs one lookup instead of
// redaction, sanitising and the size check. Only unchanged values are remembered, so every
// redaction, escape and truncation is still made and counted.

/** Values remembered at most; the memo starts over when full. */
const CAPACITY = 32;
/** Longer values are not remembered: they rarely repeat and would make lookups cost more. */
const MAX_LENGTH = 256;
/** Lookups per verdict on whether the memo pays for itself. */
const WINDOW = 256;
/** Below one hit in this many lookups, the memo rests … */
const MIN_HIT_RATIO = 8;
/** … for this many values, then tries again (the column's values may have changed). */
const REST = 16_384;

export class CleanMemo {
  private readonly seen = new Set<string>();
  private lookups = 0;
  private hits = 0;
  private resting = 0;

  /** Whether `s` came out of the column unchanged before. */
  has(s: string): boolean {
    if (this.resting > 0) {
      this.resting--;
      return false;
    }
    if (this.seen.has(s)) {
      this.hits++;
      this.lookups++;
      return true;
    }
    if (++this.lookups >= WINDOW) {
      // A column of values that hardly repeat (messages, ids) pays for lookups and inserts only.
      if (this.hits * MIN_HIT_RATIO < this.lookups) {
        this.resting = REST;
        this.seen.clear();
      }
      this.lookups = 0;
      this.hits = 0;
    }
    return false;
  }

  /** Remembers `s`, which came out of the column unchanged. */
  add(s: string): void {
    if (this.resting > 0 || s.length > MAX_LENGTH) return;
    if (this.seen.size >= CAPACITY) this.seen.clear();
    this.seen.add(s);
  }
}
