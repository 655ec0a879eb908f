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
    ...(fault.match && { match: fault.match }),
  });
}

async function removeFault(client: ProxyClient, fault: FaultSpec, index: number): Promise<void> {
  if (fault.toxic === 'disabled') await client.updateProxy(fault.target, { enabled: true });
  else await client.removeToxic(fault.target, toxicName(fault, index));
}

/** Told when the first fault goes on and just before the last one comes off. */
export interface FaultWindowHooks {
  /** Some fault is on now (none was). */
  afterOn(): Promise<void>;
  /** The last fault on is about to come off. */
  beforeOff(): Promise<void>;
}

/**
 * Switches a scenario's faults on and off on the proxies, each at its time in
 * the chaos window, one change at a time. `clear()` removes every fault on
 * every proxy at once (the proxy's reset), whatever was on: the runner calls
 * it at the window's end, on an interrupt and on an error, so no fault
 * outlives its scenario.
 */
export class FaultSchedule {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly errors: unknown[] = [];
  /** Changes run in order: a fault's removal never overtakes its application. */
  private changes: Promise<void> = Promise.resolve();
  private active = 0;
  /** When the first fault went on, ms since the epoch; undefined until then. */
  firstAppliedAt: number | undefined;

  constructor(
    private readonly client: ProxyClient,
    private readonly faults: readonly FaultSpec[],
    private readonly hooks?: FaultWindowHooks,
  ) {}

  /** Starts the schedule; faults due at 0 are on when this resolves. */
  async start(): Promise<void> {
    this.faults.forEach((fault, index) => {
      const on = () => this.change(() => this.switchOn(fault, index));
      if (fault.startSeconds === 0) on();
      else this.timers.push(setTimeout(on, fault.startSeconds * 1000));
      if (fault.durationSeconds !== undefined) {
        const offAt = (fault.startSeconds + fault.durationSeconds) * 1000;
        const off = () => this.change(() => this.switchOff(fault, index));
        this.timers.push(setTimeout(off, offAt));
      }
    });
    await this.changes;
  }

  /** The first error a fault change hit, if any: a fault that did not go on is a broken run. */
  get error(): unknown {
    return this.errors[0];
  }

  /** Cancels what is still to come and removes every fault now. */
  async clear(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.length = 0;
    await this.changes;
    if (this.active > 0) await this.hooks?.beforeOff().catch((error: unknown) => this.fail(error));
    this.active = 0;
    await this.client.reset();
  }

  private async switchOn(fault: FaultSpec, index: number): Promise<void> {
    await applyFault(this.client, fault, index);
    this.firstAppliedAt ??= Date.now();
    this.active += 1;
    if (this.active === 1) await this.hooks?.afterOn();
  }

  private async switchOff(fault: FaultSpec, index: number): Promise<void> {
    if (this.active === 1) await this.hooks?.beforeOff();
    await removeFault(this.client, fault, index);
    this.active -= 1;
  }

  private change(step: () => Promise<void>): void {
    this.changes = this.changes.then(step).catch((error: unknown) => this.fail(error));
  }

  private fail(error: unknown): void {
    this.errors.push(error);
  }
}
