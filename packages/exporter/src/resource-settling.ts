// Holds security records whose resource still has attributes coming from an asynchronous resource
// detector, and hands them on once it has settled, so a column fed from the resource is not mapped
// empty. OpenTelemetry's BatchLogRecordProcessor waits the same way before it exports; here emit
// never waits, and a detector that never answers holds records for at most `timeoutMs`.

import { diag } from '@opentelemetry/api';
import type { LogRecordLike } from '@otel-sentinel/mapping';

/** A resource of the OpenTelemetry JS SDK (1.x to 3.x) while its asynchronous attributes are due. */
interface SettlingResource {
  readonly asyncAttributesPending: boolean;
  waitForAsyncAttributes(): Promise<void>;
}

function isSettling(resource: object): resource is SettlingResource {
  return (
    'asyncAttributesPending' in resource &&
    resource.asyncAttributesPending === true &&
    'waitForAsyncAttributes' in resource &&
    typeof resource.waitForAsyncAttributes === 'function'
  );
}

export class ResourceSettling {
  private readonly held = new Map<SettlingResource, LogRecordLike[]>();
  private readonly waits = new Set<Promise<void>>();
  private count = 0;
  private readonly log = diag.createComponentLogger({ namespace: '@otel-sentinel/exporter' });

  /**
   * @param release receives the records of a resource once it has settled (or its wait timed out)
   * @param timeoutMs longest wait for one resource
   */
  constructor(
    private readonly release: (records: LogRecordLike[]) => void,
    private readonly timeoutMs: number,
  ) {}

  /** Records held. */
  get size(): number {
    return this.count;
  }

  /** Holds the record when its resource has not settled yet; false, holding nothing, when it has. */
  hold(record: LogRecordLike): boolean {
    const resource = record.resource;
    if (resource === undefined || !isSettling(resource)) return false;
    const list = this.held.get(resource);
    if (list !== undefined) list.push(record);
    else {
      this.held.set(resource, [record]);
      const wait = this.settle(resource);
      this.waits.add(wait);
      void wait.finally(() => this.waits.delete(wait));
    }
    this.count++;
    return true;
  }

  /** Resolves once every resource held now has settled and its records were handed on. */
  async settled(): Promise<void> {
    await Promise.all(this.waits);
  }

  /** Everything held, settled or not (at exit, when nothing can wait). */
  takeAll(): LogRecordLike[] {
    const records = [...this.held.values()].flat();
    this.held.clear();
    this.count = 0;
    return records;
  }

  private async settle(resource: SettlingResource): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => {
        resolve('timeout');
      }, this.timeoutMs);
      timer.unref();
    });
    try {
      const outcome = await Promise.race([resource.waitForAsyncAttributes(), timeout]);
      if (outcome === 'timeout')
        this.log.warn(
          `a resource detector gave no attributes within ${this.timeoutMs} ms (exportTimeoutMillis); its records are mapped without them`,
        );
    } catch {
      // The SDK's detectors never reject (a failed one gives no attributes); a foreign one might.
      this.log.warn('a resource detector failed; its records are mapped without its attributes');
    } finally {
      clearTimeout(timer);
    }
    const records = this.held.get(resource);
    if (records === undefined) return; // taken at exit
    this.held.delete(resource);
    this.count -= records.length;
    this.release(records);
  }
}
