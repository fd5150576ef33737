// Node cards: reachability dot (the node's `node:<name>` probe) and the facts the
// gateway reads from each node (GPU, memory, disk, uptime, VPN).

import { formatBytes, formatValue, h, setStatus, sparkline, statusBadge } from './kit/index.js';
import { sshKeyForm } from './sshkey.js';

export function formatUptime(seconds) {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.floor(seconds);
  const days = Math.floor(s / 86400);
  const hours = Math.floor((s % 86400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  if (days) return `${days} d ${hours} h`;
  if (hours) return `${hours} h ${minutes} min`;
  if (minutes) return `${minutes} min`;
  return `${s} s`;
}

function row(label, ...value) {
  return h('div', { class: 'fact' }, h('dt', { text: label }), h('dd', {}, ...value));
}

function gpuText(gpu) {
  const parts = [gpu.name || 'GPU'];
  if (typeof gpu.utilization_pct === 'number') parts.push(`${Math.round(gpu.utilization_pct)}% busy`);
  if (typeof gpu.temperature_c === 'number') parts.push(`${Math.round(gpu.temperature_c)} °C`);
  if (typeof gpu.memory_used_mib === 'number' && typeof gpu.memory_total_mib === 'number') {
    parts.push(`${formatBytes(gpu.memory_used_mib * 1048576)} of ${formatBytes(gpu.memory_total_mib * 1048576)}`);
  }
  return parts.join(' · ');
}

function memoryBar(memory) {
  const total = memory.total_bytes;
  const used = Math.max(0, total - memory.available_bytes);
  const pct = total > 0 ? Math.min(100, Math.round((used / total) * 100)) : 0;
  const text = `${formatBytes(used)} of ${formatBytes(total)} used`;
  const fill = h('span', { class: 'bar-fill' });
  fill.style.width = `${pct}%`;
  return [
    h(
      'span',
      { class: 'bar', role: 'meter', 'aria-label': 'Memory used', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': pct, 'aria-valuetext': text },
      fill,
    ),
    h('span', { class: 'bar-text', text }),
  ];
}

/**
 * "gpu: X", "disk: X", "ip: Y" → "gpu, disk: X; ip: Y": one unreachable node's SSH error
 * is said once, with what it kept from being read, not once per command.
 */
export function collapseErrors(errors) {
  const byReason = new Map();
  for (const error of errors) {
    const at = error.indexOf(': ');
    const [what, why] = at > 0 ? [error.slice(0, at), error.slice(at + 2)] : ['', error];
    byReason.set(why, [...(byReason.get(why) ?? []), what].filter(Boolean));
  }
  return [...byReason].map(([why, what]) => (what.length ? `${what.join(', ')}: ${why}` : why)).join('; ');
}

function factsList(facts) {
  if (!facts) return h('p', { class: 'muted', text: 'No facts read yet.' });
  const list = h('dl', { class: 'facts' });
  list.append(row('GPU', facts.gpu ? gpuText(facts.gpu) : 'not reported'));
  list.append(row('Memory', ...(facts.memory?.total_bytes > 0 ? memoryBar(facts.memory) : ['not reported'])));
  const disk = facts.disk;
  list.append(
    row('Disk', disk ? `${formatBytes(disk.free_bytes)} free of ${formatBytes(disk.total_bytes)}${disk.path ? ` (${disk.path})` : ''}` : 'not reported'),
  );
  list.append(row('Uptime', facts.uptime_s == null ? 'not reported' : formatUptime(facts.uptime_s)));
  const fragment = [list];
  if (Array.isArray(facts.errors) && facts.errors.length) {
    fragment.push(h('p', { class: 'muted small', text: `Not read: ${collapseErrors(facts.errors)}` }));
  }
  return fragment;
}

/** Renders and updates the node cards in `container`. */
export function createNodes(container) {
  const cards = new Map();

  function renderFacts(card, facts) {
    card.factsBox.replaceChildren(...[factsList(facts)].flat());
    const vpn = facts?.vpn;
    card.vpn.hidden = !vpn;
    if (vpn) {
      card.vpn.textContent = `VPN ${vpn.address ?? ''}`.trim();
      card.vpn.title = vpn.interface ? `WireGuard interface ${vpn.interface}` : 'WireGuard';
    }
  }

  function render(nodes, probes) {
    cards.clear();
    if (!nodes.length) {
      container.replaceChildren(h('p', { class: 'muted', text: 'No nodes are configured.' }));
      return;
    }
    container.replaceChildren();
    for (const node of nodes) {
      const state = probes[`node:${node.name}`]?.state ?? node.state ?? 'unknown';
      const badge = statusBadge(state);
      const detail = h('p', { class: 'detail small', text: probes[`node:${node.name}`]?.detail ?? node.detail ?? '' });
      const vpn = h('span', { class: 'kit-pill accent vpn', hidden: true });
      const factsBox = h('div', { class: 'facts-box' });
      const titleId = `node-${node.name}-title`;
      const spark = {
        util: sparkline({ label: `${node.name}: GPU busy lately (up to 3 hours)`, min: 0, max: 100, height: 40 }),
        memory: sparkline({ label: `${node.name}: GPU memory used lately (up to 3 hours)`, min: 0, height: 40 }),
        text: h('p', { class: 'muted small spark-text' }),
      };
      const article = h(
        'article',
        { id: `node-${node.name}`, tabindex: '-1', class: 'card node', 'aria-labelledby': titleId, dataset: { node: node.name } },
        h('header', { class: 'card-head' }, h('h3', { id: titleId, text: node.name }), badge),
        h('p', { class: 'address' }, h('span', { class: 'mono', text: node.address ?? '' }), ' ', vpn),
        detail,
        factsBox,
        h('div', { class: 'node-spark', hidden: true }, spark.util.element, spark.memory.element, spark.text),
        sshKeyForm(node),
      );
      const card = { badge, detail, vpn, factsBox, spark, sparkBox: article.querySelector('.node-spark') };
      cards.set(node.name, card);
      renderFacts(card, node.facts ?? null);
      container.append(article);
    }
  }

  function setState(name, state, detail) {
    const card = cards.get(name);
    if (!card) return;
    setStatus(card.badge, state);
    card.detail.textContent = detail ?? '';
  }

  function setFacts(name, facts) {
    const card = cards.get(name);
    if (card) renderFacts(card, facts);
  }

  /** The node's recent history ({memory, util}: {t, v} each) as sparklines. */
  function setHistory(name, { memory, util }) {
    const card = cards.get(name);
    if (!card) return;
    const any = memory.v.length > 1 || util.v.length > 1;
    card.sparkBox.hidden = !any;
    if (!any) return;
    card.spark.util.element.style.display = util.v.length > 1 ? '' : 'none';
    card.spark.memory.element.style.display = memory.v.length > 1 ? '' : 'none';
    card.spark.util.update([util.v]);
    card.spark.memory.update([memory.v]);
    const parts = [];
    if (util.v.length > 1) parts.push(`GPU busy up to ${formatValue(Math.max(...util.v), '%')}`);
    if (memory.v.length > 1) parts.push(`GPU memory up to ${formatValue(Math.max(...memory.v), 'bytes')}`);
    card.spark.text.textContent = `Lately (${parts.length > 1 ? 'top to bottom' : 'above'}): ${parts.join(', ')}`;
  }

  return { render, setState, setFacts, setHistory };
}
