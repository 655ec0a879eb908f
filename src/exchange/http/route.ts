import type { Account } from '../accounts.js';
import type { RateLimits } from '../rate-limiter.js';
import type { Venue } from '../venue.js';
import type { Params } from './params.js';

export interface RouteContext {
  venue: Venue;
  rateLimits: RateLimits;
  /** The authenticated account, on SIGNED routes. */
  account: Account | undefined;
  /** Server time of this request, epoch ms. */
  now: number;
}

/**
 * One REST endpoint. Parsing is split from execution so that every parameter
 * is validated, and unread ones refused (-1104), before anything changes.
 */
export interface Route<Input = unknown> {
  security: 'NONE' | 'SIGNED';
  /** Request weight as the venue documents it; some endpoints weigh more when asked for more. */
  weight: (params: Params) => number;
  /** True for endpoints that count towards the ORDERS limit. */
  placesOrder?: boolean;
  parse: (params: Params, context: RouteContext) => Input;
  execute: (input: Input, context: RouteContext) => unknown;
}

/** Declares a route, keeping its input type between parse and execute. */
export function route<Input>(definition: Route<Input>): Route {
  return definition as Route;
}

/** A fixed weight. */
export const weight = (value: number) => () => value;
