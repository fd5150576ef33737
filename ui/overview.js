// The overview strip at the top of the page: every problem, worst first, in words, each
// linking to its tile or node card (from GET /api/problems); the header pill naming what
// is wrong; and the cluster's charts (GPU memory and utilisation per node, requests per
// model) from GET /api/history. Everything from the gateway is inserted as text.

import { api } from './api.js';
import { alignSeries, h, setStatus, statusBadge, timeChart } from './kit/index.js';

// How many problems show before "Show all".
const SHOWN = 5;
// The charts' window, and how often they are read again (the history's pace).
const WINDOW_S = 3 * 3600;
const REFRESH_MS = 30_000;

/** The id of the element a problem links to: a tile, or a node card. */
export function anchorOf(problem) {
  if (!problem.tile) return null;
  return problem.tile.startsWith('node:') ? `node-${problem.tile.slice(5)}` : `tile-${problem.tile}`;
}

/** Renders the problem list into `list` and the pill into `pill`. */
export function createProblems(list, pill, more) {
  const badge = statusBadge('unknown', 'Health');
  const pillText = h('span', { class: 'pill-text' });
  pill.replaceChildren(badge, pillText);
  let expanded = false;
  let latest = [];

  function item(problem) {
    const anchor = anchorOf(problem);
    const words = anchor
      ? h('a', { href: `#${anchor}`, text: problem.message })
      : h('span', { text: problem.message });
    const count = problem.count > 1 ? h('span', { class: 'kit-pill', text: `${problem.count}×` }) : null;
    // A failed plugin is as bad as down; a warning (facts not read) as degraded; each
    // keeps its own word.
    const badge = statusBadge({ failed: 'down', warning: 'degraded' }[problem.state] ?? problem.state);
    badge.querySelector('.status-text').textContent = problem.state;
    return h('li', { class: 'problem', dataset: { state: problem.state, problem: problem.id } }, badge, ' ', words, count);
  }

  function draw() {
    if (!latest.length) {
      list.replaceChildren(h('li', { class: 'problem none', dataset: { state: 'ok' } }, statusBadge('ok'), ' ', 'Nothing is wrong: every service answers.'));
      more.hidden = true;
      return;
    }
    const shown = expanded ? latest : latest.slice(0, SHOWN);
    list.replaceChildren(...shown.map(item));
    more.hidden = latest.length <= SHOWN;
    more.textContent = expanded ? 'Show fewer' : `Show all ${latest.length}`;
    more.setAttribute('aria-expanded', String(expanded));
  }

  more.addEventListener('click', () => {
    expanded = !expanded;
    draw();
  });

  function render(answer) {
    latest = answer.problems ?? [];
    draw();
    setStatus(badge, answer.pill?.state ?? 'unknown');
    pillText.textContent = answer.pill?.state === 'ok' ? '' : answer.pill?.text ?? '';
    pill.dataset.state = answer.pill?.state ?? 'unknown';
  }

  return { render };
}

/**
 * The charts of the overview (one line per node); `onHistory(node, {memory, util})`
 * hands each node's series ({t, v}) to its card's sparklines.
 */
