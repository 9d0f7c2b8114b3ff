import { describe, expect, it } from 'vitest';

import {
  getSecurityContext,
  setSecuritySession,
  setSecurityUser,
  withSecurityContext,
} from '../src/index.js';
import type { SecurityContextFields } from '../src/index.js';
import { captureSecurityEvents, randomPause } from './support/capture.js';

describe('outside any context', () => {
  it('has no context, and setting a user or session does nothing', () => {
    expect(getSecurityContext()).toBeUndefined();
    expect(setSecurityUser('joebob1')).toBe(false);
    expect(setSecuritySession('sid')).toBe(false);
    expect(getSecurityContext()).toBeUndefined();
  });

  it('still emits events, with only their own attributes', () => {
    const { security, only } = captureSecurityEvents();

    security.sysStartup({ userId: 'ops' });

    expect(Object.keys(only().attributes).sort()).toStrictEqual([
      'owasp.category',
      'owasp.level',
      'owasp.result',
      'security.event',
      'user.id',
    ]);
  });
});

describe('withSecurityContext', () => {
  it('returns what the function returns, a promise included', async () => {
    expect(withSecurityContext({}, () => 42)).toBe(42);
    await expect(withSecurityContext({}, async () => Promise.resolve('done'))).resolves.toBe('done');
  });

  it('lets inner fields override outer ones, inherits the rest, and restores the outer context', () => {
    const seen: unknown[] = [];

    withSecurityContext({ clientAddress: '10.0.0.1', correlationId: 'outer', userId: 'alice' }, () => {
      withSecurityContext({ correlationId: 'inner' }, () => {
        setSecurityUser('bob');
        seen.push(getSecurityContext());
      });
      seen.push(getSecurityContext());
    });

    expect(seen).toStrictEqual([
      { clientAddress: '10.0.0.1', correlationId: 'inner', userId: 'bob', hasSession: false },
      { clientAddress: '10.0.0.1', correlationId: 'outer', userId: 'alice', hasSession: false },
    ]);
  });

  it('keeps the session of the outer context unless the inner one sets its own', () => {
    const sessions: boolean[] = [];

    withSecurityContext({ sessionId: 'outer-session' }, () => {
      withSecurityContext({ userId: 'u' }, () => sessions.push(getSecurityContext()?.hasSession ?? false));
    });

    expect(sessions).toStrictEqual([true]);
  });

  it('never shows the session id in a snapshot, its JSON or its inspection', () => {
    const shown = withSecurityContext({ sessionId: 'sid-visible-nowhere' }, () => {
      const snapshot = getSecurityContext();
      return `${JSON.stringify(snapshot)} ${String(Object.values(snapshot ?? {}))}`;
    });

    expect(shown).not.toContain('sid-visible-nowhere');
    expect(shown).toContain('"hasSession":true');
  });

  it('ignores fields that are not strings', () => {
    const fields = { clientAddress: 12, userId: 'u' } as unknown as SecurityContextFields;

    expect(withSecurityContext(fields, () => getSecurityContext())).toStrictEqual({
      userId: 'u',
      hasSession: false,
    });
  });

  it('gives each of 50 concurrent flows its own context across awaits and timers', async () => {
    const { security, records } = captureSecurityEvents();

    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        withSecurityContext({ clientAddress: `10.1.0.${i}`, correlationId: `flow-${i}` }, async () => {
          await randomPause();
          setSecurityUser(`user-${i}`);
          await new Promise<void>((resolve) =>
            setTimeout(() => {
              security.sensitiveRead({ userId: `user-${i}`, object: `/files/${i}` });
              resolve();
            }, Math.random() * 5),
          );
          await randomPause();
          security.maliciousCsrf();
        }),
      ),
    );

    expect(records()).toHaveLength(100);
    for (const record of records()) {
      const id = record.attributes['correlation.id'];
      expect(id).toMatch(/^flow-\d+$/);
      const i = (id as string).slice('flow-'.length);
      expect(record.attributes['client.address']).toBe(`10.1.0.${i}`);
      expect(record.attributes['user.id']).toBe(`user-${i}`);
    }
  });
});
