/**
 * Bulk TCP throughput for the proxy benchmark: one connection to a TCP echo
 * server (directly or through a proxy), the client writing fixed-size chunks
 * as fast as the socket accepts them (waiting for 'drain' when it does not)
 * while reading the echo back. The transfer is timed from the connect to the
 * last echoed byte, so it measures the full round trip of every byte.
 */
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { sampleCpu } from './lib/process-cpu.js';
import { round } from './lib/report.js';

/** The client's write size. */
export const CHUNK_BYTES = 64 * 1024;

export interface BulkSettings {
  /** Bytes to send (and to receive back). */
  totalBytes: number;
  /** A transfer that takes longer fails, so a stalled proxy cannot hang the benchmark. */
  timeoutMs: number;
}

export interface BulkResult {
  bytes: number;
  seconds: number;
  /** Echoed bytes per second, in 10^6 bytes. */
  mbPerS: number;
  /** CPU the server under test (the proxy, or the echo server when direct) used per MB. */
  serverCpuMsPerMb: number | null;
}

/** One timed transfer of `totalBytes` through `port`; rejects on a short echo, an error or the timeout. */
export async function streamEcho(
  port: number,
  serverPid: number | undefined,
  settings: BulkSettings,
): Promise<BulkResult> {
  const cpuFrom = sampleCpu(serverPid);
  const { bytes, ms } = await transfer(port, settings);
  const cpuTo = sampleCpu(serverPid);
  const mb = bytes / 1e6;
  const serverMs =
    cpuFrom.serverMs === undefined || cpuTo.serverMs === undefined
      ? undefined
      : cpuTo.serverMs - cpuFrom.serverMs;
  return {
    bytes,
    seconds: round(ms / 1000, 3),
    mbPerS: round(mb / (ms / 1000), 1),
    serverCpuMsPerMb: serverMs === undefined ? null : round(serverMs / mb, 3),
  };
}

function transfer(port: number, settings: BulkSettings): Promise<{ bytes: number; ms: number }> {
  const { totalBytes, timeoutMs } = settings;
  // Incompressible and never mutated, so the same buffer can be queued many times.
  const chunk = Buffer.alloc(CHUNK_BYTES, 0x5a);
  for (let i = 0; i < chunk.length; i += 4) chunk.writeUInt32LE((i * 2654435761) >>> 0, i);

  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, noDelay: true });
    let sent = 0;
    let received = 0;
    let startMs = 0;
    let elapsedMs: number | undefined;
    let settled = false;

    const timer = setTimeout(
      () => fail(`timed out after ${timeoutMs} ms (${received} of ${totalBytes} bytes echoed)`),
      timeoutMs,
    );
    function fail(why: string): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      reject(new Error(`bulk transfer to port ${port}: ${why}`));
    }
    function succeed(ms: number): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ bytes: received, ms });
    }

    /** Writes until the socket's buffer is full, then resumes on 'drain'. */
    const pump = (): void => {
      while (sent < totalBytes && !socket.destroyed) {
        const size = Math.min(CHUNK_BYTES, totalBytes - sent);
        sent += size;
        const writable = socket.write(size === CHUNK_BYTES ? chunk : chunk.subarray(0, size));
        if (!writable) {
          socket.once('drain', pump);
          return;
        }
      }
    };

    socket.once('connect', () => {
      startMs = performance.now();
      pump();
    });
    socket.on('data', (data: Buffer) => {
      received += data.length;
      if (received > totalBytes) fail(`echoed ${received} bytes, more than the ${totalBytes} sent`);
      else if (received === totalBytes && elapsedMs === undefined) {
        elapsedMs = performance.now() - startMs;
        // FIN to the server; the close that follows settles the transfer.
        socket.end();
      }
    });
    socket.on('error', (error) => fail(error.message));
    socket.once('close', () => {
      if (elapsedMs === undefined) fail(`closed after ${received} of ${totalBytes} bytes echoed`);
      else succeed(elapsedMs);
    });
  });
}
