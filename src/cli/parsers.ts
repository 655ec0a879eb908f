import { InvalidArgumentError } from 'commander';

/** Option-value parsers for commander: each throws InvalidArgumentError with a clear reason. */

export function integerIn(min: number, max: number) {
  return (text: string): number => {
    if (!/^-?\d+$/.test(text))
      throw new InvalidArgumentError(`expected an integer, got "${text}".`);
    const value = Number(text);
    if (value < min || value > max)
      throw new InvalidArgumentError(`expected ${min}..${max}, got ${value}.`);
    return value;
  };
}

/** A decimal number within [min, max]: seconds, rates, shares. */
export function numberIn(min: number, max: number) {
  return (text: string): number => {
    if (!/^-?(\d+\.?\d*|\.\d+)$/.test(text.trim()))
      throw new InvalidArgumentError(`expected a number, got "${text}".`);
    const value = Number(text);
    if (value < min || value > max)
      throw new InvalidArgumentError(`expected ${min}..${max}, got ${value}.`);
    return value;
  };
}

/** Appends each occurrence of a repeatable option. */
export function collect(text: string, previous: string[] = []): string[] {
  return [...previous, text];
}

/** "BTCUSDT,ETHUSDT" → ["BTCUSDT", "ETHUSDT"] */
export function commaList(text: string): string[] {
  const items = text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  if (items.length === 0) throw new InvalidArgumentError('expected a comma-separated list.');
  return items;
}

/** Repeatable "ASSET=AMOUNT" into a record. */
export function assetAmount(
  text: string,
  previous: Record<string, string> = {},
): Record<string, string> {
  const match = /^([A-Z0-9]{1,20})=(\d{1,20}(?:\.\d{1,8})?)$/.exec(text);
  if (!match)
    throw new InvalidArgumentError(`expected ASSET=AMOUNT such as USDT=100000, got "${text}".`);
  return { ...previous, [match[1]!]: match[2]! };
}
