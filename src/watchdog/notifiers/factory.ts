import { discordNotifier } from './discord.js';
import { NotifierError } from './errors.js';
import { genericNotifier } from './generic.js';
import type { Notifier, NotifierKind } from './notifier.js';
import { slackNotifier } from './slack.js';

/** A notifier as configuration describes it. */
export interface NotifierConfig {
  kind: NotifierKind;
  /** Webhook URL; http or https. */
  url: string;
  /** Default: the kind. */
  name?: string;
  /** Discord only: display name of the messages. */
  username?: string;
  /** Generic only: extra request headers. */
  headers?: Record<string, string>;
}

/**
 * Builds the notifier a config names. Throws a NotifierError with code
 * INVALID_CONFIG for an unknown kind or a URL that is not http(s), so a bad
 * config fails at start-up and not at the first alert.
 */
export function createNotifier(config: NotifierConfig): Notifier {
  switch (config.kind) {
    case 'discord':
      return discordNotifier({ url: config.url, name: config.name, username: config.username });
    case 'slack':
      return slackNotifier({ url: config.url, name: config.name });
    case 'generic':
      return genericNotifier({ url: config.url, name: config.name, headers: config.headers });
    default:
      throw new NotifierError(
        'INVALID_CONFIG',
        `unknown notifier kind "${String((config as { kind: unknown }).kind)}" (discord, slack or generic)`,
      );
  }
}
