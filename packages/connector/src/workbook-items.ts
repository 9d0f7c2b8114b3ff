// The items of a table's workbook in the Azure Workbooks format (Notebook/1.0): the text, the
// parameters (time range, event type) and the query panels, each query filtered by {TimeRange} and
// the event-type parameter as Microsoft's workbooks do. Which panels appear depends on the roles
// the table's columns play; a panel without its columns becomes a text item saying why.

import { stableId } from './stable-id.js';
import { kqlString, type WorkbookRoles } from './workbook-roles.js';

/** What the items are built from. */
export interface WorkbookInput {
  readonly table: string;
  readonly roles: WorkbookRoles;
  /** Display names of the analytic rules shipped for this table (SecurityAlert's rule name). */
  readonly ruleNames: readonly string[];
}

const WORKSPACES = 'microsoft.operationalinsights/workspaces';
const TIME_RANGE = 'TimeRange';
const EVENT_TYPE = 'EventType';
const SEVEN_DAYS = 604_800_000;
/** The time-range choices Microsoft's Sentinel workbooks offer: 5 min to 90 days, plus custom. */
const DURATIONS_MS = [
  300_000,
  900_000,
  1_800_000,
  3_600_000,
  14_400_000,
  43_200_000,
  86_400_000,
  172_800_000,
  259_200_000,
  SEVEN_DAYS,
  1_209_600_000,
  2_419_200_000,
  2_592_000_000,
  5_184_000_000,
  7_776_000_000,
];
/** The products that write a Sentinel analytic rule's alerts (the older name is still in use). */
const SENTINEL_PRODUCTS = ['Azure Sentinel', 'Microsoft Sentinel'];
const TOP = 20;

export function textItem(name: string, markdown: string): object {
  return { type: 1, content: { json: markdown }, name };
}

/** The parameters: the time range (default 7 days) and, with an event column, the event type. */
export function parametersItem(input: WorkbookInput): object {
  const { event } = input.roles;
  return {
    type: 9,
    content: {
      version: 'KqlParameterItem/1.0',
      parameters: [
        timeRangeParameter(input.table),
        ...(event !== undefined ? [eventTypeParameter(input.table, event)] : []),
      ],
      style: 'pills',
      queryType: 0,
      resourceType: WORKSPACES,
    },
    name: 'parameters',
  };
}

function timeRangeParameter(table: string): object {
  return {
    id: stableId(table, TIME_RANGE),
    version: 'KqlParameterItem/1.0',
    name: TIME_RANGE,
    label: 'Time range',
    type: 4,
    isRequired: true,
    typeSettings: { selectableValues: DURATIONS_MS.map((durationMs) => ({ durationMs })), allowCustom: true },
    value: { durationMs: SEVEN_DAYS },
  };
}

/** A multi-select dropdown of the events in the time range, with "All" (`'*'`) selected. */
function eventTypeParameter(table: string, event: string): object {
  return {
    id: stableId(table, EVENT_TYPE),
    version: 'KqlParameterItem/1.0',
    name: EVENT_TYPE,
    label: 'Event type',
    type: 2,
    description: `The events to show, by ${event}`,
    isRequired: true,
    multiSelect: true,
    quote: "'",
    delimiter: ',',
    query: [
      table,
      `| where TimeGenerated {${TIME_RANGE}}`,
      `| where isnotempty(${event})`,
      `| summarize Count = count() by ${event}`,
      `| order by Count desc, ${event} asc`,
      `| project value = ${event}, label = strcat(${event}, " (", Count, ")")`,
    ].join('\n'),
    typeSettings: { additionalResourceOptions: ['value::all'], selectAllValue: '*', showDefault: false },
    timeContext: { durationMs: SEVEN_DAYS },
    timeContextFromParameter: TIME_RANGE,
    defaultValue: 'value::all',
    queryType: 0,
    resourceType: WORKSPACES,
    value: ['value::all'],
  };
}

interface Panel {
  readonly name: string;
  readonly title: string;
  readonly query: readonly string[];
  readonly visualization: 'timechart' | 'barchart' | 'table';
  readonly width: '50' | '100';
}

function queryItem(panel: Panel): object {
  return {
    type: 3,
    content: {
      version: 'KqlItem/1.0',
      query: panel.query.join('\n'),
      size: 0,
      title: panel.title,
      timeContextFromParameter: TIME_RANGE,
      queryType: 0,
      resourceType: WORKSPACES,
      visualization: panel.visualization,
    },
    customWidth: panel.width,
    name: panel.name,
  };
}

/** The table in the time range and the chosen events; with `result`, the result as `Result` when known. */
function rows(input: WorkbookInput, result: 'with result' | 'without result'): string[] {
  const { event } = input.roles;
  const expression = result === 'with result' ? input.roles.result : undefined;
  return [
    input.table,
    `| where TimeGenerated {${TIME_RANGE}}`,
    ...(event !== undefined ? [`| where '*' in ({${EVENT_TYPE}}) or ${event} in ({${EVENT_TYPE}})`] : []),
    ...(expression !== undefined ? [`| extend Result = ${expression}`] : []),
  ];
}

