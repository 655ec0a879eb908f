import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { VenueRequest, WireRequest } from '../evidence/model.js';
import {
  findRetryAfterViolations,
  orderLimitRefusals,
  type RetryAfterOptions,
} from './retry-after.js';

let ids = 0;

/** A request that arrived at `at` and ended at `endedAt`, answered 200 unless told otherwise. */
function request(at: number, endedAt: number, fields: Partial<WireRequest> = {}): WireRequest {
  ids += 1;
  return {
    requestId: `exchange-${ids}`,
    proxy: 'exchange',
    at,
    endedAt,
    method: 'GET',
    path: '/api/v3/account',
    end: 'answered',
    forwarded: true,
    status: 200,
    retryAfterS: null,
    ...fields,
  };
}

function limited(
  at: number,
  endedAt: number,
  retryAfterS: number | null,
  status = 429,
): WireRequest {
  return request(at, endedAt, { status, retryAfterS });
}

/** Records as the proxy writes them: when each request ends. */
function byEnd(records: WireRequest[]): WireRequest[] {
  return [...records].sort((a, b) => a.endedAt - b.endedAt);
}

function judge(records: WireRequest[], options: RetryAfterOptions = {}) {
  return findRetryAfterViolations(() => records, options);
}

describe('findRetryAfterViolations', () => {
  it('finds a request inside a window, naming the answer that opened it', async () => {
    const answer = limited(900, 1_000, 2);
    const early = request(1_500, 1_510, { method: 'POST', path: '/api/v3/order' });
    const result = await judge([answer, early, request(3_200, 3_210)]);
    expect(result).toEqual({
      windows: 1,
      bans: 0,
      violationsTotal: 1,
      violations: [
        {
          proxy: 'exchange',
          requestId: early.requestId,
          at: 1_500,
          method: 'POST',
          path: '/api/v3/order',
          window: { requestId: answer.requestId, status: 429, endedAt: 1_000, retryAfterS: 2 },
          insideMs: 500,
        },
      ],
    });
  });

  it('grants the tolerance at both ends of the window, strictly', async () => {
    const edges = (toleranceMs?: number) =>
      judge(
        byEnd([limited(0, 1_000, 1), ...[1_100, 1_101, 1_899, 1_900].map((at) => request(at, at))]),
        {
          toleranceMs,
        },
      );
    expect((await edges()).violations.map((violation) => violation.at)).toEqual([1_101, 1_899]);
    expect((await edges(0)).violationsTotal).toBe(4);
    expect((await edges(500)).violationsTotal).toBe(0);
  });

  it('never blames a request that arrived before the window opened, even written after it', async () => {
    // Sent together; the 429 came back first, the slow one was still in flight.
    const records = [limited(1_000, 1_010, 5), request(1_005, 3_000), request(990, 4_000)];
    expect((await judge(records)).violationsTotal).toBe(0);
  });

  it('finds a violating request written before the answer that opened its window', async () => {
    // The 429 took 2 s to arrive; a request sent after it ended quickly.
    const answer = limited(0, 2_000, 10);
    const quick = request(2_500, 2_600);
    const result = await judge(byEnd([answer, quick, request(12_500, 12_510)]));
    expect(result.violations.map((violation) => violation.requestId)).toEqual([quick.requestId]);
    expect((await judge([quick, answer])).violationsTotal).toBe(1);
  });

  it('counts every 418 as a ban, and opens a window only with a Retry-After', async () => {
    const records = [
      limited(0, 10, null, 418),
      limited(20, 30, 60, 418),
      limited(40, 50, null),
      request(1_000, 1_010),
    ];
    const result = await judge(records);
    expect(result).toMatchObject({ windows: 1, bans: 2, violationsTotal: 1 });
    expect(result.violations[0]?.window).toMatchObject({ status: 418, retryAfterS: 60 });
  });

  it('blames the earliest window a request breaks; overlapping windows count apiece', async () => {
    const first = limited(0, 1_000, 10);
    const records = [
      first,
      limited(1_500, 1_600, 5),
      limited(1_700, 1_800, 30),
      request(5_000, 5_010),
      request(20_000, 20_010),
    ];
    const result = await judge(records);
    expect(result.windows).toBe(3);
    expect(result.violations.map((violation) => [violation.at, violation.window.endedAt])).toEqual([
      [1_500, 1_000],
      [1_700, 1_000],
      [5_000, 1_000],
      [20_000, 1_800],
    ]);
  });

  it('keeps each proxy to its own windows and judges one when asked', async () => {
    const records = [
      limited(0, 10, 5),
      request(1_000, 1_010, { proxy: 'database' }),
      request(2_000, 2_010),
    ];
    expect((await judge(records)).violations.map((violation) => violation.at)).toEqual([2_000]);
    expect(await judge(records, { proxy: 'database' })).toMatchObject({
      windows: 0,
      violationsTotal: 0,
    });
  });

  it('lists the first violations and counts them all', async () => {
    const hammering = Array.from({ length: 10 }, (_, i) =>
      request(1_000 + i * 200, 1_010 + i * 200),
    );
    const result = await judge([limited(0, 500, 60), ...hammering], { maxListed: 3 });
    expect(result.violationsTotal).toBe(10);
    expect(result.violations).toHaveLength(3);
  });

  it('reads async sources and stops when aborted', async () => {
    const records = [limited(0, 10, 5), request(1_000, 1_010)];
    const result = await findRetryAfterViolations(async function* () {
      yield* records;
    });
    expect(result.violationsTotal).toBe(1);
    const signal = AbortSignal.abort(new Error('stopped'));
    await expect(judge(records, { signal })).rejects.toThrow('stopped');
  });
});

