import { sign } from '../../src/exchange/index.js';

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

export interface RequestOptions {
  /** Add timestamp and signature (default true). */
  signed?: boolean;
  /** Send parameters in the form body instead of the query (default: POST only). */
  inBody?: boolean;
  /** Shift the timestamp from now, ms. */
  timestampOffsetMs?: number;
  /** Replace the computed signature. */
  signature?: string;
  /** API key header; null sends none. */
  apiKey?: string | null;
}

/**
 * A small, deliberately plain Binance REST client for tests: it builds the
 * signed query exactly as the venue's documentation describes, so tests can
 * also break it on purpose.
 */
export class BinanceTestClient {
  constructor(
    readonly baseUrl: string,
    readonly apiKey: string,
    readonly apiSecret: string,
  ) {}

  async request(
    method: string,
    path: string,
    params: Record<string, string | number> = {},
    options: RequestOptions = {},
  ): Promise<ApiResponse> {
    const signed = options.signed ?? true;
    const entries: Array<[string, string]> = Object.entries(params).map(([k, v]) => [k, String(v)]);
    if (signed) entries.push(['timestamp', String(Date.now() + (options.timestampOffsetMs ?? 0))]);
    let payload = new URLSearchParams(entries).toString();
    if (signed) payload += `&signature=${options.signature ?? sign(this.apiSecret, payload)}`;
    const inBody = options.inBody ?? method === 'POST';
    const url = `${this.baseUrl}${path}${!inBody && payload ? `?${payload}` : ''}`;
    const headers: Record<string, string> = {};
    const apiKey = options.apiKey === undefined ? this.apiKey : options.apiKey;
    if (apiKey !== null && (signed || options.apiKey !== undefined))
      headers['X-MBX-APIKEY'] = apiKey;
    if (inBody) headers['Content-Type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(url, {
      method,
      headers,
      body: inBody ? payload : undefined,
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: JSON.parse(text), text };
  }
}
