/** Resolves after ms, or at once when the signal aborts (the link closed or the toxic went away). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Calls fn after ms unless the signal aborts first. */
export function after(ms: number, signal: AbortSignal, fn: () => void): void {
  if (signal.aborted) return;
  const timer = setTimeout(fn, ms);
  signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
}
