import { createSecretKey, type KeyObject } from 'node:crypto';
import { type Amount } from '../common/index.js';

export interface Balance {
  free: Amount;
  locked: Amount;
}

/** One API key's credentials and balances. */
export class Account {
  private readonly balances = new Map<string, Balance>();
  updateTime = 0;
  /** The secret as a key object, made once: HMAC with it skips a key import per request. */
  readonly signingKey: KeyObject;

  constructor(
    readonly apiKey: string,
    readonly apiSecret: string,
    initial: Record<string, Amount>,
  ) {
    this.signingKey = createSecretKey(Buffer.from(apiSecret, 'utf8'));
    for (const [asset, free] of Object.entries(initial))
      this.balances.set(asset, { free, locked: 0n });
  }

  balance(asset: string): Balance {
    let balance = this.balances.get(asset);
    if (!balance) {
      balance = { free: 0n, locked: 0n };
      this.balances.set(asset, balance);
    }
    return balance;
  }

  /** Moves funds from free to locked; false (and no change) when free is short. */
  lock(asset: string, value: Amount): boolean {
    const balance = this.balance(asset);
    if (balance.free < value) return false;
    balance.free -= value;
    balance.locked += value;
    return true;
  }

  /** Moves funds from locked back to free. */
  release(asset: string, value: Amount): void {
    const balance = this.balance(asset);
    balance.locked -= value;
    balance.free += value;
  }

  /** Funds leave the account from its locked part (a fill paid for with held funds). */
  spendLocked(asset: string, value: Amount): void {
    this.balance(asset).locked -= value;
  }

  credit(asset: string, value: Amount): void {
    this.balance(asset).free += value;
  }

  /** All balances, sorted by asset name. */
  snapshot(): Array<{ asset: string } & Balance> {
    return [...this.balances.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([asset, balance]) => ({ asset, ...balance }));
  }
}
