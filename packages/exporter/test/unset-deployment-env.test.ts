// The exporter is where an unset endpoint or DCR id stops being a warning: `otel-sentinel validate`
// accepts a mapping before they are set, and the exporter must refuse to start until they are.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MappingValidationError } from '@otel-sentinel/mapping';
import { describe, expect, it } from 'vitest';
import { SentinelLogExporter } from '../src/index.js';

const MAPPING = `version: 1
endpoint: \${SENTINEL_DCE_ENDPOINT}
dcrImmutableId: \${SENTINEL_DCR_IMMUTABLE_ID}
streams:
  - stream: Custom-SecurityEvents
    table: SecurityEvents_CL
    columns:
      TimeGenerated: { from: timestamp }
      UserId: { from: "attributes['userId']", type: string }
`;

function mappingFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'otel-sentinel-exporter-')), 'mapping.yaml');
  writeFileSync(file, MAPPING);
  return file;
}

describe('the exporter at start-up', () => {
  it('refuses to start while SENTINEL_DCE_ENDPOINT and SENTINEL_DCR_IMMUTABLE_ID are unset, naming both', () => {
    const file = mappingFile();
    const start = () => new SentinelLogExporter({ mapping: file, env: {} });
    expect(start).toThrow(MappingValidationError);
    expect(start).toThrow(
      [
        'invalid mapping: 2 problem(s)',
        `  ${file}:2:11: error: environment variable SENTINEL_DCE_ENDPOINT is not set; set it to the logs-ingestion endpoint of the DCE (or of a Direct DCR), e.g. https://my-dce.westeurope-1.ingest.monitor.azure.com (at endpoint)`,
        `  ${file}:3:17: error: environment variable SENTINEL_DCR_IMMUTABLE_ID is not set; set it to the immutable id of the DCR (dcr- and 32 hex digits), e.g. dcr-00112233445566778899aabbccddeeff (at dcrImmutableId)`,
      ].join('\n'),
    );
  });

  it('names the one that is still unset', () => {
    const file = mappingFile();
    const start = () =>
      new SentinelLogExporter({
        mapping: file,
        env: { SENTINEL_DCE_ENDPOINT: 'https://my-dce.westeurope-1.ingest.monitor.azure.com' },
      });
    expect(start).toThrow(/SENTINEL_DCR_IMMUTABLE_ID is not set/);
    expect(start).not.toThrow(/SENTINEL_DCE_ENDPOINT/);
  });
});
