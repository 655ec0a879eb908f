import { refuseUnknown } from '../http/toxic-attributes.js';
import { MAX_DELAY_MS, nonNegative, type ToxicDefinition } from './toxic.js';

interface HttpTimeoutAttributes {
  /** Close the client connection (FIN) after this long, ms; 0 holds until the client gives up. Default 0. */
  timeout: number;
}

const KNOWN = ['timeout'];

/**
 * Never answers the request: the client's own timeout is what gets tested.
 * On the upstream stream the request is not forwarded; on the downstream
 * stream the upstream executes it and only the answer is lost, the case
 * where a trading engine does not know whether its order exists.
 */
export const httpTimeout: ToxicDefinition<HttpTimeoutAttributes> = {
  type: 'http_timeout',
  description: 'hold requests unanswered; close the connection after timeout ms (0: never)',
  modes: ['http'],
  defaults: { timeout: 0 },
  parse: (attributes) => {
    refuseUnknown(attributes, KNOWN, 'http_timeout');
    return { timeout: nonNegative(attributes, 'timeout', MAX_DELAY_MS) };
  },
  http: (attributes) => ({ kind: 'hold', closeAfterMs: attributes.timeout }),
};
