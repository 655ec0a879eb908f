import type { ProxyJson, ToxicJson } from './api/json.js';
import type { ProxyInput, ToxicInput } from './collection.js';
import type { ProxySpec, ProxyStats } from './model.js';

/** A failed admin call: `status` is the HTTP status (0 when no answer came), `message` the server's `error`. */
export class ProxyApiError extends Error {
  override name = 'ProxyApiError';

  constructor(
    message: string,
    readonly status: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface ProxyClientOptions {
  /** Sent as `Authorization: Bearer <token>`. Default none. */
  token?: string;
}

export type ProxyChanges = Partial<Pick<ProxySpec, 'listen' | 'upstream' | 'enabled'>>;

/**
 * A typed client for the admin API: ours, or a real Toxiproxy ≥ 2.6 for the
 * Toxiproxy routes (updates use PATCH; stats and metrics are ours). Every method takes an optional AbortSignal; aborting
 * rejects with the signal's reason, anything else with ProxyApiError.
 */
export class ProxyClient {
  readonly #base: string;
  readonly #headers: Record<string, string>;

  constructor(url: string, options: ProxyClientOptions = {}) {
    this.#base = url.replace(/\/+$/, '');
    this.#headers = options.token ? { Authorization: `Bearer ${options.token}` } : {};
  }

  /** The server's version; accepts Toxiproxy's JSON `{version}` and its older bare string. */
  async version(signal?: AbortSignal): Promise<string> {
    const text = await this.#text('GET', '/version', signal);
    try {
      const body = JSON.parse(text) as { version?: unknown };
      if (typeof body.version === 'string') return body.version;
    } catch {
      // The bare string of Toxiproxy before 2.7.
    }
    return text.trim();
  }

  proxies(signal?: AbortSignal): Promise<Record<string, ProxyJson>> {
    return this.#json('GET', '/proxies', undefined, signal);
  }

  createProxy(spec: ProxyInput, signal?: AbortSignal): Promise<ProxyJson> {
    return this.#json('POST', '/proxies', spec, signal);
  }

  async populate(specs: readonly ProxyInput[], signal?: AbortSignal): Promise<ProxyJson[]> {
    const body = await this.#json<{ proxies: ProxyJson[] | null }>(
      'POST',
      '/populate',
      specs,
      signal,
    );
    return body.proxies ?? [];
  }

  getProxy(name: string, signal?: AbortSignal): Promise<ProxyJson> {
    return this.#json('GET', proxyPath(name), undefined, signal);
  }

  updateProxy(name: string, changes: ProxyChanges, signal?: AbortSignal): Promise<ProxyJson> {
    return this.#json('PATCH', proxyPath(name), changes, signal);
  }

  async deleteProxy(name: string, signal?: AbortSignal): Promise<void> {
    await this.#text('DELETE', proxyPath(name), signal);
  }

  toxics(proxy: string, signal?: AbortSignal): Promise<ToxicJson[]> {
    return this.#json('GET', `${proxyPath(proxy)}/toxics`, undefined, signal);
  }

  addToxic(proxy: string, toxic: ToxicInput, signal?: AbortSignal): Promise<ToxicJson> {
    return this.#json('POST', `${proxyPath(proxy)}/toxics`, toxic, signal);
  }

  updateToxic(
    proxy: string,
    name: string,
    changes: Partial<ToxicInput>,
    signal?: AbortSignal,
  ): Promise<ToxicJson> {
    return this.#json('PATCH', toxicPath(proxy, name), changes, signal);
  }

  async removeToxic(proxy: string, name: string, signal?: AbortSignal): Promise<void> {
    await this.#text('DELETE', toxicPath(proxy, name), signal);
  }

  /** Every proxy enabled, every toxic removed. */
  async reset(signal?: AbortSignal): Promise<void> {
    await this.#text('POST', '/reset', signal);
  }

  /** Our extension: the proxy's live counters. */
  stats(proxy: string, signal?: AbortSignal): Promise<ProxyStats> {
    return this.#json('GET', `${proxyPath(proxy)}/stats`, undefined, signal);
  }

  /** Prometheus exposition text. */
  metrics(signal?: AbortSignal): Promise<string> {
    return this.#text('GET', '/metrics', signal);
  }

  async #json<T>(method: string, path: string, body: unknown, signal?: AbortSignal): Promise<T> {
    const text = await this.#text(method, path, signal, body);
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw new ProxyApiError(`${method} ${path}: the answer is not JSON`, 200, { cause: error });
    }
  }

  async #text(method: string, path: string, signal?: AbortSignal, body?: unknown): Promise<string> {
    const headers = {
      ...this.#headers,
      ...(body !== undefined && { 'Content-Type': 'application/json' }),
    };
    let response: Response;
    let text: string;
    try {
      response = await fetch(this.#base + path, {
        method,
        headers,
        ...(body !== undefined && { body: JSON.stringify(body) }),
        ...(signal && { signal }),
      });
      text = await response.text();
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw new ProxyApiError(`${method} ${path}: ${(error as Error).message}`, 0, {
        cause: error,
      });
    }
    if (response.ok) return text;
    throw new ProxyApiError(
      errorMessage(text) ?? `${method} ${path}: HTTP ${response.status}`,
      response.status,
    );
  }
}

/** The `error` of a `{error, status}` body, if that is what came. */
function errorMessage(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { error?: unknown };
    return typeof body.error === 'string' ? body.error : undefined;
  } catch {
    return undefined;
  }
}

const proxyPath = (name: string) => `/proxies/${encodeURIComponent(name)}`;
const toxicPath = (proxy: string, name: string) =>
  `${proxyPath(proxy)}/toxics/${encodeURIComponent(name)}`;
