import { uplotAssets } from './assets.js';
import { CHART_SCRIPT } from './chart-script.js';
import type { ChartSpec } from './chart-spec.js';
import { escapeHtml, jsonForScript, scriptText, styleText } from './escape.js';

/** The page's own style: one column, cards, tables that scroll inside their wrapper on a phone. */
const PAGE_CSS = `
:root { color-scheme: light; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --pass: #1a7f37; --fail: #d1242f; --warn: #9a6700; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: #f6f8fa; }
main { max-width: 1100px; margin: 0 auto; padding: 16px; }
h1 { font-size: 1.45rem; margin: 0 0 4px; }
h2 { font-size: 1.2rem; margin: 0 0 6px; overflow-wrap: anywhere; }
h3 { font-size: 1rem; margin: 18px 0 6px; }
p { margin: 4px 0; overflow-wrap: anywhere; }
a { color: #0969da; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px; margin: 16px 0; }
.muted { color: var(--muted); }
.table-scroll { max-width: 100%; overflow-x: auto; -webkit-overflow-scrolling: touch; }
.table-scroll table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
.table-scroll th, .table-scroll td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); white-space: nowrap; vertical-align: top; background: #fff; }
.table-scroll th { font-weight: 600; background: #f6f8fa; }
/* The first column stays in view while a wide table scrolls under it. */
.table-scroll th:first-child, .table-scroll td:first-child { position: sticky; left: 0; z-index: 1; box-shadow: 1px 0 0 var(--line); }
.table-scroll .num { text-align: right; }
.badge { display: inline-block; padding: 0 8px; border-radius: 10px; font-weight: 600; font-size: .85em; vertical-align: middle; }
.pass { background: #dafbe1; color: var(--pass); }
.fail { background: #ffebe9; color: var(--fail); }
.warn { background: #fff8c5; color: var(--warn); }
.ok { color: var(--pass); }
.bad { color: var(--fail); }
/* Skipped: neither passed nor failed, so neither green nor red. */
.skip { color: var(--warn); }
.badge.skip { background: #eaeef2; color: var(--muted); }
.banner { border-left: 4px solid var(--fail); background: #ffebe9; padding: 8px 12px; margin: 8px 0; overflow-wrap: anywhere; }
.note { border-left: 4px solid var(--line); background: #f6f8fa; padding: 8px 12px; margin: 8px 0; overflow-wrap: anywhere; }
/* A program's output wraps instead of widening the page on a phone. */
pre.output { margin: 6px 0; padding: 8px 10px; background: #f6f8fa; border: 1px solid var(--line); border-radius: 6px; font-size: .85em; white-space: pre-wrap; overflow-wrap: anywhere; }
code { overflow-wrap: anywhere; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.chart { width: 100%; min-height: 180px; margin: 4px 0; }
.chart .uplot { width: auto; }
.chart .u-legend { font-size: 13px; }
.key { display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: .85em; color: var(--muted); margin: 2px 0 8px; }
.swatch { display: inline-block; width: 14px; height: 10px; margin-right: 4px; vertical-align: middle; border-radius: 2px; }
.rule { display: inline-block; width: 0; height: 12px; margin: 0 6px 0 2px; border-left: 2px dashed; vertical-align: middle; }
.rule.minor { border-left: 1px dotted; }
.bar { height: 10px; border-radius: 2px; background: #1f6feb; min-width: 1px; }
td.bar-cell { width: 40%; min-width: 80px; }
ul.checks { margin: 4px 0; padding-left: 20px; }
ul.checks li { overflow-wrap: anywhere; }
details { margin-top: 12px; }
summary { cursor: pointer; color: var(--muted); }
@media (max-width: 600px) {
  main { padding: 8px; }
  .card { padding: 12px; margin: 10px 0; }
  dl.facts { grid-template-columns: minmax(0, 1fr) minmax(0, 1.8fr); gap: 6px 10px; }
  .table-scroll th, .table-scroll td { padding: 5px 8px; }
}
`;

export interface PageParts {
  title: string;
  /** Markup, already escaped. */
  body: string;
  charts: ChartSpec[];
}

/**
 * A complete, self-contained page: uPlot and the chart script inlined, the
 * data embedded as JSON, and a Content-Security-Policy that forbids every
 * fetch, so the page works offline and cannot leak anything it shows.
 */
export function htmlPage({ title, body, charts }: PageParts): string {
  const uplot = uplotAssets();
  const csp =
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<style>${styleText(uplot.css)}</style>
<style>${PAGE_CSS}</style>
</head>
<body>
<main>
${body}
</main>
<script type="application/json" id="report-data">${jsonForScript({ charts })}</script>
<script>${scriptText(uplot.script)}</script>
<script>${CHART_SCRIPT}</script>
</body>
</html>
`;
}
