import { ExponentialBackoff, type IBackoff } from 'cockatiel';
import { sleep } from '../../common/index.js';
import type { Journal, OrderEventKind, OrderRecord } from '../../journal/index.js';
import type { VenueClient, VenueFailure, VenueOrder } from '../connector/index.js';
import type { DependencyBreaker } from './dependency-breaker.js';
import { failureOf, reasonOf } from './failures.js';
import { changed, withStatus, withVenueState } from './records.js';

/** Everything one order's placement needs; shared by all orders of an executor. */
export interface PlacementContext {
  venue: VenueClient;
  journal: Journal;
  breaker: DependencyBreaker;
  now: () => number;
  signal: AbortSignal;
  /** No placement request is sent later than this after the intent was journaled, ms. */
  orderDeadlineMs: number;
  /** How long to keep querying an UNKNOWN order before leaving it to the reconciler, ms. */
  resolveDeadlineMs: number;
  /** Added to the venue's recvWindow before a venue's "no such order" is trusted, ms. */
  clockMarginMs: number;
  retryInitialDelayMs: number;
  retryMaxDelayMs: number;
  /** Resend after a lost answer without asking the venue (see ExecutorOptions.unsafeBlindRetry). */
  unsafeBlindRetry: boolean;
  /** Told of every state the order passes through, after it is journaled. */
  onChange: (order: OrderRecord, kind: OrderEventKind) => void;
  onRetry: (failure: VenueFailure) => void;
}

export type PlacementResult =
  | { kind: 'placed'; order: OrderRecord; ackAt: number }
  | { kind: 'rejected'; order: OrderRecord }
  | { kind: 'abandoned'; order: OrderRecord }
  | { kind: 'unknown'; order: OrderRecord };

type Resolution =
  { kind: 'found'; venueOrder: VenueOrder } | { kind: 'absent' } | { kind: 'unresolved' };

/**
 * Places one journaled order and sees it to a known outcome.
 *
 * The rule that keeps orders from being placed twice: after an ambiguous
 * failure the order is UNKNOWN, and it is sent again only when the venue says
 * it does not have it AND the first request can no longer take effect (it was
 * signed more than recvWindow ago, so the venue would refuse it if it arrived
 * now). No request is sent after the order's deadline, which bounds how long a
 * crashed engine's orders stay uncertain.
 */
export async function placeOrder(
  context: PlacementContext,
  initial: OrderRecord,
): Promise<PlacementResult> {
  const { venue, now } = context;
  let order = initial;
  let backoff: IBackoff<unknown> = newBackoff(context);
  const sendDeadline = order.createdAt + context.orderDeadlineMs;
  for (;;) {
    // Stopping mid-order leaves it as journaled (PENDING or UNKNOWN) for the reconciler.
    if (context.signal.aborted) return { kind: 'unknown', order };
    const remainingMs = sendDeadline - now();
    if (remainingMs <= 0) return { kind: 'abandoned', order: await abandon(context, order) };
    order = changed(order, now(), { attempts: order.attempts + 1 });
    try {
      // The deadline bounds the wait at the rate gate too: nothing is signed after it.
      const venueOrder = await context.breaker.executeWithin(
        context.signal,
        remainingMs,
        (signal) => venue.placeOrder(requestOf(order), signal),
      );
      const ackAt = now();
      order = await record(context, withVenueState(order, venueOrder, ackAt), 'ACK', venueOrder);
      return { kind: 'placed', order, ackAt };
    } catch (error) {
      const failure = failureOf(error);
      const failedAt = now();
      if (failure.kind === 'rejected') {
        const rejected = withStatus(order, 'REJECTED', reasonOf(failure), failedAt);
        return { kind: 'rejected', order: await record(context, rejected, 'REJECTED', failure) };
      }
      if (failure.kind === 'duplicate' || failure.kind === 'ambiguous') {
        // The venue may hold the order: it is UNKNOWN until a query says otherwise.
        order = changed(order, failedAt, {
          status: 'UNKNOWN',
          lastSentAt: failedAt,
          reason: reasonOf(failure),
        });
        order = await record(context, order, 'UNKNOWN', failure);
        if (context.unsafeBlindRetry && failure.kind === 'ambiguous') {
          await sleep(
            Math.min(backoff.duration, Math.max(0, sendDeadline - now())),
            context.signal,
          );
          backoff = backoff.next(undefined);
          continue;
        }
        const resolution = await resolve(context, order, failedAt);
        if (resolution.kind === 'found') {
          const found = withVenueState(order, resolution.venueOrder, now());
          return { kind: 'placed', order: await record(context, found, 'RESOLVED'), ackAt: now() };
        }
        if (resolution.kind === 'unresolved') return { kind: 'unknown', order };
        continue; // Absent for certain, and nothing sent before can still land: send again.
      }
      context.onRetry(failure);
      // rate_limited waits at the connector's gate; not_sent backs off here.
      if (failure.kind !== 'rate_limited') {
        await sleep(Math.min(backoff.duration, Math.max(0, sendDeadline - now())), context.signal);
        backoff = backoff.next(undefined);
      }
    }
  }
}

