import { describe, expect, it } from 'vitest';

import { networkProblemOf } from '../../src/delivery/network-problem.js';
import { causeOfErrno } from '../../src/delivery/failure-cause.js';

describe('networkProblemOf', () => {
  it('names what each socket code says about the connection', () => {
    expect(networkProblemOf('ECONNREFUSED')).toBe('refused');
    expect(networkProblemOf('ENOTFOUND')).toBe('no-such-host');
    expect(networkProblemOf('EAI_AGAIN')).toBe('dns-unanswered');
    expect(networkProblemOf('UND_ERR_CONNECT_TIMEOUT')).toBe('timeout');
    expect(networkProblemOf('ENETUNREACH')).toBe('unreachable');
    expect(networkProblemOf('ECONNRESET')).toBe('reset');
    expect(networkProblemOf('EPIPE')).toBe('broken');
  });

  it('tells the TLS problems apart, and reads any other ERR_SSL_ or ERR_TLS_ code as a failed handshake', () => {
    expect(networkProblemOf('SELF_SIGNED_CERT_IN_CHAIN')).toBe('tls-untrusted');
    expect(networkProblemOf('CERT_HAS_EXPIRED')).toBe('tls-expired');
    expect(networkProblemOf('CERT_NOT_YET_VALID')).toBe('tls-not-yet-valid');
    expect(networkProblemOf('ERR_TLS_CERT_ALTNAME_INVALID')).toBe('tls-wrong-host');
    expect(networkProblemOf('ERR_SSL_WRONG_VERSION_NUMBER')).toBe('tls-handshake');
    expect(networkProblemOf('EPROTO')).toBe('tls-handshake');
  });

  it('gives nothing for codes that are not about reaching a host', () => {
    for (const code of ['ENOENT', 'EADDRINUSE', 'EACCES', 'ERR_INVALID_URL'])
      expect(networkProblemOf(code)).toBeUndefined();
  });

  it('gives the failure causes the exporter counts', () => {
    expect(causeOfErrno('ECONNREFUSED')).toBe('connection-refused');
    expect(causeOfErrno('EAI_AGAIN')).toBe('dns');
    expect(causeOfErrno('ERR_SSL_WRONG_VERSION_NUMBER')).toBe('tls');
    expect(causeOfErrno('ESOCKETTIMEDOUT')).toBe('timeout');
    expect(causeOfErrno('EHOSTDOWN')).toBe('network');
    expect(causeOfErrno('ENOENT')).toBeUndefined();
  });
});
