/**
 * The page's own script, run in the browser after uPlot: it reads the
 * embedded JSON and draws each ChartSpec into its container, at the
 * container's width, redrawn when that width changes (phone rotation,
 * window resize). Shading, markers and thresholds are drawn on uPlot's
 * canvas in its hooks. Plain ES2017, no modules: it runs from file://.
 */
export const CHART_SCRIPT = String.raw`(function () {
  'use strict';
  var source = document.getElementById('report-data');
  if (!source || typeof uPlot === 'undefined') return;
  var data = JSON.parse(source.textContent || '{}');
  (data.charts || []).forEach(build);

  function fmt(value, digits) {
    if (value === null || value === undefined) return '\u2014';
    return value.toLocaleString('en-US', { maximumFractionDigits: digits });
  }

  function heightFor(width) {
    return Math.round(Math.max(180, Math.min(300, width * 0.5)));
  }

  function build(spec) {
    var el = document.getElementById(spec.id);
    if (!el) return;
    var width = Math.max(200, el.clientWidth);
    var rows = labelRows(spec.markers);
    var opts = {
      width: width,
      height: heightFor(width),
      cursor: spec.sync ? { sync: { key: spec.sync } } : {},
      // Live values need a hover; a narrow (touch) screen gets the compact legend.
      legend: { live: width >= 600 },
      // Room above the plot for the markers' labels, one row per distinct label.
      padding: [rows.length > 0 ? 6 + 14 * rows.length : 12, null, null, null],
      scales: scales(spec),
      series: [{ label: spec.xLabel, value: function (u, v) { return fmt(v, 1) + ' s'; } }]
        .concat(spec.series.map(series)),
      axes: [{ label: spec.xLabel, labelSize: 18, size: 34 }].concat(axes(spec)),
      hooks: {
        drawClear: [function (u) { shade(u, spec); }],
        draw: [function (u) { mark(u, spec, rows); }],
      },
    };
    var values = [spec.x].concat(spec.series.map(function (s) { return s.values; }));
    var plot = new uPlot(opts, values, el);
    if (typeof ResizeObserver === 'undefined') return;
    new ResizeObserver(function () {
      var w = el.clientWidth;
      if (w > 0 && Math.abs(w - plot.width) > 1) plot.setSize({ width: w, height: heightFor(w) });
    }).observe(el);
  }

  function scales(spec) {
    var out = { x: { time: false, range: function () { return spec.xRange; } } };
    spec.axes.forEach(function (a) {
      if (a.range === 'percent') { out[a.scale] = { range: [0, 100] }; return; }
      var floor = 0;
      spec.thresholds.forEach(function (t) { if (t.scale === a.scale) floor = Math.max(floor, t.value); });
      out[a.scale] = {
        range: function (u, min, max) {
          var top = Math.max(max === null || max === undefined ? 0 : max, floor, 1);
          return uPlot.rangeNum(0, top, 0.1, true);
        },
      };
    });
    return out;
  }

  // Every chart has a left and a right axis, blank if unused, so synced charts' x axes line up.
  function axes(spec) {
    var out = spec.axes.map(axis);
    ['left', 'right'].forEach(function (side) {
      if (spec.axes.some(function (a) { return a.side === side; })) return;
      var blank = axis({ scale: spec.axes[0].scale, label: '', side: side });
      blank.grid = { show: false };
      blank.ticks = { show: false };
      blank.values = function (u, ticks) { return ticks.map(function () { return ''; }); };
      out.push(blank);
    });
    return out;
  }

  function axis(a) {
    return {
      scale: a.scale,
      label: a.label,
      side: a.side === 'right' ? 1 : 3,
      labelSize: 18,
      size: 50,
      grid: { show: a.side !== 'right' },
      values: function (u, ticks) { return ticks.map(function (v) { return fmt(v, 1); }); },
    };
  }

  function series(s) {
    return {
      label: s.label,
      scale: s.scale,
      stroke: s.color,
      width: 1.5,
      dash: s.dash ? [6, 4] : undefined,
      value: function (u, v) { return v === null || v === undefined ? '\u2014' : fmt(v, s.digits) + s.unit; },
    };
  }

  function shade(u, spec) {
    var ctx = u.ctx, box = u.bbox;
    spec.bands.forEach(function (band) {
      var a = u.valToPos(band.from, 'x', true), b = u.valToPos(band.to, 'x', true);
      var left = Math.max(box.left, Math.min(a, b));
      var right = Math.min(box.left + box.width, Math.max(a, b));
      if (!(right > left)) return;
      ctx.save();
      ctx.fillStyle = band.color;
      ctx.fillRect(left, box.top, right - left, box.height);
      ctx.restore();
    });
  }

  // The distinct labels of the labelled markers, in first-seen order: one row above the plot each.
  function labelRows(markers) {
    var rows = [];
    markers.forEach(function (m) {
      if (!m.minor && rows.indexOf(m.label) < 0) rows.push(m.label);
    });
    return rows;
  }

  function mark(u, spec, rows) {
    var ctx = u.ctx, box = u.bbox, px = uPlot.pxRatio;
    ctx.save();
    ctx.font = 11 * px + 'px system-ui, sans-serif';
    ctx.textBaseline = 'top';
    ctx.lineWidth = 1.5 * px;
    ctx.setLineDash([4 * px, 3 * px]);
    spec.thresholds.forEach(function (t) {
      var y = u.valToPos(t.value, t.scale, true);
      if (!(y >= box.top && y <= box.top + box.height)) return;
      line(ctx, t.color, box.left, y, box.left + box.width, y);
      label(ctx, t.color, t.label, box.left + box.width - 4 * px - ctx.measureText(t.label).width, y + 2 * px);
    });
    // Minor markers first and thin, so the labelled ones draw over them.
    ctx.lineWidth = 1 * px;
    ctx.setLineDash([2 * px, 3 * px]);
    spec.markers.forEach(function (m) {
      if (!m.minor) return;
      var x = u.valToPos(m.at, 'x', true);
      if (x >= box.left && x <= box.left + box.width) line(ctx, m.color, x, box.top, x, box.top + box.height);
    });
    ctx.lineWidth = 1.5 * px;
    ctx.setLineDash([4 * px, 3 * px]);
    // Where each row's last label ends: a label that would overlap it is left out, its line drawn.
    var ends = rows.map(function () { return -Infinity; });
    spec.markers.forEach(function (m) {
      if (m.minor) return;
      var x = u.valToPos(m.at, 'x', true);
      if (!(x >= box.left && x <= box.left + box.width)) return;
      line(ctx, m.color, x, box.top, x, box.top + box.height);
      var row = rows.indexOf(m.label);
      var w = ctx.measureText(m.label).width;
      var tx = x + 4 * px + w > box.left + box.width ? x - 4 * px - w : x + 4 * px;
      if (tx - 2 * px < ends[row]) return;
      ends[row] = tx + w + 2 * px;
      label(ctx, m.color, m.label, tx, box.top - (14 * (rows.length - row) - 1) * px);
    });
    ctx.restore();
  }

  function line(ctx, color, x0, y0, x1, y1) {
    ctx.strokeStyle = color;
    ctx.beginPath();
    ctx.moveTo(x0, y0);
    ctx.lineTo(x1, y1);
    ctx.stroke();
  }

  function label(ctx, color, text, x, y) {
    ctx.fillStyle = 'rgba(255, 255, 255, 0.85)';
    ctx.fillRect(x - 2, y - 1, ctx.measureText(text).width + 4, parseInt(ctx.font, 10) + 2);
    ctx.fillStyle = color;
    ctx.fillText(text, x, y);
  }
})();
`;
