import { once } from 'node:events';
import { connect, createServer, type Server } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProxyServer, toxicTypes, type ProxyServer } from '../../src/proxy/index.js';

/**
 * Thousands of random, malformed and hostile admin requests: every answer is
 * a success shape or a JSON `{error, status}` below 500, and the server still
 * answers correctly afterwards. Listen addresses are drawn from a loopback
 * list, so no request binds beyond 127.0.0.1 or looks a name up.
 */

const HANG_GUARD_MS = 5_000;

let server: ProxyServer;
let echo: Server;
let upstream: string;
const internalErrors: unknown[] = [];

beforeAll(async () => {
  echo = createServer((socket) => socket.pipe(socket));
  echo.listen(0, '127.0.0.1');
  await once(echo, 'listening');
  upstream = `127.0.0.1:${(echo.address() as { port: number }).port}`;
  server = await createProxyServer({
    port: 0,
    onInternalError: (error) => internalErrors.push(error),
  });
});
afterAll(async () => {
  await server.close();
  echo.close();
});

const NAMES = [
  'p',
  'q',
  'latency_downstream',
  'a.b:c-d_e',
  '',
  '..',
  '%2F',
  '%00',
  'é',
  'x'.repeat(300),
];
/** Mostly names that exist or could, so requests get past the 404s; the rest hostile. */
const name = fc.oneof(
  { arbitrary: fc.constantFrom('p', 'q', 'r', 't1', 'latency_downstream'), weight: 3 },
  { arbitrary: fc.constantFrom(...NAMES), weight: 1 },
  { arbitrary: fc.string({ maxLength: 12 }), weight: 1 },
);
const segment = name.map((text) => encodeURIComponent(text));
const path = fc.oneof(
  fc.constantFrom('/version', '/metrics', '/reset', '/populate', '/proxies', '/', '/proxies/'),
  segment.map((p) => `/proxies/${p}`),
  segment.map((p) => `/proxies/${p}/toxics`),
  segment.map((p) => `/proxies/${p}/stats`),
  fc.tuple(segment, segment).map(([p, t]) => `/proxies/${p}/toxics/${t}`),
  fc.array(segment, { maxLength: 5 }).map((parts) => `/${parts.join('/')}`),
);
const method = fc.oneof(
  { arbitrary: fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE'), weight: 4 },
  { arbitrary: fc.constantFrom('PUT', 'OPTIONS', 'HEAD'), weight: 1 },
);

const LISTEN = ['127.0.0.1:0', 'localhost:0', '[::1]:0', '127.0.0.1:99999', 'nope', '', ':0', 7];
const ATTRIBUTES = ['latency', 'jitter', 'rate', 'delay', 'timeout', 'bytes', 'average_size'];
const scalar = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.string());
const plausibleToxic = fc.record(
  {
    type: fc.constantFrom(...toxicTypes()),
    name: fc.constantFrom('t1', 't2'),
    stream: fc.constantFrom('upstream', 'downstream'),
    toxicity: fc.double({ min: 0, max: 1, noNaN: true }),
    attributes: fc.dictionary(fc.constantFrom(...ATTRIBUTES), fc.integer({ min: 0, max: 500 })),
  },
  { requiredKeys: ['type'] },
);
const hostileToxic = fc.record(
  {
    type: fc.oneof(fc.constantFrom(...toxicTypes(), 'nope', ''), scalar),
    name: fc.oneof(name, scalar),
    stream: fc.oneof(fc.constantFrom('upstream', 'downstream', 'both'), scalar),
    toxicity: fc.oneof(fc.double({ min: -1, max: 2 }), scalar),
    attributes: fc.oneof(fc.dictionary(fc.string({ maxLength: 15 }), scalar), scalar),
    match: fc.oneof(fc.record({ method: scalar, path: scalar }, { requiredKeys: [] }), scalar),
  },
  { requiredKeys: [] },
);
const toxicBody = fc.oneof(plausibleToxic, hostileToxic);
const plausibleProxy = fc.record(
  {
    name: fc.constantFrom('p', 'q', 'r'),
    upstream: fc.constant('127.0.0.1:1'),
    listen: fc.constant('127.0.0.1:0'),
    enabled: fc.boolean(),
    mode: fc.constantFrom('tcp', 'http'),
    toxics: fc.array(plausibleToxic, { maxLength: 2 }),
  },
  { requiredKeys: ['name', 'upstream'] },
);
const hostileProxy = fc.record(
  {
    name: fc.oneof(name, scalar),
    upstream: fc.oneof(fc.constantFrom('127.0.0.1:1', '127.0.0.1:0', 'x'), scalar),
    listen: fc.constantFrom(...LISTEN),
    enabled: fc.oneof(fc.boolean(), scalar),
    mode: fc.oneof(fc.constantFrom('tcp', 'http', 'udp'), scalar),
    toxics: fc.oneof(fc.array(toxicBody, { maxLength: 3 }), scalar),
  },
  { requiredKeys: [] },
);
const proxyBody = fc.oneof(plausibleProxy, hostileProxy);
const body = fc.oneof(
  fc.constant(undefined),
  toxicBody.map((value) => JSON.stringify(value)),
  proxyBody.map((value) => JSON.stringify(value)),
  fc.array(proxyBody, { maxLength: 3 }).map((value) => JSON.stringify(value)),
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc.string({ maxLength: 64 }),
  fc.constantFrom('{', '[', '{"a":', 'null', '""', '[[[]]]', '\u0000', '{"__proto__":{"x":1}}'),
);

