export { FEED_DEFAULTS, MarketDataFeed } from './feed.js';
export type {
  FeedErrorEvent,
  FeedStats,
  FeedUpdateEvent,
  MarketDataFeedEvents,
  MarketDataFeedOptions,
} from './feed.js';
