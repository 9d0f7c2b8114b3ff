// Rows per second of the compiled mapper for a realistic 15-column security row, next to the
// floor: JSON.stringify of an already-built row of the same shape, measured in the same run.
// Targets (ratios to the floor): default safety ≥ 0.4 (issue 14), without redaction ≥ 0.5.
// Then the redactor's cost per kind of secret: strings per second for a clean string and for a
// string holding one secret of each kind (test/support/secret-kind-cases.ts), each checked to come
// out as its hand-written output; a wrong output makes the bench exit non-zero.
import { compileMapping, createRedactor, parseMapping, SECRET_KINDS } from '../dist/index.js';
import type { CompiledMapping, CompiledStream, LogRecordLike, Row } from '../dist/index.js';
import { readFileSync } from 'node:fs';
import { KIND_CASES } from '../test/support/secret-kind-cases.ts';
import { AGENTS, EVENTS } from '../../../bench/fixtures.ts';
import { measure, report } from '../../../bench/harness.ts';
import type { BenchResult } from '../../../bench/harness.ts';

const env = {
  SENTINEL_DCE_ENDPOINT: 'https://bench.westeurope-1.ingest.monitor.azure.com',
  SENTINEL_DCR_IMMUTABLE_ID: 'dcr-0123456789abcdef0123456789abcdef',
};

function mapping(redact: boolean) {
  const text = `version: 1
endpoint: \${SENTINEL_DCE_ENDPOINT}
dcrImmutableId: \${SENTINEL_DCR_IMMUTABLE_ID}
defaults: { redact: ${redact} }
streams:
  - stream: Custom-AppSecurityEvents
    table: AppSecurityEvents_CL
    columns:
      TimeGenerated: { from: timestamp }
      EventName: { from: eventName, required: true }
      EventSeverity: severityText
      SeverityNumber: severityNumber
      ActorUserId: "attributes['user.id']"
      SrcIpAddr: "attributes['client.address']"
      HttpUserAgent: "attributes['user_agent.original']"
      Url: "attributes['url.path']"
      HttpRequestMethod: "attributes['http.request.method']"
      HttpStatusCode: "attributes['http.response.status_code']"
      DvcHostname: "resource['host.name']"
      Service: "resource['service.name']"
      Message: body
      TraceId: traceId
      AdditionalFields: { from: attributes, type: dynamic, exclude: ["user.id", "client.address", "user_agent.original", "url.path", "http.request.method", "http.response.status_code"] }
`;
  const r = parseMapping(text, { env });
  if (!r.config) throw new Error(r.problems.map((p) => p.message).join('\n'));
  return compileMapping(r.config, { env });
}

const resource = {
  attributes: { 'service.name': 'checkout-api', 'host.name': 'checkout-7f9c-2', 'service.version': '4.2.1' },
};

// 64 distinct records: more than a string column's memo of clean values holds (32), so the
// per-record values (user, address, path, body, trace id) are scanned every time, as in a real
// stream; the user agents, event names and severities repeat, as they do in a real stream.
const records: LogRecordLike[] = Array.from({ length: 64 }, (_, i) => ({
  hrTime: [1_763_885_730 + (i >> 3), 123_456_700 + i * 1000],
  hrTimeObserved: [1_763_885_730 + (i >> 3), 223_456_700],
  severityNumber: i % 3 === 0 ? 13 : 9,
  severityText: i % 3 === 0 ? 'WARN' : 'INFO',
  eventName: EVENTS[i % EVENTS.length],
  body: `User user${i}@contoso.com ${i % 2 === 0 ? 'signed in' : 'failed to sign in'} from 203.0.113.${i} using password authentication`,
  resource,
  instrumentationScope: { name: 'auth', version: '1.0.0' },
  spanContext: {
    traceId: `5b8efff798038103d269b633813fc6${(i + 16).toString(16)}`,
    spanId: 'eee19b7ec3c1b174',
    traceFlags: 1,
  },
  attributes: {
    'security.event': true,
    'user.id': `user${i}@contoso.com`,
    'client.address': `203.0.113.${i}`,
    'user_agent.original': AGENTS[i % AGENTS.length],
    'url.path': `/api/v2/accounts/${1000 + i}/login`,
    'http.request.method': 'POST',
    'http.response.status_code': i % 2 === 0 ? 200 : 401,
    'auth.method': 'password',
    'tenant.id': '72f988bf-86f1-41af-91ab-2d7cd011db47',
    'retry.count': i % 4,
  },
}));

const safe = mapping(true);
const unredacted = mapping(false);
function firstStream(m: CompiledMapping): CompiledStream {
  const s = m.streams[0];
  if (!s) throw new Error('no stream');
  return s;
}
const stream = firstStream(safe);
const stream2 = firstStream(unredacted);
const built: Row[] = records.map((r) => {
  const res = stream.mapRow(r);
  if (!res.row) throw new Error(res.rejected.message);
  return res.row;
});

function mapAndSerialise(s: CompiledStream) {
  return (n: number): number => {
    let total = 0;
    for (let i = 0; i < n; i++) {
      const res = s.mapRow(records[i & 63] as LogRecordLike);
      if (res.row) total += JSON.stringify(res.row).length;
    }
    return total;
  };
}

