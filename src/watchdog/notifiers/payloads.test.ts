import { afterEach, describe, expect, it } from 'vitest';
import type { Alert } from '../model.js';
import {
  createNotifier,
  discordNotifier,
  discordPayload,
  DISCORD_COLORS,
  genericNotifier,
  genericPayload,
  NotifierError,
  slackNotifier,
  slackPayload,
  type Notifier,
} from './index.js';
import { startRecorder, type WebhookRecorder } from '../../../tests/support/webhook-recorder.js';

const AT_MS = Date.UTC(2025, 0, 2, 3, 4, 5, 678);
const ISO = '2025-01-02T03:04:05.678Z';

function alert(overrides: Partial<Alert> = {}): Alert {
  return {
    key: 'exchange:connectivity',
    severity: 'critical',
    title: 'Exchange unreachable',
    message: 'No heartbeat for 12 s',
    componentId: 'exchange',
    failureType: 'chaos_network_partition',
    confidence: 0.874,
    at: AT_MS,
    chaosScenario: 'network_partition',
    fields: { 'Breaker state': 'open' },
    ...overrides,
  };
}

const recorders: WebhookRecorder[] = [];
const notifiers: Notifier[] = [];
afterEach(async () => {
  await Promise.all(notifiers.splice(0).map((notifier) => notifier.close?.()));
  await Promise.all(recorders.splice(0).map((recorder) => recorder.close()));
});

/** Sends one alert through a real socket and returns what the endpoint received. */
async function deliver(make: (url: string) => Notifier, sent: Alert) {
  const recorder = await startRecorder();
  recorders.push(recorder);
  const notifier = make(recorder.url);
  notifiers.push(notifier);
  await notifier.send(sent, AbortSignal.timeout(5000));
  expect(recorder.requests).toHaveLength(1);
  const request = recorder.requests[0]!;
  expect(request.method).toBe('POST');
  expect(request.path).toBe('/hook/secret-token');
  expect(request.headers['content-type']).toBe('application/json');
  return request;
}

describe('discord payload', () => {
  it('is one embed with every fact, over a real socket', { timeout: 10_000 }, async () => {
    const request = await deliver((url) => discordNotifier({ url, username: 'Chaos' }), alert());
    expect(request.json).toEqual({
      username: 'Chaos',
      embeds: [
        {
          title: 'Exchange unreachable',
          description: 'No heartbeat for 12 s',
          color: 0xe74c3c,
          timestamp: ISO,
          fields: [
            { name: 'Component', value: 'exchange', inline: true },
            { name: 'Failure type', value: 'chaos_network_partition', inline: true },
            { name: 'Confidence', value: '87%', inline: true },
            { name: 'Chaos scenario', value: 'network_partition', inline: true },
            { name: 'Breaker state', value: 'open', inline: true },
          ],
        },
      ],
    });
  });

  it('colours by severity and leaves out an unset scenario', () => {
    expect(DISCORD_COLORS).toEqual({ info: 0x3498db, warning: 0xf39c12, critical: 0xe74c3c });
    for (const severity of ['info', 'warning', 'critical'] as const) {
      const embed = discordPayload(alert({ severity }), 'u').embeds[0]!;
      expect(embed.color).toBe(DISCORD_COLORS[severity]);
    }
    const embed = discordPayload(alert({ chaosScenario: undefined, fields: undefined }), 'u')
      .embeds[0]!;
    expect(embed.fields.map((field) => field.name)).toEqual([
      'Component',
      'Failure type',
      'Confidence',
    ]);
  });

  it('truncates to Discord limits instead of failing', () => {
    const fields = Object.fromEntries(
      Array.from({ length: 30 }, (_, i) => [`f${i}`, i === 0 ? 'v'.repeat(2000) : ''] as const),
    );
    const payload = discordPayload(
      alert({ title: 't'.repeat(300), message: 'm'.repeat(5000), fields }),
      'u',
    );
    const embed = payload.embeds[0]!;
    expect(embed.title).toHaveLength(256);
    expect(embed.title.endsWith('…')).toBe(true);
    expect(embed.fields).toHaveLength(25);
    expect(embed.fields[4]).toEqual({ name: 'f0', value: `${'v'.repeat(1023)}…`, inline: false });
    expect(embed.fields[5]).toEqual({ name: 'f1', value: '-', inline: true });
    expect(embed.fields[24]).toEqual({
      name: 'More',
      value: '10 more fields not shown',
      inline: true,
    });
    expect(embed.description.length).toBeLessThanOrEqual(4096);
    expect(embed.description.endsWith('…')).toBe(true);
    const total =
      embed.title.length +
      embed.description.length +
      embed.fields.reduce((sum, field) => sum + field.name.length + field.value.length, 0);
    expect(total).toBeLessThanOrEqual(6000);
  });

  it('keeps the whole message within 6000 chars when every field is long', () => {
    const fields = Object.fromEntries(
      Array.from({ length: 30 }, (_, i) => [`f${i}`, 'x'.repeat(1500)] as const),
    );
    const embed = discordPayload(alert({ message: 'm'.repeat(5000), fields }), 'u').embeds[0]!;
    const total =
      embed.title.length +
      embed.description.length +
      embed.fields.reduce((sum, field) => sum + field.name.length + field.value.length, 0);
    expect(total).toBeLessThanOrEqual(6000);
    expect(embed.description.length).toBeGreaterThanOrEqual(500);
    expect(embed.fields.at(-1)?.name).toBe('More');
  });

  it('never cuts an emoji in half', () => {
    const title = `${'a'.repeat(254)}😀😀`;
    const embed = discordPayload(alert({ title }), 'u').embeds[0]!;
    expect(embed.title).toBe(`${'a'.repeat(254)}…`);
  });
});

