// Runs the start-up check (startup-check.ts) once in the background after the exporter starts:
// never on the emit or export path, never delaying the app. Each problem goes to diag at ERROR
// with what to change; a clean result is one INFO line. Stopped by shutdown.

import { diag } from '@opentelemetry/api';
import type { DiagLogger } from '@opentelemetry/api';
import type { SelfMetrics } from './self-metrics.js';
import { probeStreams, reportLines } from './startup-check.js';
import type { ProbeOptions, StartupCheckReport } from './startup-check.js';

/** `off` when the check is turned off; else its report. */
export type StartupCheckResult =
  { readonly status: 'off' } | ({ readonly status: 'done' } & StartupCheckReport);

/** The values of `OTEL_SENTINEL_STARTUP_CHECK` that turn the check off. */
const OFF_VALUES: ReadonlySet<string> = new Set(['off', 'false', '0', 'no']);
export const STARTUP_CHECK_ENV = 'OTEL_SENTINEL_STARTUP_CHECK';

/** Whether the check runs: the option, else the environment variable, else on. */
export function startupCheckWanted(
  option: boolean | undefined,
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  if (option !== undefined) return option;
  const raw = env[STARTUP_CHECK_ENV]?.trim().toLowerCase();
  return raw === undefined || raw === '' || !OFF_VALUES.has(raw);
}

export class StartupCheckRun {
  readonly result: Promise<StartupCheckResult>;
  private readonly stopper = new AbortController();
  private readonly log: DiagLogger = diag.createComponentLogger({ namespace: '@otel-sentinel/exporter' });

  constructor(options: Omit<ProbeOptions, 'signal'> | undefined, metrics: SelfMetrics) {
    if (options === undefined) {
      this.result = Promise.resolve({ status: 'off' });
      return;
    }
    metrics.startupChecked('running');
    // The next turn of the event loop: the app's start-up and its first emits go first.
    this.result = new Promise<void>((resolve) => {
      setImmediate(resolve);
    })
      .then(() => probeStreams({ ...options, signal: this.stopper.signal }))
      // probeStreams never rejects by design; this keeps a bug of ours from reaching the app.
      .catch((error: unknown): StartupCheckReport => ({
        ok: false,
        token: {
          ok: false,
          cause: 'other',
          line: `the check itself failed (${error instanceof Error ? error.name : typeof error})`,
        },
        streams: [],
      }))
      .then((report): StartupCheckResult => {
        metrics.startupChecked(report.ok ? 'ok' : 'failed');
        this.report(report);
        return { status: 'done', ...report };
      });
  }

  stop(): void {
    this.stopper.abort();
  }

  private report(report: StartupCheckReport): void {
    if (this.stopper.signal.aborted) return;
    const lines = reportLines(report);
    if (report.ok) {
      this.log.info(`start-up check: ${lines.join('; ')}`);
      return;
    }
    const findings = [report.token, ...report.streams].filter((f) => !f.ok);
    for (const f of findings) this.log.error(`start-up check: ${f.line}`);
  }
}
