import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mappingJsonSchema } from '../src/schema.js';

const shipped = JSON.parse(
  readFileSync(new URL('../schema/mapping.schema.json', import.meta.url), 'utf8'),
) as unknown;

describe('the published JSON Schema', () => {
  it('is the one the zod schema generates (run `pnpm --filter @otel-sentinel/mapping schema` if not)', () => {
    expect(shipped).toEqual(mappingJsonSchema());
  });

  it('describes the column name rules and the stream and table names', () => {
    const text = JSON.stringify(shipped);
    expect(text).toContain('^[A-Za-z][A-Za-z0-9_]*$');
    expect(text).toContain('^Custom-');
    expect(text).toContain('_CL$');
    expect(text).toContain('"additionalProperties":false');
  });

  it('lets a file name a preset in place of its streams', () => {
    const schema = shipped as {
      properties: { extends: { enum: string[] } };
      required: string[];
      anyOf: unknown[];
    };
    expect(schema.properties.extends.enum).toEqual(['owasp']);
    expect(schema.required).toEqual(['version']);
    expect(schema.anyOf).toEqual([{ required: ['streams'] }, { required: ['extends'] }]);
  });
});
