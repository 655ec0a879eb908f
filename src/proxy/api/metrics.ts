import { Counter, Gauge, Registry } from 'prom-client';
import type { ProxyStats } from '../model.js';
import type { Proxy } from '../proxy.js';

type Labels = Record<string, string>;
type Emit = (labels: Labels, value: number) => void;
type Fill = (emit: Emit) => void;

/**
 * Prometheus exposition of every proxy's counters. The counters live in
 * ProxyStats; each metric copies them at scrape time, so nothing is counted
 * twice and deleted proxies drop out. A private Registry keeps these apart
 * from anything else in the process using prom-client's global one.
 */
export class ProxyMetrics {
  readonly #registry = new Registry();

  constructor(proxies: () => ReadonlyMap<string, Proxy>) {
    const each = (visit: (proxy: string, stats: ProxyStats) => void): void => {
      for (const [name, proxy] of proxies()) visit(name, proxy.stats);
    };
    this.#counter(
      'n1v1_proxy_connections_total',
      'Connections by outcome.',
      ['proxy', 'outcome'],
      (emit) =>
        each((proxy, { connections: c }) => {
          emit({ proxy, outcome: 'accepted' }, c.accepted);
          emit({ proxy, outcome: 'refused' }, c.refused);
          emit({ proxy, outcome: 'reset' }, c.reset);
          emit({ proxy, outcome: 'timed_out' }, c.timedOut);
        }),
    );
    this.#gauge('n1v1_proxy_connections_active', 'Connections open now.', ['proxy'], (emit) =>
      each((proxy, stats) => emit({ proxy }, stats.connections.active)),
    );
    this.#counter(
      'n1v1_proxy_requests_total',
      'Requests by outcome (tcp mode: client chunks, answered or failed).',
      ['proxy', 'outcome'],
      (emit) =>
        each((proxy, { requests: r }) => {
          emit({ proxy, outcome: 'seen' }, r.seen);
          emit({ proxy, outcome: 'forwarded' }, r.forwarded);
          emit({ proxy, outcome: 'answered' }, r.answered);
        }),
    );
    this.#counter(
      'n1v1_proxy_requests_failed_total',
      'Failed requests by reason.',
      ['proxy', 'reason'],
      (emit) =>
        each((proxy, { requests: { failed } }) => {
          for (const [reason, value] of Object.entries(failed))
            emit({ proxy, reason: snake(reason) }, value);
        }),
    );
    this.#counter(
      'n1v1_proxy_bytes_total',
      'Bytes relayed by direction.',
      ['proxy', 'direction'],
      (emit) =>
        each((proxy, { bytes }) => {
          emit({ proxy, direction: 'upstream' }, bytes.upstream);
          emit({ proxy, direction: 'downstream' }, bytes.downstream);
        }),
    );
    this.#counter(
      'n1v1_proxy_toxic_evaluations_total',
      'Times a toxic was considered.',
      ['proxy', 'toxic'],
      (emit) =>
        each((proxy, stats) => {
          for (const [toxic, counts] of Object.entries(stats.toxics))
            emit({ proxy, toxic }, counts.evaluated);
        }),
    );
    this.#counter(
      'n1v1_proxy_toxic_applications_total',
      'Times a toxic applied.',
      ['proxy', 'toxic'],
      (emit) =>
        each((proxy, stats) => {
          for (const [toxic, counts] of Object.entries(stats.toxics))
            emit({ proxy, toxic }, counts.applied);
        }),
    );
  }

  get contentType(): string {
    return this.#registry.contentType;
  }

  /** The exposition text, read from the live counters. */
  text(): Promise<string> {
    return this.#registry.metrics();
  }

  #counter(name: string, help: string, labelNames: string[], fill: Fill): void {
    new Counter({
      name,
      help,
      labelNames,
      registers: [this.#registry],
      collect() {
        this.reset();
        fill((labels, value) => this.inc(labels, value));
      },
    });
  }

  #gauge(name: string, help: string, labelNames: string[], fill: Fill): void {
    new Gauge({
      name,
      help,
      labelNames,
      registers: [this.#registry],
      collect() {
        this.reset();
        fill((labels, value) => this.set(labels, value));
      },
    });
  }
}

/** timedOut → timed_out, as Prometheus label values usually read. */
function snake(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}
