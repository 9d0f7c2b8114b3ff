// The emulator's well-known identities: fixed, public, emulator-only values, so a demo or a test
// can be configured before the emulator starts. They grant nothing anywhere but in the emulator.

import type { AppRegistration } from '../model.js';

/** The tenant every emulator token is issued in. */
export const DEMO_TENANT_ID = '00000000-0000-4000-8000-00000000e3a1';

/** The Log Analytics workspace the query API serves. */
export const DEMO_WORKSPACE_ID = '00000000-0000-4000-8000-00000000e3a2';

/** The app registration the emulator creates when none is configured. */
export const DEMO_APP: AppRegistration = {
  clientId: '00000000-0000-4000-8000-00000000e3a3',
  clientSecret: 'emulator-only-secret-not-valid-in-azure',
  displayName: 'otel-sentinel emulator demo app',
};

/** `SENTINEL_DCR_IMMUTABLE_ID` when the environment leaves it unset; the examples' own default. */
export const DEFAULT_DCR_IMMUTABLE_ID = 'dcr-00000000000000000000000000000000';

/** `SENTINEL_DCE_ENDPOINT` when the environment leaves it unset: the emulator's default origin. */
export const DEFAULT_ENDPOINT = 'https://127.0.0.1:4443';
