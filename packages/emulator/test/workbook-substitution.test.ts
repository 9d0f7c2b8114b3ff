// Parameter substitution in workbook queries and texts, as Microsoft documents it
// (Application-Insights-Workbooks Documentation/Parameters/Time.md and DropDown.md; Learn
// "Workbook time parameters"), and as the connector's generated workbooks use it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { workbookItems } from '../console/src/workbook/items.js';
import type { DropdownParameter, ParameterDef } from '../console/src/workbook/parameter-model.js';
import { initialValue, selectionOf, type ParameterValue } from '../console/src/workbook/parameter-values.js';
import { substitute } from '../console/src/workbook/substitute.js';
import { isoDuration, timeGrain, timeRangeLabel } from '../console/src/workbook/time-range.js';

const NOW = new Date('2026-12-08T12:00:00.000Z');
const DAY = 86_400_000;
const GOLDEN_WORKBOOK = join(
  import.meta.dirname,
  '../../connector/test/fixtures/golden/app-security/Solutions/ContosoAudit/Workbooks/ContosoAuditAppAuthEvents.json',
);

function values(
  entries: Record<string, ParameterValue | undefined>,
): Map<string, ParameterValue | undefined> {
  return new Map(Object.entries(entries));
}

function dropdown(overrides: Partial<DropdownParameter> = {}): DropdownParameter {
  return {
    kind: 'dropdown',
    name: 'P',
    label: 'P',
    multiSelect: false,
    quote: "'",
    delimiter: ', ',
    offersAll: false,
    options: [
      { value: 'a', label: 'Alpha', selected: false },
      { value: 'b', label: 'Beta', selected: false },
      { value: 'c', label: 'Gamma', selected: false },
    ],
    initial: [],
    ...overrides,
  };
}

const LAST_DAY: ParameterValue = { kind: 'time', durationMs: DAY };

describe('a time range parameter', () => {
  it('writes {TimeRange} in a query as the filter Microsoft documents: > ago(1d)', () => {
    const out = substitute(
      'requests | where timestamp {TimeRange}',
      values({ TimeRange: LAST_DAY }),
      'query',
      NOW,
    );
    expect(out).toEqual({ text: 'requests | where timestamp > ago(1d)', unresolved: [] });
  });

  it('writes {TimeRange} in a text as its label, and {TimeRange:label} anywhere', () => {
    const text = 'The chosen time range is {TimeRange}; {TimeRange:label}';
    expect(substitute(text, values({ TimeRange: LAST_DAY }), 'text', NOW).text).toBe(
      'The chosen time range is Last 24 hours; Last 24 hours',
    );
  });

  it('writes {TimeRange:value} and {TimeRange:query} as > ago(1d)', () => {
    const out = substitute(
      '{TimeRange:value} {TimeRange:query}',
      values({ TimeRange: LAST_DAY }),
      'query',
      NOW,
    );
    expect(out.text).toBe('> ago(1d) > ago(1d)');
  });

  it("runs Microsoft's make-series example: start and end as datetimes, the grain of 24 hours as 30m", () => {
    const query =
      'requests\n| make-series Requests = count() default = 0 on timestamp from {TimeRange:start} to {TimeRange:end} step {TimeRange:grain}';
    expect(substitute(query, values({ TimeRange: LAST_DAY }), 'query', NOW).text).toBe(
      'requests\n| make-series Requests = count() default = 0 on timestamp from datetime(2026-12-07T12:00:00.000Z) ' +
        'to datetime(2026-12-08T12:00:00.000Z) step 30m',
    );
  });

  it('names ranges as the picker does', () => {
    expect(
      [300_000, 3_600_000, 4 * 3_600_000, DAY, 2 * DAY, 3 * DAY, 7 * DAY, 30 * DAY].map(timeRangeLabel),
    ).toEqual([
      'Last 5 minutes',
      'Last hour',
      'Last 4 hours',
      'Last 24 hours',
      'Last 48 hours',
      'Last 3 days',
      'Last 7 days',
      'Last 30 days',
    ]);
  });

  it('bins at most 48 times per range and gives the query API an ISO 8601 timespan', () => {
    expect([3_600_000, DAY, 7 * DAY, 30 * DAY].map(timeGrain)).toEqual(['5m', '30m', '6h', '1d']);
    expect([300_000, 4 * 3_600_000, 7 * DAY].map(isoDuration)).toEqual(['PT5M', 'PT4H', 'P7D']);
  });
});

