import { describe, expect, it } from 'vitest';
import { decimalPlaces, isZeroDecimal, quantityForNotional, roundToStep } from './decimal.js';
import { BTC_RULES, DOGE_RULES } from '../../../tests/support/fake-strategy-context.js';

describe('decimalPlaces', () => {
  it('counts significant decimals of a step', () => {
    expect(decimalPlaces('0.00001')).toBe(5);
    expect(decimalPlaces('0.00100000')).toBe(3);
    expect(decimalPlaces('1')).toBe(0);
    expect(decimalPlaces('10.0')).toBe(0);
  });

  it('refuses what is not a plain decimal', () => {
    expect(() => decimalPlaces('1e-5')).toThrow(RangeError);
  });
});

describe('roundToStep', () => {
  it('produces no float artefacts', () => {
    expect(roundToStep(0.1 + 0.2, '0.1')).toBe('0.3');
    expect(roundToStep(0.30000000000000004, '0.01', 'up')).toBe('0.30');
    expect(roundToStep(1.005, '0.001', 'down')).toBe('1.005');
    expect(roundToStep(0.07, '0.01', 'up')).toBe('0.07');
  });

  it('rounds down, up and to nearest on the grid', () => {
    expect(roundToStep(65000.126, '0.01', 'down')).toBe('65000.12');
    expect(roundToStep(65000.121, '0.01', 'up')).toBe('65000.13');
    expect(roundToStep(65000.125001, '0.01', 'nearest')).toBe('65000.13');
    expect(roundToStep(0.0015384615, '0.00001')).toBe('0.00153');
  });

  it('handles steps above one and whole steps', () => {
    expect(roundToStep(123.7, '1')).toBe('123');
    expect(roundToStep(123.7, '5', 'up')).toBe('125');
    expect(roundToStep(0.000004, '0.00001')).toBe('0.00000');
  });

  it('takes steps with trailing zeros as venues send them', () => {
    expect(roundToStep(0.12345, '0.00100000')).toBe('0.123');
  });

  it('refuses negative and non-finite values', () => {
    expect(() => roundToStep(-1, '0.1')).toThrow(RangeError);
    expect(() => roundToStep(Number.NaN, '0.1')).toThrow(RangeError);
    expect(() => roundToStep(1, '0')).toThrow(RangeError);
  });
});

describe('isZeroDecimal', () => {
  it('spots zero in any spelling', () => {
    expect(isZeroDecimal('0')).toBe(true);
    expect(isZeroDecimal('0.000')).toBe(true);
    expect(isZeroDecimal('0.001')).toBe(false);
  });
});

describe('quantityForNotional', () => {
  it('aims for the notional on the step size', () => {
    expect(quantityForNotional(100, 65000, BTC_RULES)).toBe('0.00154');
    expect(quantityForNotional(100, 0.12, DOGE_RULES)).toBe('834');
  });

  it('raises small orders above minNotional and minQty', () => {
    const quantity = quantityForNotional(1, 65000, BTC_RULES) as string;
    expect(Number(quantity) * 65000).toBeGreaterThanOrEqual(5);
    expect(quantityForNotional(0.01, 0.12, DOGE_RULES)).toBe('44');
    const rules = { ...BTC_RULES, minQty: '0.001' };
    expect(quantityForNotional(10, 65000, rules)).toBe('0.00100');
  });

  it('gives up without a price', () => {
    expect(quantityForNotional(100, 0, BTC_RULES)).toBeUndefined();
  });
});

describe('roundToStep property', () => {
  it('lands on the grid, within one step below the value, with the step decimals', async () => {
    const fc = await import('fast-check');
    const steps = ['0.00001', '0.0001', '0.01', '0.1', '1', '0.00100000'];
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.constantFrom(...steps),
        (value, step) => {
          const text = roundToStep(value, step);
          const places = decimalPlaces(step);
          expect(text).toMatch(places === 0 ? /^\d+$/ : new RegExp(`^\\d+\\.\\d{${places}}$`));
          const rounded = Number(text);
          // Float noise: a value a hair below a grid point may land on it.
          expect(rounded).toBeLessThanOrEqual(value + Math.max(Number(step) * 1e-6, value * 1e-14));
          expect(value - rounded).toBeLessThan(Number(step) * (1 + 1e-6));
        },
      ),
    );
  });
});
