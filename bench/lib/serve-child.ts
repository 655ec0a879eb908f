import type { AddressInfo, Server, Socket } from 'node:net';

const HOST = '127.0.0.1';

/**
 * The start-up contract of every benchmark child server: listen on loopback
 * port 0, print `listening http://HOST:PORT` as the first stdout line, and on
 * SIGTERM or SIGINT close, drop open connections and exit 0. Connections are
 * tracked here so a keep-alive client cannot hold the exit back.
 */
export function serveUntilSignal(server: Server): void {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.listen(0, HOST, () => {
    const { port } = server.address() as AddressInfo;
    console.log(`listening http://${HOST}:${port}`);
  });
  const stop = (): void => {
    server.close(() => process.exit(0));
    for (const socket of sockets) socket.destroy();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
