import { Pacer } from './pacer.js';
import { nonNegative, type ToxicDefinition } from './toxic.js';

interface BandwidthAttributes {
  /** KB/s, with Toxiproxy's KB of 1000 bytes; 0 lets data through unthrottled. */
  rate: number;
}

/** Data goes out in slices of this much time, so throughput is smooth rather than bursty. */
const SLICE_MS = 100;

/**
 * Toxiproxy's `bandwidth`: limits throughput to rate KB/s, sending large
 * chunks in 100 ms slices. Removing the toxic lets what it holds go at once:
 * no data is dropped.
 */
export const bandwidth: ToxicDefinition<BandwidthAttributes> = {
  type: 'bandwidth',
  description: 'limit throughput to rate KB/s',
  modes: ['tcp'],
  defaults: { rate: 0 },
  parse: (attributes) => ({ rate: nonNegative(attributes, 'rate') }),
  tcp: ({ rate }, link) => {
    const bytesPerMs = rate; // rate KB/s × 1000 bytes ÷ 1000 ms
    const sliceBytes = Math.max(1, Math.floor(bytesPerMs * SLICE_MS));
    const pacer = new Pacer(link.signal);
    return {
      async onChunk(chunk, _arrivedAtMs, push) {
        let offset = 0;
        while (rate > 0 && offset < chunk.length && !link.signal.aborted) {
          const piece = chunk.subarray(offset, offset + sliceBytes);
          await pacer.wait(piece.length / bytesPerMs);
          push(piece);
          offset += piece.length;
        }
        if (offset < chunk.length) push(chunk.subarray(offset));
      },
    };
  },
};
