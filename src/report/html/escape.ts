const HTML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text or an attribute value made safe for HTML: everything a report says passes through here. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (char) => HTML_ENTITIES[char] ?? char);
}

/**
 * JSON for a `<script type="application/json">` block: `<` is written as
 * `\u003c`, so no string in a report can close the script element; U+2028
 * and U+2029 are escaped too, for any reader that evaluates it as script.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Inlined third-party script: a literal `</script` would end the element early. */
export function scriptText(source: string): string {
  return source.replace(/<\/(script)/gi, '<\\/$1');
}

/** Inlined third-party CSS: a literal `</style` would end the element early. */
export function styleText(source: string): string {
  return source.replace(/<\/(style)/gi, '<\\/$1');
}
