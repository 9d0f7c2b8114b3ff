// The Sentinel analytic rules shipped in this package's `detections/` folder, as the connector
// takes them: file name and exact text. Read from the installed package, so they always match
// the vocabulary and the `owasp` preset of the same version.

import { readdirSync, readFileSync } from 'node:fs';

const DETECTIONS = new URL('../detections/', import.meta.url);

export interface DetectionFile {
  /** e.g. `brute-force-by-user.yaml`. */
  readonly fileName: string;
  readonly content: string;
}

/** Every rule template, sorted by file name. */
export function loadDetections(): DetectionFile[] {
  return readdirSync(DETECTIONS)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((fileName) => ({ fileName, content: readFileSync(new URL(fileName, DETECTIONS), 'utf8') }));
}