describe('slack payload', () => {
  it(
    'is header, message, fields and context blocks, over a real socket',
    { timeout: 10_000 },
    async () => {
      const request = await deliver((url) => slackNotifier({ url }), alert());
      expect(request.json).toEqual({
        text: '[CRITICAL] Exchange unreachable: No heartbeat for 12 s',
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: 'Exchange unreachable' } },
          { type: 'section', text: { type: 'mrkdwn', text: 'No heartbeat for 12 s' } },
          {
            type: 'section',
            fields: [
              { type: 'mrkdwn', text: '*Component*\nexchange' },
              { type: 'mrkdwn', text: '*Failure type*\nchaos_network_partition' },
              { type: 'mrkdwn', text: '*Confidence*\n87%' },
              { type: 'mrkdwn', text: '*Chaos scenario*\nnetwork_partition' },
              { type: 'mrkdwn', text: '*Breaker state*\nopen' },
            ],
          },
          {
            type: 'context',
            elements: [
              { type: 'mrkdwn', text: ':rotating_light: *CRITICAL*' },
              {
                type: 'mrkdwn',
                text: `<!date^${Math.floor(AT_MS / 1000)}^{date_short_pretty} {time_secs}|${ISO}>`,
              },
              { type: 'mrkdwn', text: 'key exchange:connectivity' },
            ],
          },
        ],
      });
    },
  );

  it('escapes mrkdwn, keeps ≤ 10 fields and cuts long text', () => {
    const fields = Object.fromEntries(
      Array.from({ length: 12 }, (_, i) => [`f${i}`, 'v'] as const),
    );
    const payload = slackPayload(
      alert({ title: 'h'.repeat(200), message: `<@here> & ${'m'.repeat(4000)}`, fields }),
    );
    const [header, section, facts] = payload.blocks;
    expect(header).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: `${'h'.repeat(149)}…` },
    });
    expect(section?.type === 'section' && 'text' in section && section.text.text).toMatch(
      /^&lt;@here&gt; &amp; m+…$/,
    );
    expect(facts?.type === 'section' && 'fields' in facts && facts.fields).toHaveLength(10);
    expect(payload.text.length).toBeLessThanOrEqual(3000);
    expect(slackPayload(alert({ severity: 'warning' })).text).toMatch(/^\[WARNING\] /);
  });
});

describe('generic payload', () => {
  it(
    'is the alert as is, with an ISO timestamp, and sends the extra headers',
    { timeout: 10_000 },
    async () => {
      const sent = alert();
      const request = await deliver(
        (url) => genericNotifier({ url, headers: { authorization: 'Bearer t' } }),
        sent,
      );
      expect(request.json).toEqual({ alert: { ...sent, timestamp: ISO } });
      expect(request.headers.authorization).toBe('Bearer t');
      expect(genericPayload(sent).alert.at).toBe(AT_MS);
    },
  );
});

describe('createNotifier', () => {
  it('builds each kind with its name', () => {
    for (const kind of ['discord', 'slack', 'generic'] as const) {
      const notifier = createNotifier({ kind, url: 'https://example.invalid/hook' });
      expect(notifier).toMatchObject({ kind, name: kind });
      notifiers.push(notifier);
    }
  });

  it('refuses non-http URLs and unknown kinds with a clear error that hides the token', () => {
    const attempt = (config: Parameters<typeof createNotifier>[0]) => {
      try {
        createNotifier(config);
      } catch (error) {
        return error as NotifierError;
      }
      throw new Error('expected a NotifierError');
    };
    const ftp = attempt({ kind: 'discord', url: 'ftp://host/api/webhooks/1/sekrit' });
    expect(ftp).toBeInstanceOf(NotifierError);
    expect(ftp).toMatchObject({ code: 'INVALID_CONFIG', retryable: false });
    expect(ftp.message).toBe('notifier url must be http or https, not ftp');
    const garbage = attempt({ kind: 'slack', url: 'not a url sekrit' });
    expect(garbage.message).toBe('notifier url is not a valid absolute URL');
    expect(`${ftp.message}${garbage.message}`).not.toContain('sekrit');
    const kind = attempt({ kind: 'teams' as 'slack', url: 'https://x.invalid' });
    expect(kind.message).toMatch(/unknown notifier kind "teams"/);
  });
});
