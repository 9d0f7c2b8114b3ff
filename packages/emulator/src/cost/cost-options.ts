// The cost view's options: the price it projects at (none built in: prices are regional and
// change), its currency, and how many recent days the monthly projection averages.

import { ConfigError } from '@otel-sentinel/mapping';

/** The emulator's `cost` option (see the README, "Cost view"). */
export interface CostOptions {
  /**
   * Price per GB (10^9 bytes) ingested, in `currency`, e.g. your region's Pay-As-You-Go
   * analytics-logs price plus Sentinel's. No default: without it the view shows GB only.
   * CLI: `--price-per-gb`. Example: `5.2`.
   */
  readonly pricePerGb?: number;
  /** Currency code shown with the price. Default `USD`. CLI: `--currency`. Example: `'EUR'`. */
  readonly currency?: string;
  /**
   * How many UTC days, ending today, the monthly projection averages (fewer when the data
   * started later). Default 7. Example: `30`.
   */
  readonly days?: number;
}

export interface CostSettings {
  readonly pricePerGb: number | undefined;
  readonly currency: string;
  readonly days: number;
}

const CURRENCY = /^[A-Za-z]{3}$/;

/** The settings of `options`, or a ConfigError naming the field and what to change. */
export function costSettings(options: CostOptions = {}): CostSettings {
  const { pricePerGb, currency = 'USD', days = 7 } = options;
  if (pricePerGb !== undefined && !(Number.isFinite(pricePerGb) && pricePerGb >= 0)) {
    throw new ConfigError(
      'E_COST_CONFIG',
      'cost.pricePerGb',
      `cost.pricePerGb is ${String(pricePerGb)}: give a price per GB of 0 or more, e.g. 5.2`,
    );
  }
  if (!CURRENCY.test(currency)) {
    throw new ConfigError(
      'E_COST_CONFIG',
      'cost.currency',
      `cost.currency is ${JSON.stringify(currency)}: give a three-letter currency code, e.g. EUR`,
    );
  }
  if (!Number.isInteger(days) || days < 1 || days > 366) {
    throw new ConfigError(
      'E_COST_CONFIG',
      'cost.days',
      `cost.days is ${String(days)}: give a whole number of days from 1 to 366`,
    );
  }
  return { pricePerGb, currency: currency.toUpperCase(), days };
}
