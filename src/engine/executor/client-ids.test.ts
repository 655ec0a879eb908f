import { describe, expect, it } from 'vitest';
import { ClientOrderIds } from './client-ids.js';

const BINANCE_CLIENT_ORDER_ID = /^[.A-Z:/a-z0-9_-]{1,36}$/;

describe('ClientOrderIds', () => {
  it('counts from 1 per strategy', () => {
    const ids = new ClientOrderIds();
    expect([ids.next('mm'), ids.next('mm'), ids.next('taker'), ids.next('mm')]).toEqual([
      'mm-1',
      'mm-2',
      'taker-1',
      'mm-3',
    ]);
  });

  it('continues after the highest restored sequence', () => {
    const ids = new ClientOrderIds();
    ids.restore(new Map([['mm', 41]]));
    expect(ids.next('mm')).toBe('mm-42');
    expect(ids.next('taker')).toBe('taker-1');
  });

  it('never goes backwards when a restore is lower than what was handed out', () => {
    const ids = new ClientOrderIds();
    ids.restore(new Map([['mm', 10]]));
    ids.next('mm');
    ids.restore(new Map([['mm', 3]]));
    expect(ids.next('mm')).toBe('mm-12');
  });

  it('hands out ids that fit the Binance pattern', () => {
    const ids = new ClientOrderIds();
    ids.restore(new Map([['market_maker.v2:BTC/USDT', 99_999]]));
    const id = ids.next('market_maker.v2:BTC/USDT');
    expect(id).toBe('market_maker.v2:BTC/USDT-100000');
    expect(id).toMatch(BINANCE_CLIENT_ORDER_ID);
  });

  it('throws for a strategy id that makes the id too long', () => {
    const ids = new ClientOrderIds();
    expect(ids.next('s'.repeat(34))).toHaveLength(36);
    expect(() => ids.next('s'.repeat(35))).toThrow(RangeError);
  });

  it('throws for a strategy id with characters Binance refuses', () => {
    const ids = new ClientOrderIds();
    expect(() => ids.next('market maker')).toThrow(RangeError);
    expect(() => ids.next('mm#1')).toThrow(/does not fit/);
  });
});
