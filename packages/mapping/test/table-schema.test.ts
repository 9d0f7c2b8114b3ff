import { describe, expect, it } from 'vitest';
import { compileMapping } from '../src/compile-mapping.js';
import { parseMapping } from '../src/load-mapping.js';
import { streamDeclaration, tableSchema } from '../src/table-schema.js';
import { ENV, oneStream } from './helpers.js';

const TEXT = oneStream(`      EventName: { from: eventName, description: OWASP event name }
      RequestId: { from: "attributes['request.id']", type: guid }
      Port: { from: "attributes['server.port']" }
      Bag: { from: attributes }
      TimeGenerated: timestamp
`);

describe('deriving the table and the DCR stream declaration', () => {
  const config = parseMapping(TEXT, { env: ENV }).config;
  if (!config) throw new Error('mapping invalid');
  const stream = config.streams[0];
  if (!stream) throw new Error('no stream');

  it('lists the table columns with TimeGenerated first, guid kept and descriptions carried', () => {
    expect(tableSchema(stream)).toEqual({
      name: 'Sec_CL',
      columns: [
        { name: 'TimeGenerated', type: 'datetime' },
        { name: 'EventName', type: 'string', description: 'OWASP event name' },
        { name: 'RequestId', type: 'guid' },
        { name: 'Port', type: 'int' },
        { name: 'Bag', type: 'dynamic' },
      ],
    });
  });

  it('declares the stream with the same columns, guid as string (stream declarations have no guid)', () => {
    expect(streamDeclaration(stream)).toEqual({
      name: 'Custom-Sec',
      columns: [
        { name: 'TimeGenerated', type: 'datetime' },
        { name: 'EventName', type: 'string' },
        { name: 'RequestId', type: 'string' },
        { name: 'Port', type: 'int' },
        { name: 'Bag', type: 'dynamic' },
      ],
    });
  });

  it('accepts a compiled stream as well as its configuration', () => {
    const compiled = compileMapping(config, { env: ENV }).streams[0];
    if (!compiled) throw new Error('no stream');
    expect(tableSchema(compiled)).toEqual(tableSchema(stream));
    expect(streamDeclaration(compiled)).toEqual(streamDeclaration(stream));
  });
});
