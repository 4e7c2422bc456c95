/**
 * Resolves when `work` settles or after `ms`, whichever comes first; never rejects (`onError` hears a
 * failure that came in time). For waits that must not hold up what follows for long: a slow store may
 * delay a screen pop, never the call it is about.
 */
export function within(work: Promise<unknown>, ms: number, onError: (err: unknown) => void): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  const done = work.then(
    () => undefined,
    (err: unknown) => onError(err),
  );
  return Promise.race([done, late]).finally(() => clearTimeout(timer));
}
