import { setMaxListeners } from 'node:events';
import { withLinkedSignal } from '../../common/index.js';
import { classifyVenueError, VenueError } from './classify.js';
import { withRequestSignal } from './instrument.js';
import type { RateGate } from './rate-gate.js';
import type { WeightPacer } from './weight-pacer.js';
import type { VenueClientEvents, VenueFailure, VenueOperation } from './venue-client.js';

/** Where a RequestRunner reports, typically a VenueClient's own emit. */
export type VenueEventSink = <E extends keyof VenueClientEvents>(
  event: E,
  ...args: VenueClientEvents[E]
) => unknown;

/** The venue's order-count limit: it refuses new orders only, so only new orders wait. */
const TOO_MANY_ORDERS = -1015;

/**
 * Runs each venue request the same way: wait at the shared gate (new orders
 * also at the order gate), send with the caller's signal, report a `request`
 * event, and turn any failure into a VenueError. A 429/418 answer closes the
 * gate for every caller; a -1015 closes the order gate.
 */
export class RequestRunner {
  private readonly closing = new AbortController();
  /** Send times of requests past the gate and unanswered, oldest first (Map keeps insertion order). */
  private readonly inFlight = new Map<number, number>();
  private nextRequestId = 0;

  constructor(
    private readonly gate: RateGate,
    private readonly orderGate: RateGate,
    private readonly emit: VenueEventSink,
    private readonly options: {
      now: () => number;
      defaultRetryAfterMs: number;
      /** Closes the gate near the venue's weight limit, from the used-weight headers. */
      pacer?: WeightPacer;
    },
  ) {
    // Every request in flight listens for close(); hundreds at once are normal.
    setMaxListeners(0, this.closing.signal);
  }

  /** Latency is measured from leaving the gate: it is the venue's, not the back-off's. */
  run<T>(
    operation: VenueOperation,
    signal: AbortSignal | undefined,
    send: () => Promise<T>,
  ): Promise<T> {
    return withLinkedSignal([signal, this.closing.signal], undefined, (combined) =>
      this.runLinked(operation, combined, send),
    );
  }

  private async runLinked<T>(
    operation: VenueOperation,
    combined: AbortSignal,
    send: () => Promise<T>,
  ): Promise<T> {
    try {
      if (operation === 'placeOrder') await this.orderGate.wait(combined);
      await this.gate.wait(combined);
    } catch (cause) {
      throw this.failed(operation, this.options.now(), notSent('GateAborted'), cause);
    }
    const at = this.options.now();
    const id = this.nextRequestId++;
    this.inFlight.set(id, at);
    try {
      const result = await withRequestSignal(combined, send, (headers) => this.pace(headers));
      const latencyMs = this.options.now() - at;
      this.emit('request', { operation, at, latencyMs, ok: true, failure: undefined });
      return result;
    } catch (cause) {
      const failure = classifyVenueError(cause);
      // Only the venue's own 429/418 closes the gate; it says how long, in Retry-After.
      if (failure.kind === 'rate_limited' && failure.httpStatus !== undefined) {
        this.closeGate(failure.retryAfterMs, failure.httpStatus, failure.venueCode);
      }
      throw this.failed(operation, at, failure, cause);
    } finally {
      this.inFlight.delete(id);
    }
  }

  /** How long the oldest request still waiting for its answer has waited, ms; 0 when none. */
  oldestInFlightMs(): number {
    const first = this.inFlight.values().next();
    return first.done ? 0 : Math.max(0, this.options.now() - first.value);
  }

  private pace(headers: Array<[string, string]>): void {
    const until = this.options.pacer?.observe(headers);
    if (until !== undefined) this.emit('paced', { at: this.options.now(), until });
  }

  /** Rejects every request waiting at the gate, and every later one, as not_sent. */
  close(): void {
    this.closing.abort();
  }

  private failed(
    operation: VenueOperation,
    at: number,
    failure: VenueFailure,
    cause: unknown,
  ): VenueError {
    const latencyMs = this.options.now() - at;
    this.emit('request', { operation, at, latencyMs, ok: false, failure });
    return new VenueError(failure, operation, { cause });
  }

  private closeGate(
    retryAfterMs: number | undefined,
    httpStatus: number,
    venueCode?: number,
  ): void {
    const scope = venueCode === TOO_MANY_ORDERS ? 'orders' : 'all';
    const gate = scope === 'orders' ? this.orderGate : this.gate;
    if (!gate.close(retryAfterMs ?? this.options.defaultRetryAfterMs)) return;
    this.emit('rateLimited', { at: this.options.now(), until: gate.openAt, httpStatus, scope });
  }
}

function notSent(errorClass: string): VenueFailure {
  const none = { httpStatus: undefined, venueCode: undefined, retryAfterMs: undefined };
  return { kind: 'not_sent', ...none, errorClass };
}
