import { nonNegative, type ToxicDefinition } from './toxic.js';

interface LimitDataAttributes {
  /** Bytes let through before the connection is closed. */
  bytes: number;
}

/** Toxiproxy's `limit_data`: closes the connection once `bytes` have passed. */
export const limitData: ToxicDefinition<LimitDataAttributes> = {
  type: 'limit_data',
  description: 'close the connection after bytes have been transmitted',
  modes: ['tcp'],
  defaults: { bytes: 0 },
  parse: (attributes) => ({ bytes: nonNegative(attributes, 'bytes') }),
  tcp: ({ bytes }, link) => {
    let passed = 0;
    return {
      onChunk(chunk, _arrivedAtMs, push) {
        const room = bytes - passed;
        if (room > 0) {
          const piece = chunk.length <= room ? chunk : chunk.subarray(0, room);
          passed += piece.length;
          push(piece);
        }
        if (passed >= bytes) link.close();
      },
    };
  },
};
