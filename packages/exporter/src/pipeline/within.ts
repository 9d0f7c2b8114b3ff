// Waits for work for at most a time, with a timer that holds the process open on purpose: a
// flush or a stop must be able to finish when nothing else keeps the process alive.

/** Waits for `work`, for at most `ms`; false when the time ran out first. */
export async function within(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => {
      resolve(false);
    }, ms);
  });
  try {
    return await Promise.race([work.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
