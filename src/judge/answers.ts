/**
 * Which venue answers never reached the client unchanged, read from the wire
 * before the venue is judged. The wire is written in order of request end and
 * the venue in order of arrival, so the two cannot be zipped; instead the
 * wire is read once into the smallest thing the join needs. Every answer the
 * duplicate judge asks about is a venue 200 (an accepted order, a successful
 * query), and on a healthy wire nearly every request ends `answered 200`, so
 * only the exceptions are kept: memory grows with faults and refusals, not
 * with traffic.
 */
import {
  ORDER_PATH,
  ORDER_QUERY_PATHS,
  type VenueRequest,
  type WireEnd,
  type WireRequest,
} from '../evidence/model.js';
import { readAll, type RecordSource } from './source.js';

/** How a request's answer ended at the proxy, when the client did not get the venue's. */
export interface LostAnswer {
  end: WireEnd;
  /** Status the client received; null when it got no answer. */
  status: number | null;
  /** When the request arrived at the proxy, ms since the epoch. */
  at: number;
  /** When it ended there, ms since the epoch. */
  endedAt: number;
}

/** Forwarded order placements and order queries that did not end `answered 200`, by request id. */
export class LostAnswers {
  private constructor(private readonly unusual: ReadonlyMap<string, LostAnswer>) {}

  static async read(
    wire: RecordSource<WireRequest>,
    signal: AbortSignal | undefined,
  ): Promise<LostAnswers> {
    const unusual = new Map<string, LostAnswer>();
    for await (const record of readAll(wire, signal)) {
      // A request the proxy never forwarded has no venue record to join.
      if (!record.forwarded || !judged(record)) continue;
      if (record.end === 'answered' && record.status === 200) continue;
      const { end, status, at, endedAt } = record;
      unusual.set(record.requestId, { end, status, at, endedAt });
    }
    return new LostAnswers(unusual);
  }

  /**
   * How the answer to a venue record was lost, or null when the client got
   * the venue's status. Without a request id or a wire record there is no
   * evidence of a loss, so none is assumed. A request missing from the map
   * ended `answered 200` or is not on the wire: for the venue 200s the judge
   * asks about, both mean delivered.
   */
  lost(record: VenueRequest): LostAnswer | null {
    if (record.requestId === null) return null;
    const answer = this.unusual.get(record.requestId);
    if (answer === undefined) return null;
    return answer.end === 'answered' && answer.status === record.status ? null : answer;
  }
}

function judged(record: WireRequest): boolean {
  if (record.method === 'POST') return record.path === ORDER_PATH;
  return record.method === 'GET' && ORDER_QUERY_PATHS.has(record.path);
}
