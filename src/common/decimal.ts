/**
 * Exact fixed-point amounts. Binance quotes every price, quantity and balance
 * with at most 8 decimals, so the simulator keeps them as bigint counts of
 * 1e-8 units: no float rounding can create or destroy a satoshi in a balance.
 */
export type Amount = bigint;

export const DECIMALS = 8;
export const SCALE = 100_000_000n;
export const ZERO: Amount = 0n;

const DECIMAL_PATTERN = /^(\d{1,20})(?:\.(\d{1,20}))?$/;

export type ParseResult =
  { ok: true; value: Amount } | { ok: false; reason: 'malformed' | 'precision' };

/** Parses a plain decimal string ("0.001", "65000"); no signs, exponents or spaces. */
export function parseAmount(text: string): ParseResult {
  const match = DECIMAL_PATTERN.exec(text);
  if (!match) return { ok: false, reason: 'malformed' };
  const whole = match[1] ?? '0';
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > DECIMALS) return { ok: false, reason: 'precision' };
  return { ok: true, value: BigInt(whole) * SCALE + BigInt(fraction.padEnd(DECIMALS, '0')) };
}

/** Like parseAmount, for trusted configuration: throws on bad input. */
export function amount(text: string | number): Amount {
  const parsed = parseAmount(typeof text === 'number' ? numberToPlain(text) : text);
  if (!parsed.ok) throw new RangeError(`not a decimal with at most 8 places: ${text}`);
  return parsed.value;
}

/**
 * A signed decimal as reported by a venue client: plain strings exactly,
 * anything else (exponent notation from a float) rounded to 8 places.
 */
export function signedAmount(text: string): Amount {
  const negative = text.startsWith('-');
  const unsigned = negative ? text.slice(1) : text;
  const parsed = parseAmount(unsigned);
  const value = parsed.ok ? parsed.value : amount(Number(unsigned));
  return negative ? -value : value;
}

function numberToPlain(value: number): string {
  return value.toFixed(DECIMALS);
}

/** Binance's wire format: always 8 decimals ("0.00100000"). */
export function formatAmount(value: Amount): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const whole = abs / SCALE;
  const fraction = (abs % SCALE).toString().padStart(DECIMALS, '0');
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}

/** price × quantity, truncated to 1e-8. */
export function multiply(a: Amount, b: Amount): Amount {
  return (a * b) / SCALE;
}

/** price × quantity, rounded up to 1e-8 (for funds to lock). */
export function multiplyCeil(a: Amount, b: Amount): Amount {
  const product = a * b;
  return product % SCALE === 0n ? product / SCALE : product / SCALE + 1n;
}

/** a ÷ b, truncated to 1e-8. */
export function divide(a: Amount, b: Amount): Amount {
  return (a * SCALE) / b;
}

/** Rounds down to a multiple of step. */
export function floorToStep(value: Amount, step: Amount): Amount {
  return step === 0n ? value : value - (value % step);
}

export function minAmount(a: Amount, b: Amount): Amount {
  return a < b ? a : b;
}

/** Number of decimal places a step such as 0.00100000 stands for. */
export function decimalPlaces(step: Amount): number {
  let places = DECIMALS;
  let rest = step;
  while (places > 0 && rest % 10n === 0n) {
    rest /= 10n;
    places -= 1;
  }
  return places;
}

export function toNumber(value: Amount): number {
  return Number(value) / Number(SCALE);
}
