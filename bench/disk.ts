// What the durable benchmarks say about the disk they write to: which file system holds a
// directory (so a tmpfs is not mistaken for a disk), the bytes this process has sent to the block
// layer (so a "durable" case that never wrote is caught), and the size of the store's files.
import { readFileSync, realpathSync, statSync } from 'node:fs';

export interface FileSystem {
  readonly mountPoint: string;
  /** `ext4`, `xfs`, `tmpfs`, `overlay`… */
  readonly type: string;
  /** The device or source, e.g. `/dev/vda`. */
  readonly source: string;
}

/** The mount that holds `path`, from /proc/self/mountinfo (Linux); undefined elsewhere. */
export function fileSystemOf(path: string): FileSystem | undefined {
  let info: string;
  let real: string;
  try {
    info = readFileSync('/proc/self/mountinfo', 'utf8');
    real = realpathSync(path);
  } catch {
    return undefined;
  }
  let best: FileSystem | undefined;
  for (const line of info.split('\n')) {
    // <id> <parent> <major:minor> <root> <mount point> <options> [optional fields] - <type> <source> <options>
    const [left, right] = line.split(' - ');
    const mountPoint = left?.split(' ')[4]?.replace(/\\040/g, ' ');
    const [type, source] = right?.split(' ') ?? [];
    if (mountPoint === undefined || type === undefined) continue;
    const inside = real === mountPoint || real.startsWith(mountPoint === '/' ? '/' : `${mountPoint}/`);
    if (inside && (best === undefined || mountPoint.length >= best.mountPoint.length))
      best = { mountPoint, type, source: source ?? '' };
  }
  return best;
}

export function describeFileSystem(path: string): string {
  const fs = fileSystemOf(path);
  return fs === undefined
    ? `${path} (file system unknown)`
    : `${path} on ${fs.type} (${fs.source}, mounted at ${fs.mountPoint})`;
}

/** Bytes this process (all its threads) caused to be written to storage: `write_bytes` of /proc/self/io. */
export function diskWriteBytes(): number | undefined {
  try {
    const match = /^write_bytes: (\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'));
    return match?.[1] === undefined ? undefined : Number(match[1]);
  } catch {
    return undefined;
  }
}

export function fileBytes(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