const rates = measure([
  {
    name: 'stringify',
    run: (n) => {
      let total = 0;
      for (let i = 0; i < n; i++) total += JSON.stringify(built[i & 63]).length;
      return total;
    },
  },
  { name: 'default', run: mapAndSerialise(stream) },
  { name: 'no-redaction', run: mapAndSerialise(stream2) },
]);

const floor = rates.get('stringify') ?? 1;
const def = rates.get('default') ?? 0;
const noRed = rates.get('no-redaction') ?? 0;
console.log(
  `mapping: 15-column security row, ${JSON.stringify(built[0]).length} bytes of JSON, Node ${process.version}`,
);
const redactor = createRedactor();
const CLEAN = 'User user7@contoso.com failed to sign in from 203.0.113.7 using password authentication';
const samples = new Map<string, string>([['clean', CLEAN]]);
const wrong: string[] = [];
for (const kind of SECRET_KINDS) {
  const c = KIND_CASES.find((k) => k.kind === kind);
  if (c === undefined) {
    wrong.push(`${kind}: no case`);
    continue;
  }
  samples.set(kind, c.input);
  const out = redactor.redact(c.input);
  if (out !== c.output) wrong.push(`${kind}: ${JSON.stringify(out)}`);
}
const perKind = measure(
  [...samples].map(([name, text]) => ({
    name,
    run: (n: number) => {
      let total = 0;
      for (let i = 0; i < n; i++) total += redactor.redact(text).length;
      return total;
    },
  })),
  3,
  60,
);
const kindResults: BenchResult[] = [...perKind].map(([name, value]) => ({
  name: `mapping.redact.${name}`,
  value,
  unit: 'strings/s',
  ...(name === 'clean'
    ? {}
    : { baseline: 'mapping.redact.clean', ratio: value / (perKind.get('clean') ?? 1) }),
}));

// The secret corpus (test/fixtures/secrets), each entry in its own context, as one string: the
// share of secrets caught (no 8-character piece left), the share of look-alikes kept unchanged,
// and the redactor's rate over the look-alikes, which wake the pre-filter more than clean text.
interface CorpusLine {
  readonly value: string;
  readonly context: string;
}
function corpus(file: string): string[][] {
  const text = readFileSync(new URL(`../test/fixtures/secrets/${file}`, import.meta.url), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as CorpusLine)
    .map((e) => [e.value, e.context.replace('{}', () => e.value)]);
}
const secretTexts = corpus('secrets.jsonl');
const lookalikeTexts = corpus('lookalikes.jsonl');
const caught = secretTexts.filter(([secret = '', text = '']) => {
  const redacted = redactor.redact(text);
  if (!redacted.includes('[REDACTED:')) return false;
  // The markers' own text (`[REDACTED:rubygems-key]`) is not a piece of the secret.
  const out = redacted.replace(/\[REDACTED:[a-z0-9-]+\]/g, '');
  for (let i = 0; i + 8 <= secret.length; i++) if (out.includes(secret.slice(i, i + 8))) return false;
  return secret.length >= 8 || !out.includes(secret);
}).length;
const kept = lookalikeTexts.filter(([, text = '']) => redactor.redact(text) === text).length;
const lookalikeRate =
  measure(
    [
      {
        name: 'lookalikes',
        run: (n: number) => {
          let total = 0;
          for (let i = 0; i < n; i++)
            total += redactor.redact(lookalikeTexts[i % lookalikeTexts.length]?.[1] ?? '').length;
          return total;
        },
      },
    ],
    3,
    60,
  ).get('lookalikes') ?? 0;

report(
  [
    { name: 'mapping.stringify-only', value: floor, unit: 'rows/s' },
    {
      name: 'mapping.redact.corpus-secrets-caught',
      value: caught,
      unit: `of ${secretTexts.length} secrets`,
      baseline: 'the corpus',
      ratio: caught / secretTexts.length,
      target: 0.99,
    },
    {
      name: 'mapping.redact.corpus-lookalikes-kept',
      value: kept,
      unit: `of ${lookalikeTexts.length} look-alikes`,
      baseline: 'the corpus',
      ratio: kept / lookalikeTexts.length,
      target: 0.995,
    },
    {
      name: 'mapping.redact.lookalikes',
      value: lookalikeRate,
      unit: 'strings/s',
      baseline: 'mapping.redact.clean',
      ratio: lookalikeRate / (perKind.get('clean') ?? 1),
    },
    {
      name: 'mapping.map+serialise.default-safety',
      value: def,
      unit: 'rows/s',
      baseline: 'mapping.stringify-only',
      ratio: def / floor,
      target: 0.4,
    },
    {
      name: 'mapping.map+serialise.no-redaction',
      value: noRed,
      unit: 'rows/s',
      baseline: 'mapping.stringify-only',
      ratio: noRed / floor,
      target: 0.5,
    },
    ...kindResults,
  ],
  new URL('../.bench/results.json', import.meta.url),
);
if (wrong.length > 0) {
  console.log(`redaction gave the wrong output for ${wrong.length} kind(s):\n  ${wrong.join('\n  ')}`);
  process.exitCode = 1;
}
