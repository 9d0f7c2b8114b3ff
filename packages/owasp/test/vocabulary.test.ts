import { isSensitiveKey } from '@otel-sentinel/mapping';
import { describe, expect, it } from 'vitest';

import { compileEvent } from '../src/compile-event.js';
import { CONTEXT_FIELDS } from '../src/context.js';
import { OWASP_EVENTS, resultOf } from '../src/index.js';
import { methodNameOf } from '../src/method-name.js';
import { CONTEXT_ATTRIBUTES } from '../src/vocabulary.js';

// The cheat sheet's 57 events and levels, typed in from the sheet, not from vocabulary.ts.
const LEVELS: Record<string, string> = {
  authn_login_success: 'INFO',
  authn_login_successafterfail: 'INFO',
  authn_login_fail: 'WARN',
  authn_login_fail_max: 'WARN',
  authn_login_lock: 'WARN',
  authn_password_change: 'INFO',
  authn_password_change_fail: 'CRITICAL',
  authn_impossible_travel: 'CRITICAL',
  authn_token_created: 'INFO',
  authn_token_revoked: 'INFO',
  authn_token_reuse: 'CRITICAL',
  authn_token_delete: 'WARN',
  authz_fail: 'CRITICAL',
  authz_change: 'WARN',
  authz_admin: 'WARN',
  crypt_decrypt_fail: 'WARN',
  crypt_encrypt_fail: 'WARN',
  excess_rate_limit_exceeded: 'WARN',
  excess_sessions_exceeded: 'WARN',
  upload_complete: 'INFO',
  upload_stored: 'INFO',
  upload_validation: 'INFO',
  upload_delete: 'INFO',
  input_validation_fail: 'WARN',
  input_validation_discrete_fail: 'WARN',
  malicious_excess_404: 'WARN',
  malicious_extraneous: 'CRITICAL',
  malicious_attack_tool: 'CRITICAL',
  malicious_sqli: 'CRITICAL',
  malicious_cors: 'CRITICAL',
  malicious_direct_reference: 'CRITICAL',
  malicious_csrf: 'WARN',
  malicious_csp_violation: 'WARN',
  mcp_prompt_injection: 'WARN',
  mcp_resource_exhaustion: 'WARN',
  mcp_tool_poisoning: 'WARN',
  privilege_permissions_changed: 'WARN',
  sensitive_create: 'WARN',
  sensitive_read: 'WARN',
  sensitive_update: 'WARN',
  sensitive_delete: 'WARN',
  sequence_fail: 'CRITICAL',
  session_created: 'INFO',
  session_renewed: 'INFO',
  session_expired: 'INFO',
  session_logout: 'INFO',
  session_use_after_expire: 'CRITICAL',
  sys_startup: 'WARN',
  sys_shutdown: 'WARN',
  sys_restart: 'WARN',
  sys_crash: 'WARN',
  sys_monitor_disabled: 'WARN',
  sys_monitor_enabled: 'WARN',
  user_created: 'WARN',
  user_updated: 'WARN',
  user_archived: 'WARN',
  user_deleted: 'WARN',
};

// The sheet's history: the events added after the 2024 baseline, with the month they came.
const RECENT: Record<string, string> = {
  crypt_decrypt_fail: '2025-01',
  crypt_encrypt_fail: '2025-01',
  input_validation_discrete_fail: '2025-10',
  malicious_sqli: '2026-02',
  mcp_prompt_injection: '2026-02',
  mcp_resource_exhaustion: '2026-02',
  mcp_tool_poisoning: '2026-02',
  excess_sessions_exceeded: '2026-06',
  malicious_csrf: '2026-06',
  malicious_csp_violation: '2026-06',
  session_logout: '2026-06',
};

const FAILURES = new Set([
  'authn_login_fail',
  'authn_login_fail_max',
  'authn_login_lock',
  'authn_password_change_fail',
  'authn_impossible_travel',
  'authn_token_reuse',
  'authz_fail',
  'crypt_decrypt_fail',
  'crypt_encrypt_fail',
  'excess_rate_limit_exceeded',
  'excess_sessions_exceeded',
  'input_validation_fail',
  'input_validation_discrete_fail',
  'malicious_excess_404',
  'malicious_extraneous',
  'malicious_attack_tool',
  'malicious_sqli',
  'malicious_cors',
  'malicious_direct_reference',
  'malicious_csrf',
  'malicious_csp_violation',
  'mcp_prompt_injection',
  'mcp_resource_exhaustion',
  'mcp_tool_poisoning',
  'sequence_fail',
  'session_use_after_expire',
  'sys_crash',
]);
const NOT_APPLICABLE = new Set([
  'sys_startup',
  'sys_shutdown',
  'sys_restart',
  'sys_monitor_disabled',
  'sys_monitor_enabled',
]);

describe('the vocabulary table', () => {
  it("has the sheet's 57 events, each once, at the sheet's level", () => {
    expect(Object.fromEntries(OWASP_EVENTS.map((e) => [e.name, e.level]))).toStrictEqual(LEVELS);
    expect(OWASP_EVENTS).toHaveLength(57);
  });

  it('flags the 11 events added since the 2024 baseline, with the month each came', () => {
    const recent = OWASP_EVENTS.filter((e) => e.recent);

    expect(Object.fromEntries(recent.map((e) => [e.name, e.since]))).toStrictEqual(RECENT);
    expect(OWASP_EVENTS.filter((e) => !e.recent && e.since !== undefined)).toStrictEqual([]);
  });

  it.each(OWASP_EVENTS.map((e) => [e.name, e] as const))('gives %s the documented result', (name, event) => {
    expect(resultOf(event)).toBe(
      FAILURES.has(name) ? 'Failure' : NOT_APPLICABLE.has(name) ? 'NA' : 'Success',
    );
  });

  it('names only parameters or context fields in descriptions', () => {
    for (const event of OWASP_EVENTS) expect(() => compileEvent(event)).not.toThrow();
  });

  it('rejects a description naming anything else', () => {
    const [first] = OWASP_EVENTS;
    if (first === undefined) throw new Error('no events');
    const broken = { ...first, description: 'User {password} logged in' };

    expect(() => compileEvent(broken)).toThrow(/\{password\} is neither a parameter nor a context field/);
  });

  it('has no parameter or attribute whose name marks a secret, and no payload parameter', () => {
    for (const event of OWASP_EVENTS)
      for (const param of event.params) {
        expect(isSensitiveKey(param.name), `${event.name}.${param.name}`).toBe(false);
        expect(isSensitiveKey(param.attribute), `${event.name}.${param.attribute}`).toBe(false);
        expect(param.name).not.toMatch(/payload|prompt|password/i);
      }
  });

  it('gives each event a distinct helper name in camelCase', () => {
    const names = OWASP_EVENTS.map((e) => methodNameOf(e.name));

    expect(new Set(names).size).toBe(57);
    for (const name of names) expect(name).toMatch(/^[a-z][A-Za-z0-9]*$/);
    expect(methodNameOf('malicious_excess_404')).toBe('maliciousExcess404');
  });

  it('fills every context attribute but the session hash from a context field of the same name', () => {
    expect([...CONTEXT_FIELDS, 'sessionHash'].sort()).toStrictEqual(Object.keys(CONTEXT_ATTRIBUTES).sort());
  });

  it('never repeats an attribute within an event', () => {
    for (const event of OWASP_EVENTS) {
      const attributes = event.params.map((p) => p.attribute);
      expect(new Set(attributes).size, event.name).toBe(attributes.length);
    }
  });
});
