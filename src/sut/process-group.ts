import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/**
 * A shell command run as the leader of its own process group, so that it and
 * every process it starts can be signalled and ended together: a bot that
 * spawns workers must never leave one behind.
 */
export class ProcessGroup {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly onRunnerExit = (): void => {
    this.signal('SIGKILL');
  };

  constructor(command: string, env: Record<string, string>, cwd?: string) {
    this.child = spawn(command, {
      shell: true,
      detached: true,
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.exited = once(this.child, 'exit').then(([code, signal]) => ({
      code: code as number | null,
      signal: signal as NodeJS.Signals | null,
    }));
    // A spawn error (no shell) surfaces as an exit with no code; the report says so.
    this.child.on('error', () => undefined);
    // The runner going down, however it goes, takes the group with it.
    process.once('exit', this.onRunnerExit);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** True while the group leader has not exited. */
  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Sends a signal to every process of the group; false when none is left. */
  signal(signal: NodeJS.Signals | 0): boolean {
    if (this.pid === undefined) return false;
    try {
      process.kill(-this.pid, signal);
      return true;
    } catch {
      return false;
    }
  }

  /** True while any process of the group is alive (the leader, or a child it left). */
  get alive(): boolean {
    return this.signal(0);
  }

  /**
   * SIGTERM to the group, then SIGKILL to whatever is left after graceMs;
   * resolves with how the leader exited and how many of the group were still
   * there to kill.
   */
  async stop(graceMs: number): Promise<{ killed: boolean; leftover: boolean }> {
    this.signal('SIGTERM');
    const deadline = Date.now() + graceMs;
    while (this.alive && Date.now() < deadline) await pause(50);
    const killed = this.signal('SIGKILL');
    await this.exited;
    // The kernel reaps killed processes asynchronously: give them a moment.
    const reapBy = Date.now() + 2_000;
    while (this.alive && Date.now() < reapBy) await pause(20);
    process.off('exit', this.onRunnerExit);
    return { killed, leftover: this.alive };
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
