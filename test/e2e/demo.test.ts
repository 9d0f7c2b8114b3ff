// `pnpm demo` (after the build) prints a row per security record and nothing for the rest.
import { describe, expect, it } from 'vitest';
import { node, ROOT } from './cli.js';

describe('the demo', () => {
  it('prints the rows of the six security records, redacted, and a summary', () => {
    const r = node(`${ROOT}scripts/demo.mjs`);
    expect(r.status).toBe(0);
    expect(r.stdout.match(/"stream": "Custom-/g)).toHaveLength(6);
    expect(r.stdout).not.toContain('eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9');
    expect(r.stdout).toContain('[REDACTED');
    expect(r.stderr).toMatch(/skipped \(not security\)\s+3\b/);
    expect(r.stderr).toMatch(/rows written\s+6\b/);
  });
});
