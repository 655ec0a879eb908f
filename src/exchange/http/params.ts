import { parseAmount, type Amount } from '../../common/index.js';
import { BinanceError, ErrorCode, rejected } from '../errors.js';

/** More parameters than any endpoint takes: such a request is refused before it is read. */
const MAX_PARAMETERS = 30;
const DECIMAL_RANGE = '^([0-9]{1,20})(\\.[0-9]{1,20})?$';
const INTEGER_RANGE = '^[0-9]{1,20}$';

/**
 * A request's parameters from its query string and form body, read the way
 * the venue reads them: each one at most once, typed on read, and any that an
 * endpoint did not read is an error (-1104) rather than silently ignored.
 */
export class Params {
  private readonly read = new Set<string>();

  private constructor(private readonly values: Map<string, string>) {}

  static parse(query: string, body: string): Params {
    const values = new Map<string, string>();
    for (const source of [query, body]) {
      if (source === '') continue;
      for (const [name, value] of new URLSearchParams(source)) {
        if (values.has(name)) {
          throw new BinanceError(
            ErrorCode.TOO_MANY_PARAMETERS,
            'Duplicate values for a parameter detected.',
          );
        }
        values.set(name, value);
        if (values.size > MAX_PARAMETERS) {
          throw new BinanceError(
            ErrorCode.TOO_MANY_PARAMETERS,
            `Too many parameters; expected '${MAX_PARAMETERS}' and received '${values.size}'.`,
          );
        }
      }
    }
    return new Params(values);
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  /** The raw value without marking it read (for weighing a request before it is handled). */
  peek(name: string): string | undefined {
    return this.values.get(name);
  }

  /** The raw value, marked as read; undefined when absent. Empty values are refused (-1105). */
  optional(name: string): string | undefined {
    const value = this.values.get(name);
    if (value === undefined) return undefined;
    this.read.add(name);
    if (value === '') {
      throw new BinanceError(ErrorCode.PARAM_EMPTY, `Parameter '${name}' was empty.`);
    }
    return value;
  }

  required(name: string): string {
    const value = this.values.get(name);
    this.read.add(name);
    if (value === undefined || value === '') throw rejected.mandatory(name);
    return value;
  }

  /** A value matching pattern, else -1100 naming the legal range. */
  matching(
    name: string,
    pattern: RegExp,
    legalRange: string,
    required = false,
  ): string | undefined {
    const value = required ? this.required(name) : this.optional(name);
    if (value !== undefined && !pattern.test(value)) throw rejected.illegalChars(name, legalRange);
    return value;
  }

  /** One of a fixed set of values, else the given error (e.g. -1117 Invalid side.). */
  oneOf<T extends string>(
    name: string,
    allowed: readonly T[],
    invalid: () => BinanceError,
    required = false,
  ): T | undefined {
    const value = required ? this.required(name) : this.optional(name);
    if (value === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(value)) throw invalid();
    return value as T;
  }

  amount(name: string, required = false): Amount | undefined {
    const value = required ? this.required(name) : this.optional(name);
    if (value === undefined) return undefined;
    const parsed = parseAmount(value);
    if (parsed.ok) return parsed.value;
    if (parsed.reason === 'precision') throw rejected.tooMuchPrecision(name);
    throw rejected.illegalChars(name, DECIMAL_RANGE);
  }

  integer(name: string, required = false): number | undefined {
    const value = this.matching(name, /^\d{1,20}$/, INTEGER_RANGE, required);
    if (value === undefined) return undefined;
    const parsed = Number(value);
    if (!Number.isSafeInteger(parsed)) throw rejected.invalidValue(name);
    return parsed;
  }

  /** After an endpoint has read what it takes: -1104 if anything was left unread. */
  assertAllRead(): void {
    const readCount = [...this.values.keys()].filter((name) => this.read.has(name)).length;
    if (readCount === this.values.size) return;
    throw new BinanceError(
      ErrorCode.UNREAD_PARAMETERS,
      `Not all sent parameters were read; read '${readCount}' parameter(s) but was sent '${this.values.size}'.`,
    );
  }
}
