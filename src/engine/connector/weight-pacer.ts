import type { RateGate } from './rate-gate.js';

/** Binance's `X-MBX-USED-WEIGHT-<n><unit>`: weight used in the current window of n seconds/minutes/hours/days. */
const USED_WEIGHT_HEADER = /^x-mbx-used-weight-(\d+)([smhd])$/i;

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export interface WeightPacerOptions {
  /** The venue's request-weight limit per window; undefined (unknown) paces nothing. */
  weightLimit?: number;
  /** Share of the limit at which the pacer holds requests until the window turns. Default 0.8. */
  holdAtFraction?: number;
  /** Added to the window's end, for clock differences with the venue, ms. Default 200. */
  marginMs?: number;
  now: () => number;
}

/**
 * Keeps a client under the venue's weight limit before the venue has to say
 * so. Every answer reports the weight used in the current fixed window; near
 * the limit, the shared gate is closed until the window turns. Without this,
 * requests already in flight when a 429 comes back land during the back-off,
 * and a venue that counts those bans the client (418).
 */
export class WeightPacer {
  private holdAt = Infinity;
  private readonly marginMs: number;

  constructor(
    private readonly gate: RateGate,
    private readonly options: WeightPacerOptions,
  ) {
    this.marginMs = options.marginMs ?? 200;
    if (options.weightLimit !== undefined) this.setWeightLimit(options.weightLimit);
  }

  get weightLimit(): number | undefined {
    return Number.isFinite(this.holdAt) ? this.options.weightLimit : undefined;
  }

  /** Sets the limit, e.g. once read from the venue's exchangeInfo. */
  setWeightLimit(weightLimit: number): void {
    this.options.weightLimit = weightLimit;
    this.holdAt = weightLimit * (this.options.holdAtFraction ?? 0.8);
  }

  /** Reads an answer's headers; returns the gate's new opening time when it closed it. */
  observe(headers: Iterable<[string, string]>): number | undefined {
    for (const [name, value] of headers) {
      const match = USED_WEIGHT_HEADER.exec(name);
      if (!match) continue;
      const used = Number(value);
      if (!Number.isFinite(used) || used < this.holdAt) return undefined;
      const windowMs = Number(match[1]) * (UNIT_MS[(match[2] ?? 'm').toLowerCase()] ?? 60_000);
      const now = this.options.now();
      const windowEnd = Math.ceil((now + 1) / windowMs) * windowMs;
      return this.gate.close(windowEnd - now + this.marginMs) ? this.gate.openAt : undefined;
    }
    return undefined;
  }
}
