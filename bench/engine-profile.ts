/**
 * CPU profile of the engine benchmark's measured window, taken in-process
 * with the inspector (so warm-up, start-up and shutdown stay out of it), and
 * a summary of where the time went: the functions with the most self time,
 * and self time per component.
 *
 * A component owns a sample when its code is the nearest frame on the stack
 * that is not Node core or native: time in `node:http`'s parser under the
 * proxy's request handler counts as the proxy's, time in `crypto` under
 * ccxt's signing as ccxt's. Frames with no such owner (event-loop plumbing,
 * timers, microtask queues) are "node core (unattributed)".
 */
import { writeFile } from 'node:fs/promises';
import { Session, type Profiler } from 'node:inspector';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { round } from './lib/report.js';

/** Sampling interval: fine enough for ~100 µs calls, coarse enough to keep overhead low. */
const SAMPLING_INTERVAL_US = 200;
/** Functions listed by self time. */
const TOP_FUNCTIONS = 25;

export interface ProfileRow {
  name: string;
  /** Share of all sampled time, %. */
  percent: number;
  ms: number;
}

export interface ProfileSummary {
  /** The raw profile, loadable in Chrome DevTools (Performance → Load profile). */
  file: string;
  sampledMs: number;
  /** Self time per owning component (see the module comment). */
  byComponent: ProfileRow[];
  /** Self time per raw frame category, Node core and native not re-attributed. */
  bySelfCategory: ProfileRow[];
  /** Functions with the most self time: `name (category file:line)`. */
  topFunctions: ProfileRow[];
  /**
   * Functions outside Node core with the most time of their own plus that of the Node core and
   * native code they called (e.g. the proxy's handler with the socket writes it caused).
   */
  topOwners: ProfileRow[];
}

export interface CpuProfiler {
  stop(): Promise<ProfileSummary>;
}

function post<T>(session: Session, method: string, params?: object): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    session.post(method, params ?? {}, (error, result) =>
      error ? reject(error) : resolve(result as T),
    );
  });
}

/** Starts sampling this process; stop() writes the profile and summarises it. */
export async function startCpuProfile(label: string): Promise<CpuProfiler> {
  const session = new Session();
  session.connect();
  await post(session, 'Profiler.enable');
  await post(session, 'Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US });
  await post(session, 'Profiler.start');
  return {
    async stop() {
      const { profile } = await post<{ profile: Profiler.Profile }>(session, 'Profiler.stop');
      session.disconnect();
      const file = join(tmpdir(), `${label}.cpuprofile`);
      await writeFile(file, JSON.stringify(profile));
      return summarise(profile, file);
    },
  };
}

/** Which part of the stack a frame's code belongs to, from its script URL. */
export function categoryOf(frame: Profiler.ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  if (url === '') {
    if (functionName === '(garbage collector)') return 'gc';
    if (functionName === '(idle)') return 'idle';
    if (functionName === '(program)') return 'v8 (program)';
    return 'native';
  }
  if (url.startsWith('wasm://')) return 'pglite (embedded database)';
  if (url.startsWith('node:')) return 'node core';
  // The innermost package: ccxt's own copy of undici is undici, not ccxt.
  const packages = [...url.matchAll(/\/node_modules\/((?:@[^/]+\/)?[^/]+)(?=\/)/g)];
  const packageMatch = packages.at(-1);
  if (packageMatch) {
    const name = packageMatch[1]!;
    if (name.startsWith('@electric-sql/')) return 'pglite (embedded database)';
    if (name === 'pg' || name.startsWith('pg-')) return 'pg client (journal)';
    // ccxt's own dependencies: its bundled undici, and the pure-JS HMAC it signs with.
    const underCcxt = packages[0]![1] === 'ccxt' && name !== 'ccxt';
    if (underCcxt || name.startsWith('@noble/') || name.startsWith('@scure/'))
      return `ccxt › ${name}`;
    return name;
  }
  const srcMatch = /\/src\/([^/]+)\//.exec(url);
  if (srcMatch) {
    const part = srcMatch[1]!;
    if (part === 'exchange') return 'exchange simulator';
    if (part === 'proxy') return 'fault proxy';
    if (part === 'journal') return 'journal';
    if (part === 'engine') return 'engine';
    return `src/${part}`;
  }
  if (/\/bench\//.test(url)) return 'bench driver';
  return 'other';
}

/** Categories that never own time themselves: their time goes to the nearest owning caller. */
const BORROWERS = new Set(['node core', 'native']);

function rows(totals: Map<string, number>, allMs: number, limit = Infinity): ProfileRow[] {
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, ms]) => ({ name, percent: round((ms / allMs) * 100, 1), ms: round(ms, 1) }));
}

function shortUrl(url: string): string {
  const nodeModules = url.lastIndexOf('/node_modules/');
  if (nodeModules >= 0) return url.slice(nodeModules + '/node_modules/'.length);
  const src = /\/(src|bench)\/.*$/.exec(url);
  return src ? src[0].slice(1) : url;
}

export function summarise(profile: Profiler.Profile, file: string): ProfileSummary {
  const selfMs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  // timeDeltas[i] is the gap before sample i: sample i lasted until sample i + 1.
  for (let i = 0; i < samples.length; i++) {
    const ms = (deltas[i + 1] ?? 0) / 1000;
    selfMs.set(samples[i]!, (selfMs.get(samples[i]!) ?? 0) + ms);
  }
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const byComponent = new Map<string, number>();
  const bySelfCategory = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const root = profile.nodes[0]!;
  const byOwner = new Map<string, number>();
  const unattributed = 'node core (unattributed)';
  const stack: Array<{ id: number; owner: string; ownerFunction: string }> = [
    { id: root.id, owner: unattributed, ownerFunction: unattributed },
  ];
  while (stack.length > 0) {
    const inherited = stack.pop()!;
    const node = byId.get(inherited.id)!;
    const category = categoryOf(node.callFrame);
    const { functionName, url, lineNumber } = node.callFrame;
    // tsx-compiled sources report line 0 for everything: a line is shown only when it means one.
    const line = lineNumber > 0 ? `:${lineNumber + 1}` : '';
    const where = url ? ` ${shortUrl(url)}${line}` : '';
    const key = `${functionName || '(anonymous)'} (${category}${where})`;
    const borrows = BORROWERS.has(category);
    const owner = borrows ? inherited.owner : category;
    const ownerFunction = borrows ? inherited.ownerFunction : key;
    const ms = selfMs.get(node.id) ?? 0;
    if (ms > 0) {
      add(byComponent, owner, ms);
      add(bySelfCategory, category, ms);
      add(byFunction, key, ms);
      add(byOwner, ownerFunction, ms);
    }
    for (const child of node.children ?? []) stack.push({ id: child, owner, ownerFunction });
  }
  const allMs = [...selfMs.values()].reduce((sum, ms) => sum + ms, 0) || 1;
  return {
    file,
    sampledMs: round(allMs, 1),
    byComponent: rows(byComponent, allMs),
    bySelfCategory: rows(bySelfCategory, allMs),
    topFunctions: rows(byFunction, allMs, TOP_FUNCTIONS),
    topOwners: rows(byOwner, allMs, TOP_FUNCTIONS),
  };
}

function add(totals: Map<string, number>, key: string, ms: number): void {
  totals.set(key, (totals.get(key) ?? 0) + ms);
}
