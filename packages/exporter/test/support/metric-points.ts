// An in-memory MeterProvider for tests, and its data points as `name{attributes}` → value.
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';

export interface MeteredTest {
  readonly meterProvider: MeterProvider;
  /** Collects now: counters and gauges by value, histograms by count. */
  points(): Promise<Map<string, number>>;
}

export function meteredTest(): MeteredTest {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
  return {
    meterProvider: new MeterProvider({ readers: [reader] }),
    async points() {
      await reader.forceFlush();
      const points = new Map<string, number>();
      for (const rm of exporter.getMetrics())
        for (const sm of rm.scopeMetrics)
          for (const m of sm.metrics)
            for (const dp of m.dataPoints) {
              const v = dp.value;
              points.set(
                `${m.descriptor.name}${JSON.stringify(dp.attributes)}`,
                typeof v === 'number' ? v : (v as { count: number }).count,
              );
            }
      return points;
    },
  };
}
