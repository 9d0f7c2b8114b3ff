// What the gateway says about itself: /healthz, /metrics in the Prometheus text format with the
// gateway's and the exporter's counters, stats(), and log lines that never carry a secret.
import { describe, expect, it } from 'vitest';
import { startFakeUpstream } from './support/fake-upstream.js';
import { get, operationalRecord, post, protobufBody, securityRecord } from './support/otlp-bodies.js';
import { sharedStack, gatewayOptions } from './support/stack.js';

const { cleanup, emulator: stackEmulator } = sharedStack();

const PROTOBUF = 'application/x-protobuf';

/** The value of one sample line of the Prometheus text, e.g. `name{a="b"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('/healthz', () => {
  it('answers 200 while the process serves', async () => {
    const g = await cleanup.gateway(gatewayOptions(stackEmulator()));
    const answer = await get(`${g.url}/healthz`);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body.toString('utf8'))).toEqual({ status: 'ok' });
  });
});

describe('/metrics', () => {
  it('counts requests, records, upstream traffic, queue depths and the exporter in Prometheus text', async () => {
    const upstream = await startFakeUpstream();
    cleanup.add(() => upstream.close());
    let n = 0;
    upstream.answer = () => (n++ === 0 ? { status: 503, headers: { 'retry-after': '0' } } : { status: 200 });
    const g = await cleanup.gateway(gatewayOptions(stackEmulator(), { upstream: upstream.url }));
    const url = `${g.url}/v1/logs`;
    await post(
      url,
      protobufBody([securityRecord(1), securityRecord(2, 'nothing_routes_me'), operationalRecord(3)]),
      PROTOBUF,
    );
    await post(url, Buffer.from('{"resourceLogs": 7}'), 'application/json');
    await post(url, protobufBody([]), 'text/plain');
    await g.flush();

    const answer = await get(`${g.url}/metrics`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = answer.body.toString('utf8');
    const expected: Record<string, number> = {
      'otel_sentinel_gateway_requests_total{status="200",format="protobuf"}': 1,
      'otel_sentinel_gateway_requests_total{status="400",format="json"}': 1,
      'otel_sentinel_gateway_requests_total{status="415",format="unknown"}': 1,
      otel_sentinel_gateway_records_received_total: 3,
      otel_sentinel_gateway_records_security_total: 2,
      otel_sentinel_gateway_records_operational_total: 1,
      // 215 + 'operational 3' (13) + seq:3 (3 + 6 + 1)
      otel_sentinel_gateway_records_operational_bytes_total: 238,
      otel_sentinel_gateway_records_unrouted_total: 1,
      otel_sentinel_gateway_records_rejected_total: 0,
      'otel_sentinel_gateway_upstream_requests_total{status="503"}': 1,
      'otel_sentinel_gateway_upstream_requests_total{status="200"}': 1,
      otel_sentinel_gateway_upstream_retries_total: 1,
      otel_sentinel_gateway_upstream_records_sent_total: 1,
      otel_sentinel_gateway_security_queue_records: 0,
      otel_sentinel_gateway_security_queue_capacity: 10000,
      otel_sentinel_gateway_upstream_queue_bytes: 0,
      otel_sentinel_gateway_upstream_queue_limit_bytes: 64 * 1024 * 1024,
      otel_sentinel_gateway_ready: 1,
      otel_sentinel_gateway_credential_ok: 1,
      otel_sentinel_exporter_records_mapped_total: 1,
      'otel_sentinel_exporter_records_rejected_by_code_total{code="E_UNROUTED"}': 1,
      otel_sentinel_exporter_rows_exported_total: 1,
      'otel_sentinel_exporter_rows_undelivered_total{reason="unrouted"}': 1,
      otel_sentinel_exporter_requests_total: 1,
    };
    for (const [series, value] of Object.entries(expected))
      expect({ series, value: sample(text, series) }).toEqual({ series, value });
    expect(sample(text, 'otel_sentinel_exporter_bytes_exported_total')).toBeGreaterThan(0);
    expect(sample(text, 'otel_sentinel_gateway_process_resident_memory_bytes')).toBeGreaterThan(0);

    // Counters keep counting across scrapes (each scrape adds only what grew).
    await post(url, protobufBody([securityRecord(4)]), PROTOBUF);
    const again = (await get(`${g.url}/metrics`)).body.toString('utf8');
    expect(sample(again, 'otel_sentinel_gateway_records_received_total')).toBe(4);
    expect(sample(again, 'otel_sentinel_gateway_requests_total{status="200",format="protobuf"}')).toBe(2);
  });

  it('counts operational records dropped for want of an upstream', async () => {
    const g = await cleanup.gateway(gatewayOptions(stackEmulator()));
    await post(`${g.url}/v1/logs`, protobufBody([operationalRecord(1), operationalRecord(2)]), PROTOBUF);
    const text = (await get(`${g.url}/metrics`)).body.toString('utf8');
    expect(sample(text, 'otel_sentinel_gateway_upstream_records_dropped_total{reason="no-upstream"}')).toBe(
      2,
    );
    expect(g.stats().upstream).toMatchObject({ configured: false, recordsDropped: { 'no-upstream': 2 } });
  });
});

describe('log lines', () => {
  it('report start, upstream failures and shutdown without any secret', async () => {
    const upstream = await startFakeUpstream();
    cleanup.add(() => upstream.close());
    upstream.answer = () => ({ status: 400 });
    const lines: string[] = [];
    const secrets = ['inbound-token-5e6f', 'inbound-key-8a9b', 'upstream-secret-1c2d', 'url-password-3e4f'];
    const g = await cleanup.gateway(
      gatewayOptions(stackEmulator(), {
        upstream: `http://user:${secrets[3] ?? ''}@${upstream.url.slice('http://'.length)}`,
        upstreamHeaders: { authorization: `Bearer ${secrets[2] ?? ''}` },
        auth: { bearerToken: secrets[0] ?? '', apiKey: secrets[1] ?? '' },
        log: (l) => lines.push(l),
      }),
    );
    await post(`${g.url}/v1/logs`, protobufBody([operationalRecord(1)]), PROTOBUF, {
      headers: { authorization: `Bearer ${secrets[0] ?? ''}` },
    });
    await post(`${g.url}/v1/logs`, protobufBody([operationalRecord(2)]), PROTOBUF, {
      headers: { authorization: 'Bearer wrong' },
    });
    await g.flush();
    await g.close();
    expect(upstream.received[0]?.headers.authorization).toBe(`Bearer ${secrets[2] ?? ''}`);
    expect(lines[0]).toMatch(
      /^otel-sentinel gateway listening on http:\/\/127\.0\.0\.1:\d+\/v1\/logs \(auth: bearer token or API key; streams: Custom-GatewayAuth, Custom-GatewayOther; upstream: http:\/\/127\.0\.0\.1:\d+\/v1\/logs; durability: disk, write-ahead queue \/\S+\/sentinel-spool\.sqlite\)$/,
    );
    expect(lines.some((l) => /answered 400; 1 operational records dropped \(rejected\)/.test(l))).toBe(true);
    expect(lines.at(-1)).toMatch(/^otel-sentinel gateway stopped/);
    const all = lines.join('\n');
    for (const s of secrets) expect(all).not.toContain(s);
    expect(g.stats().upstream.recordsDropped).toEqual({ rejected: 1 });
  });
});
