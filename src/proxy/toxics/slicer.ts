import { Pacer } from './pacer.js';
import { nonNegative, ToxicAttributeError, type ToxicDefinition } from './toxic.js';

interface SlicerAttributes {
  /** Mean slice size, bytes. */
  average_size: number;
  /** Slices vary by up to ± this many bytes; must be below average_size. */
  size_variation: number;
  /** Pause between slices, µs. */
  delay: number;
}

/**
 * Toxiproxy's `slicer`: cuts data into small slices with a pause between
 * them, exercising a client's handling of partial reads.
 */
export const slicer: ToxicDefinition<SlicerAttributes> = {
  type: 'slicer',
  description: 'slice data into average_size ± size_variation bytes, delay µs apart',
  modes: ['tcp'],
  defaults: { average_size: 0, size_variation: 0, delay: 0 },
  parse: (attributes) => {
    const parsed = {
      average_size: nonNegative(attributes, 'average_size'),
      size_variation: nonNegative(attributes, 'size_variation'),
      delay: nonNegative(attributes, 'delay'),
    };
    if (parsed.average_size > 0 && parsed.size_variation >= parsed.average_size) {
      throw new ToxicAttributeError('size_variation must be smaller than average_size');
    }
    return parsed;
  },
  tcp: (attributes, link) => {
    const pacer = new Pacer(link.signal);
    return {
      async onChunk(chunk, _arrivedAtMs, push) {
        let offset = 0;
        while (attributes.average_size > 0 && offset < chunk.length && !link.signal.aborted) {
          const variation = Math.round((link.random() * 2 - 1) * attributes.size_variation);
          const size = Math.max(1, Math.floor(attributes.average_size + variation));
          push(chunk.subarray(offset, offset + size));
          offset += size;
          if (offset < chunk.length) await pacer.wait(attributes.delay / 1000);
        }
        // Removed mid-chunk: the rest goes on whole; no data is dropped.
        if (offset < chunk.length) push(chunk.subarray(offset));
      },
    };
  },
};
