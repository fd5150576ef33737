// Tiny DOM helpers. Every value ends up as text or an attribute value: never as markup.

/**
 * el('p', {class: 'x', text: 'hello', onclick: fn, dataset: {a: '1'}}, child, 'text')
 * Strings among the children become text nodes; null/false children are skipped.
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = String(value);
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') {
      node.addEventListener(key.slice(2), value);
    } else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

export const STATES = ['ok', 'degraded', 'down', 'disabled', 'unknown'];

function knownState(state) {
  return STATES.includes(state) ? state : 'unknown';
}

/** A coloured dot with its state as text beside it (colour is never the only cue). */
export function statusBadge(state, prefix = '') {
  const label = el('span', { class: 'status-text' });
  const badge = el('span', { class: 'status' }, el('span', { class: 'dot', 'aria-hidden': 'true' }), label);
  badge.dataset.prefix = prefix;
  setStatus(badge, state);
  return badge;
}

export function setStatus(badge, state) {
  const value = knownState(state);
  badge.dataset.state = value;
  const prefix = badge.dataset.prefix;
  badge.querySelector('.status-text').textContent = prefix ? `${prefix}: ${value}` : value;
}

/** Worst state among enabled probes, the same rule as the gateway's overall status. */
export function overallState(states) {
  const seen = new Set(states.filter((s) => s !== 'disabled'));
  for (const state of ['down', 'degraded', 'unknown']) if (seen.has(state)) return state;
  return 'ok';
}

/** A value read from JSON, as short text. */
export function displayValue(value) {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Read 'a.b.0.c' from an object; undefined when any step is missing. */
export function dig(data, dotted) {
  let value = data;
  for (const part of String(dotted).split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part)) return undefined;
    value = value[part];
  }
  return value;
}
