// The cost at a glance: per table, rows and estimated billed bytes per UTC day and a monthly
// projection at the configured price, next to what the operational records the exporters and
// gateways filtered out would have cost in the same workspace: the saving the split is for.

import type { Store } from '../model.js';
import { BILLED_SIZE_RULE, billedColumns } from './billed-size.js';
import type { CostOptions, CostSettings } from './cost-options.js';
import { costSettings } from './cost-options.js';
import type { OperationalReport } from './operational-report.js';
import { readOperationalReport } from './operational-report.js';
import type { OperationalSource } from './operational-volumes.js';
import { OperationalVolumes } from './operational-volumes.js';
import type { ProjectionWindow } from './projection.js';
import { BYTES_PER_GB, dailyAverage, monthlyGb, projectionWindow, utcDay } from './projection.js';

/** Figures that scale to a month; `projectedCostPerMonth` only with a price. */
export interface Projection {
  /** Average over the projection window. */
  readonly gbPerDay: number;
  readonly projectedGbPerMonth: number;
  readonly projectedCostPerMonth?: number;
}

/** One UTC day of a table in the cost view. */
export interface TableCostDay {
  /** `YYYY-MM-DD` (UTC). */
  readonly day: string;
  readonly rows: number;
  /** The estimate of the billed size (src/cost/billed-size.ts), in bytes. */
  readonly billedBytes: number;
}

/** One table in the cost view: totals, per-day averages over the window, and its projection. */
export interface TableCost extends Projection {
  readonly table: string;
  /** Every row stored, whatever its day. */
  readonly rows: number;
  /** The estimated billed bytes of every row stored. */
  readonly billedBytes: number;
  /** Rows per day over the projection window. */
  readonly rowsPerDay: number;
  readonly days: readonly TableCostDay[];
}

/** One source of operational records, with what they would add per month. */
export interface OperationalCost extends OperationalSource, Projection {}

/** What `GET /console/api/cost` answers (see the README, "Cost view"). */
export interface CostSummary {
  /** Always true: Log Analytics publishes no exact byte rule. */
  readonly estimate: true;
  /** How the estimate counts bytes, in one paragraph. */
  readonly rule: string;
  /** The price in use, or null without one. */
  readonly price: { readonly perGb: number; readonly currency: string } | null;
  /** Without a price: how to set one. */
  readonly priceHint?: string;
  /** The UTC days the projections average; null before any data. */
  readonly window: ProjectionWindow | null;
  /** Every stored table, as the store lists them. */
  readonly tables: readonly TableCost[];
  /** Every table together. */
  readonly security: Projection;
  /** Every source that reported operational volume, by name. */
  readonly operational: readonly OperationalCost[];
  /** What the operational records would have added per month; `share` of all it would be. */
  readonly saving: Projection & { readonly share: number };
}

export const PRICE_HINT =
  'No price set, so the view shows GB only: start the emulator with --price-per-gb <price> ' +
  "[--currency EUR] (or the cost.pricePerGb option) with your region's price per GB ingested.";

/** `RunningEmulator.cost`: the cost view's figures, and where operational volume is reported. */
export interface EmulatorCost {
  /** The figures now. */
  summary(): CostSummary;
  /**
   * Takes an exporter's or gateway's self-metrics report (checked field by field: an
   * OperationalReportError names the one that is wrong).
   */
  reportOperational(report: OperationalReport): void;
}

export class CostView implements EmulatorCost {
  private readonly settings: CostSettings;
  private readonly operational = new OperationalVolumes();

  constructor(
    private readonly store: Store,
    options: CostOptions = {},
    private readonly now: () => Date = () => new Date(),
  ) {
    this.settings = costSettings(options);
  }

  /**
   * Takes an exporter's or gateway's self-metrics report (checked field by field: an
   * OperationalReportError names the one that is wrong).
   */
  reportOperational(report: OperationalReport): void {
    this.operational.add(readOperationalReport(report), this.now());
  }

  /** The figures now. */
  summary(): CostSummary {
    const tables = this.store.tableNames().map((table) => {
      const columns = billedColumns(this.store.columns(table) ?? []);
      return { table, days: this.store.volumePerDay(table, columns) };
    });
    const sources = this.operational.list();
    const firstDay = [...tables.flatMap((t) => t.days), ...sources.flatMap((s) => s.days)]
      .map((d) => d.day)
      .sort()[0];
    const window = projectionWindow(utcDay(this.now()), this.settings.days, firstDay);
    const tableCosts = tables.map(({ table, days }) => this.tableCost(table, days, window));
    const operational = sources.map((s) => ({ ...s, ...this.project(dailyAverage(s.days, window)) }));
    const securityBytes = sumOf(tableCosts.map((t) => t.gbPerDay)) * BYTES_PER_GB;
    const savingBytes = sumOf(operational.map((o) => o.gbPerDay)) * BYTES_PER_GB;
    const all = securityBytes + savingBytes;
    const { pricePerGb, currency } = this.settings;
    return {
      estimate: true,
      rule: BILLED_SIZE_RULE,
      price: pricePerGb !== undefined ? { perGb: pricePerGb, currency } : null,
      ...(pricePerGb === undefined ? { priceHint: PRICE_HINT } : {}),
      window: window ?? null,
      tables: tableCosts,
      security: this.project(securityBytes),
      operational,
      saving: { ...this.project(savingBytes), share: all > 0 ? savingBytes / all : 0 },
    };
  }

  private tableCost(
    table: string,
    days: readonly { day: string; rows: number; bytes: number }[],
    window: ProjectionWindow | undefined,
  ): TableCost {
    const rowsInWindow = window
      ? sumOf(days.filter((d) => d.day >= window.from && d.day <= window.to).map((d) => d.rows))
      : 0;
    return {
      table,
      rows: sumOf(days.map((d) => d.rows)),
      billedBytes: sumOf(days.map((d) => d.bytes)),
      rowsPerDay: window ? rowsInWindow / window.days : 0,
      days: days.map((d) => ({ day: d.day, rows: d.rows, billedBytes: d.bytes })),
      ...this.project(dailyAverage(days, window)),
    };
  }

  private project(bytesPerDay: number): Projection {
    const gb = monthlyGb(bytesPerDay);
    const price = this.settings.pricePerGb;
    return {
      gbPerDay: bytesPerDay / BYTES_PER_GB,
      projectedGbPerMonth: gb,
      ...(price !== undefined ? { projectedCostPerMonth: gb * price } : {}),
    };
  }
}

function sumOf(values: readonly number[]): number {
  let n = 0;
  for (const v of values) n += v;
  return n;
}
