import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { TurnBatch } from './turn-batch.js';

describe('TurnBatch', () => {
  it('hands over what one turn added in one go, and the next turn’s apart', async () => {
    const flushed: number[][] = [];
    const batch = new TurnBatch<number>((items) => flushed.push(items));
    batch.add(1);
    batch.add(2);
    expect(flushed).toEqual([]);
    await nextTurn();
    batch.add(3);
    await nextTurn();
    expect(flushed).toEqual([[1, 2], [3]]);
  });
});
