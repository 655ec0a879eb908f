import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../common/index.js';
import { ToxicityDraw } from './toxicity.js';

function draws(toxicity: number, count: number, seed = 1): boolean[] {
  const random = new SeededRandom(seed);
  const draw = new ToxicityDraw(toxicity, () => random.next());
  return Array.from({ length: count }, () => draw.next());
}

describe('ToxicityDraw', () => {
  it('stays within one draw of toxicity × draws at every point', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 400 }),
        fc.integer(),
        (toxicity, count, seed) => {
          let applied = 0;
          draws(toxicity, count, seed).forEach((applies, i) => {
            if (applies) applied += 1;
            expect(Math.abs(applied - toxicity * (i + 1))).toBeLessThan(1);
          });
        },
      ),
    );
  });

  it('applies never at 0 and always at 1', () => {
    expect(draws(0, 50).some(Boolean)).toBe(false);
    expect(draws(1, 50).every(Boolean)).toBe(true);
  });

  it('still varies which draws apply, and repeats them for the same seed', () => {
    const patterns = new Set([1, 2, 3, 4, 5].map((seed) => draws(0.5, 20, seed).join()));
    expect(patterns.size).toBeGreaterThan(1);
    expect(draws(0.5, 20, 9)).toEqual(draws(0.5, 20, 9));
  });
});
