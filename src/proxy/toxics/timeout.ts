import { after } from './sleep.js';
import { nonNegative, type ToxicDefinition } from './toxic.js';

interface TimeoutAttributes {
  /** Close the connection after this long, ms; 0 holds it open (and silent) until the toxic is removed. */
  timeout: number;
}

/**
 * Toxiproxy's `timeout`: no data gets through; the connection closes after
 * timeout ms, or never with 0. The "black hole" of a network partition. In
 * http mode the request is held unanswered (before the upstream on the
 * upstream stream, after it executed on the downstream stream).
 */
export const timeout: ToxicDefinition<TimeoutAttributes> = {
  type: 'timeout',
  description: 'stop all data and close the connection after timeout milliseconds (0: never)',
  modes: ['tcp', 'http'],
  defaults: { timeout: 0 },
  parse: (attributes) => ({ timeout: nonNegative(attributes, 'timeout') }),
  tcp: (attributes, link) => {
    if (attributes.timeout > 0) after(attributes.timeout, link.signal, () => link.close('timeout'));
    return { onChunk: () => undefined };
  },
  http: (attributes) => ({ kind: 'hold', closeAfterMs: attributes.timeout }),
};
