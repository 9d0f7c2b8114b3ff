// Which test runs which README shell block: the block's file and first command line (its identity,
// shell-blocks.ts), and the test file that runs it with runClaimed(). readme-blocks.test.ts fails
// when a block is neither here nor marked, when an entry names no block, and when the named test
// does not run it.

export interface Claim {
  readonly file: string;
  /** The block's first command line, without a trailing comment. */
  readonly first: string;
  /** The test file, under test/e2e, that runs it. */
  readonly test: string;
}

const blocks = 'readme-blocks.test.ts';

export const CLAIMS = {
  'root:dev-cli': { file: 'README.md', first: './dev otel-sentinel --help', test: blocks },
  'root:event': {
    file: 'README.md',
    first: `echo '{"userId":"jdoe@example.com","action":"Read","entityType":"WeatherForecast","entityId":"42","timestamp":"2026-02-20T14:30:00.0000000Z","correlationId":"0HN8PQrst:00000001"}' > event.json`,
    test: blocks,
  },
  'root:logs': {
    file: 'README.md',
    first: `echo '{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":"1771597800000000000","eventName":"data_read","attributes":[{"key":"security.event","value":{"boolValue":true}},{"key":"userId","value":{"stringValue":"jdoe@example.com"}},{"key":"action","value":{"stringValue":"Read"}}]}]}]}]}' > logs.jsonl`,
    test: blocks,
  },
  'root:init-validate-map-connector': {
    file: 'README.md',
    first: 'otel-sentinel init --sample event.json --out mapping.yaml',
    test: blocks,
  },
  'root:install-tarballs': { file: 'README.md', first: 'eval "$(./dev env)"', test: 'journey.test.ts' },
  'root:sentinel-emulator': {
    file: 'README.md',
    first: 'npx otel-sentinel emulator --definitions build/sentinel/deploy/azuredeploy.json',
    test: blocks,
  },
  'root:gateway': {
    file: 'README.md',
    first: 'npx otel-sentinel gateway --mapping mapping.yaml --host 0.0.0.0 --upstream http://collector:4318',
    test: blocks,
  },
  'asim:init-connector': {
    file: 'docs/asim.md',
    first: 'npx otel-sentinel init --preset owasp --out mapping.yaml',
    test: blocks,
  },
  'asim:emulator': {
    file: 'docs/asim.md',
    first: 'npx otel-sentinel connector mapping.yaml --out build/sentinel --asim-custom-unifiers --force',
    test: blocks,
  },
  'asim:query': {
    file: 'docs/asim.md',
    first: 'npx otel-sentinel emulator query "imAuthentication | summarize Events = count() by EventResult"',
    test: blocks,
  },
  'console:start': {
    file: 'docs/console.md',
    first:
      'npx otel-sentinel connector examples/audit-app/mapping/security-mapping.yaml --out build/sentinel',
    test: blocks,
  },
  'examples:validate-map': {
    file: 'examples/README.md',
    first: 'pnpm exec otel-sentinel validate examples/mappings/app-security.yaml',
    test: blocks,
  },
  'audit-app:validate-connector': {
    file: 'examples/audit-app/README.md',
    first: 'export SENTINEL_DCE_ENDPOINT=https://contoso-dce-x1y2.westeurope-1.ingest.monitor.azure.com',
    test: blocks,
  },
  'audit-app:curl': {
    file: 'examples/audit-app/README.md',
    first: `curl -si localhost:3000/login -H 'content-type: application/json' -d '{"username":"bob","password":"nope"}'`,
    test: blocks,
  },
  'cli:probe': {
    file: 'packages/cli/README.md',
    first: 'otel-sentinel check mapping.yaml --probe',
    test: blocks,
  },
  'connector:arm': {
    file: 'packages/connector/README.md',
    first:
      'otel-sentinel connector examples/audit-app/mapping/security-mapping.yaml --out build/sentinel --arm',
    test: blocks,
  },
  'connector:emulator': {
    file: 'packages/connector/README.md',
    first: 'otel-sentinel emulator --definitions build/sentinel/Solutions/ContosoAudit',
    test: blocks,
  },
  'emulator:run': {
    file: 'packages/emulator/README.md',
    first: 'otel-sentinel emulator --mapping security-mapping.yaml',
    test: blocks,
  },
  'emulator:exports': {
    file: 'packages/emulator/README.md',
    first: 'export NODE_EXTRA_CA_CERTS=~/.cache/otel-sentinel/emulator/tls/ca.pem',
    test: blocks,
  },
  'ingestion:faults': {
    file: 'packages/emulator/docs/ingestion.md',
    first: 'curl --cacert "$CA" -X POST https://127.0.0.1:4443/admin/faults \\',
    test: blocks,
  },
  'init:sample': {
    file: 'packages/mapping/docs/init.md',
    first: 'otel-sentinel init --sample login-failed.json --table AppSecurityEvents_CL --out mapping.yaml',
    test: blocks,
  },
  'preset:validate-connector': {
    file: 'packages/owasp/docs/preset.md',
    first: 'otel-sentinel validate mapping.yaml',
    test: blocks,
  },
} as const satisfies Record<string, Claim>;

export type ClaimId = keyof typeof CLAIMS;
