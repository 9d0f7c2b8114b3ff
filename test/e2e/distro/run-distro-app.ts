// Runs one of the distro apps in its own process with the environment the distro and the Sentinel
// processor read, and gives back its exit code and output.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));

export interface AppRun {
  readonly code: number | null;
  readonly output: string;
}

/**
 * `node distro-app.ts [...args]`, App Insights at `appInsightsOrigin`, trusting the certificates
 * in `caFile`, with `env` (the Sentinel endpoint, DCR and credential) on top.
 */
export function runDistroApp(
  args: readonly string[],
  appInsightsOrigin: string,
  caFile: string,
  env: Record<string, string>,
): Promise<AppRun> {
  const child = spawn(process.execPath, [join(HERE, 'distro-app.ts'), ...args], {
    env: {
      ...process.env,
      APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint=${appInsightsOrigin}/`,
      APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true',
      NODE_EXTRA_CA_CERTS: caFile,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => {
    output += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    output += c.toString();
  });
  return new Promise((resolve) =>
    child.on('close', (code) => {
      resolve({ code, output });
    }),
  );
}
