// Renders the mapping file `otel-sentinel init --preset <name>` writes: a short file that extends
// the preset, or (expanded) the preset's streams written out, comments and all, for customising.

import { SOLUTION_COMMENT } from './infer/starter-solution.js';
import { SHIPPED_PRESETS } from './presets.js';
import type { PresetName } from './presets.js';

export interface PresetRenderOptions {
  /**
   * Write the preset's streams into the file instead of `extends:`, to customise its columns.
   * Default false.
   */
  readonly expand?: boolean | undefined;
  /** Path or URL of the mapping JSON Schema for the `yaml-language-server` modeline; default none. */
  readonly schemaPath?: string | undefined;
}

/** What the file header says about each preset. */
const ABOUT: Readonly<Record<PresetName, { readonly events: string; readonly docs: string }>> = {
  owasp: {
    events: 'OWASP Logging Vocabulary security events',
    docs: 'docs/preset.md in @otel-sentinel/owasp',
  },
};

/** Where the streams start in a preset: everything from this line on is copied by `expand`. */
const STREAMS_LINE = /^streams:/m;

/** An active section, as `init --sample` writes one: `connector` packages the file as it is. */
const SOLUTION = `
${SOLUTION_COMMENT.map((line) => `#${line}`).join('\n')}
solution:
  name: OWASP Security Events # --name
  publisher: Example Publisher # --publisher
  publisherId: examplepublisher # --publisher-id
  offerId: owasp-security-events # --offer-id
  version: 1.0.0 # --solution-version
  description: OWASP Logging Vocabulary security events that applications send with OpenTelemetry, through otel-sentinel, to OwaspSecurityEvents_CL. # --description
  support:
    name: Example Publisher Security # --support-name
    email: security@example.com # --support-email
    link: https://example.com/security # --support-link
    tier: Community # --support-tier
`;

/** The mapping file text; `otel-sentinel init` validates it before writing it anywhere. */
export function renderPresetMapping(name: PresetName, options: PresetRenderOptions = {}): string {
  const expand = options.expand === true;
  const lines: string[] = [];
  if (options.schemaPath !== undefined && options.schemaPath !== '')
    lines.push(`# yaml-language-server: $schema=${oneLine(options.schemaPath)}`, '');
  const command = `otel-sentinel init --preset ${name}${expand ? ' --expand' : ''}`;
  const about = ABOUT[name];
  lines.push(`# Mapping for ${about.events}, written by`, `# \`${command}\`.`);
  if (expand)
    lines.push(
      `# The streams below are the ${name} preset's (${about.docs}), written`,
      '# out to customise: add, drop or change columns, or add streams with a match before the',
      '# catch-all. Detections written for the preset query these column names: rename with care.',
    );
  else
    lines.push(
      `# extends: ${name} takes the ${name} preset's streams and columns`,
      `# (${about.docs}).`,
      '# Keys in this file replace the preset\'s one by one: a "streams:" key here would replace its',
      `# streams entirely (\`otel-sentinel init --preset ${name} --expand\` writes them out to edit).`,
    );
  lines.push(
    '# endpoint and dcrImmutableId are read from SENTINEL_DCE_ENDPOINT and SENTINEL_DCR_IMMUTABLE_ID.',
    'version: 1',
  );
  if (!expand) lines.push(`extends: ${name}`);
  lines.push('endpoint: ${SENTINEL_DCE_ENDPOINT}', 'dcrImmutableId: ${SENTINEL_DCR_IMMUTABLE_ID}');
  const head = `${lines.join('\n')}\n${SOLUTION}`;
  return expand ? `${head}\n${presetStreams(name)}` : head;
}

/** The preset's text from its `streams:` line to the end, comments included. */
function presetStreams(name: PresetName): string {
  const text = SHIPPED_PRESETS.text(name);
  const start = STREAMS_LINE.exec(text);
  if (start === null) throw new Error(`preset ${name} has no top-level "streams:" line to expand`);
  return text.slice(start.index);
}

/** A comment must stay one line. */
function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]+/g, ' ');
}
