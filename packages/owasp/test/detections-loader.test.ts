// loadDetections: what the connector ships under `Analytic Rules/` when a mapping uses the preset.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadDetections } from '../src/index.js';

describe('loadDetections', () => {
  it('returns every rule file of detections/, sorted, with its exact text', () => {
    const dir = new URL('../detections/', import.meta.url);
    const names = readdirSync(dir)
      .filter((f) => f.endsWith('.yaml'))
      .sort();
    const files = loadDetections();
    expect(names.length).toBeGreaterThanOrEqual(10);
    expect(files.map((f) => f.fileName)).toEqual(names);
    for (const f of files) expect(f.content).toBe(readFileSync(new URL(f.fileName, dir), 'utf8'));
  });
});
