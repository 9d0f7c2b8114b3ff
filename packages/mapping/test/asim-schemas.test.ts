// The ASIM field catalogue against Microsoft's own machine-readable field list, ASimTester.csv
// (stored verbatim under third_party/ with its source and licence), as the independent oracle:
// every Mandatory and Recommended field, every alias and every conditional companion of the four
// schemas must be in the catalogue with the CSV's type and class, and every field of the
// catalogue must be one the CSV knows, except the differences listed below, each with its reason.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ASIM_SCHEMA_NAMES, type AsimSchemaName } from '../src/asim/model.js';
import {
  ASIM_SCHEMA_VERSIONS,
  asimAliases,
  asimField,
  asimMandatoryFields,
  asimSchema,
  isAsimSchemaName,
} from '../src/asim/schemas.js';

const CSV_PATH = fileURLToPath(
  new URL('../../../third_party/azure-sentinel/ASIM/dev/ASimTester/ASimTester.csv', import.meta.url),
);

interface CsvRow {
  readonly name: string;
  readonly type: string;
  readonly cls: string;
  readonly schema: string;
  readonly values: readonly string[];
  readonly aliased: string;
}

function readCsv(): CsvRow[] {
  const lines = readFileSync(CSV_PATH, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  expect(lines[0]).toBe('ColumnName,ColumnType,Class,Schema,LogicalType,ListOfValues,Aliased');
  return lines.slice(1).map((line) => {
    const [name = '', type = '', cls = '', schema = '', , list = '', aliased = ''] = line.split(',');
    const values =
      list === ''
        ? []
        : list
            .split('|')
            .map((v) => v.trim())
            .filter((v) => v !== '');
    return { name, type, cls, schema, values, aliased };
  });
}

const ROWS = readCsv();

/** The rows ASimSchemaTester uses for a schema: the Common rows, replaced by the schema's own. */
function csvView(schema: AsimSchemaName): Map<string, CsvRow> {
  const view = new Map<string, CsvRow>();
  for (const row of ROWS.filter((r) => r.schema === 'Common')) view.set(row.name, row);
  for (const row of ROWS.filter((r) => r.schema === schema)) view.set(row.name, row);
  return view;
}

/**
 * Where the catalogue says something else than the CSV @50ea427, and why. `type`/`cls`: what the
 * catalogue has instead of the CSV's value.
 */
const DIFFERENCES: Readonly<
  Record<AsimSchemaName, Readonly<Record<string, { type?: string; cls?: string; why: string }>>>
> = {
  Authentication: {
    User: {
      cls: 'Alias',
      why: 'the schema document makes User an alias of TargetUsername (the CSV: Optional)',
    },
  },
  AuditEvent: {
    Object: { cls: 'Mandatory', why: 'the schema document makes Object Mandatory (the CSV: Recommended)' },
    ObjectType: {
      cls: 'Mandatory',
      why: 'the schema document makes ObjectType Mandatory (the CSV: "Related", sic)',
    },
  },
  UserManagement: {
    // The CSV writes a logical type where the column type belongs (brief §0 item 6).
    SrcIpAddr: { type: 'string', why: 'CSV type "IP address" is a logical type; the column is a string' },
    SrcGeoCity: { type: 'string', why: 'CSV type "City"' },
    SrcGeoCountry: { type: 'string', why: 'CSV type "Country"' },
    SrcGeoRegion: { type: 'string', why: 'CSV type "Region"' },
    SrcGeoLatitude: { type: 'real', why: 'CSV type "Latitude"; real in every other schema' },
    SrcGeoLongitude: { type: 'real', why: 'CSV type "Longitude"; real in every other schema' },
    DvcMacAddr: { type: 'string', why: 'CSV type "MAC address"' },
    ActorOriginalUserType: { type: 'string', cls: 'Optional', why: 'the CSV row has no type and no class' },
  },
  WebSession: {
    Url: { cls: 'Mandatory', why: 'the schema document makes Url Mandatory (the CSV: Optional)' },
    SrcVlanId: { type: 'string', why: 'CSV type "sting" (sic)' },
    DstVlanId: { type: 'string', why: 'CSV type "sting" (sic)' },
  },
};

/** CSV rows the catalogue leaves out on purpose. */
const LEFT_OUT: Readonly<Record<string, string>> = {
  'WebSession.Hash':
    'an alias of one of four hash fields, not of one field; otel-sentinel emits no file hashes',
  'WebSession.HashType': 'the companion of Hash, left out with it',
};

/** Value lists the catalogue does not hold, and why. */
const OPEN_LISTS = new Set([
  // Microsoft's lists of the sources it has parsers for, not values the schema defines: a new
  // source is by definition not on them (the DataTester's known complaint, brief §0 item 2).
  'EventVendor',
  'EventProduct',
]);

function expected(schema: AsimSchemaName, row: CsvRow): { type: string; cls: string } {
  const diff = DIFFERENCES[schema][row.name];
  return { type: diff?.type ?? row.type, cls: diff?.cls ?? row.cls };
}

describe.each(ASIM_SCHEMA_NAMES)('the %s catalogue against ASimTester.csv', (schema) => {
  const view = csvView(schema);
  const inView = [...view.values()].filter((r) => LEFT_OUT[`${schema}.${r.name}`] === undefined);

  it('has every Mandatory and Recommended field with its type and class', () => {
    const wanted = inView.filter((r) => r.cls === 'Mandatory' || r.cls === 'Recommended');
    expect(wanted.length).toBeGreaterThan(10);
    for (const row of wanted) {
      const field = asimField(schema, row.name);
      expect(field && { type: field.type, cls: field.class }, `${schema}.${row.name}`).toEqual(
        expected(schema, row),
      );
    }
  });

  it('has every alias, repeating the field the CSV names', () => {
    for (const row of inView.filter((r) => r.cls === 'Alias')) {
      expect(asimField(schema, row.name)?.aliasOf, `${schema}.${row.name}`).toBe(row.aliased);
    }
  });

  it('has every conditional companion, with the field that makes it required', () => {
    for (const row of inView.filter((r) => r.cls === 'Conditional')) {
      const field = asimField(schema, row.name);
      expect(field && { cls: field.class, parent: field.parent }, `${schema}.${row.name}`).toEqual({
        cls: 'Conditional',
        parent: row.aliased,
      });
    }
  });

  it('holds only fields the CSV knows, with its types and classes, unless a difference says why', () => {
    for (const field of asimSchema(schema).fields) {
      if (field.extra !== undefined) continue;
      const row = view.get(field.name);
      if (row === undefined) {
        // A field the CSV lacks may only be the target of one of the CSV's aliases.
        expect(
          asimAliases(schema).map((a) => a.aliasOf),
          `${schema}.${field.name} is not in the CSV`,
        ).toContain(field.name);
        continue;
      }
      expect({ type: field.type, cls: field.class }, `${schema}.${field.name}`).toEqual(
        expected(schema, row),
      );
    }
  });

  it('holds each closed list of values as the CSV has it', () => {
    for (const row of inView.filter((r) => r.values.length > 0 && !OPEN_LISTS.has(r.name))) {
      const values = asimField(schema, row.name)?.values ?? [];
      const extra = schema === 'AuditEvent' && row.name === 'ObjectType' ? ['Cloud Resource'] : [];
      expect([...new Set(values)].sort(), `${schema}.${row.name}`).toEqual(
        [...new Set([...row.values, ...extra])].sort(),
      );
    }
  });

  it('names every field once', () => {
    const names = asimSchema(schema).fields.map((f) => f.name);
    expect(names.length).toBe(new Set(names).size);
  });
});

describe('the ASIM catalogue', () => {
  it("declares Microsoft's current schema versions", () => {
    expect(ASIM_SCHEMA_VERSIONS).toEqual({
      Authentication: '0.1.4',
      AuditEvent: '0.1.2',
      UserManagement: '0.1.2',
      WebSession: '0.2.7',
    });
    expect(asimSchema('WebSession').version).toBe('0.2.7');
  });

  it("lists Authentication's sign-in event types and failure reasons", () => {
    expect(asimField('Authentication', 'EventType')?.values).toEqual(['Logon', 'Logoff', 'Elevate']);
    expect(asimField('Authentication', 'EventResultDetails')?.values).toContain('User locked');
    expect(asimField('Authentication', 'EventResultDetails')?.values).toContain('No such user or password');
    expect(asimField('Authentication', 'TargetUsernameType')).toMatchObject({
      class: 'Conditional',
      parent: 'TargetUsername',
    });
  });

  it('keeps SrcDvcIpAddr for Authentication as a documented extra repeating SrcIpAddr', () => {
    const field = asimField('Authentication', 'SrcDvcIpAddr');
    expect(field).toMatchObject({ class: 'Alias', aliasOf: 'SrcIpAddr', type: 'string' });
    expect(field?.extra).toMatch(/imAuthPasswordSpray/);
    expect(asimField('WebSession', 'SrcDvcIpAddr')).toBeUndefined();
  });

  it('gives each schema the Mandatory fields its document names', () => {
    const names = (s: AsimSchemaName): string[] =>
      asimMandatoryFields(s)
        .map((f) => f.name)
        .sort();
    const common = [
      'Dvc',
      'EventEndTime',
      'EventProduct',
      'EventResult',
      'EventSchema',
      'EventSchemaVersion',
    ];
    const base = [...common, 'EventStartTime', 'EventType', 'EventVendor', 'TimeGenerated', 'Type'];
    expect(names('Authentication')).toEqual([...base, 'EventCount'].sort());
    expect(names('AuditEvent')).toEqual([...base, 'Object', 'ObjectType', 'Operation'].sort());
    expect(names('UserManagement')).toEqual([...base, 'ActorUsername', 'EventCount', 'EventSeverity'].sort());
    expect(names('WebSession')).toEqual([...base, 'Dst', 'EventCount', 'EventSeverity', 'Url'].sort());
  });

  it('tells schema names from other words, case and all', () => {
    expect(isAsimSchemaName('WebSession')).toBe(true);
    expect(isAsimSchemaName('websession')).toBe(false);
    expect(asimField('Authentication', 'eventtype')).toBeUndefined();
  });
});
