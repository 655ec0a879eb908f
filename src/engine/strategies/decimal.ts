/**
 * Rounding of prices and quantities onto a market's tick and step sizes.
 *
 * Strategies think in floats (mids, notionals) but the venue wants decimal
 * strings on an exact grid. Rounding happens in integer units of the step, so
 * the strings produced never carry float artefacts such as 0.30000000000000004.
 */
import type { MarketRules } from '../connector/venue-client.js';

/** How to land on the grid. */
export type Rounding = 'down' | 'up' | 'nearest';

const DECIMAL_PATTERN = /^(\d+)(?:\.(\d+))?$/;

/** Decimal places a step or tick such as '0.00100' stands for (trailing zeros ignored): 3. */
export function decimalPlaces(step: string): number {
  const match = DECIMAL_PATTERN.exec(step);
  if (!match) throw new RangeError(`not a plain decimal: ${JSON.stringify(step)}`);
  return (match[2] ?? '').replace(/0+$/, '').length;
}

/** A plain decimal string as an integer count of 10^-places. */
function toUnits(text: string, places: number): bigint {
  const match = DECIMAL_PATTERN.exec(text);
  if (!match) throw new RangeError(`not a plain decimal: ${JSON.stringify(text)}`);
  const fraction = (match[2] ?? '').padEnd(places, '0').slice(0, places);
  return BigInt(match[1] ?? '0') * 10n ** BigInt(places) + BigInt(fraction || '0');
}

/** An integer count of 10^-places as a plain decimal string ("0.001", "65000.5"). */
function formatUnits(units: bigint, places: number): string {
  if (places === 0) return units.toString();
  const digits = units.toString().padStart(places + 1, '0');
  return `${digits.slice(0, -places)}.${digits.slice(-places)}`;
}

/**
 * Rounds a non-negative value onto multiples of `step` and returns it as a
 * decimal string with exactly the step's decimal places.
 * roundToStep(0.30000000000000004, '0.1') === '0.3'.
 */
export function roundToStep(value: number, step: string, mode: Rounding = 'down'): string {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`cannot round ${value} onto a step`);
  }
  const places = decimalPlaces(step);
  const stepUnits = toUnits(step, places);
  if (stepUnits === 0n) throw new RangeError(`step must be positive: ${step}`);
  const ratio = (value * 10 ** places) / Number(stepUnits);
  // Float division leaves ratios such as 2.9999999999999996 for 0.3 / 0.1;
  // a tolerance far below one step keeps them on the grid point they mean.
  const tolerance = 1e-9 + ratio * 1e-15;
  let multiples: number;
  if (mode === 'down') multiples = Math.floor(ratio + tolerance);
  else if (mode === 'up') multiples = Math.ceil(ratio - tolerance);
  else multiples = Math.round(ratio);
  return formatUnits(BigInt(Math.max(0, multiples)) * stepUnits, places);
}

/** True when the decimal string is zero ("0", "0.000"). */
export function isZeroDecimal(text: string): boolean {
  return /^0*(?:\.0*)?$/.test(text);
}

/** Head-room over minNotional, because a market order fills away from the price it was sized at. */
const MIN_NOTIONAL_MARGIN = 1.05;

/**
 * A quantity worth about `notionalQuote` at `price`, on the market's step size,
 * raised to at least minQty and minNotional. Undefined when no sensible
 * quantity exists (price not positive, or the result rounds to zero).
 */
export function quantityForNotional(
  notionalQuote: number,
  price: number,
  rules: MarketRules,
): string | undefined {
  if (!(price > 0) || !(notionalQuote > 0)) return undefined;
  let quantity = Math.max(notionalQuote / price, Number(rules.minQty));
  const minNotional = Number(rules.minNotional) * MIN_NOTIONAL_MARGIN;
  if (quantity * price < minNotional) quantity = minNotional / price;
  const text = roundToStep(quantity, rules.stepSize, 'up');
  return isZeroDecimal(text) ? undefined : text;
}
