// Small pieces the vllm tile's views share: capped lists with "show more", long names
// that may wrap only between their parts, and grouped gate refusals.

import { button, h, plural } from '/ui/kit/index.js';

/**
 * Puts `items` (elements) into `list`, showing the first `cap`; when there are more,
 * returns a "Show N more <one|many>" button (aria-expanded, aria-controls `list`) that
 * reveals the rest and then offers "Show fewer". Place the button after the list.
 */
export function capItems(list, items, { cap, one, many }) {
  list.replaceChildren(...items);
  const extra = items.length - cap;
  const showAll = (all) => items.forEach((item, index) => (item.hidden = !all && index >= cap));
  showAll(false);
  if (extra <= 0) return null;
  if (!list.id) list.id = `vllm-list-${++lists}`;
  const label = `Show ${plural(extra, `more ${one}`, `more ${many}`)}`;
  const more = button(label, {
    class: 'button vllm-more',
    'aria-expanded': 'false',
    'aria-controls': list.id,
  });
  more.addEventListener('click', () => {
    const open = more.getAttribute('aria-expanded') !== 'true';
    showAll(open);
    more.setAttribute('aria-expanded', String(open));
    more.textContent = open ? 'Show fewer' : label;
  });
  return more;
}

let lists = 0;

/** A name like "example-org/model-7b" as text that may wrap after "/", "-", "_" or "."
 * (a <wbr> there), never inside a part: long names fit a phone without mid-word breaks. */
export function breakable(text) {
  const parts = String(text).split(/(?<=[/_.-])/);
  const span = h('span', { class: 'vllm-name' });
  parts.forEach((part, index) => {
    if (index) span.append(h('wbr'));
    span.append(part);
  });
  return span;
}

/**
 * One sentence per distinct reason among gate refusals: `refusals` maps an action's
 * noun, a gerund ("swapping", "stopping"), to its refusal ({reason}) or null. A lock
 * that refuses two actions for one reason is said once: "Swapping and stopping are
 * paused: <reason>".
 */
export function refusalText(refusals) {
  const byReason = new Map();
  for (const [noun, refusal] of Object.entries(refusals)) {
    if (!refusal) continue;
    const reason = refusal.reason ?? 'refused';
    byReason.set(reason, [...(byReason.get(reason) ?? []), noun]);
  }
  return [...byReason]
    .map(([reason, nouns]) => {
      const list = nouns.length > 1 ? `${nouns.slice(0, -1).join(', ')} and ${nouns.at(-1)}` : nouns[0];
      const verb = nouns.length > 1 ? 'are' : 'is';
      return `${list[0].toUpperCase()}${list.slice(1)} ${verb} paused: ${reason}`;
    })
    .join(' · ');
}
