import { ToxicAttributeError } from '../toxics/toxic.js';

/**
 * Throws for attribute names an http toxic does not know, so a typo such as
 * `{"lateny": 500}` is refused instead of silently injecting nothing.
 */
export function refuseUnknown(
  attributes: Record<string, unknown>,
  known: readonly string[],
  type: string,
): void {
  for (const name of Object.keys(attributes)) {
    if (!known.includes(name)) {
      const expected = known.length === 0 ? 'none' : known.join(', ');
      throw new ToxicAttributeError(
        `unknown attribute ${name} for ${type} (expected: ${expected})`,
      );
    }
  }
}
