/**
 * Binance's error codes, with the messages the venue sends. Clients (ccxt
 * among them) classify by code first and by some exact messages, so both are
 * kept verbatim.
 */
export const ErrorCode = {
  UNKNOWN: -1000,
  UNAUTHORIZED: -1002,
  TOO_MANY_REQUESTS: -1003,
  INVALID_MESSAGE: -1013,
  UNKNOWN_ORDER_COMPOSITION: -1014,
  TOO_MANY_ORDERS: -1015,
  INVALID_TIMESTAMP: -1021,
  INVALID_SIGNATURE: -1022,
  ILLEGAL_CHARS: -1100,
  TOO_MANY_PARAMETERS: -1101,
  MANDATORY_PARAM_EMPTY_OR_MALFORMED: -1102,
  UNREAD_PARAMETERS: -1104,
  PARAM_EMPTY: -1105,
  PARAM_NOT_REQUIRED: -1106,
  BAD_PRECISION: -1111,
  INVALID_TIME_IN_FORCE: -1115,
  INVALID_ORDER_TYPE: -1116,
  INVALID_SIDE: -1117,
  BAD_SYMBOL: -1121,
  OPTIONAL_PARAMS_BAD_COMBO: -1128,
  INVALID_PARAMETER: -1130,
  BAD_RECV_WINDOW: -1131,
  NEW_ORDER_REJECTED: -2010,
  CANCEL_REJECTED: -2011,
  NO_SUCH_ORDER: -2013,
  BAD_API_KEY_FMT: -2014,
  REJECTED_MBX_KEY: -2015,
} as const;

export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

/** An error the venue answers with `{code, msg}` and an HTTP status. */
export class BinanceError extends Error {
  constructor(
    readonly code: ErrorCodeValue,
    message: string,
    readonly httpStatus = 400,
  ) {
    super(message);
    this.name = 'BinanceError';
  }

  toBody(): { code: number; msg: string } {
    return { code: this.code, msg: this.message };
  }
}

export const rejected = {
  newOrder: (msg: string) => new BinanceError(ErrorCode.NEW_ORDER_REJECTED, msg),
  duplicateOrder: () => new BinanceError(ErrorCode.NEW_ORDER_REJECTED, 'Duplicate order sent.'),
  insufficientBalance: () =>
    new BinanceError(
      ErrorCode.NEW_ORDER_REJECTED,
      'Account has insufficient balance for requested action.',
    ),
  wouldTake: () =>
    new BinanceError(ErrorCode.NEW_ORDER_REJECTED, 'Order would immediately match and take.'),
  filter: (filter: string) =>
    new BinanceError(ErrorCode.INVALID_MESSAGE, `Filter failure: ${filter}`),
  unknownOrderOnCancel: () => new BinanceError(ErrorCode.CANCEL_REJECTED, 'Unknown order sent.'),
  noSuchOrder: () => new BinanceError(ErrorCode.NO_SUCH_ORDER, 'Order does not exist.'),
  badApiKey: () =>
    new BinanceError(
      ErrorCode.REJECTED_MBX_KEY,
      'Invalid API-key, IP, or permissions for action.',
      401,
    ),
  badSymbol: () => new BinanceError(ErrorCode.BAD_SYMBOL, 'Invalid symbol.'),
  mandatory: (name: string) =>
    new BinanceError(
      ErrorCode.MANDATORY_PARAM_EMPTY_OR_MALFORMED,
      `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`,
    ),
  eitherParam: (a: string, b: string) =>
    new BinanceError(
      ErrorCode.MANDATORY_PARAM_EMPTY_OR_MALFORMED,
      `Param '${a}' or '${b}' must be sent, but both were empty/null!`,
    ),
  notRequired: (name: string) =>
    new BinanceError(ErrorCode.PARAM_NOT_REQUIRED, `Parameter '${name}' sent when not required.`),
  illegalChars: (name: string, legalRange: string) =>
    new BinanceError(
      ErrorCode.ILLEGAL_CHARS,
      `Illegal characters found in parameter '${name}'; legal range is '${legalRange}'.`,
    ),
  invalidValue: (name: string) =>
    new BinanceError(
      ErrorCode.INVALID_PARAMETER,
      `Data sent for parameter '${name}' is not valid.`,
    ),
  tooMuchPrecision: (name: string) =>
    new BinanceError(ErrorCode.BAD_PRECISION, `Parameter '${name}' has too much precision.`),
};
