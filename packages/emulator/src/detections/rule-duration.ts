// Durations in analytic rules: the template YAML's `5m`, `1h`, `1d` (Azure-Sentinel's rule
// files) and ARM's ISO 8601 `PT5M`, `PT1H`, `P1D`, both as milliseconds.

import { parseDuration } from '../query/timespan.js';

const TEMPLATE = /^(\d+)([smhd])$/i;
const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const TICKS_PER_MS = 10_000n;

/** Milliseconds of `5m` / `1h` / `2d` / `PT5M` / `P1D`, or undefined when `text` is neither. */
export function durationMs(text: string): number | undefined {
  const trimmed = text.trim();
  const template = TEMPLATE.exec(trimmed);
  if (template !== null) {
    const [, amount = '', unit = ''] = template;
    return Number(amount) * (UNIT_MS[unit.toLowerCase()] ?? 0);
  }
  const ticks = parseDuration(trimmed);
  return ticks === undefined ? undefined : Number(ticks / TICKS_PER_MS);
}

/** `PT1H`, `P1D`, `PT20S`, `P1DT2H`: milliseconds as an ISO 8601 duration (whole seconds). */
export function isoDuration(ms: number): string {
  let seconds = Math.round(ms / 1000);
  const days = Math.floor(seconds / 86_400);
  seconds -= days * 86_400;
  const hours = Math.floor(seconds / 3600);
  seconds -= hours * 3600;
  const minutes = Math.floor(seconds / 60);
  seconds -= minutes * 60;
  const time = `${hours > 0 ? `${hours}H` : ''}${minutes > 0 ? `${minutes}M` : ''}${seconds > 0 ? `${seconds}S` : ''}`;
  if (days === 0 && time === '') return 'PT0S';
  return `P${days > 0 ? `${days}D` : ''}${time !== '' ? `T${time}` : ''}`;
}
