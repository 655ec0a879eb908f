import { escapeHtml } from './escape.js';

/** Markup that is already escaped; anything else put into a page is text and gets escaped. */
export interface Html {
  readonly html: string;
}

/** A table cell: text, a number, markup, or null for "no value" (shown as a dash). */
export type Cell = string | number | Html | null;

export const DASH = '\u2014';

export function raw(html: string): Html {
  return { html };
}

export function cellHtml(cell: Cell): string {
  if (cell === null) return DASH;
  if (typeof cell === 'object') return cell.html;
  return escapeHtml(cell);
}

export interface TableOptions {
  id?: string;
  /** Indexes of right-aligned (numeric) columns. */
  numeric?: readonly number[];
  /** Extra classes of a column's cells, by index. */
  classes?: Readonly<Record<number, string>>;
}

/** A table inside a wrapper that scrolls sideways, so a wide table never widens the page. */
export function table(
  head: readonly string[],
  rows: readonly Cell[][],
  options: TableOptions = {},
): string {
  const numeric = new Set(options.numeric ?? []);
  const cls = (index: number) => {
    const names = [numeric.has(index) ? 'num' : '', options.classes?.[index] ?? ''].filter(Boolean);
    return names.length === 0 ? '' : ` class="${escapeHtml(names.join(' '))}"`;
  };
  const headHtml = head.map((text, i) => `<th scope="col"${cls(i)}>${escapeHtml(text)}</th>`);
  const bodyHtml = rows.map(
    (row) => `<tr>${row.map((cell, i) => `<td${cls(i)}>${cellHtml(cell)}</td>`).join('')}</tr>`,
  );
  const id = options.id === undefined ? '' : ` id="${escapeHtml(options.id)}"`;
  return `<div class="table-scroll"><table${id}><thead><tr>${headHtml.join('')}</tr></thead><tbody>${bodyHtml.join('')}</tbody></table></div>`;
}

/** A definition list of label → value pairs. */
export function facts(pairs: readonly [string, Cell][]): string {
  const items = pairs.map(
    ([label, value]) => `<dt>${escapeHtml(label)}</dt><dd>${cellHtml(value)}</dd>`,
  );
  return `<dl class="facts">${items.join('')}</dl>`;
}

export type Verdict = 'PASS' | 'FAIL' | 'ABORTED' | 'ERROR' | 'SKIPPED';

const VERDICT_CLASS: Record<Verdict, string> = {
  PASS: 'pass',
  FAIL: 'fail',
  ABORTED: 'warn',
  ERROR: 'fail',
  SKIPPED: 'skip',
};

/**
 * A run that did not complete is not a failure of the system under test: it
 * says so instead; nor is a scenario that did not apply to it (skipped).
 */
export function verdictOf(status: string, passed: boolean): Verdict {
  if (status === 'aborted') return 'ABORTED';
  if (status === 'error') return 'ERROR';
  if (status === 'skipped') return 'SKIPPED';
  return passed ? 'PASS' : 'FAIL';
}

export function badge(verdict: Verdict): Html {
  return raw(`<span class="badge ${VERDICT_CLASS[verdict]}">${verdict}</span>`);
}

/** ✓ or ✗ before a text, coloured. */
export function mark(ok: boolean, text: string): Html {
  return raw(
    `<span class="${ok ? 'ok' : 'bad'}">${ok ? '\u2713' : '\u2717'}</span> ${escapeHtml(text)}`,
  );
}

/** ⊘ before a text, neither green nor red: a check the system could not give evidence for. */
export function skipMark(text: string): Html {
  return raw(`<span class="skip">\u2298</span> ${escapeHtml(text)}`);
}

/** A number for people: at most `digits` decimals, thousands separated; a dash for null. */
export function num(value: number | null, digits = 1): string {
  if (value === null || !Number.isFinite(value)) return DASH;
  return value.toLocaleString('en-US', { maximumFractionDigits: digits });
}

export function withUnit(value: number | null, unit: string, digits = 1): string {
  return value === null ? DASH : `${num(value, digits)} ${unit}`;
}
