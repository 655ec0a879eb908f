import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileTime } from '../common/index.js';
import { createWorld, type World } from '../stack/index.js';
import { builtinEngine } from '../sut/index.js';
import type { Scenario } from './model.js';
import type { TestBed } from './run-scenario.js';
import type { SuiteOptions } from './suite.js';

/** One scenario run the suite has planned: which, which round, and its world's seed. */
export interface Planned {
  scenario: Scenario;
  iteration: number;
  seed: number;
}

/**
 * Builds test beds: a world, and the system under test started on it. The
 * next world can be built ahead (`prepare`), while a scenario is judged; the
 * system never is: a bot started early would run beside the one still
 * being stopped (one port, one lock file, one ready line printed too soon).
 * A prepared world nobody took is closed with the supply.
 */
export class BedSupply {
  private prepared: { planned: Planned; world: Promise<World> } | undefined;

  constructor(private readonly options: SuiteOptions) {}

  /** False on a shared world: closing a bed then leaves the world alone. */
  get ownsWorlds(): boolean {
    return this.options.sharedWorld === undefined;
  }

  prepare(planned: Planned): void {
    if (this.prepared || this.options.signal.aborted || !this.ownsWorlds) return;
    const world = this.newWorld(planned);
    // Its failure is reported by take(); until then it must not go unhandled.
    world.catch(() => undefined);
    this.prepared = { planned, world };
  }

  async take(planned: Planned): Promise<TestBed> {
    const prepared = this.prepared;
    this.prepared = undefined;
    let world: World;
    if (prepared?.planned === planned) world = await prepared.world;
    else {
      if (prepared) await closeWorld(prepared.world);
      world = await this.newWorld(planned);
    }
    try {
      return { world, system: await this.startSystem(world, planned) };
    } catch (error) {
      if (this.ownsWorlds) await world.close();
      throw error;
    }
  }

  async close(): Promise<void> {
    const prepared = this.prepared;
    this.prepared = undefined;
    if (prepared) await closeWorld(prepared.world);
  }

  private newWorld({ seed }: Planned): Promise<World> {
    return this.options.sharedWorld
      ? Promise.resolve(this.options.sharedWorld)
      : createWorld({ ...this.options.stack, seed });
  }

  private startSystem(world: World, { scenario }: Planned) {
    const { stack, target, signal } = this.options;
    const start = target ?? builtinEngine(stack);
    // Random too: suites run at once may start the same scenario in the same second.
    const logName = `${scenario.name}-${fileTime(new Date())}-${randomBytes(3).toString('hex')}`;
    // Beside its log, so what the bot left (intents, its own files) outlives the world.
    const runDir = join(stack.logDir ?? world.dataDir, `${logName}-target`);
    return start(world, { scenario: scenario.name, runDir, logDir: stack.logDir, logName, signal });
  }
}

async function closeWorld(world: Promise<World>): Promise<void> {
  await (await world.catch(() => undefined))?.close();
}

/** Ends a bed's system, and its world unless the world is shared. */
export async function closeBed(bed: TestBed | undefined, ownsWorld: boolean): Promise<void> {
  if (!bed) return;
  await bed.system.close().catch(() => undefined);
  if (ownsWorld) await bed.world.close().catch(() => undefined);
}
