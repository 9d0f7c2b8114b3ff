// docs/safety.md is where users look up what a redaction marker means: every kind needs its row,
// with an example whose output shows that kind's marker.
import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { SECRET_KINDS } from '../src/redact.js';

const doc = readFileSync(new URL('../docs/safety.md', import.meta.url), 'utf8');

describe('docs/safety.md', () => {
  it.each(SECRET_KINDS)('has a row for %s with its marker in the example output', (kind) => {
    const row = doc.split('\n').find((line) => line.startsWith(`| \`${kind}\``));
    expect(row).toBeDefined();
    expect(row).toContain(`[REDACTED:${kind}]`);
  });
});
