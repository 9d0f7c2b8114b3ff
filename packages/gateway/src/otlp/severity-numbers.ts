// The value names of opentelemetry.proto.logs.v1.SeverityNumber, which proto3 JSON encoders write
// for `severityNumber` by default ("SEVERITY_NUMBER_WARN"), with their numbers.

const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;

function severityNumbers(): Map<string, number> {
  const names = new Map<string, number>([['SEVERITY_NUMBER_UNSPECIFIED', 0]]);
  // Each level has four numbers, e.g. WARN = 13, WARN2 = 14, WARN3 = 15, WARN4 = 16.
  LEVELS.forEach((level, i) => {
    for (let step = 1; step <= 4; step++) {
      names.set(`SEVERITY_NUMBER_${level}${step === 1 ? '' : step}`, i * 4 + step);
    }
  });
  return names;
}

export const SEVERITY_NUMBERS: ReadonlyMap<string, number> = severityNumbers();
