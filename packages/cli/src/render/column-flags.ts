// The flags column of the validate summary: what a column does beyond copying its source.

import type { ColumnConfig, TransformConfig } from '@otel-sentinel/mapping';

export function columnFlags(c: ColumnConfig): string {
  const flags: string[] = [];
  if (c.added) flags.push('added');
  if (c.required) flags.push('required');
  if (c.default !== undefined) flags.push(`default ${JSON.stringify(c.default)}`);
  for (const t of c.transforms) flags.push(transformText(t));
  if (c.include !== undefined) flags.push(`include [${c.include.join(', ')}]`);
  if (c.exclude !== undefined) flags.push(`exclude [${c.exclude.join(', ')}]`);
  // Redaction and sanitising only ever touch text, so they are worth a word only there.
  if (c.type === 'string' || c.type === 'dynamic') {
    if (c.redact === false) flags.push('no redaction');
    if (!c.sanitize) flags.push('no sanitising');
  }
  return flags.join(', ');
}

function transformText(t: TransformConfig): string {
  switch (t.kind) {
    case 'hmac-sha256':
      return `hmac-sha256 (key ${t.keyEnv})`;
    case 'truncate':
      return `truncate ${t.maxBytes}`;
    default:
      return t.kind;
  }
}
