import type { ScenarioReport } from '../report-types.js';
import { escapeHtml } from './escape.js';
import { DASH, facts, mark, num, raw, table, type Cell, type Html } from './markup.js';
import { clock, END_TEXT, intentProblems } from '../findings.js';

/**
 * What a scenario section shows of the system under test and of the world's
 * evidence against it: how it ended, the orders it placed twice, the
 * Retry-After waits it broke, the orders it left resting and its reported
 * intents. A section with nothing to show is left out; the checks say the
 * verdicts, these say what they were drawn from.
 */

type System = NonNullable<ScenarioReport['system_under_test']>;
type Duplicates = NonNullable<ScenarioReport['duplicates']>;
type OrderRef = Duplicates['listed'][number]['original'];
type LostAnswer = NonNullable<Duplicates['listed'][number]['lost_answer']>;
type Intents = NonNullable<ScenarioReport['intents']>;

const KIND_TEXT: Record<string, string> = {
  blind_resend: 'blind resend',
  client_order_id_reused: 'client order id reused',
};

function code(text: string): Html {
  return raw(`<code>${escapeHtml(text)}</code>`);
}

/** Lines in one cell, to keep a wide table narrow: the main text, then the particulars in grey. */
function lines(main: string, ...more: string[]): Html {
  const rest = more.map((line) => `<br><span class="muted">${escapeHtml(line)}</span>`);
  return raw(`${escapeHtml(main)}${rest.join('')}`);
}

/** The system in a few words, as the page's header names it. */
export function systemName(system: System): Html {
  if (system.kind === 'builtin') return raw('built-in engine');
  if (system.command === null) return raw('external bot, run outside this tool');
  return raw(`external bot ${code(system.command).html}`);
}

/** How it ended, what it printed last and where the rest went. */
export function systemSection(report: ScenarioReport): string {
  const system = report.system_under_test;
  if (system === null) return '';
  const pairs: [string, Cell][] = [
    ['Kind', system.kind === 'builtin' ? 'built-in engine' : 'external bot'],
  ];
  if (system.command !== null) pairs.push(['Command', code(system.command)]);
  if (!system.run_by_this_tool) {
    pairs.push(['Run by this tool', 'no: not stopped here, its exit not seen']);
  } else {
    const alive = system.kind === 'builtin' ? 'yes' : 'yes, running until the run stopped it';
    pairs.push(['Survived', mark(system.survived, system.survived ? alive : 'no')]);
    // The built-in engine runs in this process: it has no exit status or process group.
    if (system.kind === 'external') {
      const exit =
        system.signal !== null
          ? `signal ${system.signal}`
          : system.exit_code === null
            ? DASH
            : `code ${system.exit_code}`;
      const strays = system.left_processes_behind;
      pairs.push(
        ['Exit', exit],
        ['Left processes behind', mark(!strays, strays ? 'yes, alive after the stop' : 'no')],
      );
    }
  }
  pairs.push(['How it ended', system.detail]);
  if (system.log_file !== null) pairs.push(['Log file', code(system.log_file)]);
  const last = system.last_output;
  const output =
    last.length === 0
      ? ''
      : `<p class="muted">Its last ${last.length} line(s) of output:</p><pre class="output">${escapeHtml(last.join('\n'))}</pre>`;
  return `<div class="sut">\n<h3>System under test</h3>\n${facts(pairs)}\n${output}</div>`;
}

/** The evidence sections that have something to show, in the order of the checks. */
export function worldEvidence(report: ScenarioReport): string {
  return [
    duplicatesSection(report.duplicates),
    retryAfterSection(report.retry_after),
    orphansSection(report.orphan_orders),
    intentsSection(report.intents),
  ]
    .filter((html) => html !== '')
    .join('\n');
}

/** "The first 3 of 7 are listed." when the report holds only the first findings. */
function listedNote(listed: number, total: number): string {
  return listed < total ? ` The first ${listed} of ${total} are listed.` : '';
}

function orderCell(ref: OrderRef): Html {
  const request = ref.request_id === null ? '' : ` · request ${ref.request_id}`;
  return lines(
    `order ${ref.order_id}`,
    `client id ${ref.client_order_id ?? 'none'}`,
    `${clock(ref.time)}${request}`,
  );
}

function lostCell(lost: LostAnswer | null): Cell {
  if (lost === null) return null;
  const answer = lost.status === null ? 'no answer' : `status ${lost.status}`;
  return lines(
    `${END_TEXT[lost.end] ?? lost.end}, ${answer}`,
    `sent ${clock(lost.time)}, ended ${clock(lost.ended_time)}`,
  );
}

