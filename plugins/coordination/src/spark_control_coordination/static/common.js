// Small helpers shared by the coordination plugin's tiles: DOM building without markup,
// error text, durations and times for people, and the plugin's stylesheet.

/** h('p', {class: 'x', text: 'y', dataset: {a: '1'}}, child, 'text'): no markup, ever. */
export function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = String(value);
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

export function button(label, extra = {}) {
  return h('button', { type: 'button', class: 'button', text: label, ...extra });
}

export function errorText(error) {
  if (error && typeof error === 'object' && 'status' in error && error.message) {
    return error.status ? `${error.message} (${error.status})` : error.message;
  }
  return error instanceof Error ? error.message || error.name : String(error);
}

/** 4 s, 3 min 20 s, 2 h 5 min: how long, for people. */
export function duration(seconds) {
  const s = Math.max(0, Math.ceil(Number(seconds) || 0));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  const hours = Math.floor(s / 3600);
  return `${hours} h ${Math.floor((s % 3600) / 60)} min`;
}

/** A unix time or ISO string as the viewer's local date and time. */
export function when(value) {
  const date = typeof value === 'number' ? new Date(value * 1000) : new Date(value);
  if (Number.isNaN(date.getTime())) return '?';
  return date.toLocaleString(undefined, {
    weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit',
  });
}

export function loadStyles() {
  const href = new URL('coordination.css', import.meta.url).href;
  if ([...document.querySelectorAll('link[rel="stylesheet"]')].some((link) => link.href === href)) return;
  document.head.append(h('link', { rel: 'stylesheet', href }));
}
