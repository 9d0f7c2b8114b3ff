// Scenes for Microsoft's ASIM rules (docs/asim-proof.md), played after the incident scenes by
// `runScenario(url, { asim: true })`: each makes one of Microsoft's rules fire on the app's own
// events, on top of what the incident scenes already give them (carol's refused logons, erin's
// sign-in from Shanghai, the Nikto scan). Kept out of the default scenario so the demo and the
// OWASP detections' scripted incidents see the same data as before.

import {
  accountSprayer,
  alice,
  bob,
  bobAtHome,
  carol,
  enumerator,
  henry,
  ivan,
  oldLaptop,
  powershell,
} from './personas.js';
import type { Stage } from './stage.js';

/** How often bob's script asks: over the 200 refusals Microsoft's 403 rule needs. */
export const ADMIN_RETRIES = 201;
/** Unknown paths the enumerator asks for: the app reports every 20 misses, so 11 reports. */
export const ENUMERATED_PATHS = 220;
/** The accounts alice opens for the new sales team: 17 accounts in all. */
export const NEW_ACCOUNTS = ['kim', 'liam', 'mia', 'noah', 'olivia', 'paul', 'quinn'];
/** The accounts the sprayer tries: all but carol's (her failures are counted by the brute-force scene). */
export const SPRAYED_ACCOUNTS = [
  'alice',
  'bob',
  'dave',
  'erin',
  'frank',
  'grace',
  'henry',
  'ivan',
  'judy',
  ...NEW_ACCOUNTS,
];

export async function playAsimScenes(stage: Stage): Promise<void> {
  const { client } = stage;
  await playAccountScenes(stage);

  await stage.scene(
    { title: "alice lifts the lock on carol's account; carol signs in from her desk" },
    async () => {
      await client.call(alice, 'POST /admin/users/carol/unlock', {
        bearer: stage.session('alice'),
        expect: 200,
      });
      await stage.signIn(carol);
    },
  );

  const bobs = await signedIn(stage);
  await stage.scene(
    { title: `bob's script asks for the admin page ${ADMIN_RETRIES} times from home and is refused` },
    async () => {
      await stage.freshWindow();
      for (let i = 0; i < ADMIN_RETRIES; i++)
        await client.call(bobAtHome, 'GET /admin/users', { bearer: bobs, expect: 403 });
    },
  );

  await stage.scene({ title: "a PowerShell script with bob's session asks for the admin page" }, async () => {
    await client.call(powershell, 'GET /admin/users', { bearer: bobs, expect: 403 });
  });

  await stage.scene(
    { title: `an enumerator asks for ${ENUMERATED_PATHS} paths that do not exist from 203.0.113.45` },
    async () => {
      await stage.freshWindow();
      for (let i = 1; i <= ENUMERATED_PATHS; i++)
        await client.call(enumerator, `GET /backup/${String(i).padStart(3, '0')}.zip`, { expect: 404 });
    },
  );
}

/** alice opens the new accounts; a sprayer tries one password on 16 accounts; henry leaves. */
async function playAccountScenes(stage: Stage): Promise<void> {
  const { client } = stage;
  await stage.scene(
    { title: `alice opens ${NEW_ACCOUNTS.length} accounts for the new sales team` },
    async () => {
      for (const id of NEW_ACCOUNTS)
        await client.call(alice, 'POST /admin/users', {
          bearer: stage.session('alice'),
          body: { id, role: 'clerk', password: `${id}-demo-password` },
          expect: 201,
        });
    },
  );

  await stage.scene(
    { title: `a sprayer tries one password on ${SPRAYED_ACCOUNTS.length} accounts from 203.0.113.67` },
    async () => {
      await stage.freshWindow();
      for (const username of SPRAYED_ACCOUNTS)
        await client.call(accountSprayer, 'POST /login', {
          body: { username, password: 'Autumn2026!' },
          expect: 401,
        });
    },
  );

  await stage.scene(
    { title: "alice closes henry's account; henry tries it on his old laptop, then ivan signs in on it" },
    async () => {
      await client.call(alice, 'POST /admin/users/henry/archive', {
        bearer: stage.session('alice'),
        expect: 200,
      });
      await client.call(oldLaptop, 'POST /login', {
        body: { username: 'henry', password: henry.password },
        expect: 401,
      });
      await client.signIn(oldLaptop, 'ivan', ivan.password);
    },
  );
}

/** bob signs in again at his desk (his earlier session ended with his logout). */
async function signedIn(stage: Stage): Promise<string> {
  let session = '';
  await stage.scene({ title: 'bob signs in at his desk' }, async () => {
    session = await stage.signIn(bob);
  });
  return session;
}
