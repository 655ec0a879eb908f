/**
 * Every proxy error carries the HTTP status the admin API answers with, in
 * Toxiproxy's `{"error": "...", "status": N}` shape.
 */
export class ProxyError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 500,
  ) {
    super(message);
    this.name = 'ProxyError';
  }

  toBody(): { error: string; status: number } {
    return { error: this.message, status: this.status };
  }
}

export const badInput = (message: string) => new ProxyError(message, 400);
export const notFound = (message: string) => new ProxyError(message, 404);
export const conflict = (message: string) => new ProxyError(message, 409);

/** A bind failure as the API reports it: 409 when the address is taken, 400 otherwise. */
export function listenError(
  error: NodeJS.ErrnoException,
  address: string,
  owner?: string,
): ProxyError {
  const reason = error.code ?? error.message;
  const message = `${owner ? `${owner}: ` : ''}cannot listen on ${address} (${reason})`;
  return new ProxyError(message, error.code === 'EADDRINUSE' ? 409 : 400);
}
