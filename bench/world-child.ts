/**
 * The server under test of the evidence benchmark: a world (exchange
 * simulator behind the fault proxy, embedded database) in its own process,
 * recording the judge's evidence or not.
 *
 *   node --expose-gc --import tsx bench/world-child.ts --evidence on|off
 *
 * It prints `listening <exchange proxy URL>` as its first stdout line. On
 * SIGTERM it prints one JSON line to stderr (requests answered, heap after a
 * full GC 4 s in and at the end, with the requests answered by then) and
 * exits 0.
 */
import { parseArgs } from 'node:util';
import { createWorld } from '../src/stack/index.js';

const UNLIMITED = 1_000_000_000;
/** Heap is first sampled this long after listening: inside the measured window, code warm, pools full. */
const FIRST_SAMPLE_MS = 4_000;

const { values } = parseArgs({ options: { evidence: { type: 'string' } } });
if (values.evidence !== 'on' && values.evidence !== 'off') {
  console.error('usage: world-child.ts --evidence on|off');
  process.exit(2);
}
const world = await createWorld({
  exchange: { rateLimits: { ordersPer10s: UNLIMITED, weightLimit: UNLIMITED } },
});
// Off: nobody listens, so the proxy and the simulator take their no-evidence path.
if (values.evidence === 'off') await world.evidence.close();

const gc = (globalThis as { gc?: () => void }).gc;
const heapMB = () => {
  gc?.();
  return Math.round((process.memoryUsage().heapUsed / 2 ** 20) * 10) / 10;
};
let firstHeapMB: number | undefined;
let firstAnswered = 0;
const answered = async () => (await world.proxyClient.stats('exchange')).requests.answered;
setTimeout(() => {
  firstHeapMB = heapMB();
  void answered().then((count) => (firstAnswered = count));
}, FIRST_SAMPLE_MS).unref();
console.log(`listening ${world.endpoints.exchangeProxy}`);

const stop = async (): Promise<void> => {
  const report = {
    answered: await answered(),
    firstAnswered,
    firstHeapMB: firstHeapMB ?? null,
    lastHeapMB: heapMB(),
    gcExposed: gc !== undefined,
  };
  await world.close();
  console.error(JSON.stringify(report));
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
