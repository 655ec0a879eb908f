import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { sleep } from '../common/index.js';

/**
 * A shell command run as the leader of its own process group, so that it and
 * every process it starts can be signalled and ended together: a bot that
 * spawns workers must never leave one behind.
 */
export class ProcessGroup {
  readonly child: ChildProcess;
  /** Resolves once the leader has exited, or could not be started at all (then `error` says why); never rejects. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: string }>;

  constructor(command: string, env: Record<string, string>, cwd?: string) {
    this.child = spawn(command, {
      shell: true,
      detached: true,
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => resolve({ code, signal }));
      // A spawn that fails (no shell, cwd gone, out of processes) emits 'error' and no 'exit'.
      this.child.once('error', (error) =>
        resolve({ code: null, signal: null, error: error.message }),
      );
    });
    // The runner going down, however it goes, takes the group with it.
    LIVE_GROUPS.add(this);
    void this.exited.then(() => {
      if (!this.alive) LIVE_GROUPS.delete(this);
    });
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

  /** True while any process of the group is alive (the leader, or a child it left); zombies are dead. */
  get alive(): boolean {
    if (this.pid === undefined) return false;
    return groupAlive(this.pid) ?? this.signal(0);
  }

  /**
   * SIGTERM to the group, then SIGKILL to whatever is left after graceMs;
   * resolves with how the leader exited and how many of the group were still
   * there to kill.
   */
  async stop(graceMs: number): Promise<{ killed: boolean; leftover: boolean }> {
    this.signal('SIGTERM');
    const deadline = Date.now() + graceMs;
    while (this.alive && Date.now() < deadline) await sleep(50);
    // Only a live process left counts as killed; the signal goes anyway (to unreaped zombies it is harmless).
    const killed = this.alive;
    this.signal('SIGKILL');
    await this.exited;
    // The kernel reaps killed processes asynchronously: give them a moment.
    const reapBy = Date.now() + 2_000;
    while (this.alive && Date.now() < reapBy) await sleep(20);
    LIVE_GROUPS.delete(this);
    return { killed, leftover: this.alive };
  }
}

/**
 * True while a process with this pid runs. A zombie (dead, not yet reaped:
 * in a container whose first process reaps nothing, orphans stay zombies)
 * is dead; where /proc is missing, any process the kernel still has counts.
 */
export function processAlive(pid: number): boolean {
  const state = procState(pid);
  if (state !== undefined) return state !== null && !DEAD_STATES.has(state.state);
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Process states that are no process: zombie, dead. */
const DEAD_STATES = new Set(['Z', 'X', 'x']);

/**
 * Whether any live process is in the group, from /proc; undefined where
 * /proc cannot be read (the caller then asks the kernel with signal 0).
 */
function groupAlive(pgid: number): boolean | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  return entries.some((entry) => {
    if (!/^\d+$/.test(entry)) return false;
    const state = procState(Number(entry));
    return (
      state !== undefined && state !== null && state.pgrp === pgid && !DEAD_STATES.has(state.state)
    );
  });
}

/**
 * A process's state and group from /proc/<pid>/stat; null when it has no
 * entry (gone), undefined when /proc is not there to ask.
 */
function procState(pid: number): { state: string; pgrp: number } | null | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return undefined;
    return existsSync('/proc/self/stat') ? null : undefined;
  }
  // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses, so read after the last one.
  const [state, , pgrp] = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return state === undefined ? undefined : { state, pgrp: Number(pgrp) };
}

/**
 * Groups not yet stopped: one exit hook ends them all when the runner goes
 * down, however it goes (one hook, not one per group: a parallel run starts many).
 */
const LIVE_GROUPS = new Set<ProcessGroup>();
process.on('exit', () => {
  for (const group of LIVE_GROUPS) group.signal('SIGKILL');
});
