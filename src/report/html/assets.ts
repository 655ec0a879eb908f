import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

let cached: { script: string; css: string } | undefined;

/** uPlot's script and stylesheet, read from node_modules once, to be inlined into every page. */
export function uplotAssets(): { script: string; css: string } {
  cached ??= {
    script: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    css: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
  };
  return cached;
}
