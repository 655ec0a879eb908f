import type { Alert, AlertSeverity } from '../model.js';
import { alertFacts, capFacts, isoTime, truncate } from './facts.js';
import { JsonPoster, parseWebhookUrl } from './http.js';
import type { Notifier } from './notifier.js';

/** Options of a Slack incoming-webhook notifier. */
export interface SlackNotifierOptions {
  /** The incoming-webhook URL (https://hooks.slack.com/services/…); http or https. */
  url: string;
  /** Default "slack". */
  name?: string;
}

/** Slack's Block Kit limits (api.slack.com, "Blocks" reference). */
export const SLACK_LIMITS = {
  headerChars: 150,
  sectionChars: 3000,
  fields: 10,
  fieldChars: 2000,
  contextElements: 10,
} as const;

/** A text object of Block Kit. */
export interface SlackText {
  type: 'plain_text' | 'mrkdwn';
  text: string;
}

/** The blocks an alert is drawn with. */
export type SlackBlock =
  | { type: 'header'; text: SlackText & { type: 'plain_text' } }
  | { type: 'section'; text: SlackText & { type: 'mrkdwn' } }
  | { type: 'section'; fields: Array<SlackText & { type: 'mrkdwn' }> }
  | { type: 'context'; elements: Array<SlackText & { type: 'mrkdwn' }> };

/** The JSON body of a Slack incoming-webhook call. */
export interface SlackPayload {
  /** Shown in notifications and by clients that cannot draw blocks. */
  text: string;
  blocks: SlackBlock[];
}

const SEVERITY_EMOJI: Readonly<Record<AlertSeverity, string>> = {
  info: ':information_source:',
  warning: ':warning:',
  critical: ':rotating_light:',
};

/** A notifier that posts each alert as one Block Kit message. */
export function slackNotifier(options: SlackNotifierOptions): Notifier {
  const poster = new JsonPoster({ url: parseWebhookUrl(options.url) });
  return {
    name: options.name ?? 'slack',
    kind: 'slack',
    send: (alert, signal) => poster.post(slackPayload(alert), signal),
    close: () => poster.close(),
  };
}

/**
 * The alert as a Slack message: header (title), section (message), section
 * of fields (≤ 10), context (severity, time, key). Text is cut to Slack's
 * limits, since Slack refuses the whole message when one block is too long.
 */
export function slackPayload(alert: Alert): SlackPayload {
  const severity = alert.severity.toUpperCase();
  const title = alert.title || alert.key;
  const fields = capFacts(alertFacts(alert), SLACK_LIMITS.fields).map((fact) => ({
    type: 'mrkdwn' as const,
    text: truncate(
      `*${escapeMrkdwn(fact.name)}*\n${escapeMrkdwn(fact.value)}`,
      SLACK_LIMITS.fieldChars,
    ),
  }));
  const unixS = Math.floor(Date.parse(isoTime(alert.at)) / 1000);
  return {
    text: truncate(
      `[${severity}] ${escapeMrkdwn(title)}: ${escapeMrkdwn(alert.message)}`,
      SLACK_LIMITS.sectionChars,
    ),
    blocks: [
      {
        type: 'header',
        text: { type: 'plain_text', text: truncate(title, SLACK_LIMITS.headerChars) },
      },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: truncate(escapeMrkdwn(alert.message) || '-', SLACK_LIMITS.sectionChars),
        },
      },
      { type: 'section', fields },
      {
        type: 'context',
        elements: [
          { type: 'mrkdwn', text: `${SEVERITY_EMOJI[alert.severity]} *${severity}*` },
          // Slack renders the date in each reader's time zone; the ISO text is the fallback.
          {
            type: 'mrkdwn',
            text: `<!date^${unixS}^{date_short_pretty} {time_secs}|${isoTime(alert.at)}>`,
          },
          {
            type: 'mrkdwn',
            text: truncate(`key ${escapeMrkdwn(alert.key)}`, SLACK_LIMITS.fieldChars),
          },
        ],
      },
    ],
  };
}

/** Slack's three control characters in mrkdwn; anything else is shown as written. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
