// The local ASIM walk-through: `otel-sentinel connector --asim-custom-unifiers` writes a solution,
// `otel-sentinel emulator --definitions` serves it, and `otel-sentinel emulator query` (another
// process) sees the same workspace functions: the solution's parsers, the functions PUT through
// the management API, the ASIM stand-ins and the files given with --external-data.
import { request } from 'node:https';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClientSecretCredential } from '@azure/identity';
import { openStore } from '@otel-sentinel/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, runCli, tempDir } from './support/run-cli.js';
import { startCli, stopCli, type Started } from './support/start-cli.js';

const SOLUTION_FLAGS = [
  ...['--name', 'Contoso Audit', '--publisher', 'Contoso', '--publisher-id', 'contoso'],
  ...['--offer-id', 'contoso-audit', '--solution-version', '1.0.0', '--description', 'Sign-ins'],
  ...['--support-name', 'SecOps', '--support-email', 'secops@contoso.example'],
  ...['--support-link', 'https://contoso.example/support', '--support-tier', 'Partner'],
];
const TEAMS_URL = 'https://contoso.example/lists/teams.csv?v=2';

/** Sign-ins as the app's mapping stores them in ShopAuth_CL, and one event that is not one. */
const ROWS = [
  row('2026-12-07T09:00:00Z', 'authn_login_success', 'alice@contoso.example', '198.51.100.7', null),
  row('2026-12-07T09:01:00Z', 'authn_login_fail', 'bob', '203.0.113.9', 'maxretries'),
  row('2026-12-07T09:02:00Z', 'authn_login_fail', 'carol', '203.0.113.9', 'badpassword'),
  row('2026-12-07T09:03:00Z', 'input_validation_fail', 'carol', '203.0.113.9', null),
];

function row(time: string, event: string, user: string, ip: string, reason: string | null) {
  return {
    TimeGenerated: time,
    EventOriginalType: event,
    TargetUsername: user,
    SrcIpAddr: ip,
    Reason: reason,
    Debug: 'kept out of the parser',
  };
}

/** `emulator query <kql>` against `data`, the way a user runs it next to the running emulator. */
function query(kql: string, data: string) {
  return runCli(['emulator', 'query', kql, '--data', data]);
}

describe('emulator query over a solution with ASIM parsers', () => {
  const data = tempDir();
  let emulator: Started;

  beforeAll(async () => {
    const out = tempDir();
    const mapping = join(FIXTURES, 'mappings', 'asim-auth.yaml');
    const made = runCli(['connector', mapping, '--out', out, '--asim-custom-unifiers', ...SOLUTION_FLAGS]);
    expect(made.status, made.stderr).toBe(0);
    const teams = join(out, 'teams.csv');
    writeFileSync(teams, 'bob,Payments\ncarol,Support\n');
    emulator = await startCli(
      ['emulator', '--port', '0', '--quiet', '--data', data]
        .concat(['--definitions', join(out, 'Solutions/ContosoAudit')])
        .concat(['--external-data', `${TEAMS_URL}=${teams}`]),
      { env: { PATH: process.env.PATH ?? '', HOME: data }, until: 'export SENTINEL_DCE_ENDPOINT=' },
    );
    const store = openStore(join(data, 'emulator.sqlite'));
    store.insert('ShopAuth_CL', ROWS, new Date('2026-12-07T09:05:00Z'));
    store.close();
  });

  afterAll(async () => {
    expect(await stopCli(emulator, 'SIGINT')).toBe(0);
  });

  it('runs imAuthentication (the stand-in over the solution Im_AuthenticationCustom) on the stored sign-ins', () => {
    const r = query(
      'imAuthentication | project TargetUsername, EventType, EventResult, SrcIpAddr, EventVendor, EventProduct | order by TargetUsername asc',
      data,
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      [
        'TargetUsername         EventType  EventResult  SrcIpAddr     EventVendor  EventProduct',
        '---------------------  ---------  -----------  ------------  -----------  ------------',
        'alice@contoso.example  Logon      Success      198.51.100.7  Contoso      Shop',
        'bob                    Logon      Failure      203.0.113.9   Contoso      Shop',
        'carol                  Logon      Failure      203.0.113.9   Contoso      Shop',
        '(3 rows)',
        '',
      ].join('\n'),
    );
  });

  it('passes the filtering parameters through to the solution parser', () => {
    const r = query(
      "imAuthentication(eventresult='Failure', username_has_any=dynamic(['bob'])) | project TargetUsername, EventResult",
      data,
    );
    expect(r.stdout).toBe(
      [
        'TargetUsername  EventResult',
        '--------------  -----------',
        'bob             Failure',
        '(1 row)',
        '',
      ].join('\n'),
    );
  });

  it('reads the file given with --external-data for its URL', () => {
    const r = query(
      `imAuthentication | where EventResult == 'Failure' | lookup (externaldata(TargetUsername:string, Team:string) ['${TEAMS_URL}'] with (format='csv')) on TargetUsername | project TargetUsername, EventResultDetails, Team | order by TargetUsername asc`,
      data,
    );
    expect(r.stdout).toBe(
      [
        'TargetUsername  EventResultDetails  Team',
        '--------------  ------------------  --------',
        'bob             User locked         Payments',
        'carol           Other               Support',
        '(2 rows)',
        '',
      ].join('\n'),
    );
  });

  it('sees a function PUT through the management API while the emulator runs', async () => {
    await putSavedSearch(emulator, 'LockedShopUsers', {
      category: 'ASIM',
      displayName: 'Locked shop users',
      query: "imAuthentication | where EventResultDetails == 'User locked' | project TargetUsername",
      functionAlias: 'LockedShopUsers',
    });
    const r = query('LockedShopUsers', data);
    expect(r.stdout).toBe(['TargetUsername', '--------------', 'bob', '(1 row)', ''].join('\n'));
  });

  it('refuses a call of an unknown function in one line naming it', () => {
    const r = query('imAuthenticationX | count', data);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^otel-sentinel: Failed to resolve table or function 'imAuthenticationX' /);
  });

  it('refuses an externaldata URL the emulator was not given, in one line naming the URL and the flag', () => {
    const url = 'https://contoso.example/lists/unknown.csv';
    const r = query(`externaldata(User:string) ['${url}'] | count`, data);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`externaldata: no file for URL '${url}'`);
    expect(r.stderr).toContain('--external-data <url>=<local file>');
  });
});

