// Which JSON files belong to a solution's Workbooks/ folder: read by the workbook list, left out
// of the catalog (they hold no DCR or table, and a broken one must not stop the start-up).

import { basename, relative, sep } from 'node:path';

/**
 * Whether `folder`, found while searching the definitions path `root`, is (or is inside) a folder
 * named Workbooks: `root` itself counts, the folders above it do not.
 */
export function isWorkbooksFolder(root: string, folder: string): boolean {
  const below = relative(root, folder);
  const segments = [basename(root), ...(below === '' ? [] : below.split(sep))];
  return segments.some((segment) => segment.toLowerCase() === 'workbooks');
}
