// Finds Microsoft.Insights/workbooks resources anywhere in an ARM template (top level, nested
// deployments, a solution's contentTemplates) and reads each one's serializedData, its content.

import { isRecord, jsonPath } from '../catalog/read-definitions.js';
import { parseJsonText } from './json-text.js';
import { isNotebook, type WorkbookProblem } from './workbook-entry.js';

const WORKBOOK_TYPE = 'microsoft.insights/workbooks';

/** One workbook resource: its display name, JSON path, and content or problem. */
export interface ArmWorkbook {
  readonly displayName: string | undefined;
  readonly path: string;
  readonly content: unknown;
  readonly problem?: WorkbookProblem;
}

/** Every workbook resource in `json`, in document order. */
export function armWorkbooks(json: unknown, file: string): ArmWorkbook[] {
  const found: ArmWorkbook[] = [];
  const visit = (value: unknown, path: string): void => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        visit(item, jsonPath(path, i));
      });
      return;
    }
    if (!isRecord(value)) return;
    if (typeof value.type === 'string' && value.type.toLowerCase() === WORKBOOK_TYPE) {
      found.push(readResource(value, path, file));
      return;
    }
    for (const [key, child] of Object.entries(value)) {
      if (typeof child === 'object' && child !== null) visit(child, jsonPath(path, key));
    }
  };
  visit(json, '$');
  return found;
}

function readResource(resource: Readonly<Record<string, unknown>>, path: string, file: string): ArmWorkbook {
  const properties = isRecord(resource.properties) ? resource.properties : {};
  const displayName = typeof properties.displayName === 'string' ? properties.displayName : undefined;
  const data = properties.serializedData;
  const where = `${file}, ${path}.properties.serializedData`;
  if (typeof data !== 'string') {
    if (isNotebook(data)) return { displayName, path, content: data };
    return {
      displayName,
      path,
      content: null,
      problem: notAWorkbook(where, 'it is not a string of workbook JSON'),
    };
  }
  if (/^\[(?!\[)[\s\S]*\]$/.test(data.trim())) {
    const message =
      `${where}: an ARM template expression, which only Azure evaluates; ` +
      'give the workbook JSON as a literal string, or add the Workbooks/ file it was built from to the definitions';
    return { displayName, path, content: null, problem: { code: 'E_WORKBOOK_EXPRESSION', message } };
  }
  const parsed = parseJsonText(data);
  if (!parsed.ok) {
    const { reason, line, column } = parsed.problem;
    const at = ` at line ${line}, column ${column} of the string`;
    const message = `${where}: not valid JSON${at} (${reason}); fix the string, or regenerate the template`;
    return {
      displayName,
      path,
      content: null,
      problem: {
        code: 'E_WORKBOOK_JSON',
        message,
        line,
        column,
      },
    };
  }
  if (!isNotebook(parsed.value)) {
    return {
      displayName,
      path,
      content: null,
      problem: notAWorkbook(where, 'it has no Notebook version and items list'),
    };
  }
  return { displayName, path, content: parsed.value };
}

function notAWorkbook(where: string, why: string): WorkbookProblem {
  return {
    code: 'E_NOT_A_WORKBOOK',
    message: `${where}: not a workbook (${why}); a workbook is {"version": "Notebook/1.0", "items": [...]}`,
  };
}
