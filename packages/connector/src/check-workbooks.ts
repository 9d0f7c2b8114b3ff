// The checklist for a solution's workbooks: the solution file lists exactly the templates in
// `Workbooks/`, each is a gallery template Azure-Sentinel accepts (Notebook/1.0, a sentinel-<Name>
// template id, no resource id), its queries analyse clean when an analyzer is given, and the
// WorkbooksMetadata.json entries fit the repository's metadata schema and the templates.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TableColumns } from './asim-parser-fields.js';
import type { KqlAnalyzer } from './check-asim-parser-output.js';
import { queryProblems, workbookTables } from './check-workbook-queries.js';
import { arr, obj, text, type Checker, type Obj } from './solution-checker.js';
import { solutionTables } from './solution-tables.js';
import { WORKBOOKS_FOLDER, WORKBOOKS_METADATA } from './workbook.js';
import { listedFiles, reportUnlisted, type Listing } from './check-listing.js';

export type WorkbookCheck = 'workbooks' | 'workbook' | 'workbook-query' | 'workbook-metadata';

export interface WorkbooksContext {
  /** The solution folder. */
  readonly dir: string;
  /** `Data/Solution_<Name>.json`, relative to the folder. */
  readonly solutionFile: string;
  /** Its `Workbooks` value, as parsed (undefined when absent). */
  readonly listed: unknown;
  /** The tables of the solution's connector folders, with their columns (for the analyzer). */
  readonly tables: readonly TableColumns[];
  /** The names of every table the connector checks found (the metadata's data types). */
  readonly tableNames: ReadonlySet<string>;
  /** The ids of the solution's connector definitions (`connectorUiConfig.id`). */
  readonly connectorIds: ReadonlySet<string>;
  /** Microsoft's analyzer; without it the queries are not analysed. */
  readonly analyze?: KqlAnalyzer;
  readonly add: (
    file: string,
    rule: WorkbookCheck | 'required-file' | 'invalid-json',
    message: string,
    fix: string,
  ) => void;
}

/** Azure-Sentinel's CI rejects a template holding a resource id (containResourceInfoChecker). */
const RESOURCE_ID =
  /subscriptions\/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/;
const METADATA_REQUIRED = [
  'workbookKey',
  'logoFileName',
  'description',
  'dataTypesDependencies',
  'dataConnectorsDependencies',
  'previewImagesFileNames',
  'version',
  'title',
  'templateRelativePath',
  'subtitle',
  'provider',
];
/** The optional keys of `.script/utils/schemas/workbooksMetadataSchema.json` (additionalProperties: false). */
const METADATA_OPTIONAL = [
  'featureFlag',
  'source',
  'author',
  'support',
  'categories',
  'threatAnalysisTactics',
  'threatAnalysisTechniques',
];

const WORKBOOKS_LISTING: Listing = {
  key: 'Workbooks',
  folder: WORKBOOKS_FOLDER,
  what: 'workbook',
  form: '<Name>.json',
  isFile: (name) => /^[^/\\]+\.json$/.test(name),
  notContent: [WORKBOOKS_METADATA],
};

/** The workbook checks of `checkSolution`: the folder's tables, its analyzer, its problem list. */
export function checkSolutionWorkbooks(
  c: Checker,
  solutionFile: string,
  listed: unknown,
  found: { readonly tables: ReadonlySet<string>; readonly connectorIds: ReadonlySet<string> },
): void {
  const analyze = c.options.analyzeKql;
  checkWorkbooks({
    dir: c.dir,
    solutionFile,
    listed,
    tables: solutionTables(c.dir),
    tableNames: found.tables,
    connectorIds: found.connectorIds,
    ...(analyze !== undefined ? { analyze } : {}),
    add: (file, rule, message, fix) => {
      c.add(file, rule, message, fix);
    },
  });
}

/** Runs every workbook check, reporting through `ctx.add`. */
export function checkWorkbooks(ctx: WorkbooksContext): void {
  const listed = listedFiles(ctx, WORKBOOKS_LISTING, 'workbooks');
  reportUnlisted(ctx, WORKBOOKS_LISTING, 'workbooks', listed);
  const templateIds = new Map<string, string>();
  for (const path of listed) {
    const id = checkTemplate(ctx, path);
    if (id !== undefined) templateIds.set(path.slice(WORKBOOKS_FOLDER.length + 1), id);
  }
  checkMetadata(ctx, templateIds);
}

const INVALID = Symbol('invalid JSON');

/** The parsed text, or INVALID after reporting why. */
function parseJson(ctx: WorkbooksContext, path: string, source: string): unknown {
  try {
    return JSON.parse(source) as unknown;
  } catch (error: unknown) {
    const why = error instanceof Error ? error.message : String(error);
    ctx.add(path, 'invalid-json', `${path} is not valid JSON: ${why}`, 'fix the JSON syntax');
    return INVALID;
  }
}

