import { after } from './after.js';
import { MAX_DELAY_MS, nonNegative, type ToxicDefinition } from './toxic.js';

interface TimeoutAttributes {
  /** Close the connection after this long, ms; 0 holds it open (and silent) until the toxic is removed. */
  timeout: number;
}

/**
 * Toxiproxy's `timeout`: no data gets through; the connection closes after
 * timeout ms, or never with 0, and closes when the toxic is removed. The
 * "black hole" of a network partition; such a connection counts as timed out. In
 * http mode the request is held unanswered (before the upstream on the
 * upstream stream, after it executed on the downstream stream).
 */
export const timeout: ToxicDefinition<TimeoutAttributes> = {
  type: 'timeout',
  description: 'stop all data and close the connection after timeout milliseconds (0: never)',
  modes: ['tcp', 'http'],
  defaults: { timeout: 0 },
  parse: (attributes) => ({ timeout: nonNegative(attributes, 'timeout', MAX_DELAY_MS) }),
  tcp: (attributes, link) => {
    if (attributes.timeout > 0) after(attributes.timeout, link.signal, () => link.close('timeout'));
    return { onChunk: () => undefined, holdsConnection: true };
  },
  http: (attributes) => ({ kind: 'hold', closeAfterMs: attributes.timeout }),
};
