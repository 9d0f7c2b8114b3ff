// The environment the mapping reads: a made-up DCE and DCR, and a hash key for SessionHash.

import { fileURLToPath } from 'node:url';

export const MAPPING_FILE = fileURLToPath(new URL('../../mapping/security-mapping.yaml', import.meta.url));

export const SENTINEL_ENV = {
  SENTINEL_DCE_ENDPOINT: 'https://contoso-dce-x1y2.westeurope-1.ingest.monitor.azure.com',
  SENTINEL_DCR_IMMUTABLE_ID: 'dcr-00112233445566778899aabbccddeeff',
  OTEL_SENTINEL_HASH_KEY: 'test-hash-key-0123456789abcdef0123456789',
} as const;
