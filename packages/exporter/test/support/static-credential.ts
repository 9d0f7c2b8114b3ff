// A TokenCredential for tests: a fixed token, a call counter, and an optional gate that holds
// every token request until released (to stall the pipeline on purpose).
import type { AccessToken, TokenCredential } from '@azure/core-auth';

export const TEST_TOKEN = 'test-token-0123456789';

export class StaticCredential implements TokenCredential {
  calls = 0;
  private gate: Promise<void> | undefined;
  private open: (() => void) | undefined;

  /** Holds token requests until `release()`. */
  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }

  release(): void {
    this.open?.();
    this.gate = undefined;
  }

  async getToken(): Promise<AccessToken> {
    this.calls++;
    if (this.gate) await this.gate;
    return { token: TEST_TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 };
  }
}
