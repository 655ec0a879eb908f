import { sleep } from './sleep.js';
import { nonNegative, type ToxicDefinition } from './toxic.js';

interface BandwidthAttributes {
  /** KB/s (1 KB = 1024 bytes); 0 lets data through unthrottled. */
  rate: number;
}

/** Data goes out in slices of this much time, so throughput is smooth rather than bursty. */
const SLICE_MS = 100;

/**
 * Toxiproxy's `bandwidth`: limits throughput to rate KB/s by sending each
 * chunk in 100 ms slices, each as large as the rate allows.
 */
export const bandwidth: ToxicDefinition<BandwidthAttributes> = {
  type: 'bandwidth',
  description: 'limit throughput to rate KB/s',
  modes: ['tcp'],
  defaults: { rate: 0 },
  parse: (attributes) => ({ rate: nonNegative(attributes, 'rate') }),
  tcp: ({ rate }, link) => {
    const bytesPerSlice = Math.max(1, Math.floor((rate * 1024 * SLICE_MS) / 1000));
    return {
      async onChunk(chunk, _arrivedAtMs, push) {
        if (rate === 0) return push(chunk);
        for (
          let offset = 0;
          offset < chunk.length && !link.signal.aborted;
          offset += bytesPerSlice
        ) {
          const piece = chunk.subarray(offset, offset + bytesPerSlice);
          await sleep((piece.length / bytesPerSlice) * SLICE_MS, link.signal);
          push(piece);
        }
      },
    };
  },
};
