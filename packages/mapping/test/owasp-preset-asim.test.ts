// The owasp preset's ASIM declaration against a table written by hand from the preset's rules
// (packages/owasp/docs/preset.md, "ASIM"): which schema each OWASP event belongs to and with which
// EventType, the statuses WebSession events imply, and where each schema reads its users from.
// The OWASP vocabulary (read from @otel-sentinel/owasp's source) is the list every event of which
// must land in a schema, and its resultOf the EventResult each constant must agree with.
import { describe, expect, it } from 'vitest';
import { OWASP_EVENTS, resultOf } from '../../owasp/src/vocabulary.ts';
import type { AsimSchemaSpec, AsimStreamSpec } from '../src/index.js';
import { formatProblem, parseMapping } from '../src/index.js';
import { ENV, HEAD } from './helpers.js';

function presetAsim(): AsimStreamSpec {
  const r = parseMapping(`${HEAD}extends: owasp\n`, { fileName: 'm.yaml', env: ENV });
  const asim = r.config?.streams[0]?.asim;
  if (asim === undefined) throw new Error(r.problems.map(formatProblem).join('\n'));
  return asim;
}

const asim = presetAsim();
const schema = (name: string): AsimSchemaSpec => {
  const s = asim.schemas.find((x) => x.schema === name);
  if (s === undefined) throw new Error(`no ${name}`);
  return s;
};
const eventTypes = (name: string): Record<string, string | undefined> =>
  Object.fromEntries(schema(name).events.map((e) => [e.name, e.set.EventType]));

