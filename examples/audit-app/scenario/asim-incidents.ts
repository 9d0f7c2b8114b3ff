// What each of Microsoft's stored ASIM rules (third_party/azure-sentinel) must return on the
// scenario played with its ASIM scenes: the rows, each given by the columns that identify it,
// written by hand from the scenes (docs/asim-proof.md says why each fires, or cannot here).
// Rules that cannot fire on this app's events must return nothing.

import { ADMIN_RETRIES, SPRAYED_ACCOUNTS } from './asim-scenes.js';
import type { ExpectedRow } from './incidents.js';

export interface AsimIncident {
  /** The rule's path under third_party/azure-sentinel. */
  readonly rule: string;
  /** The rows its query returns over its query period: these and no others. */
  readonly rows: readonly ExpectedRow[];
}

const DETECTIONS = 'Detections';
const WSE = 'Solutions/Web Session Essentials/Analytic Rules';

/** The Nikto scan of the incident scenes: three refused requests, one per path. */
const NIKTO_URLS = ['/', '/admin/users', '/login'];
const NIKTO = '203.0.113.5';
const POWERSHELL = '198.51.100.151';
const BOB_AT_HOME = '198.51.100.150';

export const ASIM_INCIDENTS: readonly AsimIncident[] = [
  {
    // carol: 12 refused logons (3 wrong passwords, 9 while locked) and the lock itself are 13
    // failures; her sign-in once alice lifts the lock is the success.
    rule: `${DETECTIONS}/ASimAuthentication/imAuthBruteForce.yaml`,
    rows: [
      { TargetUserId: 'carol', TargetUsername: 'carol', FailureCount: 13, SuccessCount: 1, Name: 'carol' },
    ],
  },
  {
    // erin from the office (NL-NH) and her double from Shanghai (CN-SH), both successful.
    rule: `${DETECTIONS}/ASimAuthentication/imAuthSigninsMultipleCountries.yaml`,
    rows: [{ TargetUserId: 'erin', TargetUsername: 'erin', NumOfCountries: 2 }],
  },
  {
    // One wrong password on 16 existing accounts (Incorrect password) from one address, no region.
    rule: `${DETECTIONS}/ASimAuthentication/imAuthPasswordSpray.yaml`,
    rows: [{ SrcDvcIpAddr: '203.0.113.67', SrcGeoCountry: '', UserCount: SPRAYED_ACCOUNTS.length }],
  },
  {
    // henry's closed account refused on the laptop (User disabled), then ivan's sign-in on it.
    rule: `${DETECTIONS}/ASimAuthentication/imSigninAttemptsByIPviaDisabledAccounts.yaml`,
    rows: [
      {
        SrcDvcIpAddr: '192.0.2.80',
        disabledAccountLoginAttempts: 1,
        disabledAccountsTargeted: 1,
        successfulAccountSigninCount: 1,
      },
    ],
  },
  {
    rule: `${DETECTIONS}/ASimWebSession/ExcessiveNetworkFailuresFromSource.yaml`,
    rows: [{ SrcIpAddr: BOB_AT_HOME, UrlHost: '', NumberOfErrors: ADMIN_RETRIES, Url: '/admin/users' }],
  },
  {
    rule: `${DETECTIONS}/ASimWebSession/UnusualUAHackTool.yaml`,
    rows: NIKTO_URLS.map((Url) => ({ SrcIpAddr: NIKTO, Url })),
  },
  {
    rule: `${DETECTIONS}/ASimWebSession/UnusualUAPowershell.yaml`,
    rows: [{ SrcIpAddr: POWERSHELL, Url: '/admin/users', SrcUsername: 'bob' }],
  },
  {
    rule: `${WSE}/KnownMaliciousUserAgents.yaml`,
    rows: [
      ...NIKTO_URLS.map((Url) => ({
        SrcIpAddr: NIKTO,
        Url,
        UserAgentCategory: 'Hacking Tool',
        EventCount: 1,
      })),
      { SrcIpAddr: POWERSHELL, Url: '/admin/users', UserAgentCategory: 'Powershell', EventCount: 1 },
    ],
  },
  {
    rule: `${WSE}/MultipleClientErrorsWithinShortTime.yaml`,
    rows: [{ SrcIpAddr: BOB_AT_HOME, SrcUsername: 'bob', TotalErrorCount: ADMIN_RETRIES }],
  },
  {
    // 220 misses, reported once per 20: 11 reports of GET requests answered 404.
    rule: `${WSE}/PotentionalFileEnumeration.yaml`,
    rows: [{ SrcIpAddr: '203.0.113.45', RequestCount: 11 }],
  },
  { rule: `${WSE}/LocalFileInclusion-LFI.yaml`, rows: [] },
  { rule: `${WSE}/MultipleServerErrorsWithinShortTime.yaml`, rows: [] },
  { rule: `${WSE}/MultipleUAsFromSingleIP.yaml`, rows: [] },
];