describe('a drop-down parameter', () => {
  it("writes a single value as it is, as in Microsoft's where name == '{RequestName}'", () => {
    const def = dropdown({
      name: 'RequestName',
      options: [{ value: 'GET Home/Index', label: 'GET Home/Index', selected: true }],
    });
    const out = substitute(
      "requests | where name == '{RequestName}'",
      values({ RequestName: initialValue(def) }),
      'query',
      NOW,
    );
    expect(out.text).toBe("requests | where name == 'GET Home/Index'");
  });

  it("quotes and joins several values, by default as 'a', 'b', 'c'", () => {
    const value = selectionOf(dropdown({ multiSelect: true }), dropdown().options, ['a', 'b', 'c']);
    expect(substitute('x in ({P})', values({ P: value }), 'query', NOW).text).toBe("x in ('a', 'b', 'c')");
  });

  it('uses the quote and delimiter the parameter sets', () => {
    const def = dropdown({ multiSelect: true, quote: '"', delimiter: '|' });
    expect(
      substitute('{P}', values({ P: selectionOf(def, def.options, ['a', 'c']) }), 'query', NOW).text,
    ).toBe('"a"|"c"');
  });

  it("writes All as the quoted selectAllValue, so '*' in ({P}) holds", () => {
    const def = dropdown({ multiSelect: true, offersAll: true, selectAllValue: '*' });
    const out = substitute(
      "'*' in ({P}) or x in ({P})",
      values({ P: selectionOf(def, def.options, ['value::all']) }),
      'query',
      NOW,
    );
    expect(out.text).toBe("'*' in ('*') or x in ('*')");
  });

  it('writes All as every value when there is no selectAllValue', () => {
    const def = dropdown({ multiSelect: true, offersAll: true });
    expect(
      substitute('{P}', values({ P: selectionOf(def, def.options, ['value::all']) }), 'query', NOW).text,
    ).toBe("'a', 'b', 'c'");
  });

  it('writes {P:label} as the chosen labels and {P:value} as {P}', () => {
    const def = dropdown({ multiSelect: true });
    const p = selectionOf(def, def.options, ['a', 'b']);
    expect(substitute('{P:label} / {P:value}', values({ P: p }), 'text', NOW).text).toBe(
      "Alpha, Beta / 'a', 'b'",
    );
  });

  it('writes nothing for an empty selection, and takes the options marked selected when none is saved', () => {
    expect(substitute('[{P}]', values({ P: selectionOf(dropdown(), [], []) }), 'query', NOW).text).toBe('[]');
    const marked = dropdown({
      options: [
        { value: 'x', label: 'x', selected: false },
        { value: 'y', label: 'y', selected: true },
      ],
    });
    expect(substitute('{P}', values({ P: initialValue(marked) }), 'query', NOW).text).toBe('y');
  });
});

describe('substitute', () => {
  it("leaves braces that are not a parameter's alone: KQL has its own", () => {
    const query = 'print d = dynamic({"a": 1}), s = "{NotAParameter}", e = "{}"';
    expect(substitute(query, values({ TimeRange: LAST_DAY }), 'query', NOW)).toEqual({
      text: query,
      unresolved: [],
    });
  });

  it('reports a format it does not know, and a parameter without a value, leaving them as written', () => {
    const out = substitute(
      '{TimeRange:weird} {Empty}',
      values({ TimeRange: LAST_DAY, Empty: undefined }),
      'query',
      NOW,
    );
    expect(out).toEqual({ text: '{TimeRange:weird} {Empty}', unresolved: ['TimeRange:weird', 'Empty'] });
  });

  it("writes the connector's generated workbook query with its saved parameter values", () => {
    const items = workbookItems(JSON.parse(readFileSync(GOLDEN_WORKBOOK, 'utf8')));
    const defs: ParameterDef[] = items.flatMap((i) => (i.kind === 'parameters' ? [...i.parameters] : []));
    const state = new Map(defs.map((d) => [d.name, initialValue(d)]));
    const query = items.find((i) => i.kind === 'query');
    expect(query?.kind).toBe('query');
    if (query?.kind !== 'query') return;
    expect(substitute(query.query, state, 'query', NOW)).toEqual({
      text:
        'AppAuthEvents_CL\n| where TimeGenerated > ago(7d)\n' +
        "| where '*' in ('*') or EventName in ('*')\n" +
        '| summarize Events = count() by bin(TimeGenerated, 6h), EventName',
      unresolved: [],
    });
  });
});
