import { afterEach, describe, expect, it } from 'vitest';
import type { Alert } from '../model.js';
import { retryAfterMs } from './http.js';
import { genericNotifier, NotifierError, type Notifier } from './index.js';
import {
  deadPort,
  startRecorder,
  type WebhookRecorder,
} from '../../../tests/support/webhook-recorder.js';

const ALERT: Alert = {
  key: 'k',
  severity: 'warning',
  title: 't',
  message: 'm',
  componentId: 'c',
  failureType: 'connectivity',
  confidence: 0.5,
  at: 0,
};

const recorders: WebhookRecorder[] = [];
const notifiers: Notifier[] = [];
afterEach(async () => {
  await Promise.all(notifiers.splice(0).map((notifier) => notifier.close?.()));
  await Promise.all(recorders.splice(0).map((recorder) => recorder.close()));
});

async function notifierFor(
  url?: string,
): Promise<{ notifier: Notifier; recorder?: WebhookRecorder }> {
  const recorder = url ? undefined : await startRecorder();
  if (recorder) recorders.push(recorder);
  const notifier = genericNotifier({ url: url ?? recorder!.url });
  notifiers.push(notifier);
  return { notifier, recorder };
}

/** The NotifierError one send fails with. */
async function failure(
  notifier: Notifier,
  signal = AbortSignal.timeout(5000),
): Promise<NotifierError> {
  const error: unknown = await notifier.send(ALERT, signal).then(
    () => new Error('expected the send to fail'),
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(NotifierError);
  return error as NotifierError;
}

describe('http notifier errors', () => {
  it('classifies answers by status', { timeout: 10_000 }, async () => {
    const { notifier, recorder } = await notifierFor();
    recorder!.script(
      { status: 500, body: 'boom' },
      { status: 503 },
      { status: 429, headers: { 'retry-after': '2' } },
      { status: 400, body: 'bad embed' },
      { status: 404 },
      { status: 200 },
    );
    expect(await failure(notifier)).toMatchObject({ code: 'SERVER', status: 500, retryable: true });
    expect(await failure(notifier)).toMatchObject({ code: 'SERVER', status: 503, retryable: true });
    expect(await failure(notifier)).toMatchObject({
      code: 'RATE_LIMITED',
      status: 429,
      retryable: true,
      retryAfterMs: 2000,
    });
    const rejected = await failure(notifier);
    expect(rejected).toMatchObject({ code: 'REJECTED', status: 400, retryable: false });
    expect(rejected.message).toBe('endpoint answered 400: bad embed');
    expect(await failure(notifier)).toMatchObject({
      code: 'REJECTED',
      status: 404,
      retryable: false,
    });
    await expect(notifier.send(ALERT, AbortSignal.timeout(5000))).resolves.toBeUndefined();
  });

  it('reports a refused connection as a retryable network error', { timeout: 10_000 }, async () => {
    const { notifier } = await notifierFor(`http://127.0.0.1:${await deadPort()}/hook`);
    const error = await failure(notifier);
    expect(error).toMatchObject({ code: 'NETWORK', retryable: true, status: undefined });
    expect(error.message).toMatch(/ECONNREFUSED/);
  });

  it('tells a timeout from an abort', { timeout: 10_000 }, async () => {
    const { notifier, recorder } = await notifierFor();
    recorder!.script('hang');
    expect(await failure(notifier, AbortSignal.timeout(50))).toMatchObject({
      code: 'TIMEOUT',
      retryable: true,
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50).unref();
    expect(await failure(notifier, controller.signal)).toMatchObject({
      code: 'ABORTED',
      retryable: false,
    });
  });
});

describe('retryAfterMs', () => {
  it('reads seconds, an HTTP date, or Discord’s retry_after', () => {
    const nowMs = Date.UTC(2025, 0, 1);
    expect(retryAfterMs({ 'retry-after': '3' }, '', nowMs)).toBe(3000);
    expect(retryAfterMs({ 'retry-after': '0.5' }, '', nowMs)).toBe(500);
    expect(retryAfterMs({ 'retry-after': new Date(nowMs + 7000).toUTCString() }, '', nowMs)).toBe(
      7000,
    );
    expect(retryAfterMs({}, '{"retry_after":1.25,"global":false}', nowMs)).toBe(1250);
    expect(retryAfterMs({ 'retry-after': '-5' }, '', nowMs)).toBe(0);
    expect(retryAfterMs({ 'retry-after': 'soon' }, 'not json', nowMs)).toBeUndefined();
    expect(retryAfterMs({}, 'null', nowMs)).toBeUndefined();
  });
});
