// Time-series charts drawn by uPlot (vendored, pinned: ui/VENDORED.md), loaded on first
// use from this folder (a plain script, so the page's CSP 'self' allows it).
//
//   const chart = timeChart({ label: 'GPU memory', unit: 'bytes', series: ['spark-1'] });
//   parent.append(chart.element);
//   chart.update(times, [valuesOfSpark1]);   // unix seconds; one array per series
//
// The element carries what it shows for tests and screen readers: `data-points`,
// `data-first` and `data-last` (unix seconds), and an aria-label with the latest values.

import { formatBytes } from './format.js';
import { h, loadStyles } from './dom.js';

let loading = null;

/** uPlot, loaded once (resolves to the constructor). */
export function loadUPlot() {
  if (window.uPlot) return Promise.resolve(window.uPlot);
  if (!loading) {
    loadStyles(new URL('uplot.min.css', import.meta.url));
    loading = new Promise((resolve, reject) => {
      const script = h('script', { src: new URL('uplot.iife.min.js', import.meta.url).href });
      script.addEventListener('load', () => resolve(window.uPlot), { once: true });
      script.addEventListener('error', () => reject(new Error('could not load the chart library')), { once: true });
      document.head.append(script);
    });
  }
  return loading;
}

/** A value in its unit, short: "51.2 GB", "43%", "61 °C", "2.4/s", "180 ms". */
export function formatValue(value, unit) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '—';
  switch (unit) {
    case 'bytes':
      return formatBytes(value);
    case '%':
      return `${Math.round(value)}%`;
    case '°C':
      return `${Math.round(value)} °C`;
    case '1/s':
      return `${value < 10 ? value.toFixed(1) : Math.round(value)}/s`;
    case 'ms':
      return `${Math.round(value)} ms`;
    case 's':
      return `${value < 10 ? value.toFixed(1) : Math.round(value)} s`;
    default:
      return String(Math.round(value * 100) / 100);
  }
}

// Series colours that read on light and dark backgrounds; the legend names each.
const COLOURS = ['#2f7dd1', '#d9822b', '#2e9d6a', '#a35bd6', '#c9485b', '#6b7d8f'];

/**
 * timeChart({label, unit, series, height, min, max}) → {element, update(t, values), destroy()}
 *
 * - `label`: what the chart shows (its heading is the caller's; this names it for
 *   screen readers).
 * - `unit`: one of the history units ('bytes', '%', '°C', '1/s', 'ms', 's').
 * - `series`: the names of the lines, in the order of `values` in update().
 * - `min`/`max`: a fixed vertical range (e.g. 0 and 100 for a percentage).
 */
export function timeChart({ label, unit = '', series = [], height = 180, min, max } = {}) {
  const element = h('figure', { class: 'kit-timechart', role: 'img', 'aria-label': label ?? 'Chart' });
  const empty = h('p', { class: 'muted small', text: 'No history yet: points appear as the gateway records them.' });
  element.append(empty);
  let plot = null;
  let width = 0;
  let last = { t: [], values: [] };

  function summary(t, values) {
    const latest = series.map((name, i) => `${name} ${formatValue(values[i]?.at(-1), unit)}`).join(', ');
    return `${label}${t.length ? `: now ${latest}` : ': no history yet'}`;
  }

  function options(w) {
    return {
      width: w,
      height,
      legend: { show: series.length > 1 },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true }, y: { range: (u, lo, hi) => [min ?? Math.min(0, lo), max ?? (hi > 0 ? hi * 1.1 : 1)] } },
      axes: [
        { stroke: 'currentColor', grid: { stroke: 'rgba(128,128,128,0.2)' } },
        { stroke: 'currentColor', grid: { stroke: 'rgba(128,128,128,0.2)' }, size: 84, values: (u, ticks) => ticks.map((v) => formatValue(v, unit)) },
      ],
      series: [{}, ...series.map((name, i) => ({ label: name, stroke: COLOURS[i % COLOURS.length], width: 2, spanGaps: true, value: (u, v) => formatValue(v, unit) }))],
    };
  }

  async function draw() {
    empty.hidden = last.t.length > 1;
    if (last.t.length < 2) {
      plot?.destroy();
      plot = null;
      return;
    }
    const UPlot = await loadUPlot();
    const w = Math.max(160, Math.floor(element.clientWidth || 320));
    const data = [last.t, ...series.map((_, i) => last.values[i] ?? last.t.map(() => null))];
    if (!plot) {
      width = w;
      plot = new UPlot(options(w), data, element);
      return;
    }
    if (w !== width) {
      width = w;
      plot.setSize({ width: w, height });
    }
    plot.setData(data);
  }

  /** Show `t` (unix seconds, ascending) and one array of values per series. */
  async function update(t, values) {
    last = { t, values };
    element.dataset.points = String(t.length);
    element.dataset.first = t.length ? String(t[0]) : '';
    element.dataset.last = t.length ? String(t.at(-1)) : '';
    element.setAttribute('aria-label', summary(t, values));
    await draw();
  }

  const resize = new ResizeObserver(() => {
    if (plot && Math.floor(element.clientWidth) !== width) draw();
  });
  resize.observe(element);

  function destroy() {
    resize.disconnect();
    plot?.destroy();
    plot = null;
  }

  return { element, update, destroy };
}

/**
 * Merge history series (each {t, v}) onto one time axis, for a chart with one line per
 * series: → {t, values}. A series without a point at a time gets null there.
 */
export function alignSeries(list) {
  const times = [...new Set(list.flatMap((s) => s.t))].sort((a, b) => a - b);
  const index = new Map(times.map((t, i) => [t, i]));
  const values = list.map((s) => {
    const row = times.map(() => null);
    s.t.forEach((t, i) => {
      row[index.get(t)] = s.v[i];
    });
    return row;
  });
  return { t: times, values };
}
