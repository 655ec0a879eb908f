/**
 * Runs `fn` with a signal that aborts when any parent aborts or `timeoutMs`
 * passes, and detaches from the parents when `fn` settles.
 *
 * Why not `AbortSignal.any([parent, AbortSignal.timeout(ms)])`: on Node 20 a
 * long-lived parent keeps every signal ever derived from it (nodejs/node#55351),
 * so an engine deriving one per request grows without bound over a long run.
 */
export async function withLinkedSignal<T>(
  parents: ReadonlyArray<AbortSignal | undefined>,
  timeoutMs: number | undefined,
  fn: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const attached: AbortSignal[] = [];
  const onAbort = (event: Event) => controller.abort((event.target as AbortSignal).reason);
  for (const parent of parents) {
    if (!parent) continue;
    if (parent.aborted) {
      controller.abort(parent.reason);
      break;
    }
    parent.addEventListener('abort', onAbort, { once: true });
    attached.push(parent);
  }
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(
          () => controller.abort(new DOMException('The operation timed out', 'TimeoutError')),
          Math.max(0, timeoutMs),
        ).unref();
  try {
    return await fn(controller.signal);
  } finally {
    clearTimeout(timer);
    for (const parent of attached) parent.removeEventListener('abort', onAbort);
  }
}
