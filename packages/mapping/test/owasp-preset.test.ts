// The owasp preset against the contract it serves: every event of the OWASP vocabulary, with the
// attributes the typed helpers of @otel-sentinel/owasp emit (read from their source), must land
// whole: each attribute in its named column, or else in AdditionalFields.
import { describe, expect, it } from 'vitest';
import {
  COMMON_ATTRIBUTES,
  CONTEXT_ATTRIBUTES,
  OWASP_EVENTS,
  resultOf,
  SEVERITY_NUMBER,
} from '../../owasp/src/vocabulary.ts';
import type { OwaspEvent, OwaspLevel, OwaspParam } from '../../owasp/src/vocabulary.ts';
import { compileMapping } from '../src/compile-mapping.js';
import type { CompiledMapping } from '../src/compile-mapping.js';
import type { LogRecordLike } from '../src/log-record.js';
import { DEFAULT_SECURITY_ATTRIBUTE } from '../src/types.js';
import { presetTables } from '../src/presets.js';
import { formatProblem } from '../src/problems.js';
import type { SourceExpr } from '../src/source-expr.js';
import type { ColumnConfig, MappingConfig } from '../src/types.js';
import { validateMapping } from '../src/validate.js';

const ENV = { OTEL_SENTINEL_HASH_KEY: 'test-hash-key-0123456789abcdef0123456789' };

function presetConfig(): MappingConfig {
  const r = validateMapping(
    {
      version: 1,
      extends: 'owasp',
      endpoint: 'https://my-dce.westeurope-1.ingest.monitor.azure.com',
      dcrImmutableId: 'dcr-0123456789abcdef0123456789abcdef',
    },
    { env: ENV },
  );
  if (!r.config) throw new Error(r.problems.map(formatProblem).join('\n'));
  return r.config;
}

const config = presetConfig();
const stream = config.streams[0];
if (stream === undefined) throw new Error('the preset has no stream');
const columns = stream.columns;

/** The attribute keys a source reads one by one (a list reads each, first non-empty wins). */
function attributeKeys(s: SourceExpr): string[] {
  if (s.kind === 'key' && s.bag === 'attributes') return [s.key];
  if (s.kind === 'coalesce') return s.sources.flatMap(attributeKeys);
  return [];
}

/** attribute key → the column that reads it. */
const COLUMN_OF = new Map<string, string>();
for (const c of columns) for (const key of attributeKeys(c.source)) COLUMN_OF.set(key, c.name);

const ASIM_SEVERITY: Readonly<Record<OwaspLevel, string>> = {
  INFO: 'Informational',
  WARN: 'Medium',
  CRITICAL: 'High',
};

/** A value for a parameter that no other parameter or context attribute of the event has. */
function valueFor(event: OwaspEvent, param: OwaspParam, i: number): string | number | string[] {
  switch (param.type) {
    case 'int':
      return 100 + i;
    case 'string[]':
      return [`${param.name}-one`, `${param.name}-two`];
    case 'string':
      return `${event.name}.${param.name}`;
  }
}

/** The attributes a helper emits for `event`: context, the common ones, then the arguments. */
function attributesFor(event: OwaspEvent): Record<string, unknown> {
  const attributes: Record<string, unknown> = {
    [CONTEXT_ATTRIBUTES.clientAddress]: '203.0.113.7',
    [CONTEXT_ATTRIBUTES.userAgent]: 'Mozilla/5.0 (X11; Linux x86_64)',
    [CONTEXT_ATTRIBUTES.method]: 'POST',
    [CONTEXT_ATTRIBUTES.path]: '/api/login',
    [CONTEXT_ATTRIBUTES.host]: 'shop.example.com',
    [CONTEXT_ATTRIBUTES.correlationId]: '7f3c1d2e-5b6a-4c8d-9e0f-1a2b3c4d5e6f',
    [CONTEXT_ATTRIBUTES.userId]: 'context-user',
    [CONTEXT_ATTRIBUTES.sessionHash]: 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3a94a8fe5ccb19ba61c4c0873',
    [DEFAULT_SECURITY_ATTRIBUTE]: true,
    [COMMON_ATTRIBUTES.level]: event.level,
    [COMMON_ATTRIBUTES.category]: event.category,
    [COMMON_ATTRIBUTES.result]: resultOf(event),
  };
  event.params.forEach((param, i) => {
    attributes[param.attribute] = valueFor(event, param, i);
  });
  return attributes;
}

function recordFor(event: OwaspEvent): LogRecordLike {
  return {
    hrTime: [1_767_225_600, 0],
    severityText: event.level,
    severityNumber: SEVERITY_NUMBER[event.level],
    eventName: event.name,
    body: event.description,
    attributes: attributesFor(event),
    resource: { attributes: { 'service.name': 'shop', 'host.name': 'web-1' } },
  };
}

