// Recognises attack and scanning tools by their User-Agent: they announce themselves unless told
// not to, and nothing legitimate calls this app with them. One regex, compiled at start-up.

const TOOLS = [
  'sqlmap',
  'nikto',
  'nmap',
  'masscan',
  'zgrab',
  'gobuster',
  'wfuzz',
  'hydra',
  'dirbuster',
  'feroxbuster',
  'ffuf',
  'nuclei',
  'wpscan',
  'acunetix',
  'netsparker',
  'w3af',
  'havij',
  'commix',
  'zmeu',
  'openvas',
  'arachni',
  'skipfish',
  'whatweb',
] as const;

// A tool's name as a whole word: `Nikto/2.1.6` matches, `nmapviewer` does not.
const TOOL = new RegExp(`(?:^|[^a-z0-9])(${TOOLS.join('|')})(?![a-z0-9])`, 'i');

/** The attack tool a User-Agent names (lower case), or `undefined`. */
export function attackToolOf(userAgent: string | undefined): string | undefined {
  if (userAgent === undefined) return undefined;
  return TOOL.exec(userAgent)?.[1]?.toLowerCase();
}
