import type { Amount } from '../common/index.js';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

interface MinuteBucket {
  minute: number;
  open: Amount;
  high: Amount;
  low: Amount;
  close: Amount;
  volume: Amount;
  quoteVolume: Amount;
  count: number;
  firstId: number;
  lastId: number;
}

export interface RollingStats {
  open: Amount;
  high: Amount;
  low: Amount;
  last: Amount;
  lastQty: Amount;
  volume: Amount;
  quoteVolume: Amount;
  count: number;
  firstId: number;
  lastId: number;
  openTime: number;
  closeTime: number;
}

/**
 * Trade statistics for the 24-hour ticker, kept in one bucket per minute so
 * memory stays bounded (at most 1440 buckets) however long a soak runs.
 */
export class MarketStats {
  private buckets: MinuteBucket[] = [];
  private lastQty = 0n;

  recordTrade(time: number, tradeId: number, price: Amount, qty: Amount, quote: Amount): void {
    const minute = Math.floor(time / MINUTE_MS);
    let bucket = this.buckets.at(-1);
    if (!bucket || bucket.minute !== minute) {
      bucket = {
        minute,
        open: price,
        high: price,
        low: price,
        close: price,
        volume: 0n,
        quoteVolume: 0n,
        count: 0,
        firstId: tradeId,
        lastId: tradeId,
      };
      this.buckets.push(bucket);
      this.prune(time);
    }
    if (price > bucket.high) bucket.high = price;
    if (price < bucket.low) bucket.low = price;
    bucket.close = price;
    bucket.volume += qty;
    bucket.quoteVolume += quote;
    bucket.count += 1;
    bucket.lastId = tradeId;
    this.lastQty = qty;
  }

  /** Stats over the last 24 hours; with no trades, every price is the fallback (the mid). */
  rolling(now: number, fallbackPrice: Amount): RollingStats {
    this.prune(now);
    const first = this.buckets[0];
    const last = this.buckets.at(-1);
    const stats: RollingStats = {
      open: first?.open ?? fallbackPrice,
      high: first?.high ?? fallbackPrice,
      low: first?.low ?? fallbackPrice,
      last: last?.close ?? fallbackPrice,
      lastQty: last ? this.lastQty : 0n,
      volume: 0n,
      quoteVolume: 0n,
      count: 0,
      firstId: first?.firstId ?? -1,
      lastId: last?.lastId ?? -1,
      openTime: now - DAY_MS,
      closeTime: now,
    };
    for (const bucket of this.buckets) {
      if (bucket.high > stats.high) stats.high = bucket.high;
      if (bucket.low < stats.low) stats.low = bucket.low;
      stats.volume += bucket.volume;
      stats.quoteVolume += bucket.quoteVolume;
      stats.count += bucket.count;
    }
    return stats;
  }

  private prune(now: number): void {
    const oldest = Math.floor((now - DAY_MS) / MINUTE_MS);
    let drop = 0;
    while (drop < this.buckets.length && this.buckets[drop]!.minute <= oldest) drop += 1;
    if (drop > 0) this.buckets.splice(0, drop);
  }

  clear(): void {
    this.buckets = [];
    this.lastQty = 0n;
  }
}
