// A package's public API, pinned: for each entry point in its package.json `exports`, API Extractor
// reads the built .d.ts and writes a report of every exported declaration to api/<name>.api.md.
// `check` (CI, through turbo's api:check) fails naming the package, the report and the lines that
// changed; `update` rewrites the reports, to be reviewed and committed (docs/api-reports.md).
//
// Run from a package folder: node ../../scripts/api-report.mjs check|update

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Extractor, ExtractorConfig, ExtractorLogLevel } from '@microsoft/api-extractor';

const BASE_CONFIG = fileURLToPath(new URL('../api-extractor.json', import.meta.url));
const REPORT_SUFFIX = '.api.md';

const mode = process.argv[2];
if (mode !== 'check' && mode !== 'update') {
  console.error('usage: node ../../scripts/api-report.mjs check|update (from a package folder)');
  process.exit(2);
}

const packageFolder = process.cwd();
const packageJsonPath = join(packageFolder, 'package.json');
const packageJson = JSON.parse(readFileSync(packageJsonPath, 'utf8'));
const reportFolder = join(packageFolder, 'api');
const entries = entryPoints(packageJson);
if (entries.length === 0) {
  console.error(`${packageJson.name}: package.json "exports" has no entry with a "types" condition`);
  process.exit(1);
}

const problems = [];
if (mode === 'update') mkdirSync(reportFolder, { recursive: true });
for (const entry of entries) runEntry(entry);
checkStaleReports();

if (problems.length > 0) {
  console.error(problems.join('\n\n'));
  process.exit(1);
}

/**
 * Every subpath of `exports` that has types: `.` is reported as `<name>.api.md`, `./x/y` as
 * `<name>-x-y.api.md`; `./package.json` and plain files (the JSON Schema) have no types.
 */
function entryPoints(pkg) {
  const unscoped = pkg.name.replace(/^@[^/]+\//, '');
  const found = [];
  for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
    const types = typeof target === 'object' && target !== null ? target.types : undefined;
    if (typeof types !== 'string') continue;
    const suffix = subpath === '.' ? '' : `-${subpath.replace(/^\.\//, '').replaceAll('/', '-')}`;
    found.push({ subpath, types, reportName: `${unscoped}${suffix}` });
  }
  return found;
}

function runEntry({ subpath, types, reportName }) {
  const entryFile = resolve(packageFolder, types);
  const reportFile = `api/${reportName}${REPORT_SUFFIX}`;
  const tempFolder = mkdtempSync(join(tmpdir(), 'api-report-'));
  try {
    const configObject = ExtractorConfig.loadFile(BASE_CONFIG);
    configObject.projectFolder = packageFolder;
    configObject.mainEntryPointFilePath = entryFile;
    configObject.apiReport = {
      ...configObject.apiReport,
      reportFileName: reportName,
      reportFolder,
      reportTempFolder: tempFolder,
    };
    const config = ExtractorConfig.prepare({
      configObject,
      configObjectFullPath: BASE_CONFIG,
      packageJsonFullPath: packageJsonPath,
    });
    const errors = [];
    let diff = '';
    const result = Extractor.invoke(config, {
      localBuild: mode === 'update',
      printApiReportDiff: mode === 'check',
      messageCallback(message) {
        message.handled = true;
        if (message.messageId === 'console-api-report-diff') diff = message.text;
        else if (message.logLevel === ExtractorLogLevel.Error)
          errors.push(message.formatMessageWithLocation(packageFolder));
      },
    });
    const where = `${packageJson.name} (${subpath}, ${relative(packageFolder, entryFile)})`;
    if (errors.length > 0) {
      problems.push(`${where}: API Extractor could not read the declarations:\n  ${errors.join('\n  ')}`);
    } else if (mode === 'check' && result.apiReportChanged) {
      problems.push(changedMessage(where, reportFile, diff));
    } else if (mode === 'update') {
      console.log(`${packageJson.name}: ${reportFile} ${result.apiReportChanged ? 'updated' : 'unchanged'}`);
    } else {
      console.log(`${packageJson.name}: ${reportFile} matches the build`);
    }
  } finally {
    rmSync(tempFolder, { recursive: true, force: true });
  }
}

function changedMessage(where, reportFile, diff) {
  const committed = relative(dirname(BASE_CONFIG), join(packageFolder, reportFile));
  const update = `\`pnpm --filter ${packageJson.name} api:update\` (or \`pnpm api:update\`)`;
  if (diff === '') {
    return `${where}: ${committed} is missing; run ${update} and commit it`;
  }
  const changes = diff
    .split('\n')
    .filter((line) => /^[ +@-]/.test(line) && !/^(---|\+\+\+) /.test(line))
    .join('\n');
  return (
    `${where}: the public API differs from ${committed} (- committed report, + this build):\n${changes}\n` +
    `If the change is intended, run ${update} and commit ${reportFile}; otherwise undo it ` +
    `(the export lines of the entry's source, or the declarations they export).`
  );
}

/** A report whose entry point left `exports` (such as a removed subpath) no longer describes anything. */
function checkStaleReports() {
  const expected = new Set(entries.map((entry) => `${entry.reportName}${REPORT_SUFFIX}`));
  let files;
  try {
    files = readdirSync(reportFolder);
  } catch {
    return;
  }
  for (const file of files) {
    if (!file.endsWith(REPORT_SUFFIX) || expected.has(file)) continue;
    if (mode === 'update') {
      rmSync(join(reportFolder, file));
      console.log(`${packageJson.name}: api/${file} removed (no such entry in package.json "exports")`);
    } else {
      problems.push(
        `${packageJson.name}: api/${file} matches no entry of package.json "exports"; ` +
          `remove it (\`pnpm --filter ${packageJson.name} api:update\` does)`,
      );
    }
  }
}
