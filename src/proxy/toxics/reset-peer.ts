import { after } from './sleep.js';
import { nonNegative, type ToxicDefinition } from './toxic.js';

interface ResetPeerAttributes {
  /** Reset after this long, ms; 0 resets at once. */
  timeout: number;
}

/**
 * Toxiproxy's `reset_peer`: the connection is closed with a TCP RST
 * ("connection reset by peer") after timeout ms; data flows until then. In
 * http mode the client connection is reset instead of answered.
 */
export const resetPeer: ToxicDefinition<ResetPeerAttributes> = {
  type: 'reset_peer',
  description: 'reset the connection (TCP RST) after timeout milliseconds',
  modes: ['tcp', 'http'],
  defaults: { timeout: 0 },
  parse: (attributes) => ({ timeout: nonNegative(attributes, 'timeout') }),
  tcp: (attributes, link) => {
    // 0 resets before any byte passes: the connection fails, it does not flicker.
    if (attributes.timeout === 0) link.reset();
    else after(attributes.timeout, link.signal, () => link.reset());
    return { onChunk: (chunk, _arrivedAtMs, push) => push(chunk) };
  },
  http: (attributes) => ({ kind: 'reset', afterMs: attributes.timeout }),
};