function duplicatesSection(duplicates: ScenarioReport['duplicates']): string {
  if (duplicates === null || duplicates.total === 0) return '';
  const { total, orders_accepted: accepted, lost_answers: lost, listed } = duplicates;
  const intro = `${total} order(s) placed twice among ${accepted} the venue accepted; ${lost} answer(s) lost after the venue executed the order. Times UTC.${listedNote(listed.length, total)}`;
  const rows = listed.map((finding): Cell[] => [
    KIND_TEXT[finding.kind] ?? finding.kind,
    finding.symbol,
    finding.terms,
    orderCell(finding.original),
    orderCell(finding.duplicate),
    lostCell(finding.lost_answer),
  ]);
  const head = ['Kind', 'Symbol', 'Terms', 'Original', 'Duplicate', 'How its answer was lost'];
  return `<div class="duplicates">\n<h3>Duplicate orders</h3>\n<p>${escapeHtml(intro)}</p>\n${table(head, rows)}</div>`;
}

function retryAfterSection(retryAfter: ScenarioReport['retry_after']): string {
  if (retryAfter === null || (retryAfter.violations_total === 0 && retryAfter.bans === 0))
    return '';
  const { violations_total: total, windows, bans, violations } = retryAfter;
  const banned = bans > 0 ? `; banned (418) ${bans} time(s)` : '';
  const intro = `${total} request(s) sent inside ${windows} Retry-After window(s)${banned}. Times UTC.${listedNote(violations.length, total)}`;
  const rows = violations.map((violation): Cell[] => [
    clock(violation.time),
    `${violation.method} ${violation.path}`,
    `${num(violation.inside_ms, 0)} ms of ${num(violation.window.retry_after_seconds)} s`,
    lines(
      `${violation.window.status}, Retry-After ${num(violation.window.retry_after_seconds)} s`,
      `answered ${clock(violation.window.opened_time)} · request ${violation.window.request_id}`,
    ),
  ]);
  const head = ['Sent', 'Request', 'Into the wait', 'Told to wait by'];
  const listed = rows.length === 0 ? '' : table(head, rows);
  return `<div class="retry-after">\n<h3>Retry-After violations</h3>\n<p>${escapeHtml(intro)}</p>\n${listed}</div>`;
}

function orphansSection(orphans: ScenarioReport['orphan_orders']): string {
  if (orphans === null || orphans.total === 0) return '';
  const intro = `${orphans.total} order(s) left resting at the venue after the system stopped. Times UTC.${listedNote(orphans.orders.length, orphans.total)}`;
  const rows = orphans.orders.map((order): Cell[] => [
    order.symbol,
    order.order_id,
    order.client_order_id,
    order.side,
    order.price,
    order.remaining_qty,
    clock(order.time),
  ]);
  const head = ['Symbol', 'Order id', 'Client order id', 'Side', 'Price', 'Remaining', 'Placed'];
  return `<div class="orphans">\n<h3>Orders left resting</h3>\n<p>${escapeHtml(intro)}</p>\n${table(head, rows, { numeric: [1, 4, 5] })}</div>`;
}

/** Whether the bot's intents and the venue's orders agree, and if not, how they differ. */
export function intentsVerdict(intents: Intents): { ok: boolean; text: string } {
  const found = intentProblems(intents);
  if (found.length === 0) return { ok: true, text: `${intents.intents} intents ok` };
  return { ok: false, text: found.join(', ') };
}

function intentsSection(intents: Intents | null): string {
  if (intents === null) return '';
  const counted = (count: number, text = String(count)) => mark(count === 0, text);
  const list = facts([
    ['Intents reported', num(intents.intents, 0)],
    ['Orders the venue accepted', num(intents.orders_accepted, 0)],
    ['Orders no intent announced', counted(intents.unknown_orders)],
    ['Intents placed twice', counted(intents.placed_twice)],
    ['Intents placed with other terms', counted(intents.mismatched)],
    ['Intents never placed', num(intents.unplaced, 0)],
    ['Malformed lines', counted(intents.malformed_lines)],
  ]);
  const examples =
    intents.examples.length === 0
      ? ''
      : `<ul class="checks">${intents.examples.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul>`;
  return `<div class="intents">\n<h3>Reported intents</h3>\n${list}\n${examples}</div>`;
}
