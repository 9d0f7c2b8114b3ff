// The emulator's console in a real browser (headless Chromium from the system packages): the solution
// the connector generates for the example app is served with its analytic rules and workbook, the
// demo's scenario sends its security events through the exporter, and the test then uses the console
// as a developer would: completes a column name, runs a query and sees its chart, runs a rule and
// sees its incident, which a local webhook receives, opens the workbook and the cost of each table.
// Screenshots go to test/screenshots/ (git-ignored); with UPDATE_SCREENSHOTS=1, to docs/images/ too.
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningEmulator } from '@otel-sentinel/emulator';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, ROOT } from './cli.js';
import type { HeadlessBrowser } from './support/browser.js';
import { openConsole } from './support/console-session.js';
import type { ConsoleSession } from './support/console-session.js';
import { playScenarioOn } from './support/play-scenario.js';
import { startWebhookReceiver } from './support/webhook-receiver.js';
import type { Delivery, WebhookReceiver } from './support/webhook-receiver.js';

const MAPPING = join(ROOT, 'examples/audit-app/mapping/security-mapping.yaml');
const TABLE = 'OwaspSecurityEvents_CL';
const SCREENSHOTS = join(ROOT, 'test/screenshots');
const DOC_IMAGES = join(ROOT, 'docs/images');
/** The rule the test runs from the rules tab: carol's twelve failed sign-ins in the scenario. */
const RULE = 'OWASP - Brute force against one account';

let work: string;
let session: ConsoleSession | undefined;
let emulator: RunningEmulator | undefined;
let browser: HeadlessBrowser | undefined;
let hook: WebhookReceiver | undefined;
let page: Page;
let consoleUrl: string;

/** Saves a screenshot of the page under test/screenshots/, and under docs/images/ when asked. */
async function screenshot(name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  if (process.env.UPDATE_SCREENSHOTS === '1') {
    mkdirSync(DOC_IMAGES, { recursive: true });
    copyFileSync(path, join(DOC_IMAGES, `${name}.png`));
  }
}

/** `otel-sentinel connector` on the example app's mapping: the solution folder it wrote. */
function generateSolution(): string {
  const out = join(work, 'solution');
  const r = cli(['connector', MAPPING, '--out', out], {
    SENTINEL_DCE_ENDPOINT: undefined,
    SENTINEL_DCR_IMMUTABLE_ID: undefined,
  });
  if (r.status !== 0) throw new Error(`connector failed (${String(r.status)}):\n${r.stderr}`);
  return join(out, 'Solutions/ContosoAudit');
}

async function openTab(name: string): Promise<void> {
  await page.getByTestId(`tab-button-${name}`).click();
  await page.getByTestId(`tab-${name}`).waitFor();
}

/** Opens the query tab and types `text` into its emptied editor, as a user would; returns the editor. */
async function typeQuery(text: string): Promise<Locator> {
  await openTab('query');
  const editor = page.getByTestId('editor').locator('.monaco-editor');
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type(text);
  return editor;
}

/** The incident properties of a webhook delivery (the playbook trigger's `object.properties`). */
function incidentOf(d: Delivery): Record<string, unknown> | undefined {
  const object = (d.body as { object?: { properties?: Record<string, unknown> } } | undefined)?.object;
  return object?.properties;
}

function ruleId(name: string): string {
  const rule = emulator?.detections.rules().find((r) => r.name === name);
  if (rule === undefined) throw new Error(`the emulator has no rule named ${name}`);
  return rule.id;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'console-e2e-'));
  hook = await startWebhookReceiver();
  session = await openConsole({
    definitions: [generateSolution()],
    automation: [{ url: hook.url }],
    cost: { pricePerGb: 5, currency: 'EUR' },
  });
  ({ emulator, browser, url: consoleUrl } = session);
  ({ page } = browser);
  // At shutdown the app reports what its exporter kept out of Sentinel to the cost view.
  await playScenarioOn(
    emulator,
    work,
    randomBytes(32).toString('hex'),
    {},
    {
      OTEL_SENTINEL_COST_REPORT_URL: `${emulator.origin}/console/api/operational-volume`,
    },
  );
  // The demo's scenario, about 7 s alone at load 2 to 3: a hang guard (test/README.md, "Time-outs").
}, 180_000);

