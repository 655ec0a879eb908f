import { describe, expect, it } from 'vitest';
import { recoveryWindowMs } from './recovery-watch.js';

describe('recoveryWindowMs', () => {
  it('is a second for a busy system', () => {
    expect(recoveryWindowMs(3_000, 3_000)).toBe(1_000);
  });

  it('holds three of a slow system’s orders', () => {
    // Five orders in 3 s: one every 600 ms, three take 1.8 s.
    expect(recoveryWindowMs(5, 3_000)).toBe(1_800);
  });

  it('is at most 10 s, and a second when the baseline had nothing', () => {
    expect(recoveryWindowMs(1, 30_000)).toBe(10_000);
    expect(recoveryWindowMs(0, 3_000)).toBe(1_000);
  });
});
