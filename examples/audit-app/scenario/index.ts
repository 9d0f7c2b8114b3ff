// The demo scenario of the audit app: personas, the scripted requests, the incident each detection
// must find, and a way to run the built app as a process. Not part of the app itself: `pnpm demo`
// and the end-to-end tests use it (`@otel-sentinel/example-audit-app/scenario`).

export { runScenario, statusSummary } from './scenario.js';
export type { Scene, SceneResult, ScenarioOptions, ScenarioResult } from './scenario.js';
export { scriptedIncidents } from './incidents.js';
export type { ExpectedRow, ScriptedIncident } from './incidents.js';
export { startAppProcess } from './app-process.js';
export type { AppExit, AppProcess } from './app-process.js';
export { ASIM_INCIDENTS } from './asim-incidents.js';
export type { AsimIncident } from './asim-incidents.js';
export { ScenarioError } from './client.js';
export { clearOfWindowEdge } from './windows.js';
