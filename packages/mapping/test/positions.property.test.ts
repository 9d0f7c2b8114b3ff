// Property: wherever a mistake sits in a generated mapping, YAML or JSON, the problem points at
// the line and column of the text that is wrong.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMapping } from '../src/load-mapping.js';
import { RESERVED_COLUMN_NAMES } from '../src/azure-limits.js';
import { ENV, HEAD } from './helpers.js';

const SOURCES = [
  'eventName',
  'body',
  'severityText',
  "attributes['user.id']",
  "resource['service.name']",
  'traceId',
];
const RESERVED = new Set(RESERVED_COLUMN_NAMES.map((n) => n.toLowerCase()));
const name = fc.stringMatching(/^[A-Z][A-Za-z0-9_]{1,20}$/).filter((n) => !RESERVED.has(n.toLowerCase()));
const columns = fc.uniqueArray(fc.tuple(name, fc.constantFrom(...SOURCES)), {
  minLength: 1,
  maxLength: 12,
  selector: ([n]) => n.toLowerCase(),
});

function position(text: string, needle: string): { line: number; column: number } {
  const at = text.indexOf(needle);
  const before = text.slice(0, at).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

describe('problem positions', () => {
  it('point at a misspelt key in any column of a YAML mapping', () => {
    fc.assert(
      fc.property(columns, fc.nat(), (cols, pick) => {
        const bad = pick % cols.length;
        const lines = cols.map(([n, src], i) =>
          i === bad ? `      ${n}: { from: "${src}", tpye: string }` : `      ${n}: { from: "${src}" }`,
        );
        const text = `${HEAD}streams:\n  - stream: Custom-A\n    table: A_CL\n    columns:\n${lines.join('\n')}\n`;
        const errors = parseMapping(text, { env: ENV }).problems.filter((p) => p.severity === 'error');
        expect(errors).toHaveLength(1);
        expect(errors[0]).toMatchObject({ code: 'E_UNKNOWN_KEY', ...position(text, 'tpye') });
      }),
    );
  });

  it('point at a source that does not exist in any column of a JSON mapping', () => {
    fc.assert(
      fc.property(columns, fc.nat(), (cols, pick) => {
        const bad = pick % cols.length;
        const doc = {
          version: 1,
          endpoint: ENV.SENTINEL_DCE_ENDPOINT,
          dcrImmutableId: ENV.SENTINEL_DCR_IMMUTABLE_ID,
          streams: [
            {
              stream: 'Custom-A',
              table: 'A_CL',
              columns: Object.fromEntries(
                cols.map(([n, src], i) => [n, { from: i === bad ? 'no.such.source' : src }]),
              ),
            },
          ],
        };
        const text = JSON.stringify(doc, null, 2);
        const errors = parseMapping(text, { env: ENV }).problems.filter((p) => p.severity === 'error');
        expect(errors).toHaveLength(1);
        expect(errors[0]).toMatchObject({ code: 'E_UNKNOWN_SOURCE', ...position(text, '"no.such.source"') });
      }),
    );
  });
});
