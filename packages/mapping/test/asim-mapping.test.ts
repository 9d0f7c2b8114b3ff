// The mapping file's ASIM keys: column roles and a stream's asim section, resolved to
// StreamConfig.asim and ColumnConfig.asim, and each mistake reported at its file:line:col with
// what to change. Expected declarations are written by hand from the file text.
import { describe, expect, it } from 'vitest';
import { formatProblem, parseMapping } from '../src/index.js';
import type { AsimStreamSpec, MappingProblem, StreamConfig } from '../src/index.js';
import { ENV, HEAD } from './helpers.js';

const COLUMNS = `    columns:
      TimeGenerated: timestamp
      EventOriginalType: eventName
      ActorUserId: { from: "attributes['user.id']", type: string, asim: ActorUserId }
      SrcIpAddr: "attributes['client.address']"
      Reason: "attributes['owasp.reason']"
      Status: { from: "attributes['http.response.status_code']", type: int }
`;

function mapping(asim: string, columns = COLUMNS, top = ''): string {
  return `${HEAD}${top}streams:
  - stream: Custom-Sec
    table: Sec_CL
${columns}${asim}`;
}

const AUTH = `    asim:
      schemas:
        Authentication:
          events:
            authn_login_success: { EventType: Logon, EventResult: Success }
            authn_login_fail: { EventType: Logon, EventResult: Failure }
          fields:
            TargetUserId: ActorUserId
            TargetUsername: ActorUserId
            EventResultDetails: { column: Reason, lookup: { maxretries: User locked }, otherwise: Other }
`;

function stream(text: string): StreamConfig {
  const r = parseMapping(text, { fileName: 'm.yaml', env: ENV });
  const errors = r.problems.filter((p) => p.severity === 'error');
  if (!r.config || errors.length > 0) throw new Error(errors.map(formatProblem).join('\n'));
  const [s] = r.config.streams;
  if (s === undefined) throw new Error('no stream');
  return s;
}

function errors(text: string): MappingProblem[] {
  return parseMapping(text, { fileName: 'm.yaml', env: ENV }).problems.filter((p) => p.severity === 'error');
}

/** The 1-based line and column of `needle` in `text`. */
function at(text: string, needle: string): { line: number; column: number } {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => l.includes(needle));
  return { line: i + 1, column: (lines[i]?.indexOf(needle) ?? 0) + 1 };
}

describe('a stream asim section', () => {
  it('resolves to the declaration the connector reads, defaults filled in', () => {
    const expected: AsimStreamSpec = {
      vendor: 'otel-sentinel',
      product: 'Sec',
      eventColumn: 'EventOriginalType',
      schemas: [
        {
          schema: 'Authentication',
          events: [
            { name: 'authn_login_success', set: { EventType: 'Logon', EventResult: 'Success' } },
            { name: 'authn_login_fail', set: { EventType: 'Logon', EventResult: 'Failure' } },
          ],
          fields: [
            { field: 'TargetUserId', column: 'ActorUserId' },
            { field: 'TargetUsername', column: 'ActorUserId' },
            {
              field: 'EventResultDetails',
              column: 'Reason',
              lookup: { maxretries: 'User locked' },
              otherwise: 'Other',
            },
            { field: 'ActorUserId', column: 'ActorUserId' },
            { field: 'EventOriginalType', column: 'EventOriginalType' },
            { field: 'SrcIpAddr', column: 'SrcIpAddr' },
            // TimeGenerated is the table's own column: no role to declare.
          ],
        },
      ],
    };
    expect(stream(mapping(AUTH)).asim).toEqual(expected);
  });

  it('takes vendor and product from the solution, and lets the section name its own', () => {
    const solution = 'solution:\n  name: Contoso Audit\n  publisher: Contoso\n';
    expect(stream(mapping(AUTH, COLUMNS, solution)).asim).toMatchObject({
      vendor: 'Contoso',
      product: 'Contoso Audit',
    });
    const own = AUTH.replace(
      '    asim:\n',
      '    asim:\n      vendor: Fabrikam\n      product: Fabrikam Web\n',
    );
    expect(stream(mapping(own, COLUMNS, solution)).asim).toMatchObject({
      vendor: 'Fabrikam',
      product: 'Fabrikam Web',
    });
  });

  it('keeps the roles a column declares, [] for asim: false, and nothing for a column without the key', () => {
    const columns = COLUMNS.replace(
      'Reason: "attributes[\'owasp.reason\']"',
      'Reason: { from: "attributes[\'owasp.reason\']", asim: false }',
    ).replace(
      'SrcIpAddr: "attributes[\'client.address\']"',
      `Client: { from: "attributes['client.address']", asim: [SrcIpAddr, DvcIpAddr] }`,
    );
    const s = stream(mapping('', columns));
    const roles = Object.fromEntries(s.columns.map((c) => [c.name, c.asim]));
    expect(roles).toEqual({
      TimeGenerated: undefined,
      EventOriginalType: undefined,
      ActorUserId: ['ActorUserId'],
      Client: ['SrcIpAddr', 'DvcIpAddr'],
      Reason: [],
      Status: undefined,
    });
    expect(s.asim).toBeUndefined();
  });

  it('gives a field to the schema override first, then a declared role, then a column of that name', () => {
    const columns = `${COLUMNS}      TargetUserId: "attributes['target']"\n      Who: { from: "attributes['who']", asim: TargetUsername }\n`;
    const asim = `    asim:
      schemas:
        Authentication:
          events:
            authn_login_fail: { EventType: Logon, EventResult: Failure }
          fields:
            TargetUserId: ActorUserId
            SrcIpAddr: false
`;
    const fields = stream(mapping(asim, columns)).asim?.schemas[0]?.fields;
    expect(fields).toContainEqual({ field: 'TargetUserId', column: 'ActorUserId' });
    expect(fields).toContainEqual({ field: 'TargetUsername', column: 'Who' });
    expect(fields?.some((f) => f.field === 'SrcIpAddr')).toBe(false);
  });

  it('keeps values an event gives only where the column is empty, as strings', () => {
    const asim = `    asim:
      schemas:
        WebSession:
          events:
            authz_fail: { EventType: ApiRequest, EventResult: Failure, ifEmpty: { EventResultDetails: 403 } }
          fields:
            EventResultDetails: Status
            Url: Reason
`;
    const web = stream(mapping(asim)).asim?.schemas[0];
    expect(web?.events).toEqual([
      {
        name: 'authz_fail',
        set: { EventType: 'ApiRequest', EventResult: 'Failure' },
        ifEmpty: { EventResultDetails: '403' },
      },
    ]);
    expect(web?.fields).toContainEqual({ field: 'EventResultDetails', column: 'Status' });
  });

  it('lists an event in two schemas', () => {
    const asim = `${AUTH}        UserManagement:
          events:
            authn_login_fail: { EventType: UserLocked, EventResult: Failure }
          fields:
            ActorUsername: ActorUserId
`;
    expect(stream(mapping(asim)).asim?.schemas.map((s) => s.schema)).toEqual([
      'Authentication',
      'UserManagement',
    ]);
  });
});

