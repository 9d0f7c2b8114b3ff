import { describe, expect, it } from 'vitest';
import { starterSolution } from '../src/infer/starter-solution.js';

describe('the solution section init writes', () => {
  it.each([
    ['SecurityEvents_CL', 'Security Events', 'security-events'],
    ['AppSecurityEvents_CL', 'App Security Events', 'app-security-events'],
    ['contoso_audit_CL', 'Contoso Audit', 'contoso-audit'],
    ['Audit2Events_CL', 'Audit2 Events', 'audit2-events'],
  ])('names the solution after the table %s: %s, offer %s', (table, name, offerId) => {
    expect(starterSolution(table)).toMatchObject({ name, offerId });
  });

  it('falls back to Security Events when the table gives no name the connector accepts', () => {
    expect(starterSolution('X_1_CL')).toMatchObject({ name: 'Security Events', offerId: 'security-events' });
  });

  it('gives every value the connector needs, the publisher ones as RFC 2606 examples', () => {
    expect(starterSolution('Sec_CL')).toEqual({
      name: 'Sec',
      publisher: 'Example Publisher',
      publisherId: 'examplepublisher',
      offerId: 'sec',
      version: '1.0.0',
      description:
        'Security events that applications send with OpenTelemetry, through otel-sentinel, to Sec_CL.',
      support: {
        name: 'Example Publisher Security',
        email: 'security@example.com',
        link: 'https://example.com/security',
        tier: 'Community',
      },
    });
  });
});
