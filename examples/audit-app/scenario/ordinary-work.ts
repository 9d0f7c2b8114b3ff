// The benign part of the scenario: alice administers, bob works on invoices with the slips people
// make (a mistyped password, a wrong URL, a page he may not open). Each slip is a near miss for a
// detection, under its threshold.

import { stringField } from './client.js';
import { alice, bob } from './personas.js';
import type { Stage } from './stage.js';

export async function ordinaryWork(stage: Stage): Promise<void> {
  const { client } = stage;

  await stage.scene({ title: 'alice (admin) signs in and lists the users' }, async () => {
    const s = await stage.signIn(alice);
    await client.call(alice, 'GET /admin/users', { bearer: s, expect: 200 });
  });

  await stage.scene(
    {
      title:
        'bob mistypes his password, signs in, works on invoices, hits a wrong URL and an admin page, logs out',
    },
    async () => {
      await client.call(bob, 'POST /login', {
        body: { username: 'bob', password: 'bob-demo-pasword' },
        expect: 401,
      });
      const s = await stage.signIn(bob);
      await client.call(bob, 'GET /api/invoices/inv-1001', { bearer: s, expect: 200 });
      await client.call(bob, 'GET /api/invoices?customer=Fabrikam', { bearer: s, expect: 200 });
      const created = await client.call(bob, 'POST /api/invoices', {
        bearer: s,
        body: { customer: 'Wide World Importers', amountCents: 31_500, currency: 'EUR' },
        expect: 201,
      });
      const id = stringField(created.body, 'id');
      await client.call(bob, `PATCH /api/invoices/${id}`, {
        bearer: s,
        body: { status: 'sent' },
        expect: 200,
      });
      await client.call(bob, 'PATCH /api/invoices/inv-1001', {
        bearer: s,
        body: { status: 'paid' },
        expect: 200,
      });
      await client.call(bob, 'GET /api/invoice/inv-1001', { bearer: s, expect: 404 });
      await client.call(bob, 'GET /admin/users', { bearer: s, expect: 403 });
      await client.call(bob, 'POST /logout', { bearer: s, expect: 204 });
    },
  );
}
