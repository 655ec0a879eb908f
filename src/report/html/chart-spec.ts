/**
 * What the page's script needs to draw one chart, embedded as JSON. The
 * reports' own shapes stay on the Node side; the browser sees only this.
 */
export interface ChartSpec {
  /** The id of the empty `<div class="chart">` the chart fills. */
  id: string;
  /** X values, s; one per point of every series. */
  x: number[];
  /** The x axis always spans this, s, so markers past the last point still show. */
  xRange: [number, number];
  xLabel: string;
  axes: ChartAxis[];
  series: ChartSeries[];
  /** Shaded x spans (the chaos window). */
  bands: { from: number; to: number; color: string }[];
  /** Vertical lines at an x (alerts, recovery actions, recoveries). */
  markers: ChartMarker[];
  /** Horizontal lines on a scale (an SLA threshold). */
  thresholds: { scale: string; value: number; label: string; color: string }[];
  /** Charts with the same key share a cursor. */
  sync: string | null;
}

/**
 * A vertical line. A labelled one gets its label above the plot, one row
 * per distinct label (a label that would overlap the one before it in its
 * row is left out); a minor one is a thin dotted line with no label on the
 * canvas, so markers close together stay readable; the page's key lists it.
 */
export interface ChartMarker {
  at: number;
  label: string;
  color: string;
  minor: boolean;
}

export interface ChartAxis {
  scale: string;
  label: string;
  side: 'left' | 'right';
  /** `percent`: fixed 0–100; `zero`: from 0 up to the data (and thresholds). */
  range: 'percent' | 'zero';
}

export interface ChartSeries {
  label: string;
  scale: string;
  color: string;
  values: (number | null)[];
  dash: boolean;
  /** Appended to legend values (` ms`, ` %`, `/s`). */
  unit: string;
  digits: number;
}

/** One palette for both pages, readable on white and for the common colour-vision deficiencies. */
export const COLORS = {
  orders: '#1f6feb',
  refused: '#8a94a3',
  failed: '#d1242f',
  target: '#8250df',
  latency: '#bc4c00',
  chaos: 'rgba(209, 36, 47, 0.10)',
  alert: '#9a6700',
  action: '#6e7781',
  recovery: '#1a7f37',
  threshold: '#bc4c00',
} as const;

type SeriesStyle = Omit<ChartSeries, 'label' | 'values'>;

/** A per-second count on the `count` scale. */
export function perSecond(color: string, dash = false): SeriesStyle {
  return { scale: 'count', color, dash, unit: '/s', digits: 0 };
}

/** A latency on the `ms` scale. */
export function latencyMs(color: string): SeriesStyle {
  return { scale: 'ms', color, dash: false, unit: ' ms', digits: 1 };
}

/** A percentage on the `pct` scale (0–100). */
export function percent(color: string, dash = false): SeriesStyle {
  return { scale: 'pct', color, dash, unit: ' %', digits: 1 };
}

/** A per-second ratio as a percentage; null when nothing happened that second. */
export function percentOf(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 1000) / 10 : null;
}
