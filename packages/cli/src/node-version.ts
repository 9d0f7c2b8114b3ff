// The Node version the command needs, checked before anything else loads: an older Node cannot
// load node:sqlite and friends, and would otherwise fail with a message about a missing module.
// This file imports nothing, so any Node that runs ES modules can run it.

/** The oldest Node the CLI runs on: `engines.node` in package.json (a test keeps them equal). */
export const MIN_NODE = '22.13.0';

/** True when `version` (`process.versions.node`, e.g. `20.20.2`) is at least `min`. */
export function nodeAtLeast(version: string, min: string = MIN_NODE): boolean {
  const have = version.split('.').map(Number);
  const need = min.split('.').map(Number);
  for (let i = 0; i < need.length; i++) {
    const a = have[i] ?? 0;
    const b = need[i] ?? 0;
    if (a !== b) return a > b;
  }
  return true;
}

/**
 * The one line a Node older than MIN_NODE gets. `devScript` is the repository's `./dev` when the
 * command runs from a checkout: it fetches a newer Node, so that is the quickest fix there.
 */
export function nodeTooOldMessage(version: string, devScript?: string): string {
  const [major, minor] = MIN_NODE.split('.');
  const fix =
    devScript !== undefined
      ? `in this repository, run it as ${devScript} otel-sentinel … (it fetches Node 24 into ~/.cache/otel-sentinel)`
      : 'install Node 24 LTS or 22 (https://nodejs.org/en/download, or: nvm install 24) and run it again';
  return `otel-sentinel needs Node.js ${major}.${minor} or newer (this is Node ${version}); ${fix}`;
}
