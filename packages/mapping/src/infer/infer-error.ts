// The one error inference throws for a sample or option it cannot use, so the CLI can tell input
// the user must fix from a bug.
import { OtelSentinelError } from '../errors/otel-sentinel-error.js';

/** The sample input cannot be read as events, or an option is invalid. */
export class InferError extends OtelSentinelError {
  declare readonly code: 'E_INFER_INPUT';
  /** 1-based line of the sample text, when the problem is on one line. */
  declare readonly line?: number;

  constructor(message: string, line?: number, options?: ErrorOptions) {
    super('E_INFER_INPUT', line === undefined ? message : `line ${line}: ${message}`, { ...options, line });
  }
}
