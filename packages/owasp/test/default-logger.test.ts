import { logs } from '@opentelemetry/api-logs';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { afterEach, describe, expect, it } from 'vitest';

import {
  ConfigError,
  createSecurityEvents,
  LoggerUnavailableError,
  OtelSentinelError,
} from '../src/index.js';
import type { SecurityLogger, SecurityLogRecord } from '../src/index.js';
import { defaultLogger } from '../src/default-logger.js';
import type { OptionalModule } from '../src/optional-module.js';

afterEach(() => {
  logs.disable();
});

const RECORD: SecurityLogRecord = {
  eventName: 'sys_startup',
  timestamp: 0,
  severityNumber: 9,
  severityText: 'INFO',
  body: 'Application started',
  attributes: { 'security.event': true },
};

function providerWithMemory(): { provider: LoggerProvider; exporter: InMemoryLogRecordExporter } {
  const exporter = new InMemoryLogRecordExporter();
  return {
    exporter,
    provider: new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter })] }),
  };
}

describe('without a logger option', () => {
  it("emits through the global @opentelemetry/api-logs provider, under the package's scope", () => {
    const { provider, exporter } = providerWithMemory();
    logs.setGlobalLoggerProvider(provider);

    createSecurityEvents({ hashKey: 'k' }).sysStartup({ userId: 'ops' });

    const [record] = exporter.getFinishedLogRecords();
    expect(record?.eventName).toBe('sys_startup');
    expect(record?.instrumentationScope.name).toBe('@otel-sentinel/owasp');
  });

  it('reaches a provider registered after the helpers were created', () => {
    const security = createSecurityEvents({ hashKey: 'k' });
    const { provider, exporter } = providerWithMemory();
    logs.setGlobalLoggerProvider(provider);

    security.sysStartup({ userId: 'ops' });

    expect(exporter.getFinishedLogRecords().map((r) => r.eventName)).toStrictEqual(['sys_startup']);
  });

  it('reaches a provider that replaced the one registered when the helpers were first used', () => {
    const security = createSecurityEvents({ hashKey: 'k' });
    const first = providerWithMemory();
    logs.setGlobalLoggerProvider(first.provider);
    security.sysStartup({ userId: 'first' });
    logs.disable();
    const second = providerWithMemory();
    logs.setGlobalLoggerProvider(second.provider);

    security.sysStartup({ userId: 'second' });

    expect(first.exporter.getFinishedLogRecords().map((r) => r.attributes['user.id'])).toStrictEqual([
      'first',
    ]);
    expect(second.exporter.getFinishedLogRecords().map((r) => r.attributes['user.id'])).toStrictEqual([
      'second',
    ]);
  });

  it('reaches a provider registered later through another copy of the logs API', () => {
    // Another copy's registration changes what getLoggerProvider() returns, never this copy's proxy.
    const proxyOfThisCopy = { getLogger: () => ({ emit: () => undefined }) };
    const emitted: SecurityLogRecord[] = [];
    const registeredElsewhere = { getLogger: () => ({ emit: (r: SecurityLogRecord) => emitted.push(r) }) };
    let current: object = proxyOfThisCopy;
    const loader = (id: string): OptionalModule =>
      id === '@opentelemetry/api-logs'
        ? { ok: true, exports: { logs: { getLoggerProvider: () => current } } }
        : { ok: false, error: new Error(`Cannot find module '${id}'`) };
    const logger = defaultLogger(loader);

    current = registeredElsewhere;
    logger.emit(RECORD);

    expect(emitted.map((r) => r.eventName)).toStrictEqual(['sys_startup']);
  });

  it('emits through the logs API that has a provider registered, api-logs having only its placeholder', () => {
    // The real api-logs of this package, nothing registered with it; a provider registered with the
    // logs API of @opentelemetry/api 1.10, as an OpenTelemetry JS 3.x SDK does.
    const emitted: SecurityLogRecord[] = [];
    const registeredWithApi = { getLogger: () => ({ emit: (r: SecurityLogRecord) => emitted.push(r) }) };
    const loader = (id: string): OptionalModule =>
      id === '@opentelemetry/api-logs'
        ? { ok: true, exports: { logs } }
        : { ok: true, exports: { logs: { getLoggerProvider: () => registeredWithApi } } };

    defaultLogger(loader).emit(RECORD);

    expect(emitted.map((r) => r.eventName)).toStrictEqual(['sys_startup']);
  });

  it('reaches a provider registered later with the second logs API', () => {
    class ProxyLoggerProvider {
      getLogger() {
        return { emit: () => undefined };
      }
    }
    const emitted: SecurityLogRecord[] = [];
    let withApi: object = new ProxyLoggerProvider();
    const loader = (id: string): OptionalModule =>
      id === '@opentelemetry/api-logs'
        ? { ok: true, exports: { logs: { getLoggerProvider: () => new ProxyLoggerProvider() } } }
        : { ok: true, exports: { logs: { getLoggerProvider: () => withApi } } };
    const logger = defaultLogger(loader);
    logger.emit(RECORD);

    withApi = { getLogger: () => ({ emit: (r: SecurityLogRecord) => emitted.push(r) }) };
    logger.emit(RECORD);

    expect(emitted).toHaveLength(1);
  });

  it('prefers the provider registered with api-logs when both APIs have one', () => {
    const viaApiLogs: SecurityLogRecord[] = [];
    const viaApi: SecurityLogRecord[] = [];
    const loader = (id: string): OptionalModule => {
      const sink = id === '@opentelemetry/api-logs' ? viaApiLogs : viaApi;
      const provider = { getLogger: () => ({ emit: (r: SecurityLogRecord) => sink.push(r) }) };
      return { ok: true, exports: { logs: { getLoggerProvider: () => provider } } };
    };

    defaultLogger(loader).emit(RECORD);

    expect([viaApiLogs.length, viaApi.length]).toStrictEqual([1, 0]);
  });

  it('asks the provider for its logger again only when the provider changed', () => {
    const names: string[] = [];
    const provider = {
      getLogger: (name: string) => {
        names.push(name);
        return { emit: () => undefined };
      },
    };
    const loader = (): OptionalModule => ({
      ok: true,
      exports: { logs: { getLoggerProvider: () => provider } },
    });
    const logger = defaultLogger(loader);

    for (let i = 0; i < 3; i++) logger.emit(RECORD);

    expect(names).toStrictEqual(['@otel-sentinel/owasp']);
  });

  it('falls back to the logs API of @opentelemetry/api 1.10+ when api-logs is missing', () => {
    const emitted: SecurityLogRecord[] = [];
    const fake: SecurityLogger = { emit: (r) => emitted.push(r) };
    const loader = (id: string): OptionalModule =>
      id === '@opentelemetry/api'
        ? { ok: true, exports: { logs: { getLogger: () => fake } } }
        : { ok: false, error: new Error(`Cannot find module '${id}'`) };

    expect(defaultLogger(loader)).toBe(fake);
  });

  it('throws a clear error at creation when no logs API is installed', () => {
    const missing = (id: string): OptionalModule => ({
      ok: false,
      error: new Error(`Cannot find module '${id}'`),
    });

    expect(() => defaultLogger(missing)).toThrow(LoggerUnavailableError);
    expect(() => defaultLogger(missing)).toThrow(OtelSentinelError);
    expect(() => defaultLogger(missing)).toThrow(expect.objectContaining({ code: 'E_NO_LOGGER' }) as Error);
    expect(() => defaultLogger(missing)).toThrow(
      /install @opentelemetry\/api-logs .* or pass the logger option/,
    );
  });

  it('does not take a logs API without getLogger for one', () => {
    const useless = (): OptionalModule => ({ ok: true, exports: { logs: {} } });

    expect(() => defaultLogger(useless)).toThrow(expect.objectContaining({ code: 'E_NO_LOGGER' }));
  });
});

describe('options are checked once, at creation', () => {
  it.each([
    ['logger', { logger: {} }],
    ['hashKey', { hashKey: 42 }],
    ['onError', { onError: 'log it' }],
  ])('throws for a malformed %s', (option, options) => {
    expect(() => createSecurityEvents(options as never)).toThrow(
      expect.objectContaining({ code: 'E_OWASP_CONFIG', option }),
    );
    expect(() => createSecurityEvents(options as never)).toThrow(ConfigError);
    expect(() => createSecurityEvents(options as never)).toThrow(OtelSentinelError);
  });
});
