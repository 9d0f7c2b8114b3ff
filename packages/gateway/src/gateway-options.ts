// Options of the gateway and what it reports about itself. Every field says what it does, its
// default, the environment variable that can set it, and an example.

import type { ExporterStats, SentinelLogExporterOptions } from '@otel-sentinel/exporter';

export const TOKEN_ENV = 'OTEL_SENTINEL_GATEWAY_TOKEN';
export const API_KEY_ENV = 'OTEL_SENTINEL_GATEWAY_API_KEY';

/** The retry budget of one upstream request. */
export interface UpstreamRetryOptions {
  /** Attempts per request, the first included; 1 never retries. Default 5. */
  readonly maxAttempts?: number;
  /** No new attempt starts later than this after the first one. Default 60000 ms. */
  readonly maxElapsedMs?: number;
  /** First backoff ceiling; doubles per attempt, the delay is drawn below it (full jitter). Default 500 ms. */
  readonly initialDelayMs?: number;
  /** Cap of the backoff ceiling. Default 15000 ms. */
  readonly maxDelayMs?: number;
}

export interface GatewayOptions {
  /**
   * The mapping, as the exporter takes it: a YAML or JSON mapping file path, or a mapping object.
   * Example: `'./security-mapping.yaml'`.
   */
  readonly mapping: string | object;
  /**
   * Environment for `${VAR}` in the mapping (`SENTINEL_DCE_ENDPOINT`, `SENTINEL_DCR_IMMUTABLE_ID`),
   * hash keys (`OTEL_SENTINEL_HASH_KEY`), the default credential (`AZURE_*`), the exporter's
   * variables and this gateway's own. Default `process.env`.
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Address to listen on. Default `'127.0.0.1'` (only this machine: a sidecar); use `'0.0.0.0'`
   * (or `'::'`) in a container or a pool behind a load balancer.
   */
  readonly host?: string;
  /** TCP port. Default 4318 (OTLP/HTTP). 0 picks a free one (see `RunningGateway.port`). */
  readonly port?: number;
  /**
   * Where operational (non-security) records go: an OTLP/HTTP base URL (`http://collector:4318`,
   * `/v1/logs` is appended) or a full logs URL (`https://otlp.example.com/v1/logs`). Default: none,
   * and operational records are counted as dropped (`no-upstream`).
   */
  readonly upstream?: string;
  /** Headers sent with every upstream request, e.g. `{ authorization: 'Bearer …' }`. Never logged. */
  readonly upstreamHeaders?: Readonly<Record<string, string>>;
  /**
   * Inbound authentication: clients must send `Authorization: Bearer <bearerToken>` or
   * `x-api-key: <apiKey>` (either, when both are set). Default: from `OTEL_SENTINEL_GATEWAY_TOKEN`
   * and `OTEL_SENTINEL_GATEWAY_API_KEY`; neither set means no authentication.
   */
  readonly auth?: { readonly bearerToken?: string; readonly apiKey?: string };
  /** Serve HTTPS with this PEM certificate (chain) and private key. Default: plain HTTP. */
  readonly tls?: { readonly cert: string | Buffer; readonly key: string | Buffer };
  /**
   * Largest request body, before and after gzip decompression; larger bodies get 413 and are
   * never inflated past it. Default 67108864 (64 MiB, the OTLP recommendation).
   */
  readonly maxBodyBytes?: number;
  /**
   * `'disk'` (default): a request is answered 200 only once its security rows and its operational
   * records are in the write-ahead queue on disk (fsynced, group commit), and they leave it only
   * once delivered — or, for security rows, moved to the spool with their reason; for operational
   * records, refused for good by the upstream (a final 4xx/5xx: dropped and counted). They are
   * retried through an upstream outage of any length. A crash, a kill -9 or a power cut loses
   * nothing that was acknowledged, and the next start sends it.
   * `'memory'`: answers as soon as the records are queued in memory; a crash loses what the
   * gateway holds (up to `maxQueueSize` security records and `maxUpstreamQueueBytes` of
   * operational ones). Env: `OTEL_SENTINEL_DURABILITY`. Example: `'memory'` for a test rig.
   */
  readonly durability?: 'disk' | 'memory';
  /**
   * Security records held (mapped, waiting to be sent to Sentinel). A request whose security
   * records do not fit gets 503 with `Retry-After`, and none of it is taken. Default 10000, or
   * `exporter.maxQueueSize`, or `OTEL_SENTINEL_MAX_QUEUE_SIZE`.
   */
  readonly maxQueueSize?: number;
  /**
   * Operational OTLP bytes waiting for (or being sent to) the upstream. A request whose
   * operational records do not fit gets 503 with `Retry-After`. Default 67108864 (64 MiB).
   */
  readonly maxUpstreamQueueBytes?: number;
  /**
   * Options of the Sentinel pipeline (the exporter): `credential` (default
   * `DefaultAzureCredential` from `AZURE_*`), `clientOptions` (e.g. `tlsOptions: { ca }`), `retry`,
   * `spool` — the directory of the write-ahead queue and the spool (default
   * `OTEL_SENTINEL_SPOOL_DIR`, else `$XDG_STATE_HOME/otel-sentinel/gateway`, i.e.
   * `~/.local/state/otel-sentinel/gateway`; put it on a persistent local volume) —,
   * `maxBatchBytes`, `scheduledDelayMillis`, `exportTimeoutMillis` (the security drain at `close()`)…
   */
  readonly exporter?: Omit<SentinelLogExporterOptions, 'mapping' | 'env' | 'durability' | 'ownerRole'>;
  /** One line per notable event: start, shutdown, upstream failures, refused requests (rate-limited). */
  readonly log?: (line: string) => void;
  /** `Retry-After` seconds sent with 503 when a queue is full. Default 5. */
  readonly retryAfterSeconds?: number;
  /**
   * How often readiness asks the credential for a token when the last check succeeded. A failed
   * check, or an authentication failure seen by the exporter, makes it ask again within 5 s.
   * Default 60000 ms.
   */
  readonly readinessIntervalMs?: number;
  /**
   * Retry budget of each upstream request (429/502/503/504, network errors, timeouts) for
   * operational records held in memory only (`durability: 'memory'`, or a body the store refused):
   * what still fails is dropped and counted. Records on disk are retried until the upstream takes
   * or refuses them, within this budget's delays.
   */
  readonly upstreamRetry?: UpstreamRetryOptions;
  /** An upstream request without an answer after this long fails (and may be retried). Default 30000 ms. */
  readonly upstreamTimeoutMs?: number;
  /** Upstream requests in flight at once. Default 2. */
  readonly upstreamConcurrency?: number;
  /** How long `close()` waits for the upstream queue to drain; the rest is dropped and counted. Default 30000 ms. */
  readonly shutdownTimeoutMs?: number;
}

