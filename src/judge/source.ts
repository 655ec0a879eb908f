/**
 * What every judge reads and writes. Evidence comes as JSON-lines files far
 * larger than memory, so a judge takes a source it can open (and re-open when
 * it needs two passes) rather than an array, and lists only the first findings
 * of each kind: a pathological bot must not be able to bloat its own report.
 */

/**
 * Opens the records afresh on each call, in the order they were written.
 * A judge that needs two passes calls it twice; arrays work (`() => records`).
 */
export type RecordSource<T> = () => Iterable<T> | AsyncIterable<T>;

/** How many findings of each kind a judgment lists by default; the total is always counted. */
export const DEFAULT_MAX_LISTED = 100;

/** Options every judge takes. */
export interface ListingOptions {
  /** Findings of each kind kept in the listing, the first ones in reading order; default 100. */
  maxListed?: number;
  /** Stops reading (the judge rejects with the signal's reason). */
  signal?: AbortSignal;
}

/** The first `max` findings of one kind and how many there were in all. */
export class CappedList<T> {
  readonly items: T[] = [];
  private count = 0;

  constructor(private readonly max: number) {}

  get total(): number {
    return this.count;
  }

  add(item: T): void {
    this.count += 1;
    if (this.items.length < this.max) this.items.push(item);
  }
}

/**
 * Reads a source once, checking the signal between records. `for await`
 * accepts sync and async iterables alike, so arrays and files read the same.
 */
export async function* readAll<T>(
  source: RecordSource<T>,
  signal: AbortSignal | undefined,
): AsyncGenerator<T> {
  signal?.throwIfAborted();
  for await (const record of source()) {
    signal?.throwIfAborted();
    yield record;
  }
}
