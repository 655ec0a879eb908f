import type { ProxyClient } from '../proxy/index.js';
import type { FaultSpec } from './model.js';

/** The toxic name of a scenario's fault: one per fault, so two of one type can coexist. */
function toxicName(fault: FaultSpec, index: number): string {
  return `chaos_${index}_${fault.toxic}`;
}

async function applyFault(client: ProxyClient, fault: FaultSpec, index: number): Promise<void> {
  if (fault.toxic === 'disabled') {
    await client.updateProxy(fault.target, { enabled: false });
    return;
  }
  await client.addToxic(fault.target, {
    name: toxicName(fault, index),
    type: fault.toxic,
    stream: fault.stream,
    toxicity: fault.toxicity,
    ...(fault.scope === 'chunk' && { scope: 'chunk' as const }),
    attributes: fault.attributes as Record<string, string | number | boolean>,
  });
}

async function removeFault(client: ProxyClient, fault: FaultSpec, index: number): Promise<void> {
  if (fault.toxic === 'disabled') await client.updateProxy(fault.target, { enabled: true });
  else await client.removeToxic(fault.target, toxicName(fault, index));
}

/**
 * Switches a scenario's faults on and off on the proxies, each at its time in
 * the chaos window. `clear()` removes every fault on every proxy at once (the
 * proxy's reset), whatever was on: the runner calls it at the window's end,
 * on an interrupt and on an error, so no fault outlives its scenario.
 */
export class FaultSchedule {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly errors: unknown[] = [];
  private pending: Array<Promise<void>> = [];
  /** When the first fault went on, ms since the epoch; undefined until then. */
  firstAppliedAt: number | undefined;

  constructor(
    private readonly client: ProxyClient,
    private readonly faults: readonly FaultSpec[],
  ) {}

  /** Starts the schedule; faults due at 0 are on when this resolves. */
  async start(): Promise<void> {
    this.faults.forEach((fault, index) => {
      const on = () => this.track(applyFault(this.client, fault, index), true);
      if (fault.startSeconds === 0) on();
      else this.timers.push(setTimeout(on, fault.startSeconds * 1000));
      if (fault.durationSeconds !== undefined) {
        const offAt = (fault.startSeconds + fault.durationSeconds) * 1000;
        this.timers.push(
          setTimeout(() => this.track(removeFault(this.client, fault, index)), offAt),
        );
      }
    });
    await this.settled();
  }

  /** The first error a fault change hit, if any: a fault that did not go on is a broken run. */
  get error(): unknown {
    return this.errors[0];
  }

  /** Cancels what is still to come and removes every fault now. */
  async clear(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.length = 0;
    await this.settled();
    await this.client.reset();
  }

  private track(change: Promise<void>, applying = false): void {
    const tracked = change.then(
      () => {
        if (applying) this.firstAppliedAt ??= Date.now();
      },
      (error: unknown) => void this.errors.push(error),
    );
    this.pending.push(tracked);
  }

  private async settled(): Promise<void> {
    const pending = this.pending;
    this.pending = [];
    await Promise.all(pending);
  }
}
