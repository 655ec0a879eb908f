/**
 * Servers under test run as child processes, so they never share an event
 * loop (or a CPU slice) with the load generator. The contract with a child is
 * small: it prints `listening http://127.0.0.1:PORT` as its first stdout line
 * and exits on SIGTERM. Everything here makes sure a child that breaks that
 * contract fails the benchmark fast, and that no child outlives the benchmark.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** Children start in the repository root, so relative paths mean the same to every benchmark. */
const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Ceiling on a child's start-up, so a broken build fails fast instead of hanging. */
const START_TIMEOUT_MS = 15_000;
/** Grace after SIGTERM before a child is killed outright. */
const STOP_TIMEOUT_MS = 5_000;
/** Bytes of a child's stderr kept to explain a failure. */
const STDERR_TAIL_BYTES = 4096;

export interface ChildServer {
  name: string;
  url: string;
  child: ChildProcess;
  stderrTail: () => string;
}

/** Every child not yet known to have exited; the SIGINT and exit hooks kill these. */
const liveChildren = new Set<ChildProcess>();

/** Keeps the last few KB of a stream, enough to show why a child died. */
export function tailOf(stream: NodeJS.ReadableStream | null): () => string {
  let tail = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    tail = (tail + chunk).slice(-STDERR_TAIL_BYTES);
  });
  return () => tail;
}

/** Resolves with the URL of the child's first stdout line `listening http://…`. */
export function waitForListening(
  name: string,
  child: ChildProcess,
  stderr: () => string,
): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const onExit = (code: number | null, signal: string | null) =>
      fail(`exited early (code ${code}, signal ${signal})`);
    const onError = (error: Error) => fail(error.message);
    const timer = setTimeout(
      () => fail(`no listening line in ${START_TIMEOUT_MS} ms`),
      START_TIMEOUT_MS,
    );
    // Whatever happens first settles the promise; the other watchers are removed.
    const settle = () => {
      clearTimeout(timer);
      child.off('exit', onExit);
      child.off('error', onError);
      lines.close();
    };
    const fail = (why: string) => {
      settle();
      reject(new Error(`${name}: ${why}\n${stderr()}`));
    };
    child.once('exit', onExit);
    child.once('error', onError);
    lines.once('line', (line) => {
      const match = /^listening (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
      if (!match?.[1]) return fail(`unexpected first line: ${line}`);
      settle();
      resolve(match[1]);
    });
  });
}

/** Spawns `node <args>` and waits until it listens on loopback. */
export async function startChild(name: string, args: string[]): Promise<ChildServer> {
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
  const stderrTail = tailOf(child.stderr);
  const url = await waitForListening(name, child, stderrTail);
  // Later stdout lines are not read; draining them keeps the pipe from filling.
  child.stdout?.resume();
  return { name, url, child, stderrTail };
}

/** SIGTERM, then SIGKILL after a grace period; resolves with the exit code (null if killed). */
export async function stopChild(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
  });
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  const code = await exited;
  clearTimeout(timer);
  return code;
}

/** Stops every child still running, in parallel. */
export async function stopAllChildren(): Promise<void> {
  await Promise.all([...liveChildren].map(stopChild));
}

/**
 * Starts a server, hands it to `use`, and always stops it again, even when
 * `use` throws. A non-zero exit after SIGTERM is reported with the child's
 * stderr, since it usually means the server crashed under load.
 */
export async function withChild<T>(
  name: string,
  args: string[],
  use: (server: ChildServer) => Promise<T>,
): Promise<{ value: T; exitCode: number | null }> {
  const server = await startChild(name, args);
  let value: T;
  let exitCode: number | null;
  try {
    value = await use(server);
  } finally {
    exitCode = await stopChild(server.child);
    if (exitCode !== 0) {
      console.error(`${name}: exited with ${exitCode} after SIGTERM\n${server.stderrTail()}`);
    }
  }
  return { value, exitCode };
}

/**
 * Children must never outlive the benchmark: Ctrl-C (or a SIGTERM from CI)
 * stops them gracefully, and any exit path, an exception included, kills
 * whatever is left synchronously. Returns a function removing the hooks.
 */
export function installChildGuards(): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`\n${signal}: stopping servers`);
    const code = signal === 'SIGINT' ? 130 : 143;
    void stopAllChildren().finally(() => process.exit(code));
  };
  const onExit = () => {
    for (const child of liveChildren) child.kill('SIGKILL');
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('exit', onExit);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('exit', onExit);
  };
}

/** Runs `body` with the guards installed, then stops any child it left running. */
export async function guardChildren<T>(body: () => Promise<T>): Promise<T> {
  const removeGuards = installChildGuards();
  try {
    return await body();
  } finally {
    await stopAllChildren();
    removeGuards();
  }
}
