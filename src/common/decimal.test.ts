import { describe, expect, it } from 'vitest';
import {
  decimalPlaces,
  divide,
  floorToStep,
  formatAmount,
  multiply,
  multiplyCeil,
  parseAmount,
} from './decimal.js';

describe('fixed-point amounts', () => {
  it('parses plain decimals exactly and formats them with 8 places', () => {
    const parsed = parseAmount('65000.12345678');
    expect(parsed).toEqual({ ok: true, value: 6_500_012_345_678n });
    expect(formatAmount(6_500_012_345_678n)).toBe('65000.12345678');
    expect(formatAmount(1n)).toBe('0.00000001');
    expect(parseAmount('0.100000000000')).toEqual({ ok: true, value: 10_000_000n });
  });

  it('refuses signs, exponents, spaces and excess precision', () => {
    for (const text of ['-1', '1e-5', ' 1', '1.', '.5', '', 'NaN', '0x10', '1,5']) {
      expect(parseAmount(text)).toEqual({ ok: false, reason: 'malformed' });
    }
    expect(parseAmount('0.000000001')).toEqual({ ok: false, reason: 'precision' });
  });

  it('multiplies and divides without float error', () => {
    expect(formatAmount(multiply(parseValue('0.1'), parseValue('0.2')))).toBe('0.02000000');
    expect(formatAmount(multiplyCeil(parseValue('0.00000001'), parseValue('0.5')))).toBe(
      '0.00000001',
    );
    expect(formatAmount(divide(parseValue('1000'), parseValue('3')))).toBe('333.33333333');
    expect(formatAmount(floorToStep(parseValue('0.123456'), parseValue('0.001')))).toBe(
      '0.12300000',
    );
    expect(decimalPlaces(parseValue('0.001'))).toBe(3);
    expect(decimalPlaces(parseValue('1'))).toBe(0);
  });
});

function parseValue(text: string): bigint {
  const parsed = parseAmount(text);
  if (!parsed.ok) throw new Error(text);
  return parsed.value;
}