/**
 * Finds out whether the venue has an order whose request's fate is unknown.
 * "Not found" is trusted only once the request has aged past recvWindow.
 */
export async function resolve(
  context: PlacementContext,
  order: OrderRecord,
  lastSentAt: number,
): Promise<Resolution> {
  const { venue, now } = context;
  const conclusiveAt = lastSentAt + venue.recvWindowMs + context.clockMarginMs;
  const giveUpAt = Math.max(conclusiveAt, now()) + context.resolveDeadlineMs;
  let backoff: IBackoff<unknown> = newBackoff(context);
  while (!context.signal.aborted) {
    // The venue's answer describes the moment it was asked, not the moment it arrived.
    const askedAt = now();
    try {
      const venueOrder = await context.breaker.executeWithin(
        context.signal,
        giveUpAt - askedAt,
        (signal) => venue.queryOrder(order.symbol, order.clientOrderId, signal),
      );
      return { kind: 'found', venueOrder };
    } catch (error) {
      const failure = failureOf(error);
      if (failure.kind === 'not_found' && askedAt >= conclusiveAt) return { kind: 'absent' };
      if (now() >= giveUpAt) return { kind: 'unresolved' };
      if (failure.kind !== 'not_found') context.onRetry(failure);
      const waitMs =
        failure.kind === 'not_found'
          ? conclusiveAt - now()
          : Math.min(backoff.duration, giveUpAt - now());
      await sleep(Math.max(0, waitMs), context.signal);
      backoff = backoff.next(undefined);
    }
  }
  return { kind: 'unresolved' };
}

async function abandon(context: PlacementContext, order: OrderRecord): Promise<OrderRecord> {
  const abandoned = withStatus(order, 'ABANDONED', 'deadline', context.now());
  return record(context, abandoned, 'ABANDONED');
}

/** Journals a change, then tells the executor. */
async function record(
  context: PlacementContext,
  order: OrderRecord,
  kind: OrderEventKind,
  detail?: object,
): Promise<OrderRecord> {
  await context.journal.append({ kind, order, detail: detail ? { ...detail } : undefined });
  context.onChange(order, kind);
  return order;
}

function requestOf(order: OrderRecord) {
  return {
    symbol: order.symbol,
    side: order.side,
    type: order.type,
    quantity: order.quantity,
    price: order.price,
    timeInForce: order.timeInForce,
    clientOrderId: order.clientOrderId,
  };
}

function newBackoff(context: PlacementContext): IBackoff<unknown> {
  return new ExponentialBackoff({
    initialDelay: context.retryInitialDelayMs,
    maxDelay: context.retryMaxDelayMs,
  }).next();
}