describe("the owasp preset's ASIM declaration", () => {
  it('names the table as vendor and product unless the solution says otherwise, and reads events from EventOriginalType', () => {
    expect({ vendor: asim.vendor, product: asim.product, eventColumn: asim.eventColumn }).toEqual({
      vendor: 'otel-sentinel',
      product: 'OwaspSecurityEvents',
      eventColumn: 'EventOriginalType',
    });
  });

  it('puts sign-ins, sign-outs and refused sessions in Authentication', () => {
    expect(eventTypes('Authentication')).toEqual({
      authn_login_success: 'Logon',
      authn_login_successafterfail: 'Logon',
      authn_login_fail: 'Logon',
      authn_login_fail_max: 'Logon',
      authn_login_lock: 'Logon',
      authn_impossible_travel: 'Logon',
      authn_token_reuse: 'Logon',
      excess_sessions_exceeded: 'Logon',
      session_use_after_expire: 'Logon',
      session_logout: 'Logoff',
      session_expired: 'Logoff',
    });
  });

  it('puts account changes in UserManagement', () => {
    expect(eventTypes('UserManagement')).toEqual({
      user_created: 'UserCreated',
      user_updated: 'UserModified',
      user_archived: 'UserDisabled',
      user_deleted: 'UserDeleted',
      authn_password_change: 'PasswordChanged',
      authn_password_change_fail: 'PasswordChanged',
      authn_login_lock: 'UserLocked',
    });
  });

  it('puts administration, privileges, tokens, uploads, sensitive data and system events in AuditEvent', () => {
    expect(eventTypes('AuditEvent')).toEqual({
      authz_admin: 'Execute',
      authz_change: 'Set',
      privilege_permissions_changed: 'Set',
      authn_token_created: 'Create',
      authn_token_revoked: 'Disable',
      authn_token_delete: 'Delete',
      crypt_decrypt_fail: 'Execute',
      crypt_encrypt_fail: 'Execute',
      upload_complete: 'Create',
      upload_stored: 'Create',
      upload_validation: 'Execute',
      upload_delete: 'Delete',
      sensitive_create: 'Create',
      sensitive_read: 'Read',
      sensitive_update: 'Set',
      sensitive_delete: 'Delete',
      session_created: 'Create',
      session_renewed: 'Set',
      sys_startup: 'Start',
      sys_shutdown: 'Stop',
      sys_restart: 'Start',
      sys_crash: 'Terminate',
      sys_monitor_disabled: 'Disable',
      sys_monitor_enabled: 'Enable',
    });
  });

  it('puts refused and malicious requests in WebSession as API requests', () => {
    const web = eventTypes('WebSession');
    expect(Object.keys(web).sort()).toEqual(
      [
        'authz_fail',
        'excess_rate_limit_exceeded',
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
        'sequence_fail',
        'mcp_prompt_injection',
        'mcp_resource_exhaustion',
        'mcp_tool_poisoning',
      ].sort(),
    );
    expect(new Set(Object.values(web))).toEqual(new Set(['ApiRequest']));
  });

  it('gives a WebSession event the HTTP status it implies only where the record carries none', () => {
    const implied = Object.fromEntries(
      schema('WebSession')
        .events.filter((e) => e.ifEmpty !== undefined)
        .map((e) => [e.name, e.ifEmpty?.EventResultDetails]),
    );
    expect(implied).toEqual({
      authz_fail: '403',
      excess_rate_limit_exceeded: '429',
      input_validation_fail: '400',
      input_validation_discrete_fail: '400',
      malicious_excess_404: '404',
    });
    expect(schema('WebSession').events.every((e) => e.set.EventResultDetails === undefined)).toBe(true);
    expect(schema('WebSession').fields).toContainEqual({
      field: 'EventResultDetails',
      column: 'HttpStatusCode',
    });
  });

  it('places every OWASP event the helpers emit in at least one schema', () => {
    const placed = new Set(asim.schemas.flatMap((s) => s.events.map((e) => e.name)));
    expect(OWASP_EVENTS.map((e) => e.name).filter((n) => !placed.has(n))).toEqual([]);
    expect(OWASP_EVENTS).toHaveLength(57);
  });

  it("sets EventResult as the OWASP helpers' resultOf does, except where the result varies", () => {
    for (const s of asim.schemas)
      for (const e of s.events) {
        const event = OWASP_EVENTS.find((x) => x.name === e.name);
        if (event === undefined) throw new Error(`${e.name} is not an OWASP event`);
        // A locked account is a success for UserManagement: the lock was applied.
        const expected =
          e.name === 'authn_login_lock' && s.schema === 'UserManagement' ? 'Success' : resultOf(event);
        if (e.name === 'upload_validation') expect(e.set.EventResult).toBeUndefined();
        else expect(e.set.EventResult, `${s.schema} ${e.name}`).toBe(expected);
      }
  });

  it('translates OWASP reasons to the Authentication list, Other for the rest', () => {
    const details = schema('Authentication').fields.find((f) => f.field === 'EventResultDetails');
    expect(details).toMatchObject({ column: 'EventResultDetails', otherwise: 'Other' });
    expect(details?.lookup).toMatchObject({
      maxretries: 'User locked',
      disabled: 'User disabled',
      unknown_user: 'No such user',
      bad_password: 'Incorrect password',
    });
  });

  it('reads the user signing in as the target user, and the acting user as the actor elsewhere', () => {
    expect(schema('Authentication').fields).toEqual(
      expect.arrayContaining([
        { field: 'TargetUserId', column: 'ActorUserId' },
        { field: 'TargetUsername', column: 'ActorUserId' },
        { field: 'SrcGeoCountry', column: 'SrcGeoCountry' },
      ]),
    );
    expect(schema('UserManagement').fields).toEqual(
      expect.arrayContaining([
        { field: 'ActorUsername', column: 'ActorUserId' },
        { field: 'TargetUserId', column: 'TargetUserId' },
        { field: 'TargetUsername', column: 'TargetUserId' },
      ]),
    );
    expect(schema('UserManagement').fields.some((f) => f.field === 'EventResultDetails')).toBe(false);
    expect(schema('AuditEvent').fields).toEqual(
      expect.arrayContaining([
        { field: 'Operation', column: 'EventOriginalType' },
        { field: 'ActorUsername', column: 'ActorUserId' },
        { field: 'Object', column: 'Object' },
      ]),
    );
    expect(schema('WebSession').fields).toEqual(
      expect.arrayContaining([
        { field: 'SrcUserId', column: 'ActorUserId' },
        { field: 'Url', column: 'Url' },
      ]),
    );
  });
});
