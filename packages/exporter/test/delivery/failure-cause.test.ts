// failureCauseOf and explainFailure on the errors @azure/identity and the ingestion client throw:
// the cause is found through `cause` chains and inner errors, and the line says what to change
// without echoing a message, a secret or a token.
import {
  AggregateAuthenticationError,
  AuthenticationError,
  CredentialUnavailableError,
} from '@azure/identity';
import { describe, expect, it } from 'vitest';
import { explainFailure } from '../../src/delivery/explain-failure.js';
import { failureCauseOf } from '../../src/delivery/failure-cause.js';

const TARGET = {
  endpoint: 'https://my-dce.westeurope-1.ingest.monitor.azure.com',
  dcrImmutableId: 'dcr-0123456789abcdef0123456789abcdef',
  stream: 'Custom-Sec',
};

/** What the ingestion client throws for an answer: RestError's fields, as the transport sets them. */
function restError(status: number, code: string | undefined, headers: Record<string, string> = {}): Error {
  return Object.assign(new Error(`service said ${status}`), {
    name: 'RestError',
    statusCode: status,
    ...(code !== undefined ? { code } : {}),
    request: {
      url: `${TARGET.endpoint}/dataCollectionRules/${TARGET.dcrImmutableId}/streams/${TARGET.stream}`,
    },
    response: { status, headers: { get: (name: string) => headers[name] } },
  });
}

describe('failureCauseOf', () => {
  it('reads a 403 OperationFailed as forbidden and names the role', () => {
    const cause = failureCauseOf(restError(403, 'OperationFailed'), TARGET);
    expect(cause).toEqual({
      cause: 'forbidden',
      site: 'ingestion endpoint',
      status: 403,
      code: 'OperationFailed',
      host: 'my-dce.westeurope-1.ingest.monitor.azure.com:443',
    });
    expect(explainFailure(cause, TARGET)).toContain('Monitoring Metrics Publisher role on that DCR');
  });

  it('reads InvalidStream from the x-ms-error-code header when the body had none', () => {
    const cause = failureCauseOf(restError(400, undefined, { 'x-ms-error-code': 'InvalidStream' }), TARGET);
    expect(cause.cause).toBe('invalid-stream');
    expect(explainFailure(cause, TARGET)).toBe(
      `HTTP 400 InvalidStream: ${TARGET.dcrImmutableId} declares no stream Custom-Sec: the stream in the mapping must be one of the DCR's streamDeclarations (Custom-…)`,
    );
  });

  it('reads a 404 as an unknown DCR id or region', () => {
    const line = explainFailure(failureCauseOf(restError(404, 'NotFound'), TARGET), TARGET);
    expect(line).toContain(`knows no DCR ${TARGET.dcrImmutableId}`);
    expect(line).toContain("the DCR's region");
  });

  it("finds the Entra code of identity's AuthenticationError and says what it means, not the description", () => {
    const error = new AuthenticationError(401, {
      error: 'invalid_client',
      error_description: 'AADSTS7000215: Invalid client secret provided. secret=s3cr3t-value',
      error_codes: [7000215],
      timestamp: '',
      trace_id: '',
      correlation_id: '',
    });
    const cause = failureCauseOf(error, TARGET);
    expect(cause).toMatchObject({ cause: 'credential', site: 'token endpoint', code: 'AADSTS7000215' });
    const line = explainFailure(cause, TARGET);
    expect(line).toContain('the client secret is wrong');
    expect(line).not.toContain('s3cr3t');
  });

  it('finds a refused connection inside an AggregateAuthenticationError, with its host and port', () => {
    const inner = new CredentialUnavailableError(
      'ManagedIdentityCredential: connect ECONNREFUSED 169.254.169.254:80',
      {
        cause: Object.assign(new Error('connect ECONNREFUSED 169.254.169.254:80'), {
          code: 'ECONNREFUSED',
          address: '169.254.169.254',
          port: 80,
        }),
      },
    );
    const error = new AggregateAuthenticationError([new CredentialUnavailableError('no env'), inner]);
    const cause = failureCauseOf(error, TARGET);
    expect(cause).toEqual({
      cause: 'connection-refused',
      site: 'token endpoint',
      code: 'ECONNREFUSED',
      host: '169.254.169.254:80',
    });
    expect(explainFailure(cause, TARGET)).toMatch(
      /^connection refused to 169\.254\.169\.254:80 \(token endpoint\)/,
    );
  });

  it('marks a credential error that says nothing of its cause as opaque, to be looked into', () => {
    const error = new CredentialUnavailableError(
      'endpoints_resolution_error: See https://aka.ms/msal.js.errors#endpoints_resolution_error for details',
    );
    expect(failureCauseOf(error, TARGET)).toEqual({
      cause: 'credential',
      site: 'token endpoint',
      opaque: true,
    });
  });
});
