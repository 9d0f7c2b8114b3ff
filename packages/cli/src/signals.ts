// The stop signal of long-running commands (emulator, gateway): SIGINT or SIGTERM, once.

/** Resolves at the first SIGINT or SIGTERM, then stops listening for them. */
export function signalled(): Promise<void> {
  return new Promise((resolveStop) => {
    const done = (): void => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolveStop();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}
