import type { ServerResponse } from 'node:http';
import type { BinanceError } from '../errors.js';
import { ErrorCode } from '../errors.js';

/** A response before it is written: status, JSON body and extra headers. */
export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string | number>;
}

export function errorReply(error: BinanceError, headers?: Record<string, string | number>): Reply {
  return { status: error.httpStatus, body: error.toBody(), headers };
}

/** What the venue answers when something went wrong on its side: never expected, always well-formed. */
export function internalErrorReply(): Reply {
  return {
    status: 500,
    body: {
      code: ErrorCode.UNKNOWN,
      msg: 'An unknown error occurred while processing the request.',
    },
  };
}

export function writeReply(res: ServerResponse, reply: Reply): void {
  const payload = JSON.stringify(reply.body);
  // One writeHead with every header is markedly cheaper than a setHeader per header.
  const headers: Record<string, string | number> = {
    'Content-Type': 'application/json;charset=UTF-8',
    'Content-Length': Buffer.byteLength(payload),
  };
  if (reply.headers) Object.assign(headers, reply.headers);
  res.writeHead(reply.status, headers);
  res.end(payload);
}

/** A raw HTTP/1.1 error for a request Node's parser refused before it reached a handler. */
export function rawErrorResponse(status: number, reason: string, error: BinanceError): string {
  const payload = JSON.stringify(error.toBody());
  return (
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json;charset=UTF-8\r\n` +
    `Content-Length: ${Buffer.byteLength(payload)}\r\nConnection: close\r\n\r\n${payload}`
  );
}
