import { describe, expect, it } from 'vitest';
import { compileMapping } from '../src/compile-mapping.js';
import { parseMapping } from '../src/load-mapping.js';
import type { LogRecordLike } from '../src/log-record.js';
import { formatProblem } from '../src/problems.js';
import { ENV, HEAD } from './helpers.js';

/** 1_700_000_000 s after the epoch, as the implicit TimeGenerated column writes it. */
const TG = '2023-11-14T22:13:20.0000000Z';

/** Two streams routed by event name, for records that carry it only as an attribute. */
function mapping(eventNameFrom: string): string {
  return `${HEAD}eventNameFrom: ${eventNameFrom}
streams:
  - stream: Custom-Auth
    table: Auth_CL
    match: { eventName: "authn_*" }
    columns:
      EventName: eventName
      Who: "attributes['user.id']"
  - stream: Custom-Other
    table: Other_CL
    columns:
      EventName: { from: [eventName, { const: unnamed }] }
`;
}

function compile(text: string) {
  const r = parseMapping(text, { fileName: 'm.yaml', env: ENV });
  if (!r.config) throw new Error(r.problems.map(formatProblem).join('\n'));
  return compileMapping(r.config, { env: ENV });
}

function bridged(attributes: Record<string, unknown>, extra: Partial<LogRecordLike> = {}): LogRecordLike {
  return {
    hrTime: [1_700_000_000, 0],
    severityText: 'warn',
    ...extra,
    attributes: { 'security.event': true, ...attributes },
  };
}

function outcome(m: ReturnType<typeof compile>, r: LogRecordLike): [string, unknown] {
  const o = m.map(r);
  return o.status === 'mapped' ? [o.stream.stream, o.row] : [o.status, undefined];
}

describe('eventNameFrom', () => {
  const m = compile(mapping(`"attributes['event']"`));

  it('routes a bridged record by the named attribute and fills eventName columns from it', () => {
    expect(outcome(m, bridged({ event: 'authn_login_fail', 'user.id': 'joebob1' }))).toEqual([
      'Custom-Auth',
      { TimeGenerated: TG, EventName: 'authn_login_fail', Who: 'joebob1' },
    ]);
  });

  it("keeps a record's own eventName over the named attribute", () => {
    expect(outcome(m, bridged({ event: 'authn_login_fail' }, { eventName: 'admin_user_delete' }))).toEqual([
      'Custom-Other',
      { TimeGenerated: TG, EventName: 'admin_user_delete' },
    ]);
  });

  it('gives no event name when the attribute is missing, empty or not a string', () => {
    for (const event of [undefined, '', 42, true, { name: 'authn_x' }])
      expect(outcome(m, bridged(event === undefined ? {} : { event }))).toEqual([
        'Custom-Other',
        { TimeGenerated: TG, EventName: 'unnamed' },
      ]);
  });

  it('takes the first non-empty of a list of sources, body keys included', () => {
    const list = compile(mapping(`["attributes['event.name']", "body['event']"]`));
    expect(outcome(list, bridged({}, { body: { event: 'authn_token_reuse' } }))[1]).toEqual({
      TimeGenerated: TG,
      EventName: 'authn_token_reuse',
    });
    expect(outcome(list, bridged({ 'event.name': 'authn_a' }, { body: { event: 'authn_b' } }))[1]).toEqual({
      TimeGenerated: TG,
      EventName: 'authn_a',
    });
  });

  it('changes nothing for mappings without it: bridged records have no event name', () => {
    const plain = compile(mapping(`"attributes['event']"`).replace(/^eventNameFrom: .*\n/m, ''));
    expect(outcome(plain, bridged({ event: 'authn_login_fail' }))).toEqual([
      'Custom-Other',
      { TimeGenerated: TG, EventName: 'unnamed' },
    ]);
  });

  it.each([
    ['eventName itself', 'eventName', 'E_EVENT_NAME_SOURCE', 'eventName is what eventNameFrom derives'],
    ['a whole bag', 'attributes', 'E_EVENT_NAME_SOURCE', "pick one key, e.g. attributes['event']"],
    ['rowId', '[rowId]', 'E_SOURCE_SYNTAX', 'rowId cannot be part of a list'],
    ['a dotted key', 'attributes.event', 'E_UNKNOWN_SOURCE', "did you mean attributes['event']?"],
    ['a number', '42', 'E_INVALID_VALUE', '"eventNameFrom" must be a source string'],
  ])('rejects %s at its file:line:col', (_what, value, code, words) => {
    const problems = parseMapping(mapping(value), { fileName: 'm.yaml', env: ENV }).problems.filter(
      (p) => p.severity === 'error',
    );
    expect(problems.map((p) => [p.code, p.path, `${p.file}:${p.line}:${p.column}`])).toEqual([
      [code, 'eventNameFrom', 'm.yaml:4:16'],
    ]);
    expect(problems[0]?.message).toContain(words);
  });
});
