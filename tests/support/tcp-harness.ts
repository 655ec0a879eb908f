import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';

/** A loopback TCP server on port 0 running `onSocket` for each connection; close() ends all. */
export async function tcpServer(
  onSocket: (socket: Socket) => void,
): Promise<{ port: number; server: Server; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    onSocket(socket);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  return {
    port,
    server,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** An echo server: every byte comes back. */
export const echoServer = () => tcpServer((socket) => socket.pipe(socket));

/** A connected client socket, with errors recorded instead of thrown. */
export async function tcpClient(
  port: number,
): Promise<Socket & { errors: NodeJS.ErrnoException[] }> {
  const socket = connect({ port, host: '127.0.0.1', noDelay: true }) as Socket & {
    errors: NodeJS.ErrnoException[];
  };
  socket.errors = [];
  socket.on('error', (error: NodeJS.ErrnoException) => socket.errors.push(error));
  // Settles on connect or on close (a refused connection): errors are recorded, not thrown.
  await new Promise<void>((resolve) => {
    socket.once('connect', () => resolve());
    socket.once('close', () => resolve());
  });
  return socket;
}

/** Collects what a socket receives until `bytes` have arrived or it closes, within timeoutMs. */
export function receive(
  socket: Socket,
  bytes: number,
  timeoutMs = 5_000,
): Promise<{ data: Buffer; chunks: number; closed: boolean }> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let size = 0;
    const finish = (closed: boolean) => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
      resolve({ data: Buffer.concat(parts), chunks: parts.length, closed });
    };
    const onData = (chunk: Buffer) => {
      parts.push(chunk);
      size += chunk.length;
      if (size >= bytes) finish(false);
    };
    const onClose = () => finish(true);
    const timer = setTimeout(() => finish(socket.destroyed), timeoutMs);
    socket.on('data', onData);
    socket.once('close', onClose);
  });
}

/** Resolves when the socket closes, with how long that took; rejects after timeoutMs. */
export async function closedWithin(socket: Socket, timeoutMs: number): Promise<number> {
  const started = performance.now();
  if (socket.destroyed) return 0;
  // Unread data would hold the close back: drain it.
  socket.resume();
  // Not events.once: it would reject on the 'error' (ECONNRESET) that precedes a reset's close.
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`socket still open after ${timeoutMs} ms`)),
      timeoutMs,
    );
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return performance.now() - started;
}

/**
 * Sends `payload` to a "host:port" echo (through a proxy, typically) and
 * resolves with what came back; rejects on a refused or broken connection.
 * It closes only once the echo is complete.
 */
export async function echoRoundTrip(
  listen: string,
  payload = 'ping',
  timeoutMs = 5_000,
): Promise<string> {
  const index = listen.lastIndexOf(':');
  const socket = connect(Number(listen.slice(index + 1)), listen.slice(0, index));
  socket.setTimeout(timeoutMs, () => socket.destroy(new Error('echo round trip hung')));
  socket.write(payload);
  let received = '';
  for await (const chunk of socket) {
    received += String(chunk);
    if (received.length >= payload.length) socket.end();
  }
  return received;
}
