export type {
  Balance,
  BookTop,
  FailureKind,
  MarketRules,
  PlaceOrderRequest,
  VenueClient,
  VenueClientEvents,
  VenueFailure,
  VenueOperation,
  VenueOrder,
  VenueRequestEvent,
  VenueTrade,
} from './venue-client.js';
export {
  CCXT_FACTORY_DEFAULTS,
  ccxtBinanceConfig,
  createCcxtExchange,
  type CcxtExchangeOptions,
} from './ccxt-factory.js';
export {
  CCXT_VENUE_CLIENT_DEFAULTS,
  CcxtVenueClient,
  type CcxtVenueClientOptions,
} from './ccxt-venue-client.js';
export { classifyVenueError, nodeErrorCode, VenueError } from './classify.js';
export { instrument, responseInfoOf, type VenueResponseInfo } from './instrument.js';
export { RateGate } from './rate-gate.js';
