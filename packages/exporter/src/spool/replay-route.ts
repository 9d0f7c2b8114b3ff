// Where replay sends what it selects: an entry whose target matches `from` goes to its own target
// with the fields of `to` in place of its own (after a deployment was fixed). A redirected field
// must have one value among the selected entries, so rows of two streams never silently end up in
// one; the value found is pinned, so entries spooled while replay runs are left alone.

import { OtelSentinelError } from '@otel-sentinel/mapping/errors';
import type { StreamTarget } from '../row-batch.ts';
import { endedOwners, leftQueued, leftSpool, openReader } from '../store/read-store.ts';
import { storePath } from '../store/store-options.ts';
import { spoolConfigError } from './spool-errors.ts';

/** The fields of a target replay can select by and redirect: what a deployment names. */
export interface TargetFields {
  /** Data collection endpoint (or DCR ingestion endpoint). Example: `https://my-dce.westeurope-1.ingest.monitor.azure.com`. */
  readonly endpoint?: string;
  /** Example: `dcr-0123456789abcdef0123456789abcdef`. */
  readonly dcrImmutableId?: string;
  /** Example: `Custom-AppSecurityEvents`. */
  readonly stream?: string;
}

export const ROUTE_FIELDS = ['endpoint', 'dcrImmutableId', 'stream'] as const;
export type RouteField = (typeof ROUTE_FIELDS)[number];

/** A redirected field whose selected entries hold several values; `values` says which, with counts. */
export class ReplayRouteError extends OtelSentinelError {
  declare readonly code: 'E_REPLAY_ROUTE';
  /** The redirected field (`endpoint`, `dcrImmutableId`, `stream`); `option` is `from.<field>`, which resolves it. */
  readonly field: RouteField;
  readonly values: readonly { readonly value: string; readonly entries: number }[];

  constructor(field: RouteField, values: ReadonlyMap<string, number>) {
    const list = [...values].map(([value, entries]) => ({ value, entries }));
    super(
      'E_REPLAY_ROUTE',
      `replay would send entries of ${list.length} different ${field} values (` +
        `${list.map((v) => `${v.value}: ${v.entries}`).join(', ')}) to one ${field}; ` +
        `select one with from.${field} and replay each on its own`,
      { option: `from.${field}` },
    );
    this.field = field;
    this.values = list;
  }
}

export class ReplayRoute {
  readonly from: TargetFields;
  readonly to: TargetFields;
  // The value each redirected field had in the first entry admitted: later ones must have it too.
  readonly #pins: { [F in RouteField]?: string } = {};

  constructor(from: TargetFields = {}, to: TargetFields = {}) {
    this.from = checkFields('from', from);
    this.to = checkFields('to', to);
    if (this.to.endpoint !== undefined && !isHttps(this.to.endpoint))
      throw spoolConfigError('to.endpoint', `must be an https:// URL, got "${this.to.endpoint}"`);
  }

  get redirects(): boolean {
    return ROUTE_FIELDS.some((f) => this.to[f] !== undefined);
  }

  get selects(): boolean {
    return ROUTE_FIELDS.some((f) => this.from[f] !== undefined);
  }

  matches(target: StreamTarget): boolean {
    return ROUTE_FIELDS.every((f) => this.from[f] === undefined || this.from[f] === target[f]);
  }

  /**
   * Where to send an entry, or undefined when the route does not take it: `from` does not match,
   * or a redirected field has another value than the entries admitted before it.
   */
  admit(target: StreamTarget): StreamTarget | undefined {
    if (!this.matches(target)) return undefined;
    for (const f of ROUTE_FIELDS) {
      if (this.to[f] === undefined) continue;
      const pin = this.#pins[f];
      if (pin === undefined) this.#pins[f] = target[f];
      else if (pin !== target[f]) return undefined;
    }
    return this.destination(target);
  }

  /** The target an entry is sent to: its own, with the fields of `to` in place. */
  destination(target: StreamTarget): StreamTarget {
    if (!this.redirects) return target;
    return {
      endpoint: this.to.endpoint ?? target.endpoint,
      dcrImmutableId: this.to.dcrImmutableId ?? target.dcrImmutableId,
      stream: this.to.stream ?? target.stream,
      table: target.table,
    };
  }

  /**
   * The route with each redirected field pinned to the one value the selected entries have.
   * Throws `ReplayRouteError` when they have several.
   */
  pinned(targets: Iterable<StreamTarget>): ReplayRoute {
    if (!this.redirects) return this;
    const seen = new Map<RouteField, Map<string, number>>(ROUTE_FIELDS.map((f) => [f, new Map()]));
    for (const target of targets) {
      if (!this.matches(target)) continue;
      for (const f of ROUTE_FIELDS) {
        const values = seen.get(f);
        values?.set(target[f], (values.get(target[f]) ?? 0) + 1);
      }
    }
    const from: { -readonly [F in RouteField]?: string } = { ...this.from };
    for (const f of ROUTE_FIELDS) {
      const values = seen.get(f);
      if (this.to[f] === undefined || values === undefined) continue;
      if (values.size > 1) throw new ReplayRouteError(f, values);
      const [only] = values.keys();
      if (only !== undefined) from[f] = only;
    }
    return new ReplayRoute(from, this.to);
  }
}

/**
 * The targets replay would send in the store now (spool entries with one of `reasons` and a
 * target, and rows ended processes left queued), read through a read-only connection.
 */
export function storedTargets(
  directory: string,
  prefix: string,
  reasons: ReadonlySet<string>,
): StreamTarget[] {
  const db = openReader(storePath(directory, prefix));
  if (db === undefined) return [];
  try {
    const ended = endedOwners(db);
    const targets: StreamTarget[] = [];
    for (const q of leftQueued(db, ended, false)) targets.push(q.target);
    for (const e of leftSpool(db, ended, false))
      if (reasons.has(e.reason) && hasTarget(e.target)) targets.push(e.target);
    return targets;
  } finally {
    db.close();
  }
}

export function hasTarget(target: StreamTarget): boolean {
  return target.endpoint !== '' && target.dcrImmutableId !== '' && target.stream !== '';
}

function checkFields(name: 'from' | 'to', fields: TargetFields): TargetFields {
  const out: { -readonly [F in RouteField]?: string } = {};
  for (const f of ROUTE_FIELDS) {
    const value: unknown = fields[f];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value.trim() === '')
      throw spoolConfigError(`${name}.${f}`, 'must be a non-empty string');
    out[f] = value.trim();
  }
  return out;
}

function isHttps(url: string): boolean {
  return URL.canParse(url) && new URL(url).protocol === 'https:';
}