afterAll(async () => {
  await session?.close();
  await hook?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('the console in a browser', () => {
  it('loads with its tabs and no errors in the browser console', async () => {
    await page.goto(consoleUrl);
    await page.getByTestId('tab-query').waitFor();
    const tabs = await page.getByTestId('tabs').getByRole('tab').allTextContents();
    expect(tabs).toEqual(['query', 'rules', 'incidents', 'deliveries', 'workbooks', 'cost']);
    expect(browser?.errors).toEqual([]);
  });

  it("completes a column name of the emulator's table in the KQL editor", async () => {
    // ActorUserId is a column of the table (the owasp preset), not a word Kusto knows: only the
    // schema the console gave the editor can offer it.
    const editor = await typeQuery(`${TABLE} | where Actor`);
    await page.keyboard.press('Control+Space');
    const suggestion = page.locator('.suggest-widget .monaco-list-row', { hasText: 'ActorUserId' });
    await suggestion.first().waitFor();
    await screenshot('console-completion');
    await page.keyboard.press('Enter');
    // Monaco draws spaces as no-break spaces.
    const text = async (): Promise<string> =>
      ((await editor.locator('.view-lines').textContent()) ?? '').replace(/\u00a0/g, ' ');
    await expect.poll(text).toContain(`${TABLE} | where ActorUserId`);
  });

  it('runs a query and draws its time chart over the events the app sent', async () => {
    await typeQuery(`${TABLE} | summarize count() by bin(TimeGenerated, 5m)`);
    await page.getByTestId('run').click();
    const chart = page.getByTestId('results').getByTestId('chart');
    await chart.and(page.locator('[data-ready="true"]')).waitFor();
    expect(await chart.getAttribute('data-kind')).toBe('timechart');
    expect(await chart.locator('canvas').count()).toBe(1);
    // The grid's counts add up to the table's rows, as the emulator's query API counts them.
    const total = Number(emulator?.query(`${TABLE} | count`).rows[0]?.[0]);
    const counts = await page
      .getByTestId('results-grid')
      .locator('tbody tr td:nth-child(2)')
      .allTextContents();
    expect(counts.reduce((sum, c) => sum + Number(c), 0)).toBe(total);
    expect(total).toBeGreaterThan(0);
    await screenshot('console-chart');
    expect(browser?.errors).toEqual([]);
  });

  it('draws a line per series of a render timechart (the README screenshot)', async () => {
    await typeQuery(
      `${TABLE} | summarize Events = count() by bin(TimeGenerated, 1s), EventResult | render timechart`,
    );
    await page.getByTestId('run').click();
    const chart = page.getByTestId('results').getByTestId('chart');
    await chart.and(page.locator('[data-ready="true"]')).waitFor();
    expect(await chart.getAttribute('data-kind')).toBe('timechart');
    // One series per EventResult value (Success, Failure, NA in the scenario).
    const results = emulator?.query(`${TABLE} | distinct EventResult | count`).rows[0]?.[0];
    expect(await chart.getAttribute('data-series')).toBe(String(results));
    await screenshot('console');
    expect(browser?.errors).toEqual([]);
  });

  it('runs a rule on demand from the rules tab, shows its incident and the events behind it, and a webhook receives it', async () => {
    const id = ruleId(RULE);
    await openTab('rules');
    await page.getByTestId(`rule-run-${id}`).click();
    await expect.poll(() => page.getByTestId('rule-run-result').textContent()).toMatch(/incident/i);
    // carol's twelve failed sign-ins in the scenario, as the rule's alertDisplayNameFormat words it.
    const title = 'OWASP - 12 failed logins for carol';
    const delivery = await hook?.next((d) => incidentOf(d)?.title === title);
    const incident = delivery === undefined ? undefined : incidentOf(delivery);
    expect(incident?.severity).toBe('Medium');
    expect(incident?.relatedAnalyticRuleIds).toEqual([expect.stringContaining(id)]);
    const number = Number(incident?.incidentNumber);
    expect(number).toBeGreaterThan(0);

    await openTab('incidents');
    await page.getByTestId(`incident-row-${number}`).click();
    const detail = page.getByTestId('incident-detail');
    await expect.poll(() => detail.locator('h2').textContent()).toBe(`#${number} ${title}`);
    expect(await detail.getByTestId('incident-entities').textContent()).toContain('carol');
    const events = detail.getByTestId('incident-events');
    await events.getByTestId('results-grid').waitFor();
    expect(await events.getByTestId('results-grid').textContent()).toContain('carol');
    await events.getByTestId('chart').and(page.locator('[data-ready="true"]')).waitFor();
    await screenshot('console-incident');

    await openTab('deliveries');
    const delivered = page.locator('[data-testid^="delivery-row-"][data-state="delivered"]', {
      hasText: RULE,
    });
    await delivered.first().waitFor();
    expect(await delivered.first().locator('a').textContent()).toBe(`#${number}`);
    await screenshot('console-deliveries');
    expect(browser?.errors).toEqual([]);
  });

  it('shows the cost of each table: its rows, its estimated billed volume and the price it projects at', async () => {
    const total = Number(emulator?.query(`${TABLE} | count`).rows[0]?.[0]).toLocaleString('en-US');
    await openTab('cost');
    const table = page.getByTestId('cost-table');
    const row = table.locator('tr', { hasText: TABLE });
    await row.waitFor();
    expect((await row.locator('td').allTextContents())[1]).toBe(total);
    expect(await page.getByTestId('cost-price').textContent()).toMatch(/EUR/);
    // The app's operational records, as its exporter counted them, beside the tables.
    const reported = emulator?.cost.summary().operational.find((o) => o.source === 'contoso-audit-app');
    expect(reported?.recordsFiltered).toBeGreaterThan(0);
    const operational = page.getByTestId('cost-operational').locator('tr', { hasText: 'contoso-audit-app' });
    expect((await operational.locator('td').allTextContents())[1]).toBe(
      reported?.recordsFiltered.toLocaleString('en-US'),
    );
    expect(await page.getByTestId('cost-saving').textContent()).toMatch(/^Saving \(estimate\): /);
    await screenshot('console-cost');
    expect(browser?.errors).toEqual([]);
  });

  it("renders the solution's workbook: its text, its parameters and its charts", async () => {
    await openTab('workbooks');
    const workbook = page.getByTestId('workbook');
    await expect
      .poll(() => page.getByTestId('workbook-picker').locator('option').allTextContents())
      .toContain('Contoso Audit: OwaspSecurityEvents_CL');
    await expect
      .poll(() => workbook.getByTestId('workbook-item-0').locator('h2').textContent())
      .toBe('Contoso Audit: OwaspSecurityEvents_CL');
    await workbook.getByTestId('workbook-param-TimeRange').waitFor();
    await workbook.getByTestId('workbook-param-EventType').waitFor();
    const timechart = workbook.getByTestId('workbook-item-2').getByTestId('chart');
    await timechart.and(page.locator('[data-ready="true"]')).waitFor();
    expect(await timechart.getAttribute('data-kind')).toBe('timechart');
    const barchart = workbook.getByTestId('workbook-item-4').getByTestId('chart');
    await barchart.and(page.locator('[data-ready="true"]')).waitFor();
    expect(await barchart.getAttribute('data-kind')).toBe('barchart');
    await screenshot('console-workbook');
    expect(browser?.errors).toEqual([]);
  });
});