function mapped(m: CompiledMapping, r: LogRecordLike): Record<string, unknown> {
  const o = m.map(r);
  if (o.status !== 'mapped') throw new Error(`${String(r.eventName)}: ${o.status}`);
  return o.row;
}

function additionalFields(row: Record<string, unknown>): Record<string, unknown> {
  const extra = row.AdditionalFields;
  return typeof extra === 'object' && extra !== null ? (extra as Record<string, unknown>) : {};
}

describe('the owasp preset', () => {
  it('validates with no problem at all once endpoint and DCR id are given', () => {
    const r = validateMapping(
      {
        version: 1,
        extends: 'owasp',
        endpoint: 'https://my-dce.westeurope-1.ingest.monitor.azure.com',
        dcrImmutableId: 'dcr-0123456789abcdef0123456789abcdef',
      },
      { env: {} },
    );
    expect(r.problems.map(formatProblem)).toEqual([]);
  });

  it('has one catch-all stream with exactly the columns detections are written against', () => {
    expect(config.streams).toHaveLength(1);
    expect(stream.stream).toBe('Custom-OwaspSecurityEvents');
    expect(stream.table).toBe('OwaspSecurityEvents_CL');
    expect(stream.match).toBeUndefined();
    expect(columns.map((c) => `${c.name}: ${c.type} ← ${c.sourceText}`)).toEqual([
      'TimeGenerated: datetime ← timestamp',
      'EventOriginalType: string ← eventName',
      "OwaspCategory: string ← attributes['owasp.category']",
      'EventSeverity: string ← severityText',
      'EventOriginalSeverity: string ← severityText',
      "EventResult: string ← attributes['owasp.result']",
      "EventResultDetails: string ← attributes['owasp.reason']",
      'EventMessage: string ← body',
      "ActorUserId: string ← attributes['user.id']",
      "TargetUserId: string ← attributes['owasp.target_user_id']",
      "SrcIpAddr: string ← attributes['client.address']",
      "HttpUserAgent: string ← attributes['user_agent.original']",
      "HttpRequestMethod: string ← attributes['http.request.method']",
      "Url: string ← attributes['url.path']",
      "HttpReferrer: string ← attributes['http.request.header.referer']",
      "SrcGeoCountry: string ← attributes['geo.country.iso_code']",
      "DvcHostname: string ← attributes['server.address'] ?? resource['host.name']",
      "TargetAppName: string ← resource['service.name']",
      "CorrelationId: string ← attributes['correlation.id']",
      'TraceId: string ← traceId',
      "SessionHash: string ← attributes['owasp.session_hash']",
      "Object: string ← attributes['owasp.object'] ?? attributes['owasp.resource'] ?? attributes['file.name'] ?? attributes['owasp.file_id'] ?? attributes['owasp.app_id']",
      "OldValue: string ← attributes['owasp.from_role'] ?? attributes['owasp.from_level'] ?? attributes['owasp.from_region']",
      "NewValue: string ← attributes['owasp.to_role'] ?? attributes['owasp.to_level'] ?? attributes['owasp.to_region']",
      "TokenId: string ← attributes['owasp.token_id']",
      "ThreatName: string ← attributes['owasp.tool_name']",
      "RuleName: string ← attributes['security_rule.name']",
      "Limit: int ← attributes['owasp.max'] ?? attributes['owasp.max_limit']",
      "Retries: int ← attributes['owasp.retries']",
      "HttpStatusCode: int ← attributes['http.response.status_code']",
      'AdditionalFields: dynamic ← attributes',
      'RowId: string ← rowId',
    ]);
    expect(columns.filter((c) => c.required).map((c) => c.name)).toEqual(['EventOriginalType']);
  });

  it('names its table to other packages from the preset file itself', () => {
    expect(presetTables('owasp')).toEqual(['OwaspSecurityEvents_CL']);
  });

  it('maps the OWASP level to the ASIM severity, and hashes nothing', () => {
    const severity = columns.find((c) => c.name === 'EventSeverity');
    expect(severity?.transforms).toEqual([
      { kind: 'lookup', map: { INFO: 'Informational', WARN: 'Medium', CRITICAL: 'High' } },
    ]);
    const transformed = columns.filter((c: ColumnConfig) => c.transforms.length > 0).map((c) => c.name);
    expect(transformed).toEqual(['EventSeverity']);
  });

  it('leaves out of AdditionalFields exactly the attributes that have a column, security.event and log.record.uid', () => {
    const extra = columns.find((c) => c.name === 'AdditionalFields');
    expect(new Set(extra?.exclude)).toEqual(
      new Set([...COLUMN_OF.keys(), DEFAULT_SECURITY_ATTRIBUTE, 'log.record.uid']),
    );
  });

  it("gives every row a RowId: the same for two copies of a record, the record's own log.record.uid when it has one", () => {
    const m = compileMapping(config, { env: ENV });
    const [first, second] = OWASP_EVENTS;
    if (first === undefined || second === undefined) throw new Error('no events');
    const id = mapped(m, recordFor(first)).RowId;
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(mapped(m, recordFor(first)).RowId).toBe(id);
    expect(mapped(m, recordFor(second)).RowId).not.toBe(id);
    const own = recordFor(first);
    const withUid = {
      ...own,
      attributes: { ...own.attributes, 'log.record.uid': '01JDQ8Z4W5N2Y3K6V7B8C9D0EF' },
    };
    const row = mapped(m, withUid);
    expect(row.RowId).toBe('01JDQ8Z4W5N2Y3K6V7B8C9D0EF');
    expect(additionalFields(row)).not.toHaveProperty(['log.record.uid']);
  });

  it('covers the 57 events of the vocabulary', () => {
    expect(OWASP_EVENTS).toHaveLength(57);
  });

  describe.each(OWASP_EVENTS.map((e) => [e.name, e] as const))('%s', (_name, event) => {
    const m = compileMapping(config, { env: ENV });
    const r = recordFor(event);
    const row = mapped(m, r);
    const extra = additionalFields(row);

    it('lands in the table, neither rejected nor unrouted, with no value refused by its column', () => {
      const s = m.stats();
      expect(s).toMatchObject({ rows: 1, rejected: 0, unrouted: 0, skipped: 0 });
      for (const [column, reasons] of Object.entries(s.nulls))
        expect(Object.keys(reasons), column).toEqual(['missing']);
    });

    it('puts every parameter in its named column, or else in AdditionalFields', () => {
      event.params.forEach((param, i) => {
        const value = valueFor(event, param, i);
        const column = COLUMN_OF.get(param.attribute);
        if (column === undefined) expect(extra[param.attribute], param.attribute).toEqual(value);
        else {
          expect(row[column], `${param.attribute} → ${column}`).toEqual(value);
          expect(extra).not.toHaveProperty([param.attribute]);
        }
      });
    });

    it('keeps every other attribute it carries, and never security.event', () => {
      for (const [key, value] of Object.entries(r.attributes)) {
        if (key === DEFAULT_SECURITY_ATTRIBUTE) continue;
        const column = COLUMN_OF.get(key);
        if (column === undefined) expect(extra[key], key).toEqual(value);
        else expect(row[column], `${key} → ${column}`).toEqual(value);
      }
      expect(extra).not.toHaveProperty([DEFAULT_SECURITY_ATTRIBUTE]);
    });

    it('fills the record fields: name, severity, message, time, application and host', () => {
      expect(row).toMatchObject({
        TimeGenerated: '2026-01-01T00:00:00.0000000Z',
        EventOriginalType: event.name,
        EventSeverity: ASIM_SEVERITY[event.level],
        EventOriginalSeverity: event.level,
        EventResult: resultOf(event),
        EventMessage: event.description,
        TargetAppName: 'shop',
        DvcHostname: 'shop.example.com',
      });
    });
  });

  it('takes the host name from the resource when the request names no server', () => {
    const m = compileMapping(config, { env: ENV });
    const event = OWASP_EVENTS[0];
    if (event === undefined) throw new Error('no events');
    const r = recordFor(event);
    const attributes = Object.fromEntries(
      Object.entries(r.attributes).filter(([key]) => key !== CONTEXT_ATTRIBUTES.host),
    );
    expect(mapped(m, { ...r, attributes }).DvcHostname).toBe('web-1');
  });

  it("puts the trace id of the record's span in TraceId, and leaves the column out without a span", () => {
    const m = compileMapping(config, { env: ENV });
    const event = OWASP_EVENTS[0];
    if (event === undefined) throw new Error('no events');
    const spanContext = {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: 1,
    };
    expect(mapped(m, { ...recordFor(event), spanContext }).TraceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(mapped(m, recordFor(event))).not.toHaveProperty('TraceId');
  });

  it('rejects a record without an event name, the one required column', () => {
    const m = compileMapping(config, { env: ENV });
    const event = OWASP_EVENTS[0];
    if (event === undefined) throw new Error('no events');
    const unnamed: LogRecordLike = { ...recordFor(event), eventName: undefined };
    expect(m.map(unnamed)).toMatchObject({
      status: 'rejected',
      reason: { code: 'E_REQUIRED_MISSING', column: 'EventOriginalType' },
    });
  });
});
