import type { HttpMatch } from './model.js';
import type { ActiveToxic } from './runtime.js';

/** Characters that mean something in a RegExp and must be escaped to stand for themselves. */
const REGEXP_SPECIAL = /[\\^$.|+()[\]{}]/g;

/**
 * Compiles a path glob to an anchored RegExp: `**` is any characters, `*` any
 * characters except `/`, `?` one character except `/`, the rest literal. So
 * `/api/v3/*` matches `/api/v3/order` but not `/api/v3/order/test`, and
 * `/api/**` matches both.
 */
export function compileGlob(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i += 1) {
    const char = glob[i]!;
    if (char === '*' && glob[i + 1] === '*') {
      source += '.*';
      i += 1;
    } else if (char === '*') {
      source += '[^/]*';
    } else if (char === '?') {
      source += '[^/]';
    } else {
      source += char.replace(REGEXP_SPECIAL, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}

/**
 * Compiles a toxic's request matcher once, when the toxic is installed, so
 * the per-request test is two RegExp runs. Undefined (match everything) when
 * neither field is given. The method compares case-insensitively.
 */
export function compileMatch(match?: HttpMatch): ActiveToxic['match'] {
  if (match?.method === undefined && match?.path === undefined) return undefined;
  const compiled: NonNullable<ActiveToxic['match']> = {};
  if (match.method !== undefined) {
    compiled.method = new RegExp(`^${match.method.replace(REGEXP_SPECIAL, '\\$&')}$`, 'i');
  }
  if (match.path !== undefined) compiled.path = compileGlob(match.path);
  return compiled;
}

/** True when a request's method and path (without the query) satisfy the matcher. */
export function matchesRequest(match: ActiveToxic['match'], method: string, path: string): boolean {
  if (!match) return true;
  if (match.method && !match.method.test(method)) return false;
  return !match.path || match.path.test(path);
}
