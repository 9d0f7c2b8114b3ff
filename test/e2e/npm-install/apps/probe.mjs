// What both npm-project apps do once their SDK is set up, copied beside them into each project:
// emit security and operational records inside a span and outside it, and find which
// @opentelemetry/api file each party of the app resolves from its own folder.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { trace } from '@opentelemetry/api';
import { createSecurityEvents } from '@otel-sentinel/owasp';

/**
 * Inside a span: an OWASP helper event, a direct security emit and an operational record;
 * outside it, one of each of the last two, through `logs` (the logs API the app's SDK registered
 * with: api-logs on the 0.2xx line, api 1.10+ on 3.x). User ids and messages end with `run`.
 * Returns whether the span recorded and its trace id.
 */
export function emitInAndOutOfSpan(logs, run) {
  const security = createSecurityEvents();
  const logger = logs.getLogger('npm-app');
  const denied = (user) => ({
    eventName: 'authz_fail',
    body: 'denied',
    attributes: { 'security.event': true, 'user.id': `${user}-user-${run}` },
  });
  let span;
  trace.getTracer('npm-app').startActiveSpan('POST /login', (s) => {
    span = { recording: s.isRecording(), traceId: s.spanContext().traceId };
    security.authnLoginFail({ userId: `owasp-user-${run}`, reason: 'bad_password' });
    logger.emit(denied('emit'));
    logger.emit({ body: `operational-inside-${run}` });
    s.end();
  });
  logger.emit(denied('outside'));
  logger.emit({ body: `operational-outside-${run}` });
  return span;
}

/** The @opentelemetry/api file each named package resolves (`.` is the app itself). */
export function apiFiles(parties) {
  const folderOf = (pkg) =>
    pkg === '.' ? join(process.cwd(), 'app.mjs') : join(process.cwd(), 'node_modules', pkg, 'package.json');
  const out = {};
  for (const [party, pkg, via] of parties) {
    // `via`: resolve a package the party itself depends on first, e.g. the SDK the distro uses.
    const base = via === undefined ? folderOf(pkg) : createRequire(folderOf(pkg)).resolve(via);
    out[party] = createRequire(base).resolve('@opentelemetry/api');
  }
  return out;
}
