import { describe, expect, it } from 'vitest';
import { symbolSpec } from '../symbols.js';
import { Venue } from '../venue.js';
import { handleAdmin, type AdminRuntime } from './admin.js';

function runtime(allowRemote = false): AdminRuntime & { resets: number } {
  const venue = new Venue({ symbols: [symbolSpec('BTCUSDT')], accounts: [] });
  const state = {
    venue,
    token: 'secret-token',
    allowRemote,
    resets: 0,
    reset: () => (state.resets += 1),
  };
  return state;
}

const withToken = { 'x-admin-token': 'secret-token' };

describe('admin endpoints', () => {
  it('refuse non-loopback peers unless allowed, even with the token', () => {
    const reply = handleAdmin('GET', '/__admin/ledger', '', withToken, '10.1.2.3', runtime());
    expect(reply).toMatchObject({ status: 403, body: { code: -1002 } });
    expect(
      handleAdmin('GET', '/__admin/ledger', '', withToken, '10.1.2.3', runtime(true)).status,
    ).toBe(200);
    expect(
      handleAdmin('GET', '/__admin/ledger', '', withToken, '::ffff:127.0.0.1', runtime()).status,
    ).toBe(200);
  });

  it('refuse a wrong or missing token', () => {
    expect(handleAdmin('POST', '/__admin/reset', '', {}, '127.0.0.1', runtime()).status).toBe(401);
    const wrong = { 'x-admin-token': 'secret-tokem' };
    expect(handleAdmin('POST', '/__admin/reset', '', wrong, '127.0.0.1', runtime()).status).toBe(
      401,
    );
  });

  it('validate ledger paging and reset on request', () => {
    const state = runtime();
    expect(
      handleAdmin('GET', '/__admin/ledger', 'limit=0', withToken, '127.0.0.1', state).status,
    ).toBe(400);
    expect(
      handleAdmin('GET', '/__admin/ledger', 'fromSeq=x', withToken, '127.0.0.1', state).status,
    ).toBe(400);
    expect(handleAdmin('GET', '/__admin/nothing', '', withToken, '127.0.0.1', state).status).toBe(
      404,
    );
    expect(handleAdmin('POST', '/__admin/reset', '', withToken, '127.0.0.1', state).body).toEqual({
      reset: true,
    });
    expect(state.resets).toBe(1);
  });
});
