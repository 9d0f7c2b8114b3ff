// examples/collector/otel-collector.yaml is documentation users copy: these checks keep it
// consistent with the gateway and the mapping (no Collector binary runs here).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TOKEN_ENV } from '@otel-sentinel/gateway';
import { DEFAULT_SECURITY_ATTRIBUTE } from '@otel-sentinel/mapping';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ROOT } from './cli.js';

interface Pipeline {
  receivers?: string[];
  processors?: string[];
  exporters?: string[];
}
interface CollectorConfig {
  receivers: Record<string, unknown>;
  processors: Record<string, unknown>;
  exporters: Record<string, { endpoint?: string; encoding?: string; headers?: Record<string, string> }>;
  connectors: Record<
    string,
    {
      default_pipelines: string[];
      table: { context: string; condition: string; pipelines: string[] }[];
    }
  >;
  service: { pipelines: Record<string, Pipeline> };
}

const config = parse(
  readFileSync(join(ROOT, 'examples/collector/otel-collector.yaml'), 'utf8'),
) as CollectorConfig;

describe('the example Collector configuration', () => {
  it('defines every component its pipelines use, and every route ends in a pipeline', () => {
    const pipelines = config.service.pipelines;
    for (const [name, p] of Object.entries(pipelines)) {
      for (const r of p.receivers ?? [])
        expect(Object.keys({ ...config.receivers, ...config.connectors }), `${name} receiver ${r}`).toContain(
          r,
        );
      for (const x of p.processors ?? [])
        expect(Object.keys(config.processors), `${name} processor ${x}`).toContain(x);
      for (const e of p.exporters ?? [])
        expect(Object.keys({ ...config.exporters, ...config.connectors }), `${name} exporter ${e}`).toContain(
          e,
        );
    }
    const routing = config.connectors['routing/security'];
    const routes = [
      ...(routing?.default_pipelines ?? []),
      ...(routing?.table ?? []).flatMap((t) => t.pipelines),
    ];
    for (const r of routes) expect(Object.keys(pipelines)).toContain(r);
  });

  it('routes the mapping default security attribute, as a boolean and as a string, at log context', () => {
    const rule = config.connectors['routing/security']?.table[0];
    expect(rule?.context).toBe('log');
    expect(rule?.condition).toContain(`attributes["${DEFAULT_SECURITY_ATTRIBUTE}"] == true`);
    expect(rule?.condition).toContain(`attributes["${DEFAULT_SECURITY_ATTRIBUTE}"] == "true"`);
  });

  it('sends security records to the gateway as OTLP protobuf with its bearer token, and the rest to Application Insights', () => {
    const gateway = config.exporters['otlphttp/otel-sentinel'];
    expect(gateway?.encoding).toBe('proto');
    expect(gateway?.endpoint).toBe('${env:OTEL_SENTINEL_GATEWAY_ENDPOINT}');
    expect(gateway?.headers?.Authorization).toBe(`Bearer \${env:${TOKEN_ENV}}`);
    const security = config.connectors['routing/security']?.table[0]?.pipelines[0] ?? '';
    expect(config.service.pipelines[security]?.exporters).toEqual(['otlphttp/otel-sentinel']);
    const operational = config.connectors['routing/security']?.default_pipelines[0] ?? '';
    expect(config.service.pipelines[operational]?.exporters).toEqual(['azuremonitor']);
  });
});
