// Monitoring an admin may switch off and on again: the audit of invoice reads (sensitive_read),
// which a heavy reporting job might want paused. Switching it off is a security event of its own
// (sys_monitor_disabled): an attacker with admin rights would do it first.

export const MONITORS = ['invoice-read-audit'] as const;
export type Monitor = (typeof MONITORS)[number];

export class Monitors {
  private readonly off = new Set<Monitor>();

  isOn(monitor: Monitor): boolean {
    return !this.off.has(monitor);
  }

  /** Switches `monitor` on or off; returns whether that changed anything. */
  set(monitor: Monitor, on: boolean): boolean {
    if (this.isOn(monitor) === on) return false;
    if (on) this.off.delete(monitor);
    else this.off.add(monitor);
    return true;
  }
}
