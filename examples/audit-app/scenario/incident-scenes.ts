// The attacks and misuse of the scenario: one incident for each detection, each made of requests
// the app handles as it would any others. Scenes run in order and name the rule they should trip;
// incidents.ts says what each rule must report.

import { stringField } from './client.js';
import {
  alice,
  dave,
  erin,
  frank,
  grace,
  guesser,
  henry,
  intruder,
  ivan,
  judy,
  prober,
  scanner,
  sessionThief,
  sprayer,
  tokenThief,
  traveller,
} from './personas.js';
import type { Stage } from './stage.js';

const SPRAYED_USERS = [
  'admin',
  'administrator',
  'root',
  'test',
  'guest',
  'info',
  'support',
  'sales',
  'user',
  'demo',
];
const SPRAYED_PASSWORDS = ['Winter2025!', 'Password1'];
const PROBED_PATHS = [
  '/.env',
  '/.git/config',
  '/wp-login.php',
  '/wp-admin/',
  '/phpmyadmin/',
  '/admin.php',
  '/backup.zip',
  '/backup.sql',
  '/db.sql',
  '/config.json',
  '/server-status',
  '/actuator/env',
  '/api/v1/users',
  '/api/debug',
  '/console',
  '/.aws/credentials',
  '/id_rsa',
  '/old/',
  '/test/',
  '/dump.tar.gz',
  '/web.config',
  '/.DS_Store',
] as const;
const READ_AUDIT = '/admin/monitors/invoice-read-audit';

