/**
 * Where the watchdog's alerts go: Discord, Slack and generic JSON webhooks,
 * behind a dispatcher that de-duplicates, rate-limits, retries and never
 * holds up the watchdog.
 */
export type { Notifier, NotifierKind } from './notifier.js';
export { NotifierError, type NotifierErrorCode, type NotifierErrorDetails } from './errors.js';
export {
  discordNotifier,
  discordPayload,
  DISCORD_COLORS,
  DISCORD_LIMITS,
  type DiscordField,
  type DiscordNotifierOptions,
  type DiscordPayload,
} from './discord.js';
export {
  slackNotifier,
  slackPayload,
  SLACK_LIMITS,
  type SlackBlock,
  type SlackNotifierOptions,
  type SlackPayload,
  type SlackText,
} from './slack.js';
export {
  genericNotifier,
  genericPayload,
  type GenericNotifierOptions,
  type GenericPayload,
} from './generic.js';
export { createNotifier, type NotifierConfig } from './factory.js';
export {
  AlertDispatcher,
  DISPATCHER_DEFAULTS,
  type AlertDispatcherOptions,
  type DispatcherEvents,
} from './dispatcher.js';
export type { DropReason, NotifierHealth, NotifierStats } from './lane.js';