describe('ASIM mistakes in a mapping file', () => {
  it('names the allowed values of an event constant', () => {
    const text = mapping(
      AUTH.replace(
        '{ EventType: Logon, EventResult: Failure }',
        '{ EventType: Login, EventResult: Failure }',
      ),
    );
    const [e] = errors(text);
    expect(e).toMatchObject({ code: 'E_ASIM_VALUE', ...at(text, 'Login') });
    expect(e?.message).toBe('Authentication EventType must be one of Logon, Logoff, Elevate; got "Login"');
  });

  it('says when a value differs from an allowed one only in case', () => {
    const text = mapping(AUTH.replace('EventResult: Success', 'EventResult: success'));
    expect(errors(text)[0]?.message).toContain('(values are case-sensitive: Success)');
  });

  it('checks lookup results against the closed list', () => {
    const text = mapping(AUTH.replace('maxretries: User locked', 'maxretries: Locked'));
    const [e] = errors(text);
    expect(e).toMatchObject({ code: 'E_ASIM_VALUE', ...at(text, 'Locked }') });
    expect(e?.message).toContain('Authentication EventResultDetails must be one of No such user or password');
  });

  it('names an unknown role with the field it most likely means', () => {
    const text = mapping(AUTH, COLUMNS.replace('asim: ActorUserId', 'asim: ActorUserID'));
    const [e] = errors(text);
    expect(e).toMatchObject({ code: 'E_ASIM_FIELD', ...at(text, 'ActorUserID') });
    expect(e?.message).toContain('did you mean ActorUserId?');
  });

  it('refuses an alias as a role and says which field it repeats', () => {
    const text = mapping(AUTH, COLUMNS.replace('asim: ActorUserId', 'asim: IpAddr'));
    const [e] = errors(text);
    expect(e?.code).toBe('E_ASIM_ALIAS');
    expect(e?.message).toContain('IpAddr is an ASIM alias (of SrcIpAddr in Authentication');
    expect(e?.message).toContain('use SrcIpAddr instead');
  });

  it('refuses a role on a column whose type cannot carry the field', () => {
    const text = mapping(
      AUTH,
      COLUMNS.replace('type: int }', 'type: int, asim: SrcHostname }').replace(
        'ActorUserId: { from: "attributes[\'user.id\']", type: string, asim: ActorUserId }',
        'ActorUserId: { from: "attributes[\'user.id\']", type: string, asim: SrcPortNumber }',
      ),
    );
    const found = errors(text).map((e) => [e.code, e.message]);
    expect(found).toContainEqual([
      'E_ASIM_TYPE',
      'column ActorUserId is string, but ASIM Authentication SrcPortNumber is an int: give the column type int, or give the role to a column of that type',
    ]);
    // An int carries a string field (the parser converts it): no error for SrcHostname.
    expect(found.filter(([code]) => code === 'E_ASIM_TYPE')).toHaveLength(1);
  });

  it('refuses a field column the stream does not have', () => {
    const text = mapping(AUTH.replace('TargetUserId: ActorUserId', 'TargetUserId: ActorUser'));
    const [e] = errors(text);
    const line = at(text, 'TargetUserId: ActorUser');
    expect(e).toMatchObject({
      code: 'E_ASIM_COLUMN',
      line: line.line,
      column: line.column + 'TargetUserId: '.length,
    });
    expect(e?.message).toBe(
      'Authentication TargetUserId is read from column ActorUser, which this stream does not have; did you mean ActorUserId?',
    );
  });

  it('refuses a field the schema does not have, and an unknown schema', () => {
    const text = mapping(
      AUTH.replace('TargetUsername: ActorUserId', 'Operation: ActorUserId').replace(
        'Authentication:',
        'Authentification:',
      ),
    );
    const [e] = errors(text);
    expect(e).toMatchObject({ code: 'E_ASIM_SCHEMA', ...at(text, 'Authentification') });
    expect(e?.message).toContain('did you mean Authentication?');
    const field = errors(mapping(AUTH.replace('TargetUsername: ActorUserId', 'Operation: ActorUserId')));
    expect(field[0]?.message).toBe(
      'Authentication has no field Operation (ASIM field names are case-sensitive)',
    );
  });

  it('refuses an event twice in one schema', () => {
    const text = mapping(AUTH.replace('authn_login_fail:', 'authn_login_success:'));
    expect(errors(text)[0]?.message).toMatch(/unique|duplicate|twice/i);
  });

  it('reports a Mandatory field nothing fills, and on which events', () => {
    const asim = `    asim:
      schemas:
        AuditEvent:
          events:
            authz_admin: { EventType: Execute, EventResult: Success, Operation: authz_admin, ObjectType: Other }
            sys_startup: { EventType: Start, EventResult: Success, ObjectType: Service }
`;
    const text = mapping(asim);
    const found = errors(text);
    expect(found.map((e) => e.message)).toEqual([
      'AuditEvent requires Operation on every row, and nothing fills it (not set on: sys_startup): give a column the role (asim: Operation), name its column in asim.schemas.AuditEvent.fields.Operation, or set Operation on each event',
      'AuditEvent requires Object on every row, and nothing fills it (not set on: authz_admin, sys_startup): give a column the role (asim: Object), name its column in asim.schemas.AuditEvent.fields.Object, or set Object on each event',
    ]);
    expect(found[0]).toMatchObject({ code: 'E_ASIM_MANDATORY', ...at(text, 'AuditEvent:') });
  });

  it('reports two columns playing one field', () => {
    const columns = `${COLUMNS}      Uid: { from: "attributes['uid']", asim: ActorUserId }\n`;
    const text = mapping(AUTH, columns);
    const [e] = errors(text);
    const uid = at(text, 'Uid: {');
    const column = `      Uid: { from: "attributes['uid']", `.length + 'asim: '.length + 1;
    expect(e).toMatchObject({ code: 'E_ASIM_ROLE_TWICE', line: uid.line, column });
    expect(e?.message).toContain('columns ActorUserId and Uid both play Authentication ActorUserId');
  });

  it('needs the event column', () => {
    const text = mapping(
      AUTH,
      COLUMNS.replace('      EventOriginalType: eventName\n', '      Event: eventName\n'),
    );
    const [e] = errors(text);
    expect(e?.code).toBe('E_ASIM_EVENT_COLUMN');
    expect(e?.message).toContain('add a column EventOriginalType (from: eventName)');
    const named = errors(mapping(AUTH.replace('    asim:\n', '    asim:\n      eventColumn: Evnt\n')));
    expect(named[0]?.message).toBe('eventColumn Evnt is not a column of this stream');
  });

  it('checks a constant against the field type', () => {
    const text = mapping(
      AUTH.replace(
        '{ EventType: Logon, EventResult: Success }',
        '{ EventType: Logon, EventResult: Success, SrcPortNumber: http }',
      ),
    );
    expect(errors(text).map((e) => [e.code, e.message])).toEqual([
      ['E_ASIM_VALUE', 'Authentication SrcPortNumber is an int: "http" is not a whole number'],
    ]);
  });

  it('refuses a schema field read from a column whose type cannot carry it', () => {
    const text = mapping(AUTH.replace('TargetUserId: ActorUserId', 'SrcPortNumber: ActorUserId'));
    expect(errors(text).map((e) => [e.code, e.message])).toEqual([
      [
        'E_ASIM_TYPE',
        'Authentication SrcPortNumber is an int; column ActorUserId is string, which cannot carry it',
      ],
    ]);
  });

  it("checks a lookup's otherwise against the closed list", () => {
    const text = mapping(AUTH.replace('otherwise: Other', 'otherwise: Unknown'));
    const [e] = errors(text);
    expect(e).toMatchObject({ code: 'E_ASIM_VALUE', ...at(text, 'Unknown') });
  });
});
