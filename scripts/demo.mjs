// `pnpm demo`: shows otel-sentinel turning OpenTelemetry log records into Sentinel rows.
// Until the local Sentinel emulator exists, the demo is the `map` dry run: the example app's
// logs (OTLP/JSON, as the OpenTelemetry Collector's file exporter writes them) go through the
// example mapping, and the rows that would be sent to each table are printed.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = `${root}packages/cli/dist/bin.js`;
const mapping = 'examples/mappings/app-security.yaml';
const input = 'examples/records/demo-logs.jsonl';

if (!existsSync(bin)) {
  console.error('otel-sentinel is not built yet: run `pnpm build` (or `./dev demo`) first');
  process.exit(1);
}

const say = (text) => process.stderr.write(`${text}\n`);
say('otel-sentinel demo: security events → Sentinel rows, operational logs left alone\n');
say(`  mapping: ${mapping}`);
say(`  input:   ${input} (9 records from the example app, 3 of them operational)\n`);
say(`$ otel-sentinel validate ${mapping}`);
const validate = spawnSync(process.execPath, [bin, 'validate', mapping], { cwd: root, stdio: 'inherit' });
if (validate.status !== 0) process.exit(validate.status ?? 1);
say(`\n$ otel-sentinel map ${mapping} --input ${input} --pretty`);
const map = spawnSync(process.execPath, [bin, 'map', mapping, '--input', input, '--pretty'], {
  cwd: root,
  stdio: 'inherit',
});
say('\nEach JSON object above is one row as the exporter would send it to the Logs Ingestion API.');
say('Note the hashed session id, the redacted bearer token and the escaped forged log line.');
process.exit(map.status ?? 1);
