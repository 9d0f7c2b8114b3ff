import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseMapping } from '../src/load-mapping.js';
import { formatProblem } from '../src/problems.js';
import { presetFile } from '../src/presets.js';
import { renderPresetMapping } from '../src/render-preset-mapping.js';
import { ENV } from './helpers.js';

function problems(text: string): string[] {
  return parseMapping(text, { fileName: 'm.yaml', env: ENV }).problems.map(formatProblem);
}

describe('the mapping init writes for a preset', () => {
  it('extends the preset and reads endpoint and DCR id from the environment, with no problem', () => {
    const text = renderPresetMapping('owasp');
    expect(parse(text)).toEqual({
      version: 1,
      extends: 'owasp',
      endpoint: '${SENTINEL_DCE_ENDPOINT}',
      dcrImmutableId: '${SENTINEL_DCR_IMMUTABLE_ID}',
      solution: {
        name: 'OWASP Security Events',
        publisher: 'Example Publisher',
        publisherId: 'examplepublisher',
        offerId: 'owasp-security-events',
        version: '1.0.0',
        description:
          'OWASP Logging Vocabulary security events that applications send with OpenTelemetry, through otel-sentinel, to OwaspSecurityEvents_CL.',
        support: {
          name: 'Example Publisher Security',
          email: 'security@example.com',
          link: 'https://example.com/security',
          tier: 'Community',
        },
      },
    });
    expect(problems(text)).toEqual([]);
  });

  it('starts with the $schema modeline when given a schema path', () => {
    const text = renderPresetMapping('owasp', { schemaPath: '../schema/mapping.schema.json' });
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../schema/mapping.schema.json');
    expect(renderPresetMapping('owasp')).not.toContain('yaml-language-server');
  });

  it('expanded, holds the preset streams as written, comments included, and maps the same way', () => {
    const expanded = renderPresetMapping('owasp', { expand: true });
    const preset = readFileSync(presetFile('owasp'), 'utf8');
    const streams = preset.slice(preset.indexOf('\nstreams:') + 1);
    expect(expanded.endsWith(streams)).toBe(true);
    expect(expanded).not.toMatch(/^extends:/m);
    expect(problems(expanded)).toEqual([]);
    const a = parseMapping(expanded, { env: ENV }).config?.streams;
    const b = parseMapping(renderPresetMapping('owasp'), { env: ENV }).config?.streams;
    expect(a).toEqual(b);
  });

  it('expanded, copies the ASIM declaration, whose vendor and product come from the solution section', () => {
    const expanded = renderPresetMapping('owasp', { expand: true });
    expect(expanded).toMatch(/^ {4}asim:\n {6}schemas:\n {8}Authentication:\n/m);
    const asim = parseMapping(expanded, { env: ENV }).config?.streams[0]?.asim;
    expect({
      vendor: asim?.vendor,
      product: asim?.product,
      schemas: asim?.schemas.map((s) => s.schema),
    }).toEqual({
      vendor: 'Example Publisher',
      product: 'OWASP Security Events',
      schemas: ['Authentication', 'UserManagement', 'AuditEvent', 'WebSession'],
    });
  });

  it('relies on the shipped preset holding only version and streams at the top level', () => {
    const preset = parse(readFileSync(presetFile('owasp'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(preset)).toEqual(['version', 'streams']);
  });
});
