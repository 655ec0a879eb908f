import type {
  BalanceBaseline,
  JournalEntry,
  OrderEvent,
  OrderRecord,
  OrderStatus,
} from './model.js';
import {
  entryToEventRow,
  latestOrders,
  orderToRow,
  rowToEvent,
  rowToOrder,
  type EventRow,
  type OrderRow,
} from './rows.js';

/** What the store needs of pg: a Pool or a PoolClient. */
export interface Queryable {
  query<R extends object>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
}

const ORDER_TYPES: Record<keyof OrderRow, string> = {
  client_order_id: 'text',
  strategy_id: 'text',
  symbol: 'text',
  side: 'text',
  type: 'text',
  time_in_force: 'text',
  quantity: 'text',
  price: 'text',
  status: 'text',
  exchange_order_id: 'text',
  executed_qty: 'text',
  cumulative_quote: 'text',
  attempts: 'integer',
  last_sent_at: 'bigint',
  created_at: 'bigint',
  updated_at: 'bigint',
  version: 'integer',
  reason: 'text',
};

/** Every orders column; the Record type above makes the list complete. */
const ORDER_COLUMNS = Object.keys(ORDER_TYPES) as (keyof OrderRow)[];

/**
 * One statement, so one implicit transaction and one round trip for a whole
 * batch: events are inserted once by (client_order_id, version), in batch
 * order; orders are upserted only by a higher version. Rows travel as one
 * JSON parameter each, which keeps the statement text constant.
 */
const WRITE_BATCH_SQL = `
  with inserted_events as (
    insert into order_events (client_order_id, version, kind, status, at, detail)
    select e.client_order_id, e.version, e.kind, e.status, e.at, coalesce(e.detail, '{}'::jsonb)
    from jsonb_to_recordset($1::jsonb) as e(
      n integer, client_order_id text, version integer, kind text, status text, at bigint, detail jsonb)
    order by e.n
    on conflict (client_order_id, version) do nothing
  )
  insert into orders (${ORDER_COLUMNS.join(', ')})
  select ${ORDER_COLUMNS.map((column) => `o.${column}`).join(', ')}
  from jsonb_to_recordset($2::jsonb) as o(${ORDER_COLUMNS.map((c) => `${c} ${ORDER_TYPES[c]}`).join(', ')})
  on conflict (client_order_id) do update set
    ${ORDER_COLUMNS.filter((c) => c !== 'client_order_id')
      .map((column) => `${column} = excluded.${column}`)
      .join(',\n    ')}
  where excluded.version > orders.version`;

/** Writes a batch of entries idempotently; resolves when committed. */
export async function writeEntries(db: Queryable, entries: readonly JournalEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const events = entries.map((entry, n) => ({ n, ...entryToEventRow(entry) }));
  const orders = latestOrders(entries).map(orderToRow);
  await db.query(WRITE_BATCH_SQL, [JSON.stringify(events), JSON.stringify(orders)]);
}

export async function readOrders(
  db: Queryable,
  statuses?: readonly OrderStatus[],
): Promise<OrderRecord[]> {
  const { rows } =
    statuses === undefined
      ? await db.query<OrderRow>('select * from orders order by created_at, client_order_id')
      : await db.query<OrderRow>(
          'select * from orders where status = any($1::text[]) order by created_at, client_order_id',
          [statuses],
        );
  return rows.map(rowToOrder);
}

export async function readOrder(
  db: Queryable,
  clientOrderId: string,
): Promise<OrderRecord | undefined> {
  const { rows } = await db.query<OrderRow>('select * from orders where client_order_id = $1', [
    clientOrderId,
  ]);
  return rows[0] === undefined ? undefined : rowToOrder(rows[0]);
}

export async function readEvents(db: Queryable, clientOrderId: string): Promise<OrderEvent[]> {
  const { rows } = await db.query<EventRow>(
    `select client_order_id, version, kind, status, at, detail
     from order_events where client_order_id = $1 order by version`,
    [clientOrderId],
  );
  return rows.map(rowToEvent);
}

/** Highest `<seq>` per `<strategyId>` of `<strategyId>-<seq>`; greedy `(.*)` splits at the last '-'. */
export async function readLastSequences(db: Queryable): Promise<Map<string, number>> {
  const { rows } = await db.query<{ strategy: string; seq: string }>(
    `select m[1] as strategy, max(m[2]::numeric)::text as seq
     from (select regexp_match(client_order_id, '^(.*)-([0-9]+)$') as m from orders) parsed
     where m is not null group by m[1]`,
  );
  return new Map(rows.map((row) => [row.strategy, Number(row.seq)]));
}

export async function readBalanceBaseline(db: Queryable): Promise<BalanceBaseline | undefined> {
  const { rows } = await db.query<{ asset: string; amount: string; taken_at: string }>(
    'select asset, amount, taken_at from balance_baseline order by asset',
  );
  const first = rows[0];
  if (first === undefined) return undefined;
  const balances = Object.fromEntries(rows.map((row) => [row.asset, row.amount]));
  return { at: Number(first.taken_at), balances };
}

/** Replaces the baseline; run it inside a transaction so it is never half old, half new. */
export async function writeBalanceBaseline(
  db: Queryable,
  baseline: BalanceBaseline,
): Promise<void> {
  const assets = Object.keys(baseline.balances);
  await db.query('delete from balance_baseline');
  await db.query(
    `insert into balance_baseline (asset, amount, taken_at)
     select asset, amount, $3::bigint from unnest($1::text[], $2::text[]) as b(asset, amount)`,
    [assets, assets.map((asset) => baseline.balances[asset]), baseline.at],
  );
}
