import { sleep } from '../common/index.js';
import type { OrderIntent } from '../engine/index.js';
import type { OrderReceipt } from '../stack/index.js';
import type { LoadConfig } from './config.js';
import type { OrderFlow } from './order-flow.js';
import type { LoadRecorder } from './recorder.js';
import { arrivalTime, burstStart, totalArrivals, type RateProfile } from './schedule.js';

/** Hands one intent to the engine; resolves with what became of it, never rejects. */
export type Placer = (intent: OrderIntent) => Promise<OrderReceipt>;

/** An open-model order sent this much after its intended time is late. */
export const LATE_AFTER_MS = 10;
/** Open model: arrivals one strategy may have waiting; beyond this they are dropped. */
export const BACKLOG_LIMIT = 1_000;
/** Open model: arrivals handled in one go before the generator lets receipts in. */
const ARRIVALS_PER_TURN = 500;
/** Open model: longest nap between looks at the schedule, ms. */
const MAX_NAP_MS = 50;

export interface Drive {
  config: LoadConfig;
  flows: readonly OrderFlow[];
  place: Placer;
  recorder: LoadRecorder;
  /** Start of the run, ms since the epoch: the schedule's zero. */
  startedAt: number;
  /** Stops new orders; those already sent are still seen to their outcome. */
  signal: AbortSignal;
  now?: () => number;
}

/**
 * Closed model: each strategy sends its bursts, at most maxConcurrentOrders
 * at a time, each order sent when a slot frees. A burst starts when it is due
 * or when the strategy has finished the one before, whichever is later; none
 * starts after the duration. Latency runs from the moment the strategy sends,
 * and coordinated omission is corrected afterwards (see run-load.ts).
 */
export async function driveClosed(drive: Drive): Promise<void> {
  const { config, flows, signal, startedAt } = drive;
  const now = drive.now ?? Date.now;
  const endAt = startedAt + config.durationS * 1000;
  await Promise.all(
    flows.map(async (flow, index) => {
      for (let burst = 0; burst < config.bursts; burst++) {
        const dueAt =
          startedAt +
          burstStart(index, flows.length, burst, config.burstIntervalS, config.rampUpS) * 1000;
        await sleep(dueAt - now(), signal);
        if (signal.aborted || now() >= endAt) return;
        let left = config.ordersPerBurst;
        const slot = async () => {
          while (left > 0 && !signal.aborted) {
            left -= 1;
            await sendAndSettle(drive, index, now(), now);
          }
        };
        await Promise.all(Array.from({ length: Math.min(config.maxConcurrentOrders, left) }, slot));
      }
    }),
  );
}

/**
 * Open model: orders arrive on the rate profile's schedule whatever the
 * engine's pace, round robin over the strategies. An arrival whose strategy
 * has maxConcurrentOrders out waits in its backlog (sent late if it waits
 * more than LATE_AFTER_MS) and is dropped when the backlog is full. Latency
 * runs from the intended time, so waiting counts: nothing is omitted.
 */
export async function driveOpen(drive: Drive): Promise<void> {
  const { config, flows, signal, startedAt } = drive;
  const now = drive.now ?? Date.now;
  const profile: RateProfile = { ...config, rate: config.rate ?? 0 };
  const total = totalArrivals(profile);
  const lanes = flows.map(() => new Lane());
  let outstanding = 0;
  let allSettled: (() => void) | undefined;
  const send = (index: number, intendedAt: number): void => {
    const lane = lanes[index]!;
    lane.inFlight += 1;
    outstanding += 1;
    void sendAndSettle(drive, index, intendedAt, now).then(() => {
      lane.inFlight -= 1;
      outstanding -= 1;
      if (signal.aborted) dropBacklog(index);
      else {
        const waiting = lane.backlog.shift();
        if (waiting !== undefined) send(index, waiting);
      }
      if (outstanding === 0) allSettled?.();
    });
  };
  /** Stopped: what waits will never be sent, and counts as dropped. */
  const dropBacklog = (index: number): void => {
    while (lanes[index]!.backlog.shift() !== undefined) drive.recorder.drop(index);
  };
  let n = 0;
  while (n < total && !signal.aborted) {
    const dueAt = startedAt + arrivalTime(profile, n)! * 1000;
    const ahead = dueAt - now();
    if (ahead > 0) {
      await sleep(Math.min(ahead, MAX_NAP_MS), signal);
      continue;
    }
    const index = n % flows.length;
    const lane = lanes[index]!;
    if (lane.inFlight < config.maxConcurrentOrders) send(index, dueAt);
    else if (lane.backlog.length < BACKLOG_LIMIT) lane.backlog.push(dueAt);
    else drive.recorder.drop(index);
    n += 1;
    if (n % ARRIVALS_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  // Otherwise the backlogs drain as answers come in (and are dropped if a stop comes first).
  if (signal.aborted) lanes.forEach((_, index) => dropBacklog(index));
  if (outstanding > 0) await new Promise<void>((resolve) => (allSettled = resolve));
}

async function sendAndSettle(
  drive: Drive,
  index: number,
  intendedAt: number,
  now: () => number,
): Promise<void> {
  const sentAt = now();
  drive.recorder.sent(index, intendedAt, sentAt, LATE_AFTER_MS);
  const receipt = await drive.place(drive.flows[index]!.intent(intendedAt));
  drive.recorder.settled(index, intendedAt, sentAt, receipt);
}

/** One strategy's open-model state: orders out, and intended times waiting, oldest first. */
class Lane {
  inFlight = 0;
  readonly backlog = new Fifo();
}

/** A queue of numbers with O(1) shift, compacted as it drains. */
class Fifo {
  private items: number[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: number): void {
    this.items.push(item);
  }

  shift(): number | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head++];
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}
