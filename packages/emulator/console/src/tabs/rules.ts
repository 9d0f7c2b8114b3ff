// The Rules tab: every analytic rule the emulator loaded (GET /console/api/rules) with its
// schedule, last and next run and status, and "Run now" over an optional time range
// (POST /console/api/rules/:id/run), which raises alerts and incidents like a scheduled run.

import type { ConsoleApi } from '../api.js';
import { fillTable, keepFresh, listingTable, messageOf, row } from '../detections/dom.js';

interface RunRecord {
  readonly at: string;
  readonly status: 'ok' | 'error';
  readonly trigger: string;
  readonly start: string;
  readonly end: string;
  readonly resultCount: number;
  readonly alerts: number;
  readonly duplicateRows: number;
  readonly error?: string;
}

interface Rule {
  readonly id: string;
  readonly name: string;
  readonly severity: string;
  readonly enabled: boolean;
  readonly kind: string;
  readonly queryFrequency: string;
  readonly queryPeriod: string;
  readonly triggerOperator: string;
  readonly triggerThreshold: number;
  readonly source: string;
  readonly notRunning?: string;
  readonly lastRun?: RunRecord;
  readonly nextRunAt?: string;
  readonly suppressedUntil?: string;
}

interface RunOutcome {
  readonly resultCount: number;
  readonly alerts: readonly unknown[];
  readonly incidents: readonly { readonly incidentNumber: number }[];
}

export function mount(el: HTMLElement, api: ConsoleApi): void {
  const start = timeInput('rules-run-start');
  const end = timeInput('rules-run-end');
  const note = document.createElement('p');
  note.className = 'hint';
  note.dataset['testid'] = 'rule-run-result';
  const range = document.createElement('div');
  range.className = 'toolbar';
  range.append('Run now over ', start, ' to ', end, ' (UTC; empty: the rule’s own queryPeriod up to now)');
  const { table, box } = listingTable('rules-table');
  const problems = document.createElement('ul');
  problems.className = 'error';
  problems.dataset['testid'] = 'rules-problems';
  problems.hidden = true;
  el.replaceChildren(range, note, problems, box);
  showProblems(api, problems);
  const refresh = (): void => {
    api.get<Rule[]>('/rules').then(
      (rules) => {
        drawRules(table, rules, (rule) => {
          runNow(api, rule, { start: start.value, end: end.value }, note, refresh);
        });
      },
      (error: unknown) => {
        note.textContent = `The rules could not be listed: ${messageOf(error)}`;
      },
    );
  };
  keepFresh(el, refresh);
}

/** The rule files skipped at start-up, each with its place: nothing when there are none. */
function showProblems(api: ConsoleApi, list: HTMLElement): void {
  api.get<string[]>('/rules/problems').then(
    (problems) => {
      list.hidden = problems.length === 0;
      list.replaceChildren(
        ...problems.map((problem) => {
          const li = document.createElement('li');
          li.textContent = `Skipped: ${problem}`;
          return li;
        }),
      );
    },
    () => {
      // An emulator without the route: nothing to show.
    },
  );
}

function timeInput(testid: string): HTMLInputElement {
  const input = document.createElement('input');
  input.type = 'datetime-local';
  input.step = '1';
  input.dataset['testid'] = testid;
  return input;
}

function drawRules(table: HTMLTableElement, rules: readonly Rule[], run: (rule: Rule) => void): void {
  fillTable(
    table,
    ['Rule', 'Severity', 'Schedule', 'Trigger', 'Last run', 'Next run', 'Source', ''],
    rules.map((rule) => ruleRow(rule, run)),
    'No analytic rules: start the emulator with a solution folder holding Analytic Rules/, or --rules <files or folders>.',
  );
}

function ruleRow(rule: Rule, run: (rule: Rule) => void): HTMLTableRowElement {
  const tr = row('td', [
    rule.name,
    rule.severity,
    rule.kind === 'Scheduled' ? `every ${rule.queryFrequency} over ${rule.queryPeriod}` : rule.kind,
    `results ${rule.triggerOperator} ${String(rule.triggerThreshold)}`,
    lastRunText(rule),
    rule.notRunning ??
      (rule.suppressedUntil ? `suppressed until ${rule.suppressedUntil}` : (rule.nextRunAt ?? '')),
    rule.source.split(/[\\/]/).pop() ?? rule.source,
  ]);
  tr.dataset['testid'] = `rule-row-${rule.id}`;
  // The file name fits the table; the whole path is on hover.
  tr.cells[6]?.setAttribute('title', rule.source);
  if (rule.lastRun?.status === 'error') tr.className = 'error';
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = 'Run now';
  button.dataset['testid'] = `rule-run-${rule.id}`;
  button.disabled = rule.kind !== 'Scheduled';
  button.addEventListener('click', () => {
    run(rule);
  });
  tr.insertCell().append(button);
  return tr;
}

function lastRunText(rule: Rule): string {
  const last = rule.lastRun;
  if (!last) return 'not run yet';
  if (last.status === 'error') return `${last.at}: error: ${last.error ?? ''}`;
  const duplicates = last.duplicateRows > 0 ? `, ${String(last.duplicateRows)} rows alerted before` : '';
  return `${last.at} (${last.trigger}): ${String(last.resultCount)} results, ${String(last.alerts)} alerts${duplicates}`;
}

function runNow(
  api: ConsoleApi,
  rule: Rule,
  range: { start: string; end: string },
  note: HTMLElement,
  refresh: () => void,
): void {
  const body: Record<string, string> = {};
  if (range.start !== '') body['start'] = `${range.start}Z`;
  if (range.end !== '') body['end'] = `${range.end}Z`;
  note.textContent = `Running ${rule.name}…`;
  api.post<RunOutcome>(`/rules/${encodeURIComponent(rule.id)}/run`, body).then(
    (outcome) => {
      const numbers = outcome.incidents.map((i) => `#${String(i.incidentNumber)}`).join(', ');
      note.textContent = `${rule.name}: ${String(outcome.resultCount)} results, ${String(outcome.alerts.length)} alerts${numbers === '' ? '' : `, incidents ${numbers}`}`;
      refresh();
    },
    (error: unknown) => {
      note.textContent = `${rule.name} did not run: ${messageOf(error)}`;
    },
  );
}