describe('emulator --external-data', () => {
  const SOLUTION = join(FIXTURES, '../../../emulator/test/fixtures/definitions/solution/Solutions/Acme');

  it('refuses a pair without "=" in one line naming it', () => {
    const r = runCli(
      ['emulator', '--port', '0', '--in-memory', '--definitions', SOLUTION].concat([
        '--data',
        tempDir(),
        '--external-data',
        'https://contoso.example/a.csv',
      ]),
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      'otel-sentinel: --external-data "https://contoso.example/a.csv": give <url>=<local file>, e.g. https://example.com/list.csv=data/list.csv\n',
    );
  });

  it('refuses a file that does not exist in one line naming the pair and the file', () => {
    const dir = tempDir();
    const r = runCli(
      ['emulator', '--port', '0', '--in-memory', '--definitions', SOLUTION].concat([
        '--data',
        dir,
        '--external-data',
        'https://contoso.example/a.csv=missing.csv',
      ]),
      { cwd: dir },
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      `otel-sentinel: --external-data "https://contoso.example/a.csv=missing.csv": no such file ${join(dir, 'missing.csv')}; give the local copy of that URL's file\n`,
    );
  });
});

/** `PUT …/savedSearches/<name>` with a token for the emulator's app, as an ARM deployment does. */
async function putSavedSearch(started: Started, name: string, properties: Record<string, string>) {
  const env = Object.fromEntries(
    [...started.out.matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1] ?? '', m[2] ?? '']),
  );
  const origin = env.AZURE_AUTHORITY_HOST ?? '';
  const ca = readFileSync(env.NODE_EXTRA_CA_CERTS ?? '', 'utf8');
  const credential = new ClientSecretCredential(
    env.AZURE_TENANT_ID ?? '',
    env.AZURE_CLIENT_ID ?? '',
    env.AZURE_CLIENT_SECRET ?? '',
    { authorityHost: origin, disableInstanceDiscovery: true, tlsOptions: { ca } },
  );
  const token = await credential.getToken(`${origin}/.default`);
  const path =
    '/subscriptions/00000000-0000-4000-8000-00000000e3a5/resourceGroups/otel-sentinel-emulator/providers/' +
    `Microsoft.OperationalInsights/workspaces/otel-sentinel-emulator/savedSearches/${name}?api-version=2020-08-01`;
  const status = await new Promise<number | undefined>((resolve, reject) => {
    const req = request(
      new URL(path, origin),
      {
        method: 'PUT',
        ca,
        headers: { authorization: `Bearer ${token.token}`, 'content-type': 'application/json' },
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          resolve(res.statusCode);
        });
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ properties }));
  });
  expect(status).toBe(200);
}
