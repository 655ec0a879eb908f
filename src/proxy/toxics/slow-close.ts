import { sleep } from '../../common/index.js';
import { MAX_DELAY_MS, nonNegative, type ToxicDefinition } from './toxic.js';

interface SlowCloseAttributes {
  /** How long the close is held back, ms. */
  delay: number;
}

/** Toxiproxy's `slow_close`: when the sender closes, the close reaches the other side delay ms later. */
export const slowClose: ToxicDefinition<SlowCloseAttributes> = {
  type: 'slow_close',
  description: 'delay the connection close by delay milliseconds',
  modes: ['tcp'],
  defaults: { delay: 0 },
  parse: (attributes) => ({ delay: nonNegative(attributes, 'delay', MAX_DELAY_MS) }),
  tcp: ({ delay }, link) => ({
    onChunk: (chunk, _arrivedAtMs, push) => push(chunk),
    onEnd: () => sleep(delay, link.signal),
  }),
};