export function createCharts(container, onHistory = () => {}) {
  const charts = {};
  let timer = null;
  let nodes = [];

  function figure(key, title, chart, note) {
    const id = `chart-${key}-title`;
    chart.element.setAttribute('aria-labelledby', id);
    const box = h('div', { class: 'chart', dataset: { chart: key } }, h('h3', { id, text: title }), chart.element, note ? h('p', { class: 'muted small', text: note }) : null);
    charts[key] = chart;
    return box;
  }

  function build(nodeNames) {
    nodes = nodeNames;
    for (const chart of Object.values(charts)) chart.destroy();
    container.replaceChildren(
      figure('gpu-memory', 'GPU memory', timeChart({ label: 'GPU memory used per node', unit: 'bytes', series: nodes })),
      figure('gpu-util', 'GPU busy', timeChart({ label: 'GPU utilisation per node', unit: '%', series: nodes, min: 0, max: 100 })),
    );
  }

  // The window: 3 hours, or since the first point when history is younger (a fresh
  // gateway's first minutes are not squeezed into one corner), at least 10 minutes.
  let windowS = WINDOW_S;

  async function pickWindow() {
    const kept = (await api.get('/api/history/series')).series ?? [];
    const first = Math.min(...kept.filter((s) => s.metric === 'gpu_memory_used_bytes').map((s) => s.first));
    const age = Number.isFinite(first) ? Date.now() / 1000 - first : 0;
    windowS = Math.round(Math.min(WINDOW_S, Math.max(600, age * 1.05)));
  }

  async function series(metric, subjects) {
    const params = new URLSearchParams({ metric, window_s: String(windowS), points: '180' });
    for (const s of subjects ?? []) params.append('subject', s);
    const answer = await api.get(`/api/history?${params}`);
    return answer.series ?? [];
  }

  async function refresh() {
    await pickWindow();
    const [memory, util] = await Promise.all([series('gpu_memory_used_bytes', nodes), series('gpu_utilization_pct', nodes)]);
    const empty = { t: [], v: [] };
    for (const [key, found] of [['gpu-memory', memory], ['gpu-util', util]]) {
      const bySubject = nodes.map((n) => found.find((s) => s.subject === n) ?? empty);
      const { t, values } = alignSeries(bySubject);
      await charts[key].update(t, values);
    }
    for (const node of nodes) {
      onHistory(node, {
        memory: memory.find((s) => s.subject === node) ?? empty,
        util: util.find((s) => s.subject === node) ?? empty,
      });
    }
  }

  async function show(nodeNames) {
    if (nodeNames.join('\n') !== nodes.join('\n') || !Object.keys(charts).length) build(nodeNames);
    try {
      await refresh();
    } catch (error) {
      container.dataset.error = error.message;
    }
    clearInterval(timer);
    timer = setInterval(() => refresh().catch(() => {}), REFRESH_MS);
  }

  return { show };
}

// The charts behind "More charts": each metric's series, one line per subject.
const MORE = [
  ['proxy_requests_per_s', 'Requests per second, per model'],
  ['proxy_errors_per_s', 'Errors per second (5xx and 429), per model'],
  ['proxy_latency_p95_ms', 'Latency p95, per model'],
  ['proxy_latency_p50_ms', 'Latency p50, per model'],
  ['swap_duration_s', 'Swap durations, per model'],
  ['gpu_temperature_c', 'GPU temperature, per node'],
  ['memory_used_bytes', 'System memory used, per node'],
];

/** Full charts on demand: drawn when `details` opens, read again while it stays open. */
export function createMoreCharts(details, container) {
  let timer = null;
  const charts = [];

  async function draw() {
    const params = new URLSearchParams({ window_s: String(WINDOW_S), points: '180' });
    for (const [metric] of MORE) params.append('metric', metric);
    const answer = await api.get(`/api/history?${params}`);
    for (const chart of charts.splice(0)) chart.destroy();
    const boxes = [];
    for (const [metric, title] of MORE) {
      const found = (answer.series ?? []).filter((s) => s.metric === metric);
      if (!found.length) continue;
      const unit = found[0].unit;
      const chart = timeChart({ label: title, unit, series: found.map((s) => s.subject), height: 160, min: unit === '%' ? 0 : undefined });
      charts.push(chart);
      const id = `more-${metric}-title`;
      chart.element.setAttribute('aria-labelledby', id);
      boxes.push(h('div', { class: 'chart', dataset: { chart: metric } }, h('h3', { id, text: title }), chart.element));
      const { t, values } = alignSeries(found);
      queueMicrotask(() => chart.update(t, values));
    }
    container.replaceChildren(...(boxes.length ? boxes : [h('p', { class: 'muted', text: 'No other history yet: requests, latencies and swaps appear once the gateway has served some.' })]));
  }

  details.addEventListener('toggle', () => {
    clearInterval(timer);
    if (!details.open) return;
    draw().catch((error) => container.replaceChildren(h('p', { class: 'error', role: 'alert', text: `Could not load the charts: ${error.message}` })));
    timer = setInterval(() => draw().catch(() => {}), REFRESH_MS);
  });
}
