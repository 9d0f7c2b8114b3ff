// The errors this package throws: a stable code plus every problem found, so one run names them all.
import { OtelSentinelError } from '@otel-sentinel/mapping';

export type ConnectorErrorCode = 'E_SOLUTION_INFO' | 'E_NO_STREAMS' | 'E_ANALYTIC_RULE';

export class ConnectorError extends OtelSentinelError {
  declare readonly code: ConnectorErrorCode;
  /** One line per problem, each naming the field and what to change. */
  readonly problems: readonly string[];

  constructor(code: ConnectorErrorCode, problems: readonly string[]) {
    super(code, `${code}: ${problems.join('; ')}`);
    this.problems = problems;
  }
}
