// `--rules <path...>` and `--rule-frequency <duration>`: the analytic rules the emulator runs
// besides its definitions' Analytic Rules folders, and a local interval for every rule (demos).

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DetectionOptions } from '@otel-sentinel/emulator';
import { CliError } from '../errors.js';

/** `20s`, `5m`, `1h`, `1d`, or ISO 8601 (`PT20S`, `PT5M`, `P1D`): what the emulator reads. */
const DURATION = /^(?:\d+[smhd]|P(?=\d|T\d)(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?)$/i;

/** The emulator's `rules` and `detections` options from the flags, or a one-line error naming the flag. */
export function detectionOptions(
  rules: readonly string[] | undefined,
  frequency: string | undefined,
  cwd: string,
): DetectionOptions {
  const paths = (rules ?? []).map((r) => resolve(cwd, r));
  for (const [i, path] of paths.entries())
    if (!existsSync(path))
      throw new CliError(
        'E_RULES_PATH',
        `--rules "${rules?.[i] ?? ''}": no such file or folder ${path}; give analytic rule YAML files or folders of them`,
      );
  if (
    frequency !== undefined &&
    (!DURATION.test(frequency.trim()) || /^(?:P|PT)?0+[smhdS]?$/i.test(frequency))
  )
    throw new CliError(
      'E_RULE_FREQUENCY',
      `--rule-frequency "${frequency}": give how often every rule runs as a duration, e.g. PT20S or 5m`,
    );
  return {
    rules: paths,
    ...(frequency !== undefined ? { detections: { frequency: frequency.trim() } } : {}),
  };
}