/** Plays every incident; returns frank's API token, which is known only once it exists. */
export async function playIncidents(
  stage: Stage,
): Promise<{ readonly tokenId: string; readonly secret: string }> {
  const { client } = stage;

  await stage.scene(
    {
      title: 'a guesser tries 12 passwords for carol from 198.51.100.7: 3 wrong, then the account is locked',
      rule: 'brute-force-by-user.yaml',
    },
    async () => {
      await stage.freshWindow();
      for (let i = 1; i <= 12; i++) {
        const body = { username: 'carol', password: `carol${2014 + i}` };
        await client.call(guesser, 'POST /login', { body, expect: i <= 3 ? 401 : 423 });
      }
    },
  );

  await stage.scene(
    {
      title: `a sprayer tries ${SPRAYED_PASSWORDS.length} common passwords on ${SPRAYED_USERS.length} user names from 203.0.113.66`,
      rule: 'brute-force-by-source-ip.yaml',
    },
    async () => {
      await stage.freshWindow();
      for (const password of SPRAYED_PASSWORDS)
        for (const username of SPRAYED_USERS)
          await client.call(sprayer, 'POST /login', { body: { username, password }, expect: 401 });
    },
  );

  await stage.scene(
    {
      title:
        "an intruder fails 6 times as dave from 198.51.100.23; alice lifts dave's lock; the intruder gets in",
      rule: 'login-success-after-failures.yaml',
    },
    async () => {
      for (let i = 1; i <= 6; i++) {
        const body = { username: 'dave', password: `dave${i}!` };
        await client.call(intruder, 'POST /login', { body, expect: i <= 3 ? 401 : 423 });
      }
      await client.call(alice, 'POST /admin/users/dave/unlock', {
        bearer: stage.session('alice'),
        expect: 200,
      });
      stage.sessionIds.set(dave.id, await client.signIn(intruder, dave.id, dave.password));
    },
  );

  await stage.scene(
    {
      title:
        'the intruder, as dave, probes the invoice search with SQL injection and sets createdBy on a new invoice',
      rule: 'web-attack.yaml',
    },
    async () => {
      const bearer = stage.session('dave');
      for (const text of ["' OR 1=1 --", "x' UNION SELECT id, passwordHash FROM users --"])
        await client.call(intruder, `GET /api/invoices?customer=${encodeURIComponent(text)}`, {
          bearer,
          expect: 400,
        });
      const body = { customer: 'Intruder Ltd', amountCents: 1, currency: 'EUR', createdBy: 'alice' };
      await client.call(intruder, 'POST /api/invoices', { bearer, body, expect: 400 });
    },
  );

  await stage.scene(
    {
      title:
        'erin signs in at the office (NL-NH); minutes later her password is used from 203.0.113.88 (CN-SH)',
      rule: 'impossible-travel.yaml',
    },
    async () => {
      const s = await stage.signIn(erin);
      await client.call(erin, 'GET /api/invoices/inv-1002', { bearer: s, expect: 200 });
      await client.signIn(traveller, erin.id, erin.password);
    },
  );

  let token = { tokenId: '', secret: '' };
  await stage.scene(
    {
      title: 'frank creates an API token, uses it, revokes it; a thief presents it twice from 198.51.100.99',
      rule: 'token-reuse.yaml',
    },
    async () => {
      const s = await stage.signIn(frank);
      const created = await client.call(frank, 'POST /api/tokens', { bearer: s, expect: 201 });
      token = { tokenId: stringField(created.body, 'tokenId'), secret: stringField(created.body, 'token') };
      await client.call(frank, 'GET /api/invoices/inv-1001', { bearer: token.secret, expect: 200 });
      await client.call(frank, `DELETE /api/tokens/${token.tokenId}`, { bearer: s, expect: 204 });
      for (let i = 0; i < 2; i++)
        await client.call(tokenThief, 'GET /api/invoices?customer=', { bearer: token.secret, expect: 401 });
    },
  );

  await stage.scene(
    { title: 'grace (a clerk) signs in; alice makes her an admin', rule: 'privilege-change.yaml' },
    async () => {
      await stage.signIn(grace);
      const body = { role: 'admin' };
      await client.call(alice, 'PUT /admin/users/grace/role', {
        bearer: stage.session('alice'),
        body,
        expect: 200,
      });
    },
  );

  await stage.scene(
    {
      title: 'grace switches off the audit of invoice reads and reads one; alice switches it back on',
      rule: 'monitoring-disabled.yaml',
    },
    async () => {
      const bearer = stage.session('grace');
      await client.call(grace, `PUT ${READ_AUDIT}`, { bearer, body: { enabled: false }, expect: 200 });
      await client.call(grace, 'GET /api/invoices/inv-1002', { bearer, expect: 200 });
      const asAlice = { bearer: stage.session('alice'), body: { enabled: true }, expect: 200 };
      await client.call(alice, `PUT ${READ_AUDIT}`, asAlice);
    },
  );

  await stage.scene({ title: 'Nikto scans the app from 203.0.113.5', rule: 'attack-tool.yaml' }, async () => {
    for (const path of ['/', '/admin/users', '/login'] as const)
      await client.call(scanner, `GET ${path}`, { expect: 403 });
  });

  await stage.scene(
    {
      title: `a prober tries ${PROBED_PATHS.length} paths that do not exist from 203.0.113.44`,
      rule: 'excessive-404.yaml',
    },
    async () => {
      for (const path of PROBED_PATHS) await client.call(prober, `GET ${path}`, { expect: 404 });
    },
  );

  await stage.scene(
    {
      title: 'henry marks the draft invoice inv-1003 paid without sending it',
      rule: 'sequence-failure.yaml',
    },
    async () => {
      const s = await stage.signIn(henry);
      await client.call(henry, 'PATCH /api/invoices/inv-1003', {
        bearer: s,
        body: { status: 'paid' },
        expect: 409,
      });
    },
  );

  await stage.scene(
    {
      title: 'ivan logs out; a thief presents his old session twice from 198.51.100.71',
      rule: 'session-use-after-expire.yaml',
    },
    async () => {
      const s = await stage.signIn(ivan);
      await client.call(ivan, 'GET /api/invoices/inv-1001', { bearer: s, expect: 200 });
      await client.call(ivan, 'POST /logout', { bearer: s, expect: 204 });
      for (let i = 0; i < 2; i++)
        await client.call(sessionThief, 'GET /api/invoices/inv-1001', { bearer: s, expect: 401 });
    },
  );

  await stage.scene(
    {
      title: "judy's sync script polls an invoice 26 times in a burst (the limit is 20 per 10 s)",
      rule: 'rate-limit-abuse.yaml',
    },
    async () => {
      const s = await stage.signIn(judy);
      await stage.freshWindow();
      for (let i = 1; i <= 26; i++)
        await client.call(judy, 'GET /api/invoices/inv-1002', { bearer: s, expect: i <= 20 ? 200 : 429 });
    },
  );

  return token;
}
