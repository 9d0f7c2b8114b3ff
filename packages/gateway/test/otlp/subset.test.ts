// DecodedLogs.subset: the records the gateway forwards upstream, re-encoded as OTLP protobuf.
import { describe, expect, it } from 'vitest';

import { decodeLogsRequest } from '../../src/otlp/index.js';
import type { OtlpFormat } from '../../src/otlp/index.js';
import { concat, decodeToObject, field, jsonBody, protobufBody, varint } from './requests.js';

const scopeAttributes = [{ key: 'scope.tier', value: { stringValue: 'gold' } }];

/** Two resources: the first with two scopes (the second of them empty), the second with one. */
const request = {
  resourceLogs: [
    {
      resource: {
        attributes: [{ key: 'service.name', value: { stringValue: 'a' } }],
        droppedAttributesCount: 2,
      },
      schemaUrl: 'https://opentelemetry.io/schemas/1.30.0',
      scopeLogs: [
        {
          scope: { name: 'auth', version: '1.0.0', attributes: scopeAttributes, droppedAttributesCount: 1 },
          schemaUrl: 'https://example.com/scope',
          logRecords: [
            { timeUnixNano: '1000000000000000001', body: { stringValue: 'r0' }, droppedAttributesCount: 3 },
            { timeUnixNano: '1000000000000000002', body: { stringValue: 'r1' } },
          ],
        },
        { scope: { name: 'empty' }, logRecords: [] },
      ],
    },
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'b' } }] },
      scopeLogs: [
        {
          scope: { name: 'billing' },
          logRecords: [
            { timeUnixNano: '1000000000000000003', body: { intValue: '3' } },
            { timeUnixNano: '1000000000000000004', body: { boolValue: true } },
          ],
        },
      ],
    },
  ],
};

const bodies: Record<OtlpFormat, Uint8Array> = {
  protobuf: protobufBody(request),
  // The object is valid OTLP/JSON as it is: int64s as decimal strings, lowerCamelCase keys.
  json: jsonBody(request),
};

describe.each(['protobuf', 'json'] as const)('subset of a %s request', (format) => {
  it('decodes back to exactly the kept records, in order', () => {
    const decoded = decodeLogsRequest(bodies[format], format);
    const keep = (index: number): boolean => index === 0 || index === 3;
    const subset = decoded.subset(keep);
    expect(subset).toBeInstanceOf(Uint8Array);
    const again = decodeLogsRequest(subset ?? new Uint8Array(), 'protobuf').records;
    expect(again).toStrictEqual(decoded.records.filter((_, index) => keep(index)));
  });

  it('keeps resource and scope grouping, with their schema URLs and counts, and drops empty groups', () => {
    const subset = decodeLogsRequest(bodies[format], format).subset((index) => index !== 1);
    expect(decodeToObject(subset ?? new Uint8Array())).toEqual({
      resourceLogs: [
        {
          resource: request.resourceLogs[0]?.resource,
          schemaUrl: 'https://opentelemetry.io/schemas/1.30.0',
          scopeLogs: [
            {
              scope: {
                name: 'auth',
                version: '1.0.0',
                attributes: scopeAttributes,
                droppedAttributesCount: 1,
              },
              schemaUrl: 'https://example.com/scope',
              logRecords: [
                {
                  timeUnixNano: '1000000000000000001',
                  body: { stringValue: 'r0' },
                  droppedAttributesCount: 3,
                },
              ],
            },
          ],
        },
        {
          resource: request.resourceLogs[1]?.resource,
          scopeLogs: [
            {
              scope: { name: 'billing' },
              logRecords: [
                { timeUnixNano: '1000000000000000003', body: { intValue: '3' } },
                { timeUnixNano: '1000000000000000004', body: { boolValue: true } },
              ],
            },
          ],
        },
      ],
    });
  });

  it('drops a whole resource when none of its records is kept', () => {
    const subset = decodeLogsRequest(bodies[format], format).subset((index) => index >= 2);
    const object = decodeToObject(subset ?? new Uint8Array()) as { resourceLogs: unknown[] };
    expect(object.resourceLogs).toHaveLength(1);
    expect(decodeLogsRequest(subset ?? new Uint8Array(), 'protobuf').records.map((r) => r.body)).toEqual([
      3,
      true,
    ]);
  });

  it('is undefined when no record is kept', () => {
    expect(decodeLogsRequest(bodies[format], format).subset(() => false)).toBeUndefined();
  });

  it('asks about every record index once, in request order', () => {
    const asked: number[] = [];
    decodeLogsRequest(bodies[format], format).subset((index) => {
      asked.push(index);
      return true;
    });
    expect(asked).toEqual([0, 1, 2, 3]);
  });
});

describe('subset of an empty request', () => {
  it('is undefined', () => {
    const decoded = decodeLogsRequest(new Uint8Array(), 'protobuf');
    expect(decoded.records).toEqual([]);
    expect(decoded.subset(() => true)).toBeUndefined();
  });
});

describe('subset of a protobuf request', () => {
  const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');
  /** An unknown varint field and an unknown length-delimited one, as a newer sender might add. */
  const unknown = (n: number): Uint8Array => concat(varint(n * 8), [1], field(n + 1, [7, 7]));
  const record = (text: string): Uint8Array =>
    concat(field(5, field(1, utf8(text))), unknown(900), concat([0x09], new Array<number>(8).fill(1)));

  it('copies the kept records and their groups byte for byte, unknown fields included', () => {
    const [r0, r1, r2] = [record('r0'), record('r1'), record('r2')];
    const scopeHead = concat(field(1, field(1, utf8('auth'))), unknown(800), field(3, utf8('https://s')));
    const resourceFields = concat(unknown(700), field(1, field(2, [0x05])));
    const schemaUrl = field(3, utf8('https://r'));
    const firstScope = field(2, concat(field(2, r0), scopeHead, field(2, r1)));
    const secondScope = field(2, field(2, r2));
    const body = concat(unknown(600), field(1, concat(resourceFields, firstScope, schemaUrl, secondScope)));
    const subset = decodeLogsRequest(body, 'protobuf').subset((index) => index === 1);
    // The request's other fields, then each group's own fields in body order before its children.
    const keptScope = field(2, concat(scopeHead, field(2, r1)));
    const expected = concat(unknown(600), field(1, concat(resourceFields, schemaUrl, keptScope)));
    expect(subset).toStrictEqual(Buffer.from(expected));
  });
});
