export {
  ORDER_PATH,
  ORDER_QUERY_PATHS,
  REQUEST_ID_HEADER,
  type ReportedIntent,
  type VenueOrder,
  type VenueRequest,
  type WireEnd,
  type WireRequest,
} from './model.js';
export { JsonLinesWriter, readJsonLines, readLines, type ReadLinesOptions } from './jsonl.js';
