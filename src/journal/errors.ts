import { BrokenCircuitError } from 'cockatiel';

export type JournalErrorCode = 'INVALID_ENTRY' | 'NOT_OPEN' | 'CLOSED';

/** A journal refusal, classified by code. */
export class JournalError extends Error {
  constructor(
    readonly code: JournalErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'JournalError';
  }
}

/**
 * A database failure as events report it: the message, and a stable code
 * (SQLSTATE from the server, errno such as ECONNREFUSED from the socket,
 * BREAKER_OPEN when the breaker refused the call without trying).
 */
export function describeError(error: unknown): { error: string; code: string | undefined } {
  if (error instanceof BrokenCircuitError) return { error: error.message, code: 'BREAKER_OPEN' };
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { error: error.message, code: typeof code === 'string' ? code : undefined };
  }
  return { error: String(error), code: undefined };
}
