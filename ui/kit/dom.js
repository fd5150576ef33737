// DOM building for the dashboard and its tiles. Every value ends up as text or an
// attribute value: never as markup.

/**
 * h('p', {class: 'x', text: 'hello', onclick: fn, dataset: {a: '1'}}, child, 'text')
 *
 * `class` sets the class name, `text` the text content, `dataset` data-* attributes,
 * `on<event>` with a function adds a listener; any other key is an attribute (true
 * gives an empty one). null, undefined and false props and children are skipped;
 * strings among the children become text nodes; arrays of children are flattened.
 */
export function h(tag, props = {}, ...children) {
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

/** A plain button (`type="button"`, the dashboard's `button` class); `extra` as for h(). */
export function button(label, extra = {}) {
  return h('button', { type: 'button', class: 'button', text: label, ...extra });
}

/**
 * Adds <link rel="stylesheet" href="url"> to the page once, however often it is called.
 * A tile passes its stylesheet's URL beside its module:
 *   loadStyles(new URL('my-tile.css', import.meta.url))
 * Resolves when the sheet has loaded (or failed: a tile still works unstyled).
 */
export function loadStyles(url) {
  const href = new URL(String(url), document.baseURI).href;
  const present = [...document.querySelectorAll('link[rel="stylesheet"]')].find((link) => link.href === href);
  if (present) return Promise.resolve(present);
  const link = h('link', { rel: 'stylesheet', href });
  const loaded = new Promise((resolve) => {
    link.addEventListener('load', () => resolve(link), { once: true });
    link.addEventListener('error', () => resolve(link), { once: true });
  });
  document.head.append(link);
  return loaded;
}
