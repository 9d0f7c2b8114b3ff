// Which columns the billed-size estimate counts. Log Analytics bills a row by "a string
// representation of the properties", leaving out Type and the underscore columns below (Learn,
// manage-cost-storage); it publishes no byte rule, so the emulator's figure is an estimate.

import type { ColumnDef } from '../model.js';

/**
 * Left out of the estimate: the columns Learn names, and `_TimeReceived`, which the emulator's
 * store adds to every row for its own use (the row as sent does not carry it).
 */
export const NOT_BILLED: ReadonlySet<string> = new Set([
  'Type',
  '_ResourceId',
  '_SubscriptionId',
  '_ItemId',
  '_IsBillable',
  '_BilledSize',
  '_TimeReceived',
]);

/** The columns of `columns` that count toward a row's billed size. */
export function billedColumns(columns: readonly ColumnDef[]): string[] {
  return columns.filter((c) => !NOT_BILLED.has(c.name)).map((c) => c.name);
}

/** The one-line rule the cost view shows next to its figures. */
export const BILLED_SIZE_RULE =
  'Estimate: the UTF-8 bytes of each value as text (datetimes as 2025-03-04T05:06:07.8910000Z, ' +
  'booleans as true/false, numbers as their digits, dynamic as compact JSON, null as nothing), ' +
  'leaving out Type, _ResourceId, _SubscriptionId, _ItemId, _IsBillable, _BilledSize and ' +
  '_TimeReceived. Log Analytics publishes no exact byte rule, so real bills differ; GB are 10^9 bytes.';
