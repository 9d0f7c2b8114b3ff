// Writes schema/mapping.schema.json from the zod schema in src/schema.ts (via the build output).
// Run `pnpm --filter @otel-sentinel/mapping schema` after changing the schema; a test fails while
// the committed file is stale.
import { writeFileSync } from 'node:fs';
import { mappingJsonSchema } from '../dist/index.js';

const target = new URL('../schema/mapping.schema.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(mappingJsonSchema(), null, 2)}\n`);
console.log(`wrote ${target.pathname}`);