const json = (arbitrary: fc.Arbitrary<unknown>) => arbitrary.map((value) => JSON.stringify(value));
const update = fc.constantFrom('POST', 'PATCH');
/** Requests aimed at one handler each, so most get past the router and the 404s. */
const aimed = fc.oneof(
  fc.tuple(fc.constant('POST'), fc.constant('/proxies'), json(proxyBody)),
  fc.tuple(
    fc.constant('POST'),
    fc.constant('/populate'),
    json(fc.array(proxyBody, { maxLength: 3 })),
  ),
  fc.tuple(
    update,
    segment.map((p) => `/proxies/${p}`),
    json(proxyBody),
  ),
  fc.tuple(
    fc.constant('POST'),
    segment.map((p) => `/proxies/${p}/toxics`),
    json(toxicBody),
  ),
  fc.tuple(
    update,
    fc.tuple(segment, segment).map(([p, t]) => `/proxies/${p}/toxics/${t}`),
    json(toxicBody),
  ),
  fc.tuple(fc.constantFrom('GET', 'DELETE'), path, fc.constant(undefined)),
);
const request = fc.oneof(aimed, fc.tuple(method, path, body));

async function send(m: string, p: string, b: string | undefined): Promise<Response> {
  return fetch(server.url + p, {
    method: m,
    ...(b !== undefined && m !== 'GET' && m !== 'HEAD' && { body: b }),
    signal: AbortSignal.timeout(HANG_GUARD_MS),
  });
}

async function expectWellFormed(m: string, response: Response): Promise<void> {
  const text = await response.text();
  expect(response.status, text).toBeLessThan(500);
  if (m === 'HEAD' || response.status === 204) return;
  if (response.headers.get('content-type')?.startsWith('text/plain')) return; // /metrics
  const parsed = JSON.parse(text) as unknown;
  if (response.status >= 400) {
    expect(parsed).toEqual({ error: expect.any(String), status: response.status });
  } else {
    expect(typeof parsed).toBe('object');
  }
}

async function expectAlive(): Promise<void> {
  const version = await send('GET', '/version', undefined);
  expect(version.status).toBe(200);
  const created = await send('POST', '/proxies', JSON.stringify({ name: 'alive', upstream }));
  expect(created.status).toBe(201);
  expect((await send('DELETE', '/proxies/alive', undefined)).status).toBe(204);
}

async function clear(): Promise<void> {
  for (const proxy of [...server.proxies.keys()]) {
    await send('DELETE', `/proxies/${encodeURIComponent(proxy)}`, undefined);
  }
}

describe('admin API under random and hostile requests', () => {
  it('answers every request well-formed and below 500', async () => {
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(request, async ([m, p, b]) => {
        // Keep a proxy with a toxic around, so toxic routes get past their 404s.
        if (!server.proxies.has('p')) {
          await server.populate([
            { name: 'p', upstream, toxics: [{ type: 'latency', name: 't1' }] },
          ]);
        }
        const response = await send(m, p, b);
        statuses.add(response.status);
        await expectWellFormed(m, response);
      }),
      { numRuns: 3_000 },
    );
    // The mix reached the handlers, not only the router.
    expect([...statuses]).toEqual(expect.arrayContaining([200, 201, 204, 400, 404, 405, 409]));
    expect(internalErrors).toEqual([]);
    await clear();
    await expectAlive();
  });

  it('refuses huge and broken-up bodies without harm', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/proxies', '/populate', '/proxies/p/toxics', '/proxies/p'),
        fc.integer({ min: 1024 * 1024 + 1, max: 3 * 1024 * 1024 }),
        async (p, size) => {
          const response = await send('POST', p, `{"name":"${'x'.repeat(size)}"}`);
          expect(response.status).toBe(413);
          await expectWellFormed('POST', response);
        },
      ),
      { numRuns: 15 },
    );
    await expectAlive();
  });

  it('answers raw malformed HTTP with JSON 400 or closes, and keeps serving', async () => {
    const line = fc.string({ unit: 'binary-ascii', maxLength: 80 });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          line,
          method.map((m) => `${m} `),
        ),
        line,
        async (head, rest) => {
          const answer = await raw(`${head}${rest}\r\nHost: x\r\nConnection: close\r\n\r\n`);
          const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);
          // 0: the connection closed without an answer, which is allowed for garbage.
          expect(status === 0 || (status >= 200 && status < 500), answer).toBe(true);
          // A HEAD answer never has a body (RFC 9110 §9.3.2), errors included.
          const isHead = `${head}${rest}`.startsWith('HEAD ');
          if (status >= 400 && !isHead) expect(answer).toMatch(/\{"error":".*","status":\d{3}\}/);
        },
      ),
      { numRuns: 300 },
    );
    await clear();
    await expectAlive();
  });
});

/** Writes raw bytes to the admin port and resolves with whatever comes back before close. */
async function raw(request: string): Promise<string> {
  const socket = connect(Number(new URL(server.url).port), '127.0.0.1');
  socket.setTimeout(HANG_GUARD_MS, () => socket.destroy());
  socket.on('error', () => undefined);
  socket.end(request, 'latin1');
  let answer = '';
  try {
    for await (const chunk of socket) answer += String(chunk);
  } catch {
    // A reset after garbage is an acceptable end.
  }
  return answer;
}
