import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BookTop, VenueClient } from '../connector/venue-client.js';
import { MarketDataFeed, type MarketDataFeedOptions } from './feed.js';

type BookTops = VenueClient['bookTops'];

function tops(mid: number, symbols = ['BTC/USDT', 'ETH/USDT']): Map<string, BookTop> {
  return new Map(symbols.map((symbol) => [symbol, { symbol, bid: mid - 1, ask: mid + 1, at: 0 }]));
}

/** A fake venue whose answers the test scripts; it is a pure consumer of the interface. */
function fakeVenue(answer: BookTops): { bookTops: ReturnType<typeof vi.fn<BookTops>> } {
  return { bookTops: vi.fn<BookTops>(answer) };
}

function feed(
  venue: Pick<VenueClient, 'bookTops'>,
  overrides: Partial<MarketDataFeedOptions> = {},
): MarketDataFeed {
  return new MarketDataFeed({
    venue,
    symbols: ['BTC/USDT', 'ETH/USDT'],
    now: Date.now,
    ...overrides,
  });
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('MarketDataFeed', () => {
  it('polls every intervalMs and keeps the latest book per symbol', async () => {
    let mid = 100;
    const venue = fakeVenue(async () => tops((mid += 1)));
    const instance = feed(venue);
    const updates: unknown[] = [];
    instance.on('update', (event) => updates.push(event));
    expect(instance.book('BTC/USDT')).toBeUndefined();
    instance.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(instance.book('BTC/USDT')).toMatchObject({ bid: 100, ask: 102 });
    await vi.advanceTimersByTimeAsync(1000);
    expect(venue.bookTops).toHaveBeenCalledTimes(3);
    expect(venue.bookTops.mock.calls[0]?.[0]).toEqual(['BTC/USDT', 'ETH/USDT']);
    expect(venue.bookTops.mock.calls[0]?.[1]).toBeInstanceOf(AbortSignal);
    expect(instance.book('ETH/USDT')).toMatchObject({ bid: 102 });
    expect(updates).toHaveLength(3);
    expect(instance.stats).toMatchObject({ polls: 3, failures: 0, stale: false });
    await instance.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(venue.bookTops).toHaveBeenCalledTimes(3);
  });

  it('never overlaps polls: the next starts intervalMs after a slow one ends', async () => {
    let active = 0;
    let maxActive = 0;
    const venue = fakeVenue(async () => {
      active += 1;
      maxActive = Math.max(maxActive, active);
      await new Promise((resolve) => setTimeout(resolve, 1200));
      active -= 1;
      return tops(100);
    });
    const instance = feed(venue, { intervalMs: 500, pollTimeoutMs: 10_000 });
    instance.start();
    await vi.advanceTimersByTimeAsync(3400); // polls start at 0, 1700 and 3400
    expect(venue.bookTops).toHaveBeenCalledTimes(3);
    expect(maxActive).toBe(1);
    await vi.advanceTimersByTimeAsync(1200);
    await instance.stop();
  });

  it('marks data stale after a failed poll, reports it, and recovers', async () => {
    let fail = false;
    const venue = fakeVenue(async () => {
      if (fail) throw new Error('exchange down');
      return tops(100);
    });
    const instance = feed(venue);
    const errors: unknown[] = [];
    instance.on('error', (event) => errors.push(event));
    instance.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(instance.isStale()).toBe(false);
    fail = true;
    await vi.advanceTimersByTimeAsync(1000);
    expect(instance.isStale('BTC/USDT')).toBe(true);
    expect(instance.freshBook('BTC/USDT')).toBeUndefined();
    expect(instance.book('BTC/USDT')).toMatchObject({ bid: 99 });
    expect(errors).toHaveLength(2);
    expect(errors[1]).toMatchObject({ consecutiveFailures: 2 });
    expect(instance.stats).toMatchObject({
      polls: 3,
      failures: 2,
      consecutiveFailures: 2,
      stale: true,
    });
    fail = false;
    await vi.advanceTimersByTimeAsync(500);
    expect(instance.freshBook('BTC/USDT')).toMatchObject({ bid: 99 });
    expect(instance.stats.stale).toBe(false);
    await instance.stop();
  });

  it('marks a symbol stale when it is not refreshed within staleAfterMs', async () => {
    let symbols = ['BTC/USDT', 'ETH/USDT'];
    const venue = fakeVenue(async () => tops(100, symbols));
    const instance = feed(venue, { staleAfterMs: 1000 });
    instance.start();
    await vi.advanceTimersByTimeAsync(0);
    symbols = ['BTC/USDT'];
    await vi.advanceTimersByTimeAsync(1000);
    expect(instance.isStale('ETH/USDT')).toBe(false);
    await vi.advanceTimersByTimeAsync(500);
    expect(instance.isStale('ETH/USDT')).toBe(true);
    expect(instance.isStale('BTC/USDT')).toBe(false);
    expect(instance.isStale()).toBe(true);
    await instance.stop();
  });

  it('aborts a poll that outlives pollTimeoutMs and counts it as failed', async () => {
    const venue = fakeVenue(
      (_symbols, signal) =>
        new Promise((_resolve, reject) => {
          signal?.addEventListener('abort', () => reject(signal.reason));
        }),
    );
    const instance = feed(venue, { pollTimeoutMs: 2000 });
    const errors: unknown[] = [];
    instance.on('error', (event) => errors.push(event));
    instance.start();
    await vi.advanceTimersByTimeAsync(2000);
    expect(errors).toHaveLength(1);
    expect(instance.stats.failures).toBe(1);
    await instance.stop();
  });

  it('survives failures with no error listener', async () => {
    const venue = fakeVenue(async () => {
      throw new Error('nobody listens');
    });
    const instance = feed(venue);
    instance.start();
    await vi.advanceTimersByTimeAsync(1000);
    expect(instance.stats.failures).toBe(3);
    await instance.stop();
  });

  it('stop aborts the poll in progress and waits for it; so does the signal', async () => {
    const controller = new AbortController();
    let seen: AbortSignal | undefined;
    const venue = fakeVenue(
      (_symbols, signal) =>
        new Promise((_resolve, reject) => {
          seen = signal;
          signal?.addEventListener('abort', () => reject(signal.reason));
        }),
    );
    const instance = feed(venue, { signal: controller.signal });
    const errors: unknown[] = [];
    instance.on('error', (event) => errors.push(event));
    instance.start();
    await vi.advanceTimersByTimeAsync(0);
    controller.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(seen?.aborted).toBe(true);
    expect(instance.isRunning).toBe(false);
    expect(errors).toEqual([]);
    instance.start();
    expect(instance.isRunning).toBe(false);
  });
});
