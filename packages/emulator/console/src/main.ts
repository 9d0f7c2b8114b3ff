// The console page: a tab bar whose tabs are modules tabs/<name>.js loaded on first use; a tab
// whose module is not there shows "not available" instead of breaking the page.

import { createApi } from './api.js';
import type { ConsoleApi } from './api.js';

interface TabModule {
  mount(el: HTMLElement, api: ConsoleApi): void;
}

const TABS = ['query', 'rules', 'incidents', 'deliveries', 'workbooks', 'cost'] as const;
type TabName = (typeof TABS)[number];

function isTabName(value: string): value is TabName {
  return (TABS as readonly string[]).includes(value);
}

function isTabModule(value: unknown): value is TabModule {
  return (
    typeof value === 'object' && value !== null && typeof (value as { mount?: unknown }).mount === 'function'
  );
}

function notAvailable(panel: HTMLElement, name: TabName, why: string): void {
  const p = document.createElement('p');
  p.className = 'not-available';
  p.dataset['testid'] = 'not-available';
  p.textContent = `The ${name} tab is not available in this build (${why}).`;
  panel.replaceChildren(p);
}

async function loadTab(name: TabName, panel: HTMLElement, api: ConsoleApi): Promise<void> {
  let loaded: unknown;
  try {
    loaded = await import(`./tabs/${name}.js`);
  } catch {
    notAvailable(panel, name, 'its module did not load');
    return;
  }
  if (!isTabModule(loaded)) {
    notAvailable(panel, name, 'its module has no mount function');
    return;
  }
  try {
    loaded.mount(panel, api);
  } catch (error: unknown) {
    const p = document.createElement('p');
    p.className = 'error';
    p.dataset['testid'] = 'error';
    p.textContent = `The ${name} tab failed to start: ${error instanceof Error ? error.message : String(error)}`;
    panel.replaceChildren(p);
  }
}

function start(): void {
  const nav = document.querySelector<HTMLElement>('nav.tabs');
  const main = document.getElementById('tab-panel');
  if (!nav || !main) return;
  const api = createApi();
  // One panel per tab, made on first visit and kept, so an editor or a chart survives tab switches.
  const panels = new Map<TabName, HTMLElement>();
  const buttons = new Map<TabName, HTMLButtonElement>();
  const show = (name: TabName): void => {
    for (const [tab, button] of buttons) button.setAttribute('aria-selected', String(tab === name));
    for (const [tab, panel] of panels) panel.hidden = tab !== name;
    let panel = panels.get(name);
    if (!panel) {
      panel = document.createElement('section');
      panel.dataset['testid'] = `tab-${name}`;
      panel.setAttribute('role', 'tabpanel');
      panels.set(name, panel);
      main.append(panel);
      void loadTab(name, panel, api);
    }
    // `#incidents/3` (an incident's incidentUrl) stays: the tab reads the rest of the hash.
    if (location.hash !== `#${name}` && !location.hash.startsWith(`#${name}/`))
      history.replaceState(null, '', `#${name}`);
  };
  for (const name of TABS) {
    const button = document.createElement('button');
    button.type = 'button';
    button.setAttribute('role', 'tab');
    button.dataset['testid'] = `tab-button-${name}`;
    button.textContent = name;
    button.addEventListener('click', () => {
      show(name);
    });
    buttons.set(name, button);
    nav.append(button);
  }
  const wanted = location.hash.slice(1).split('/')[0] ?? '';
  show(isTabName(wanted) ? wanted : 'query');
}

start();
