import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { BreakerState, Journal } from '../journal/index.js';
import type { VenueClient } from './connector/index.js';
import type { OrderExecutor, OrderStore } from './executor/index.js';
import type { Reconciler } from './reconciler/index.js';
import { transportCodeOf } from '../watchdog/index.js';

const BREAKER_VALUE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

export interface EngineMetricSources {
  executor: OrderExecutor;
  store: OrderStore;
  journal: Journal;
  venue: VenueClient;
  reconciler: Reconciler;
  exchangeBreaker: () => BreakerState;
}

/**
 * The engine's Prometheus metrics, in a registry of its own (several engines
 * can live in one test process). Counters follow events; gauges are read at
 * scrape time, so they cost nothing between scrapes.
 */
export function engineMetrics(sources: EngineMetricSources): Registry {
  const registry = new Registry();
  const outcomes = new Counter({
    name: 'n1v1_orders_total',
    help: 'Intents by outcome: placed, rejected, abandoned, unknown, refused (risk), shed (bulkhead full).',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'n1v1_order_latency_seconds',
    help: "From the strategy's intent to the venue's acknowledgement.",
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const retries = new Counter({
    name: 'n1v1_retries_total',
    help: 'Placement and query retries, by the failure that caused them.',
    labelNames: ['reason'],
    registers: [registry],
  });
  const requests = new Counter({
    name: 'n1v1_venue_requests_total',
    help: 'Requests to the exchange by operation and result (ok or the failure kind).',
    labelNames: ['operation', 'result'],
    registers: [registry],
  });
  const differences = new Counter({
    name: 'n1v1_reconcile_differences_total',
    help: 'Differences the reconciler found between journal and venue, by kind.',
    labelNames: ['kind'],
    registers: [registry],
  });
  const refused = new Counter({
    name: 'n1v1_connections_refused_total',
    help:
      'Connections to a dependency the operating system refused (nothing listening). ' +
      'A proxy that is switched off cannot count these itself.',
    labelNames: ['dependency'],
    registers: [registry],
  });
  sources.executor.on('outcome', ({ outcome }) => {
    outcomes.inc({ outcome: outcome.kind });
    if (outcome.kind === 'placed') latency.observe(outcome.latencyMs / 1000);
  });
  sources.executor.on('retry', ({ failure }) => retries.inc({ reason: failure.kind }));
  sources.venue.on('request', (event) =>
    requests.inc({
      operation: event.operation,
      result: event.ok ? 'ok' : (event.failure?.kind ?? 'failed'),
    }),
  );
  sources.venue.on('request', (event) => {
    if (event.failure && transportCodeOf(event.failure.errorClass) === 'ECONNREFUSED')
      refused.inc({ dependency: 'exchange' });
  });
  sources.journal.on('databaseError', ({ code }) => {
    if (code === 'ECONNREFUSED') refused.inc({ dependency: 'database' });
  });
  sources.reconciler.on('report', (report) => {
    for (const difference of report.differences) differences.inc({ kind: difference.kind });
  });
  scrapeTimeGauges(registry, sources);
  return registry;
}

function scrapeTimeGauges(registry: Registry, sources: EngineMetricSources): void {
  new Gauge({
    name: 'n1v1_breaker_state',
    help: 'Circuit breaker per dependency: 0 closed, 1 half-open, 2 open.',
    labelNames: ['dependency'],
    registers: [registry],
    collect() {
      this.set({ dependency: 'exchange' }, BREAKER_VALUE[sources.exchangeBreaker()]);
      this.set({ dependency: 'database' }, BREAKER_VALUE[sources.journal.status().breaker]);
    },
  });
  new Gauge({
    name: 'n1v1_journal_spool_depth',
    help: 'Journal entries waiting in the outage spool for the database.',
    registers: [registry],
    collect() {
      this.set(sources.journal.status().spoolDepth);
    },
  });
  new Gauge({
    name: 'n1v1_orders_live',
    help: 'Orders not yet final, by status.',
    labelNames: ['status'],
    registers: [registry],
    collect() {
      this.reset();
      for (const order of sources.store.orders()) this.inc({ status: order.status });
    },
  });
  new Gauge({
    name: 'n1v1_orders_in_flight',
    help: 'Intents being placed or waiting for a bulkhead slot.',
    registers: [registry],
    collect() {
      this.set(sources.executor.inFlight);
    },
  });
  new Gauge({
    name: 'n1v1_rate_limit_gate_remaining_seconds',
    help: 'Time until the shared rate-limit gate opens; 0 when open.',
    registers: [registry],
    collect() {
      this.set(sources.venue.gateRemainingMs() / 1000);
    },
  });
}