const GRAIN = `bin(TimeGenerated, {${TIME_RANGE}:grain})`;

/** Why a panel is missing, as the text item that takes its place. */
function missing(name: string, title: string, why: string): object {
  return textItem(
    name,
    `**${title}** is not shown: ${why}. Declare the column's ASIM role in the mapping (its \`asim:\` section) to add it.`,
  );
}

export function eventsByName(input: WorkbookInput): object {
  const title = 'Events over time by event name';
  const { event } = input.roles;
  if (event === undefined)
    return missing('events-by-name', title, `${input.table} has no event-name column (such as EventName)`);
  return queryItem({
    name: 'events-by-name',
    title,
    query: [...rows(input, 'without result'), `| summarize Events = count() by ${GRAIN}, ${event}`],
    visualization: 'timechart',
    width: '50',
  });
}

export function eventsByResult(input: WorkbookInput): object {
  const title = 'Events over time by result';
  if (input.roles.result === undefined)
    return missing('events-by-result', title, `${input.table} has no ASIM EventResult`);
  return queryItem({
    name: 'events-by-result',
    title,
    query: [...rows(input, 'with result'), `| summarize Events = count() by ${GRAIN}, Result`],
    visualization: 'timechart',
    width: '50',
  });
}

export function failuresByUser(input: WorkbookInput): object {
  const title = 'Failures by user';
  const { result, user } = input.roles;
  if (result === undefined || user === undefined)
    return missing('failures-by-user', title, `${input.table} needs an ASIM EventResult and a user column`);
  return queryItem({
    name: 'failures-by-user',
    title,
    query: [
      ...rows(input, 'with result'),
      `| where Result == "Failure" and isnotempty(${user})`,
      `| summarize Failures = count() by ${user}`,
      `| top ${TOP} by Failures desc`,
    ],
    visualization: 'barchart',
    width: '50',
  });
}

export function failuresBySource(input: WorkbookInput): object {
  const title = 'Failures by source address';
  const { result, source, user } = input.roles;
  if (result === undefined || source === undefined)
    return missing(
      'failures-by-source',
      title,
      `${input.table} needs an ASIM EventResult and a source address (SrcIpAddr)`,
    );
  return queryItem({
    name: 'failures-by-source',
    title,
    query: [
      ...rows(input, 'with result'),
      `| where Result == "Failure" and isnotempty(${source})`,
      `| summarize Failures = count()${user !== undefined ? `, Users = dcount(${user})` : ''} by ${source}`,
      `| top ${TOP} by Failures desc`,
    ],
    visualization: 'table',
    width: '50',
  });
}

export function topTargets(input: WorkbookInput): object {
  const title = 'Top targets';
  const { targets, result } = input.roles;
  const [only] = targets;
  if (only === undefined)
    return missing('top-targets', title, `${input.table} has no target column (Object, TargetUserId or Url)`);
  const target = targets.length === 1 ? only : `coalesce(${targets.join(', ')})`;
  return queryItem({
    name: 'top-targets',
    title: `${title} (${targets.join(', ')})`,
    query: [
      ...rows(input, 'with result'),
      `| extend Target = ${target}`,
      '| where isnotempty(Target)',
      `| summarize Events = count()${result !== undefined ? ', Failures = countif(Result == "Failure")' : ''} by Target`,
      `| top ${TOP} by Events desc`,
    ],
    visualization: 'table',
    width: '50',
  });
}

/**
 * The alerts of the solution's rules for this table. A scheduled rule's alert takes the rule's
 * name as AlertName unless the rule sets its own alert name format; the rule name is then in
 * ExtendedProperties' "Analytic Rule Name", so both are read.
 */
export function ruleHits(input: WorkbookInput): object {
  const title = "Analytic rules' alerts";
  if (input.ruleNames.length === 0)
    return textItem(
      'rule-hits',
      `**${title}** is not shown: the solution ships no analytic rule that reads ${input.table}.`,
    );
  return queryItem({
    name: 'rule-hits',
    title,
    query: [
      'SecurityAlert',
      `| where TimeGenerated {${TIME_RANGE}}`,
      `| where ProductName in (${SENTINEL_PRODUCTS.map(kqlString).join(', ')})`,
      '| extend Rule = coalesce(tostring(todynamic(ExtendedProperties)["Analytic Rule Name"]), AlertName)',
      `| where Rule in (${input.ruleNames.map(kqlString).join(', ')})`,
      '| summarize Alerts = count(), LastAlert = max(TimeGenerated) by Rule, AlertSeverity',
      '| order by Alerts desc',
    ],
    visualization: 'table',
    width: '100',
  });
}
