// Collects what is reported through diag at WARN (each call's arguments joined, the component
// namespace first), for tests that check a warning names what to change.
import { diag, DiagLogLevel } from '@opentelemetry/api';

/** Installs a diag logger for this test and returns the list its warnings go to. */
export function captureWarnings(): string[] {
  const warnings: string[] = [];
  const ignore = (): void => undefined;
  diag.setLogger(
    {
      error: ignore,
      warn: (...args: unknown[]) => warnings.push(args.map(String).join(' ')),
      info: ignore,
      debug: ignore,
      verbose: ignore,
    },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
  return warnings;
}
