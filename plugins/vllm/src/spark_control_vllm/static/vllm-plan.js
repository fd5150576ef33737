// A swap's plan, as POST /api/vllm/swap?dry_run=true answers it, shown in the swap's
// confirmation: where the model goes, which models stop, each node's memory before and
// after, the --gpu-memory-utilization it is given, how long the model has taken to come
// up before (p50/p90, or "no history yet"), and a plan that does not fit. Plain DOM,
// every value as text.

import { duration, formatBytes, h } from '/ui/kit/index.js';

const MIB = 2 ** 20;

function mib(value) {
  return typeof value === 'number' ? formatBytes(value * MIB) : 'unknown';
}

function seconds(value) {
  return typeof value === 'number' ? duration(value) : '?';
}

/** How long requests will fail, in words: "p50 41 s, p90 59 s (6 swaps)". */
export function downtimeText(downtime) {
  if (!downtime || !downtime.samples) return `Expected downtime: ${downtime?.note || 'no history yet'}.`;
  const swaps = downtime.samples === 1 ? '1 past swap' : `${downtime.samples} past swaps`;
  return `Expected downtime: p50 ${seconds(downtime.p50_s)}, p90 ${seconds(downtime.p90_s)} (${swaps}).`;
}

/** The plan's summary line: nodes, evictions, utilisation. */
export function planSummary(plan, modelName) {
  const nodes = (plan.nodes ?? []).join(' and ') || 'no node';
  const evict = (plan.evict ?? []).map(modelName);
  const stops = evict.length ? `stops ${evict.join(', ')}` : 'stops nothing';
  const fraction = typeof plan.gpu_memory_utilization === 'number' ? plan.gpu_memory_utilization : '?';
  const source = plan.gpu_memory_utilization_source ? ` (${plan.gpu_memory_utilization_source})` : '';
  return `Runs on ${nodes}; ${stops}; --gpu-memory-utilization ${fraction}${source}.`;
}

function memoryTable(rows) {
  const body = rows.map((row) =>
    h(
      'tr',
      { dataset: { node: row.node } },
      h('th', { scope: 'row', text: row.node }),
      h('td', { text: mib(row.used_before_mib) }),
      h('td', { text: mib(row.used_after_mib) }),
      h('td', { text: mib(row.total_mib) }),
    ),
  );
  return h(
    'table',
    { class: 'vllm-plan-memory' },
    h('caption', { text: 'Memory in use per node' }),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col', text: 'Node' }),
        h('th', { scope: 'col', text: 'Now' }),
        h('th', { scope: 'col', text: 'After' }),
        h('th', { scope: 'col', text: 'Total' }),
      ),
    ),
    h('tbody', {}, body),
  );
}

/** The plan as a block for the confirmation dialog. */
export function planView(plan, modelName) {
  const fits = plan.fits === true ? 'yes' : plan.fits === false ? 'no' : 'unknown';
  const notes = [];
  if (plan.fits === false) {
    notes.push(
      h('p', { class: 'vllm-plan-warning', role: 'alert', text: `This plan does not fit: ${plan.warning || 'not enough memory'}.` }),
    );
  } else if (plan.fits !== true && plan.warning) {
    notes.push(h('p', { class: 'vllm-plan-warning', text: `Memory not checked: ${plan.warning}.` }));
  }
  if (plan.outcome === 'refused' || plan.outcome === 'busy') {
    notes.push(h('p', { class: 'vllm-plan-warning', text: `The swap would be refused now: ${plan.reason}.` }));
  }
  return h(
    'div',
    { class: 'vllm-plan', dataset: { fits, outcome: plan.outcome ?? '' } },
    h('p', { class: 'vllm-plan-summary', text: planSummary(plan, modelName) }),
    notes,
    plan.memory?.length ? memoryTable(plan.memory) : null,
    h('p', { class: 'vllm-plan-downtime', text: downtimeText(plan.downtime) }),
  );
}

/** When the plan cannot be had (an error answer), the confirmation says so. */
export function planMissing(reason) {
  return h(
    'div',
    { class: 'vllm-plan', dataset: { fits: 'unknown', outcome: 'unknown' } },
    h('p', { class: 'vllm-plan-warning', text: `The plan could not be read: ${reason}.` }),
  );
}
