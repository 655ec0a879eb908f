/** Calls fn after ms unless the signal aborts first. */
export function after(ms: number, signal: AbortSignal, fn: () => void): void {
  if (signal.aborted) return;
  const timer = setTimeout(fn, ms);
  signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
}
