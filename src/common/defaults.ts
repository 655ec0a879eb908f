/**
 * Options over defaults, where an option left undefined keeps its default
 * (a plain spread would let `{ seed: undefined }` erase it).
 */
export function withDefaults<D extends object, O extends object>(defaults: D, options: O): D & O {
  const defined = Object.fromEntries(
    Object.entries(options).filter(([, value]) => value !== undefined),
  );
  return { ...defaults, ...defined } as D & O;
}
