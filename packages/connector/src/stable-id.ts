// GUID-shaped ids derived from names, so the same mapping always gives the same files: workbook
// items and the `id` of a parser file, which Azure-Sentinel's solutions write as a GUID.

import { createHash } from 'node:crypto';

/** A stable GUID-shaped id (8-4-4-4-12 hex digits) from the given parts. */
export function stableId(...parts: readonly string[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20, 32)].join(
    '-',
  );
}

/** Whether `text` has a GUID's shape. */
export function isGuid(text: string | undefined): boolean {
  return text !== undefined && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text);
}
