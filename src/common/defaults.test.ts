import { describe, expect, it } from 'vitest';
import { withDefaults } from './defaults.js';

const DEFAULTS = { seed: 42, name: 'run', verbose: true };

describe('withDefaults', () => {
  it('lets given options override defaults, falsy values included', () => {
    expect(withDefaults(DEFAULTS, { seed: 0, name: '', verbose: false })).toEqual({
      seed: 0,
      name: '',
      verbose: false,
    });
  });

  it('keeps the default where an option is undefined', () => {
    expect(withDefaults(DEFAULTS, { seed: undefined, name: 'soak' })).toEqual({
      seed: 42,
      name: 'soak',
      verbose: true,
    });
  });

  it('treats null as a value, not as missing', () => {
    expect(withDefaults({ limit: 10 as number | null }, { limit: null }).limit).toBeNull();
  });

  it('keeps options the defaults do not name and leaves both inputs untouched', () => {
    const options = { extra: 'x', seed: undefined };
    const merged = withDefaults(DEFAULTS, options);
    expect(merged).toEqual({ seed: 42, name: 'run', verbose: true, extra: 'x' });
    expect(DEFAULTS).toEqual({ seed: 42, name: 'run', verbose: true });
    expect(options).toEqual({ extra: 'x', seed: undefined });
  });
});
