import { refuseUnknown } from '../http/toxic-attributes.js';
import type { ToxicDefinition } from './toxic.js';

type HttpDropResponseAttributes = Record<string, never>;

/**
 * Forwards the request, lets the upstream execute it, discards its complete
 * answer and resets the client connection: the order was placed, but the
 * engine only saw ECONNRESET. The stream does not matter.
 */
export const httpDropResponse: ToxicDefinition<HttpDropResponseAttributes> = {
  type: 'http_drop_response',
  description: 'forward, discard the upstream answer and reset the client connection',
  modes: ['http'],
  defaults: {},
  parse: (attributes) => {
    refuseUnknown(attributes, [], 'http_drop_response');
    return {};
  },
  http: () => ({ kind: 'drop_response' }),
};
