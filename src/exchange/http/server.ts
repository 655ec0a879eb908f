import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { BinanceError, ErrorCode } from '../errors.js';
import { handleRequest, type HttpRuntime } from './handler.js';
import { errorReply, rawErrorResponse, writeReply, type Reply } from './reply.js';

/** Largest form body accepted; no endpoint needs more than a few hundred bytes. */
const MAX_BODY_BYTES = 64 * 1024;
/** Longer than common client pools keep idle connections, so the client closes first. */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;
const MAX_HEADER_BYTES = 16 * 1024;

/** The simulator's HTTP server: every request, however malformed, gets a `{code, msg}` answer. */
export function createHttpServer(runtime: HttpRuntime): Server {
  const server = createServer(
    { keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS, maxHeaderSize: MAX_HEADER_BYTES },
    (req, res) => {
      // Arrival is when the headers are read, before the body; undefined when nobody listens.
      const trace = runtime.requests.trace(runtime.venue.now);
      readBody(req, (body) => {
        let reply: Reply;
        if (body !== undefined) {
          reply = handleRequest(runtime, req, body, trace);
        } else {
          const error = new BinanceError(
            ErrorCode.TOO_MANY_PARAMETERS,
            `Request body over ${MAX_BODY_BYTES} bytes.`,
            413,
          );
          res.shouldKeepAlive = false;
          reply = errorReply(error);
        }
        writeReply(res, reply);
        // After the write: a listener's time is not added to the answer's.
        if (trace) runtime.requests.record(req, trace, reply);
      });
    },
  );
  server.on('clientError', answerClientError);
  return server;
}

/** Requests Node's parser refused before any handler saw them. */
function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  // A request broken mid-body has already been answered 400 by Node itself.
  const inFlight = (socket as { _httpMessage?: { headersSent: boolean } })._httpMessage;
  if (!socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const body = new BinanceError(
    ErrorCode.UNKNOWN,
    tooLarge ? 'Request headers too large.' : 'Malformed HTTP request.',
  );
  const status = tooLarge ? 431 : 400;
  socket.end(
    rawErrorResponse(status, tooLarge ? 'Request Header Fields Too Large' : 'Bad Request', body),
  );
}

/**
 * Collects a form body up to MAX_BODY_BYTES, then calls back with it, or with
 * undefined when it is too large. Callbacks rather than a promise: this runs
 * for every order.
 */
function readBody(req: IncomingMessage, done: (body: string | undefined) => void): void {
  // Most requests (GET, DELETE with a query) carry no body: answer them at once.
  if (
    req.headers['content-length'] === undefined &&
    req.headers['transfer-encoding'] === undefined
  ) {
    req.resume();
    done('');
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let finished = false;
  const finish = (body: string | undefined) => {
    if (finished) return;
    finished = true;
    done(body);
  };
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      req.removeAllListeners('data');
      req.resume();
      finish(undefined);
      return;
    }
    chunks.push(chunk);
  });
  req.on('end', () => finish(Buffer.concat(chunks).toString('utf8')));
  // A request that breaks off mid-body is answered by Node itself (see answerClientError).
  req.on('error', () => {
    finished = true;
  });
}
