import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProxyClient } from '../../src/proxy/index.js';
import { runCli, startCli } from '../support/cli.js';
import { echoRoundTrip } from '../support/tcp-harness.js';

/** `n1v1 proxy` as a user runs it: the built CLI in a child process. */

const HANG_GUARD_MS = 5_000;

let dir: string;
let echo: Server;
let upstream: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'n1v1-proxy-cli-'));
  echo = createServer((socket) => socket.pipe(socket));
  echo.listen(0, '127.0.0.1');
  await once(echo, 'listening');
  upstream = `127.0.0.1:${(echo.address() as { port: number }).port}`;
});
afterAll(async () => {
  echo.close();
  await rm(dir, { recursive: true, force: true });
});

async function writeConfig(name: string, content: unknown): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('n1v1 proxy', () => {
  it('is listed in the help', async () => {
    const result = await runCli(['--help']);
    expect(result.stdout).toMatch(/proxy/);
    const own = await runCli(['proxy', '--help']);
    expect(own.code).toBe(0);
    expect(own.stdout).toMatch(/--allow-remote/);
    expect(own.stdout).toMatch(/latency/);
  });

  it('populates from --config, serves the API with a token, and reverts on SIGTERM', async () => {
    const config = await writeConfig('proxies.json', [
      {
        name: 'exchange',
        listen: '127.0.0.1:0',
        upstream,
        toxics: [{ type: 'latency', attributes: { latency: 5 } }],
      },
    ]);
    const { child, firstLine } = await startCli([
      'proxy',
      '--port',
      '0',
      '--token',
      'tok',
      '--config',
      config,
    ]);
    let listen = '';
    try {
      expect(firstLine).toMatch(/^listening http:\/\/127\.0\.0\.1:\d+$/);
      const client = new ProxyClient(firstLine.split(' ')[1]!, { token: 'tok' });
      const proxy = await client.getProxy('exchange', AbortSignal.timeout(HANG_GUARD_MS));
      listen = proxy.listen;
      expect(proxy.toxics).toEqual([expect.objectContaining({ name: 'latency_downstream' })]);
      expect(await echoRoundTrip(listen)).toBe('ping');
      await expect(new ProxyClient(firstLine.split(' ')[1]!).proxies()).rejects.toMatchObject({
        status: 401,
      });
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    await expect(echoRoundTrip(listen)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('exits 0 on SIGINT too', async () => {
    const { child, firstLine } = await startCli(['proxy', '--port', '0']);
    expect(firstLine).toMatch(/^listening /);
    child.kill('SIGINT');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });

  it.each([
    ['a missing file', () => join(dir, 'absent.json'), /cannot read the file \(ENOENT\)/],
    ['malformed JSON', () => writeConfig('bad.json', '[{'), /not valid JSON/],
    ['an object', () => writeConfig('object.json', { proxies: [] }), /JSON array/],
    ['a bad proxy', () => writeConfig('noup.json', [{ name: 'x' }]), /missing field upstream/],
    [
      'an unknown toxic',
      () => writeConfig('toxic.json', [{ name: 'x', upstream, toxics: [{ type: 'nope' }] }]),
      /unknown toxic type/,
    ],
  ])('refuses --config with %s: exit 2 and a clear message', async (_, file, message) => {
    const result = await runCli(['proxy', '--port', '0', '--config', await file()]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });

  it('refuses a non-loopback host without --allow-remote, and a bad port', async () => {
    const remote = await runCli(['proxy', '--host', '0.0.0.0', '--port', '0']);
    expect(remote.code).toBe(2);
    expect(remote.stderr).toMatch(/non-loopback.*--allow-remote/);
    const port = await runCli(['proxy', '--port', '70000']);
    expect(port.code).toBe(2);
    expect(port.stderr).toMatch(/expected 0\.\.65535/);
  });

  it('refuses a busy port with exit 2', async () => {
    const busy = (echo.address() as { port: number }).port;
    const result = await runCli(['proxy', '--port', String(busy)]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/cannot listen on 127\.0\.0\.1:\d+ \(EADDRINUSE\)/);
  });
});
