import type { Alert, AlertSeverity } from '../model.js';
import { alertFacts, capFacts, isoTime, truncate, type Fact } from './facts.js';
import { JsonPoster, parseWebhookUrl } from './http.js';
import type { Notifier } from './notifier.js';

/** Options of a Discord webhook notifier. */
export interface DiscordNotifierOptions {
  /** The webhook URL (https://discord.com/api/webhooks/…); http or https. */
  url: string;
  /** Display name of the webhook's messages (≤ 80 chars). Default "N1V1 Chaos Watchdog". */
  username?: string;
  /** Default "discord". */
  name?: string;
}

/** Discord's documented embed limits (developer docs, "Embed Limits"). */
export const DISCORD_LIMITS = {
  usernameChars: 80,
  titleChars: 256,
  descriptionChars: 4096,
  fields: 25,
  fieldNameChars: 256,
  fieldValueChars: 1024,
  /** All titles, descriptions, field names and values of a message together. */
  totalChars: 6000,
} as const;

/** Embed colour per severity: blue, amber, red. */
export const DISCORD_COLORS: Readonly<Record<AlertSeverity, number>> = {
  info: 0x3498db,
  warning: 0xf39c12,
  critical: 0xe74c3c,
};

/** One embed field as Discord takes it. */
export interface DiscordField {
  name: string;
  value: string;
  inline: boolean;
}

/** The JSON body of a Discord webhook call. */
export interface DiscordPayload {
  username: string;
  embeds: Array<{
    title: string;
    description: string;
    color: number;
    timestamp: string;
    fields: DiscordField[];
  }>;
}

/** A notifier that posts each alert as one Discord embed. */
export function discordNotifier(options: DiscordNotifierOptions): Notifier {
  const poster = new JsonPoster({ url: parseWebhookUrl(options.url) });
  const username = truncate(
    options.username ?? 'N1V1 Chaos Watchdog',
    DISCORD_LIMITS.usernameChars,
  );
  return {
    name: options.name ?? 'discord',
    kind: 'discord',
    send: (alert, signal) => poster.post(discordPayload(alert, username), signal),
    close: () => poster.close(),
  };
}

/**
 * The alert in Discord's webhook shape. Long text is cut to Discord's limits
 * rather than failing: a 400 for a long stack trace would lose the alert.
 */
export function discordPayload(alert: Alert, username: string): DiscordPayload {
  const title = truncate(alert.title || alert.key, DISCORD_LIMITS.titleChars);
  const facts = alertFacts(alert);
  // Fewer fields until title and fields leave room for some description under the total limit.
  let maxFields: number = DISCORD_LIMITS.fields;
  let fields = discordFields(facts, maxFields);
  while (maxFields > 1 && title.length + charsOf(fields) > FIELDS_BUDGET) {
    maxFields -= 1;
    fields = discordFields(facts, maxFields);
  }
  const descriptionBudget = DISCORD_LIMITS.totalChars - title.length - charsOf(fields);
  const description = truncate(
    alert.message || '-',
    Math.min(DISCORD_LIMITS.descriptionChars, descriptionBudget),
  );
  const embed = {
    title,
    description,
    color: DISCORD_COLORS[alert.severity],
    timestamp: isoTime(alert.at),
    fields,
  };
  return { username, embeds: [embed] };
}

/** Room for titles and fields in a message, leaving the description at least 500 chars. */
const FIELDS_BUDGET = DISCORD_LIMITS.totalChars - 500;

function discordFields(facts: readonly Fact[], maxFields: number): DiscordField[] {
  return capFacts(facts, maxFields).map((fact) => ({
    name: truncate(fact.name || '-', DISCORD_LIMITS.fieldNameChars),
    // Discord refuses empty field values.
    value: truncate(fact.value || '-', DISCORD_LIMITS.fieldValueChars),
    inline: fact.value.length <= INLINE_MAX_CHARS,
  }));
}

/** Short values sit side by side; long ones get a row of their own. */
const INLINE_MAX_CHARS = 40;

function charsOf(fields: readonly DiscordField[]): number {
  return fields.reduce((sum, field) => sum + field.name.length + field.value.length, 0);
}
