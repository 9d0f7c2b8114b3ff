// mappingLocations: the positions of a validated mapping's parts, for reports made after
// validation (`otel-sentinel check`), including what a preset supplied.
import { describe, expect, it } from 'vitest';
import { mappingLocations } from '../src/index.js';

const TEXT = `version: 1
endpoint: https://x.ingest.monitor.azure.com
dcrImmutableId: dcr-00112233445566778899aabbccddeeff
streams:
  - stream: Custom-AppEvents
    table: AppEvents_CL
    columns:
      UserId: { from: "attributes['user.id']", type: string }
`;

describe('mappingLocations', () => {
  it("points at a column's name and at its type", () => {
    const at = mappingLocations(TEXT, { fileName: 'mapping.yaml', env: {} });
    expect(at.locate(['streams', 0, 'columns', 'UserId'], 'key')).toEqual({
      file: 'mapping.yaml',
      line: 8,
      column: 7,
    });
    expect(at.locate(['streams', 0, 'columns', 'UserId', 'type'])).toEqual({
      file: 'mapping.yaml',
      line: 8,
      column: 54,
    });
  });

  it('points into the preset for streams a file takes from it', () => {
    const at = mappingLocations('version: 1\nextends: owasp\n', { fileName: 'mapping.yaml', env: {} });
    const p = at.locate(['streams', 0, 'table']);
    expect(p.file).toBe('preset:owasp');
    expect(p.line).toBeGreaterThan(0);
  });

  it('gives 0:0 for text that does not parse', () => {
    expect(mappingLocations('a: [', { fileName: 'm.yaml' }).locate(['streams'])).toEqual({
      file: 'm.yaml',
      line: 0,
      column: 0,
    });
  });
});
