// Scenes for Microsoft's ASIM rules (docs/asim-proof.md), played after the incident scenes by
// `runScenario(url, { asim: true })`: each makes one of Microsoft's rules fire on the app's own
// events, on top of what the incident scenes already give them (carol's refused logons, erin's
// sign-in from Shanghai, the Nikto scan). Kept out of the default scenario so the demo and the
// OWASP detections' scripted incidents see the same data as before.

import { alice, bob, bobAtHome, carol, enumerator, powershell } from './personas.js';
import type { Stage } from './stage.js';

/** How often bob's script asks: over the 200 refusals Microsoft's 403 rule needs. */
export const ADMIN_RETRIES = 201;
/** Unknown paths the enumerator asks for: the app reports every 20 misses, so 11 reports. */
export const ENUMERATED_PATHS = 220;

export async function playAsimScenes(stage: Stage): Promise<void> {
  const { client } = stage;

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

/** bob signs in again at his desk (his earlier session ended with his logout). */
async function signedIn(stage: Stage): Promise<string> {
  let session = '';
  await stage.scene({ title: 'bob signs in at his desk' }, async () => {
    session = await stage.signIn(bob);
  });
  return session;
}
