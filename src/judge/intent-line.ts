/**
 * One line of a bot's intents file, validated. The file is written by the
 * system under test, so nothing in it is trusted: a bad line is answered with
 * a message naming the field and what was expected, never with a throw.
 */
import { z } from 'zod';
import { isJsonObject, messageOf } from '../common/index.js';
import type { ReportedIntent } from '../evidence/model.js';

const AMOUNT = 'expected a decimal string, a number or null';
const TEXT = 'expected a string';
const MAX_SHOWN = 40;

const intentSchema = z.object({
  client_order_id: z
    .string({ error: 'expected a non-empty string' })
    .min(1, { error: 'expected a non-empty string' }),
  symbol: z.string({ error: TEXT }),
  side: z.string({ error: TEXT }),
  type: z.string({ error: TEXT }),
  quantity: z.union([z.string(), z.number()], { error: AMOUNT }).nullable(),
  price: z.union([z.string(), z.number()], { error: AMOUNT }).nullable().optional(),
});

/** A line read: the intent it reports, or why it reports none. */
export type IntentLine = { ok: true; intent: ReportedIntent } | { ok: false; problem: string };

/** Parses one line of the intents file (without its newline). */
export function parseIntentLine(text: string): IntentLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: `not JSON: ${messageOf(error)}` };
  }
  if (!isJsonObject(value)) {
    return { ok: false, problem: `expected a JSON object, got ${kindOf(value)}` };
  }
  const result = intentSchema.safeParse(value, { reportInput: true });
  if (result.success) return { ok: true, intent: result.data };
  const problems = result.error.issues.map((issue) => {
    const field = issue.path.join('.');
    if (issue.input === undefined) return `${field}: required`;
    return `${field}: ${issue.message}, got ${shown(issue.input)}`;
  });
  return { ok: false, problem: problems.join('; ') };
}

/** A value as the message shows it, cut short: the line came from the system under test. */
function shown(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}
