// Who the scenario plays: the app's demo users at their desks, and the attackers. Each has the
// address and User-Agent its requests carry (through the trusted proxy's X-Forwarded-For) and the
// region the edge would report. Addresses are from the documentation ranges (RFC 5737).

export interface Persona {
  /** How the scenario names it in its output. */
  readonly name: string;
  readonly ip: string;
  readonly userAgent: string;
  /** The edge's `x-client-region`, when it sends one. */
  readonly region?: string;
}

/** A demo user: signs in with `<id>-demo-password` (the README lists them). */
export interface User extends Persona {
  readonly id: string;
  readonly password: string;
}

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';
const SAFARI =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15';
/** The office: Amsterdam, behind one proxy, each desk with its own address. */
const OFFICE = 'NL-NH';

function user(id: string, ip: string, userAgent: string): User {
  return { name: id, id, password: `${id}-demo-password`, ip, userAgent, region: OFFICE };
}

export const alice = user('alice', '192.0.2.11', SAFARI);
export const bob = user('bob', '192.0.2.10', FIREFOX);
export const carol = user('carol', '192.0.2.13', CHROME);
export const dave = user('dave', '192.0.2.14', CHROME);
export const erin = user('erin', '192.0.2.30', FIREFOX);
export const frank = user('frank', '192.0.2.40', CHROME);
export const grace = user('grace', '192.0.2.12', SAFARI);
export const henry = user('henry', '192.0.2.50', FIREFOX);
export const ivan = user('ivan', '192.0.2.60', CHROME);
export const judy = user('judy', '192.0.2.70', 'contoso-invoice-sync/1.4 (+https://contoso.example/sync)');

/** Guesses carol's password, one after another. */
export const guesser: Persona = { name: 'a password guesser', ip: '198.51.100.7', userAgent: 'curl/8.5.0' };
/** Tries two common passwords against many user names. */
export const sprayer: Persona = {
  name: 'a password sprayer',
  ip: '203.0.113.66',
  userAgent: 'Go-http-client/1.1',
};
/** Guesses dave's password, gets in once his lock is lifted, then probes the API as dave. */
export const intruder: Persona = { name: 'an intruder', ip: '198.51.100.23', userAgent: FIREFOX };
/** Signs in with erin's password from the other side of the world. */
export const traveller: Persona = {
  name: "erin's double",
  ip: '203.0.113.88',
  userAgent: CHROME,
  region: 'CN-SH',
};
/** Has a copy of frank's API token from a leaked script. */
export const tokenThief: Persona = {
  name: 'a token thief',
  ip: '198.51.100.99',
  userAgent: 'python-requests/2.32.3',
};
/** Has a copy of ivan's session id. */
export const sessionThief: Persona = { name: 'a session thief', ip: '198.51.100.71', userAgent: CHROME };
/** Runs Nikto against the app. */
export const scanner: Persona = {
  name: 'a vulnerability scanner',
  ip: '203.0.113.5',
  userAgent: 'Mozilla/5.00 (Nikto/2.1.6) (Evasions:None) (Test:000003)',
};
/** Tries a word list of paths. */
export const prober: Persona = {
  name: 'a path prober',
  ip: '203.0.113.44',
  userAgent: 'Mozilla/5.0 (compatible; Probe/0.9)',
};

// The ASIM scenes (asim-scenes.ts): who trips Microsoft's ASIM rules.

function stranger(name: string, ip: string, userAgent: string, region?: string): Persona {
  return { name, ip, userAgent, ...(region === undefined ? {} : { region }) };
}

/** bob's own script, run from home with his session, asking for the admin page again and again. */
export const bobAtHome = stranger(
  "bob's script at home",
  '198.51.100.150',
  'contoso-admin-check/0.1',
  'NL-UT',
);
/** A PowerShell script someone runs with bob's session. */
export const powershell = stranger(
  'a PowerShell script',
  '198.51.100.151',
  'Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) WindowsPowerShell/5.1.22621.4391',
);
/** Walks a long word list of paths, fast. */
export const enumerator = stranger(
  'a file enumerator',
  '203.0.113.45',
  'Mozilla/5.0 (compatible; Probe/0.9)',
);
/** Tries one common password on every account there is. */
export const accountSprayer = stranger('an account sprayer', '203.0.113.67', 'python-requests/2.32.3');
/** The laptop henry used before he left; ivan has it now. */
export const oldLaptop = stranger("henry's old laptop", '192.0.2.80', FIREFOX, OFFICE);
