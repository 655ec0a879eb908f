export type {
  BalanceBaseline,
  JournalEntry,
  OrderEvent,
  OrderEventKind,
  OrderRecord,
  OrderSide,
  OrderStatus,
  OrderType,
  TimeInForce,
} from './model.js';
export { FINAL_STATUSES, OPEN_STATUSES, ORDER_STATUSES, UNRESOLVED_STATUSES } from './model.js';
export type {
  BreakerState,
  Journal,
  JournalEvents,
  JournalMode,
  JournalStatus,
} from './journal.js';
export { createPgJournal, type PgJournalOptions } from './pg-journal.js';
export {
  EMBEDDED_POOL_SIZE,
  startEmbeddedDatabase,
  type EmbeddedDatabase,
  type EmbeddedDatabaseOptions,
} from './embedded.js';
export { JournalError, type JournalErrorCode } from './errors.js';
export { MIGRATIONS, migrate, type Migration } from './migrations.js';
export { SpoolFile, type SpoolRead } from './spool.js';
export { parseClientOrderId } from './rows.js';