/** Why operational records were dropped. */
export type UpstreamDropReason = 'no-upstream' | 'rejected' | 'retries-exhausted' | 'shutdown';

export interface GatewayStats {
  /** `/v1/logs` answers by HTTP status, e.g. `{ '200': 12, '503': 1 }`. */
  readonly requests: Readonly<Record<string, number>>;
  /** `/v1/logs` requests by body format (`protobuf`, `json`, or `unknown` before the type is known). */
  readonly requestsByFormat: Readonly<Record<string, number>>;
  readonly records: {
    /** Records in requests that decoded. */
    readonly received: number;
    /** Security records taken. */
    readonly security: number;
    /** Operational records taken (forwarded, queued, or dropped: see `upstream`). */
    readonly operational: number;
    /**
     * An estimate of what the operational records taken would weigh as Application Insights
     * AppTraces rows in Log Analytics, in bytes (the exporter's `operationalRowBytes`: message and
     * attributes as text plus 215 bytes a row); also the exporter's `bytesFiltered`. The
     * emulator's cost view turns it into what the split saves per month.
     */
    readonly operationalBytes: number;
    /** Security records the mapping rejected (a required column missing or invalid, a row too large). */
    readonly rejected: number;
    /** Security records no stream takes. */
    readonly unrouted: number;
    /** Records of requests refused with 503 or 413 because they did not fit (the client sends them again). */
    readonly refused: number;
  };
  /** Requests refused for want of room, by the queue that was full (`security`, `upstream`). */
  readonly backpressure: Readonly<Record<string, number>>;
  readonly upstream: {
    readonly configured: boolean;
    /** Upstream HTTP requests (attempts) made. */
    readonly requests: number;
    readonly retries: number;
    /** Upstream answers by HTTP status, or `error` when there was none (timeout, refused connection). */
    readonly responses: Readonly<Record<string, number>>;
    readonly recordsSent: number;
    readonly recordsDropped: Readonly<Partial<Record<UpstreamDropReason, number>>>;
    /** Operational records the write-ahead queue refused (forwarded from memory only). */
    readonly recordsNotPersisted: number;
    /** Operational records not sent at a stop, left in the write-ahead queue for the next start. */
    readonly recordsLeftQueued: number;
    /** Operational bodies taken over from an ended run and not sent yet. */
    readonly resumeRemaining: number;
    /** Operational bytes waiting or in flight now, and the limit. */
    readonly queuedBytes: number;
    readonly queuedRecords: number;
    readonly maxQueueBytes: number;
  };
  readonly securityQueue: {
    /** Security records held now (mapped, not yet sent). */
    readonly held: number;
    readonly capacity: number;
  };
  /** `disk` or `memory`, and where the write-ahead queue and the spool live (`spool: undefined` without one). */
  readonly durability: { readonly mode: 'disk' | 'memory'; readonly spool: string | undefined };
  /** Security rows an ended run left in the write-ahead queue: taken over since start, and not sent yet. */
  readonly recovery: { readonly resumed: number; readonly remaining: number };
  readonly ready: boolean;
  /** Whether the credential got a token at its last check (undefined before the first answer). */
  readonly credentialOk: boolean | undefined;
  /** The Sentinel pipeline's own counters (rows exported, spooled, undelivered, retries …). */
  readonly exporter: ExporterStats;
}

export interface RunningGateway {
  /** Where it listens, e.g. `http://127.0.0.1:4318`. */
  readonly url: string;
  readonly port: number;
  /** A snapshot of the counters and queue depths. */
  stats(): GatewayStats;
  /**
   * What `/readyz` answers: a token was had at the last check, both queues have room, and what an
   * ended run left in the write-ahead queue has been sent.
   */
  isReady(): boolean;
  /**
   * Sends everything held now: security rows to Sentinel (what cannot be delivered is spooled),
   * operational records upstream; waits for both, for at most `timeoutMs` (default 30000).
   */
  flush(timeoutMs?: number): Promise<void>;
  /**
   * Graceful and idempotent: stops accepting (in-flight requests finish), drains security records
   * within `exporter.exportTimeoutMillis` and the upstream within `shutdownTimeoutMs`; what is not
   * sent by then stays in the write-ahead queue for the next start (`disk`), or is spooled
   * (security rows) and dropped and counted (operational records) in `memory` durability. What a
   * SIGTERM handler calls.
   */
  close(): Promise<void>;
}