/** A client's step: how long the request took, whether it was limited, and how long the client then waited. */
const stepArbitrary = fc.record({
  latencyMs: fc.integer({ min: 0, max: 3_000 }),
  retryAfterS: fc.option(fc.integer({ min: 1, max: 30 }), { nil: null }),
  pauseMs: fc.integer({ min: 0, max: 5_000 }),
});

describe('findRetryAfterViolations: properties', () => {
  it('never blames a client that waits out every Retry-After, in whatever order the wire is read', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(stepArbitrary, { maxLength: 40 }),
        fc.boolean(),
        async (steps, reversed) => {
          let clock = 0;
          const records = steps.map(({ latencyMs, retryAfterS, pauseMs }) => {
            const record =
              retryAfterS === null
                ? request(clock, clock + latencyMs)
                : limited(clock, clock + latencyMs, retryAfterS);
            clock = record.endedAt + (retryAfterS ?? 0) * 1_000 + pauseMs;
            return record;
          });
          const written = reversed ? byEnd(records).reverse() : byEnd(records);
          const result = await judge(written, { toleranceMs: 0 });
          expect(result.violationsTotal).toBe(0);
          expect(result.windows).toBe(steps.filter((step) => step.retryAfterS !== null).length);
        },
      ),
    );
  });

  it('agrees with checking every request against every window', async () => {
    const recordArbitrary = fc.record({
      at: fc.integer({ min: 0, max: 20_000 }),
      latencyMs: fc.integer({ min: 0, max: 2_000 }),
      retryAfterS: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
      proxy: fc.constantFrom('exchange', 'other'),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(recordArbitrary, { maxLength: 60 }),
        fc.nat(300),
        async (drawn, toleranceMs) => {
          const records = drawn.map(({ at, latencyMs, retryAfterS, proxy }) =>
            request(at, at + latencyMs, {
              proxy,
              status: retryAfterS === null ? 200 : 429,
              retryAfterS,
            }),
          );
          const result = await judge(records, { toleranceMs, maxListed: 1_000 });
          const found = result.violations.map(({ requestId, window }) => [
            requestId,
            window.endedAt,
          ]);
          expect(found).toEqual(everyAgainstEvery(records, toleranceMs));
        },
      ),
    );
  });
});

/** Each request breaking a window, with the opening of the earliest window it breaks: the slow way. */
function everyAgainstEvery(records: WireRequest[], toleranceMs: number): [string, number][] {
  const windows = records.filter((record) => record.retryAfterS !== null);
  return records.flatMap((record): [string, number][] => {
    const opened = windows
      .filter(
        (window) =>
          window.proxy === record.proxy &&
          record.at > window.endedAt + toleranceMs &&
          record.at < window.endedAt + window.retryAfterS! * 1_000 - toleranceMs,
      )
      .map((window) => window.endedAt);
    return opened.length === 0 ? [] : [[record.requestId, Math.min(...opened)]];
  });
}

describe('findRetryAfterViolations: the order-count limit', () => {
  const order = (at: number) => request(at, at + 5, { method: 'POST', path: '/api/v3/order' });

  it('a -1015 wait holds back new orders only: queries may go on, orders may not', async () => {
    const refusal = request(0, 10, {
      method: 'POST',
      path: '/api/v3/order',
      status: 429,
      retryAfterS: 2,
    });
    const query = request(500, 505);
    const early = order(800);
    const records = byEnd([refusal, query, early]);
    const result = await judge(records, { orderLimitIds: new Set([refusal.requestId]) });
    expect(result.violations.map((v) => v.requestId)).toEqual([early.requestId]);
    // The same wait from a weight 429 holds back everything.
    expect((await judge(records)).violationsTotal).toBe(2);
  });

  it("finds the -1015 refusals in the venue's records", async () => {
    const venue = [
      { requestId: 'exchange-1', status: 429, code: -1015 },
      { requestId: 'exchange-2', status: 429, code: -1003 },
      { requestId: null, status: 429, code: -1015 },
      { requestId: 'exchange-4', status: 200, code: null },
    ] as VenueRequest[];
    expect([...(await orderLimitRefusals(() => venue))]).toEqual(['exchange-1']);
  });
});
