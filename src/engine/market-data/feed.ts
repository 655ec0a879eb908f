import { EventEmitter } from 'node:events';
import { withLinkedSignal } from '../../common/index.js';
import type { BookTop, VenueClient } from '../connector/venue-client.js';

export interface MarketDataFeedOptions {
  /** Only bookTops is used. */
  venue: Pick<VenueClient, 'bookTops'>;
  symbols: readonly string[];
  /** Gap between the end of one poll and the start of the next, ms. Default 500. */
  intervalMs?: number;
  /** A symbol with no update for this long is stale, ms. Default 3 × intervalMs. */
  staleAfterMs?: number;
  /** A poll still unanswered after this long is aborted and counted as failed, ms. Default max(2000, 4 × intervalMs). */
  pollTimeoutMs?: number;
  /** Clock, ms since the epoch. Default Date.now. */
  now?: () => number;
  /** Aborting stops the feed, as stop() does. */
  signal?: AbortSignal;
}

/** Defaults of the optional fields of MarketDataFeedOptions. */
export const FEED_DEFAULTS = { intervalMs: 500 } as const;

export interface FeedUpdateEvent {
  at: number;
  /** The books this poll brought. */
  books: readonly BookTop[];
}

export interface FeedErrorEvent {
  at: number;
  error: unknown;
  consecutiveFailures: number;
}

export interface MarketDataFeedEvents {
  update: [FeedUpdateEvent];
  error: [FeedErrorEvent];
}

/** Counters and state of the feed. */
export interface FeedStats {
  polls: number;
  failures: number;
  consecutiveFailures: number;
  lastSuccessAt: number | undefined;
  lastFailureAt: number | undefined;
  /** True after a failed poll until the next good one, or when any symbol has gone stale. */
  stale: boolean;
}

/**
 * Polls the venue's book tops on a fixed gap and keeps the latest per symbol.
 * Polls never overlap: the next is scheduled when the previous one settles,
 * so a slow venue slows the feed rather than piling requests onto it. Data is
 * stale after a failed poll and for any symbol not refreshed within
 * `staleAfterMs`; strategies should read freshBook() so they do not trade on it.
 */
export class MarketDataFeed extends EventEmitter<MarketDataFeedEvents> {
  private readonly options: MarketDataFeedOptions;
  private readonly intervalMs: number;
  private readonly staleAfterMs: number;
  private readonly pollTimeoutMs: number;
  private readonly now: () => number;
  private readonly books = new Map<string, BookTop>();
  /** When each symbol was last refreshed, by our clock. */
  private readonly updatedAt = new Map<string, number>();
  private readonly counters = { polls: 0, failures: 0, consecutiveFailures: 0 };
  private lastSuccessAt: number | undefined;
  private lastFailureAt: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private controller: AbortController | undefined;
  private polling: Promise<void> | undefined;
  private readonly onAbort = (): void => void this.stop();

  constructor(options: MarketDataFeedOptions) {
    super();
    this.options = options;
    this.intervalMs = options.intervalMs ?? FEED_DEFAULTS.intervalMs;
    this.staleAfterMs = options.staleAfterMs ?? 3 * this.intervalMs;
    this.pollTimeoutMs = options.pollTimeoutMs ?? Math.max(2000, 4 * this.intervalMs);
    this.now = options.now ?? Date.now;
  }

  /** True between start() and stop(). */
  get isRunning(): boolean {
    return this.controller !== undefined;
  }

  /** Polls now, then every intervalMs after each poll settles. Idempotent. */
  start(): void {
    if (this.controller || this.options.signal?.aborted) return;
    this.controller = new AbortController();
    this.options.signal?.addEventListener('abort', this.onAbort, { once: true });
    this.schedule(0);
  }

  /** Stops polling, aborts a poll in progress and resolves once it has settled. */
  async stop(): Promise<void> {
    this.options.signal?.removeEventListener('abort', this.onAbort);
    clearTimeout(this.timer);
    this.timer = undefined;
    this.controller?.abort();
    this.controller = undefined;
    await this.polling;
  }

  /** The latest book top of a symbol, stale or not. */
  book(symbol: string): BookTop | undefined {
    return this.books.get(symbol);
  }

  /** The latest book top of a symbol, or undefined while its data is stale. */
  freshBook(symbol: string): BookTop | undefined {
    return this.isStale(symbol) ? undefined : this.books.get(symbol);
  }

  /** Whether a symbol's data (or, without one, any symbol's) is stale. */
  isStale(symbol?: string): boolean {
    if (this.counters.consecutiveFailures > 0) return true;
    const symbols = symbol === undefined ? this.options.symbols : [symbol];
    const now = this.now();
    return symbols.some((name) => {
      const at = this.updatedAt.get(name);
      return at === undefined || now - at > this.staleAfterMs;
    });
  }

  get stats(): FeedStats {
    return {
      ...this.counters,
      lastSuccessAt: this.lastSuccessAt,
      lastFailureAt: this.lastFailureAt,
      stale: this.isStale(),
    };
  }

  private schedule(delayMs: number): void {
    const controller = this.controller;
    if (!controller) return;
    this.timer = setTimeout(() => {
      const polling = this.poll(controller.signal).finally(() => {
        if (this.polling === polling) this.polling = undefined;
        if (this.controller === controller) this.schedule(this.intervalMs);
      });
      this.polling = polling;
    }, delayMs);
    this.timer.unref();
  }

  /** One poll; never rejects. */
  private async poll(stopSignal: AbortSignal): Promise<void> {
    // A timer of our own rather than AbortSignal.timeout, so it is unref'd and fake timers drive it.
    const deadline = new AbortController();
    const timer = setTimeout(
      () => deadline.abort(new Error(`bookTops unanswered after ${this.pollTimeoutMs} ms`)),
      this.pollTimeoutMs,
    );
    timer.unref();
    this.counters.polls += 1;
    try {
      const tops = await withLinkedSignal([stopSignal, deadline.signal], undefined, (signal) =>
        this.options.venue.bookTops(this.options.symbols, signal),
      );
      if (stopSignal.aborted) return;
      this.accept(tops);
    } catch (error) {
      if (stopSignal.aborted) return;
      this.counters.failures += 1;
      this.counters.consecutiveFailures += 1;
      this.lastFailureAt = this.now();
      const event = {
        at: this.lastFailureAt,
        error,
        consecutiveFailures: this.counters.consecutiveFailures,
      };
      // Node throws an 'error' event nobody listens to; a failed poll must not crash the engine.
      if (this.listenerCount('error') > 0) this.emit('error', event);
    } finally {
      clearTimeout(timer);
    }
  }

  private accept(tops: Map<string, BookTop>): void {
    const at = this.now();
    const books: BookTop[] = [];
    for (const symbol of this.options.symbols) {
      const top = tops.get(symbol);
      if (!top) continue;
      this.books.set(symbol, top);
      this.updatedAt.set(symbol, at);
      books.push(top);
    }
    this.counters.consecutiveFailures = 0;
    this.lastSuccessAt = at;
    this.emit('update', { at, books });
  }
}
