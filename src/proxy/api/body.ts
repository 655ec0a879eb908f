import type { IncomingMessage } from 'node:http';
import { badInput, ProxyError } from '../errors.js';

/** Largest request body accepted by default: a populate of hundreds of proxies fits easily. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Reads a request body of at most `limit` bytes. Past the limit it stops
 * keeping the bytes but keeps draining them, so the client can read the 413
 * instead of seeing its upload reset.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = Number(req.headers['content-length']) > limit;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
    });
    req.on('end', () => {
      if (tooLarge) reject(new ProxyError(`request body over ${limit} bytes`, 413));
      else resolve(Buffer.concat(chunks, size));
    });
    // A client that breaks off mid-body gets no answer: its socket is gone.
    req.on('error', reject);
    req.on('close', () => {
      if (!req.complete) reject(badInput('request aborted'));
    });
  });
}

/** Parses a JSON body; empty or malformed bodies are bad input, as in Toxiproxy ("bad request body: …"). */
export function parseJson(raw: Buffer): unknown {
  const text = raw.toString('utf8');
  if (text.trim() === '') throw badInput('bad request body: empty');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw badInput(`bad request body: ${(error as Error).message}`);
  }
}