/** One template: readable, the gallery format, no resource id, queries clean. Returns its fromTemplateId. */
function checkTemplate(ctx: WorkbooksContext, path: string): string | undefined {
  const full = join(ctx.dir, path);
  if (!existsSync(full)) {
    ctx.add(
      path,
      'required-file',
      `${path} is listed in ${ctx.solutionFile} but missing`,
      `create ${path} or remove it from the list`,
    );
    return undefined;
  }
  const source = readFileSync(full, 'utf8');
  const parsed = parseJson(ctx, path, source);
  if (parsed === INVALID) return undefined;
  const book = obj(parsed);
  const fix = 'save the gallery template from the advanced editor, with "fromTemplateId": "sentinel-<Name>"';
  if (book.version !== 'Notebook/1.0' || !Array.isArray(book.items))
    ctx.add(
      path,
      'workbook',
      `${path} is not a workbook template: it needs "version": "Notebook/1.0" and "items"`,
      fix,
    );
  const id = text(book.fromTemplateId) ?? '';
  if (!id.startsWith('sentinel-') || id === 'sentinel-UserWorkbook')
    ctx.add(
      path,
      'workbook',
      `fromTemplateId ${JSON.stringify(id)} is not "sentinel-<Name>" (and not the portal's default sentinel-UserWorkbook)`,
      fix,
    );
  const at = source.search(RESOURCE_ID);
  if (at >= 0)
    ctx.add(
      path,
      'workbook',
      `${path} names a resource (subscriptions/<id>) at offset ${at}; Azure-Sentinel rejects templates that do`,
      'remove the resource id, e.g. empty "fallbackResourceIds"',
    );
  if (ctx.analyze !== undefined)
    for (const problem of queryProblems(book, workbookTables(ctx.tables), ctx.analyze))
      ctx.add(
        path,
        'workbook-query',
        problem,
        "fix the query; it must analyse clean against the solution's tables and SecurityAlert",
      );
  return id === '' ? undefined : id;
}

/** WorkbooksMetadata.json: the schema's keys, and each entry pointing at a template of the folder. */
function checkMetadata(ctx: WorkbooksContext, templateIds: ReadonlyMap<string, string>): void {
  const path = `${WORKBOOKS_FOLDER}/${WORKBOOKS_METADATA}`;
  const full = join(ctx.dir, path);
  if (!existsSync(full)) return;
  const parsed = parseJson(ctx, path, readFileSync(full, 'utf8'));
  if (parsed === INVALID) return;
  arr(parsed).forEach((raw, i) => {
    for (const problem of entryProblems(obj(raw), templateIds, ctx.tableNames, ctx.connectorIds))
      ctx.add(
        path,
        'workbook-metadata',
        `entry ${i}: ${problem}`,
        "make the entry fit Azure-Sentinel's workbooksMetadataSchema.json and the template it names",
      );
  });
}

function entryProblems(
  entry: Obj,
  templateIds: ReadonlyMap<string, string>,
  tables: ReadonlySet<string>,
  connectorIds: ReadonlySet<string>,
): string[] {
  const problems = [
    ...METADATA_REQUIRED.filter((k) => !(k in entry)).map((k) => `${k} is missing`),
    ...Object.keys(entry)
      .filter((k) => !METADATA_REQUIRED.includes(k) && !METADATA_OPTIONAL.includes(k))
      .map((k) => `${k} is not a key the schema allows`),
  ];
  const template = text(entry.templateRelativePath) ?? '';
  const id = templateIds.get(template);
  if (id === undefined)
    problems.push(
      `templateRelativePath "${template}" is not a listed workbook of ${WORKBOOKS_FOLDER}/ (give the file name only)`,
    );
  else if (entry.workbookKey !== `${id.slice('sentinel-'.length)}Workbook`)
    problems.push(
      `workbookKey ${JSON.stringify(entry.workbookKey)} does not match fromTemplateId "${id}" (expected "${id.slice('sentinel-'.length)}Workbook")`,
    );
  for (const t of arr(entry.dataTypesDependencies))
    if (!tables.has(String(t)))
      problems.push(`dataTypesDependencies names ${JSON.stringify(t)}, not a table of this solution`);
  if (connectorIds.size > 0)
    for (const c of arr(entry.dataConnectorsDependencies))
      if (!connectorIds.has(String(c)))
        problems.push(
          `dataConnectorsDependencies names ${JSON.stringify(c)}, not this solution's connector (${[...connectorIds].join(', ')})`,
        );
  problems.push(...previewProblems(arr(entry.previewImagesFileNames).map(String)));
  return problems;
}

/** What Azure-Sentinel's previewImageChecker wants: PNGs, at least one dark and one light. */
function previewProblems(names: readonly string[]): string[] {
  const dark = names.some((n) => /black|dark/i.test(n));
  const light = names.some((n) => /white|light/i.test(n));
  const problems = names
    .filter((n) => !n.toLowerCase().endsWith('.png'))
    .map((n) => `preview image ${n} is not a .png`);
  if (!dark || !light) problems.push('previewImagesFileNames needs a dark (Black) and a light (White) image');
  return problems;
}
