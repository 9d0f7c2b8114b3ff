// The opt-in start-up check of what is deployed against the mapping (the DCR's stream
// declaration and transform, the tables): run once in the background, never on the emit or export
// path; each finding reported through diag and counted; a check that fails is one warning, never
// an error of the app. The check is injected (the connector's `deploymentCheck`), so this package
// never reads the management API itself.

import { diag } from '@opentelemetry/api';
import type { DiagLogger } from '@opentelemetry/api';
import type { MappingConfig } from '@otel-sentinel/mapping';
import type { SelfMetrics } from './self-metrics.js';
import { withTracingSuppressed } from './with-tracing-suppressed.js';

export type DeploymentFindingSeverity = 'error' | 'warning' | 'info';

/** One difference between the mapping and what is deployed (as `otel-sentinel check` prints it). */
export interface DeploymentFinding {
  /** `error`: values would be lost; `warning`: changed or put elsewhere; `info`: harmless. */
  readonly severity: DeploymentFindingSeverity;
  /** Stable code, e.g. `E_NOT_IN_STREAM`. */
  readonly code: string;
  /** What the service would do to those values, and what to change. Holds no value or secret. */
  readonly message: string;
  /** The mapping path it is about, e.g. `streams[0].columns.UserId.type`. */
  readonly path?: string;
  /** Where in the mapping file; line and column are 1-based, 0 when not known. */
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
}

export interface DeploymentCheckContext {
  /** Aborted when the exporter shuts down or the check runs out of time. */
  readonly signal: AbortSignal;
}

/** Compares `mapping` with what is deployed; the connector's `deploymentCheck(…)` makes one. */
export type DeploymentCheck = (
  mapping: MappingConfig,
  context: DeploymentCheckContext,
) => Promise<readonly DeploymentFinding[]>;

export type DeploymentCheckStatus = 'off' | 'running' | 'done' | 'failed';

export type DeploymentCheckResult =
  | { readonly status: 'off' }
  | {
      readonly status: 'done';
      readonly findings: readonly DeploymentFinding[];
      /** Some finding is an error: values of some column would be lost. */
      readonly dataLoss: boolean;
    }
  /** The check itself could not run (a read refused, a timeout, a shutdown): `reason` says why. */
  | { readonly status: 'failed'; readonly reason: string };

const SEVERITIES: readonly DeploymentFindingSeverity[] = ['error', 'warning', 'info'];
const OFF: DeploymentCheckResult = Object.freeze({ status: 'off' });

/** One run of a deployment check; `result` never rejects. */
export class DeploymentCheckRun {
  readonly result: Promise<DeploymentCheckResult>;
  private readonly stopper = new AbortController();
  private readonly log: DiagLogger = diag.createComponentLogger({ namespace: '@otel-sentinel/exporter' });

  constructor(
    check: DeploymentCheck | undefined,
    mapping: MappingConfig,
    private readonly metrics: SelfMetrics,
    private readonly timeoutMs: number,
  ) {
    if (check === undefined) {
      this.result = Promise.resolve(OFF);
      return;
    }
    metrics.deploymentCheckStarted();
    // The next turn of the event loop: the app's start-up and its first emits go first.
    this.result = new Promise<void>((resolve) => {
      setImmediate(resolve);
    }).then(() => this.run(check, mapping));
  }

  /** Aborts a check still running (at shutdown). */
  stop(): void {
    this.stopper.abort(new Error('the exporter shut down before it ended'));
  }

  private async run(check: DeploymentCheck, mapping: MappingConfig): Promise<DeploymentCheckResult> {
    const signal = AbortSignal.any([this.stopper.signal, AbortSignal.timeout(this.timeoutMs)]);
    let findings: readonly DeploymentFinding[];
    try {
      findings = await Promise.race([
        // Its reads of the management API are the exporter's own requests: not traced.
        Promise.resolve().then(() => withTracingSuppressed(() => check(mapping, { signal }))),
        abortion(signal, this.timeoutMs),
      ]);
      if (!Array.isArray(findings)) throw new Error('it gave no list of findings');
    } catch (error: unknown) {
      const reason = error instanceof Error ? error.message : String(error);
      this.metrics.deploymentChecked('failed');
      this.log.warn(`deployment check could not run: ${reason}; the exporter sends as usual`);
      return { status: 'failed', reason };
    }
    return { status: 'done', findings, dataLoss: this.report(findings) };
  }

  /** Reports and counts each finding and a summary; whether values would be lost. */
  private report(findings: readonly DeploymentFinding[]): boolean {
    const counts = { error: 0, warning: 0, info: 0 };
    for (const f of findings) {
      const severity = SEVERITIES.includes(f.severity) ? f.severity : 'warning';
      counts[severity]++;
      this.metrics.deploymentFinding(severity, f.code);
      const at = f.file !== undefined ? `${f.file}:${f.line ?? 0}:${f.column ?? 0}: ` : '';
      const path = f.path !== undefined && f.path !== '' ? ` (${f.code} at ${f.path})` : ` (${f.code})`;
      this.log[level(severity)](`deployment check: ${at}${severity}: ${f.message}${path}`);
    }
    this.metrics.deploymentChecked(findings.length === 0 ? 'no-drift' : 'drift');
    const summary =
      findings.length === 0
        ? 'no drift'
        : [plural(counts.error, 'error'), plural(counts.warning, 'warning'), plural(counts.info, 'note')]
            .filter((s) => s !== '')
            .join(', ') + (counts.error > 0 ? '; values would be lost' : '; no values would be lost');
    const worst: DeploymentFindingSeverity =
      counts.error > 0 ? 'error' : counts.warning > 0 ? 'warning' : 'info';
    this.log[level(worst)](`deployment check: ${summary}`);
    return counts.error > 0;
  }
}

function level(severity: DeploymentFindingSeverity): 'error' | 'warn' | 'info' {
  return severity === 'warning' ? 'warn' : severity;
}

function plural(n: number, word: string): string {
  return n === 0 ? '' : `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Rejects when `signal` aborts, with why: the exporter's shutdown, or the time limit. */
function abortion(signal: AbortSignal, timeoutMs: number): Promise<never> {
  return new Promise((_, reject) => {
    const fail = (): void => {
      const reason: unknown = signal.reason;
      reject(
        reason instanceof DOMException && reason.name === 'TimeoutError'
          ? new Error(`it took longer than ${timeoutMs} ms (deploymentCheckTimeoutMs)`)
          : reason instanceof Error
            ? reason
            : new Error(String(reason)),
      );
    };
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
}
