// The status badge: a coloured dot with its state in words beside it (colour is never
// the only cue). Styles in kit.css.

import { h } from './dom.js';

/** The states a badge knows; anything else shows as "unknown". */
export const STATES = ['ok', 'degraded', 'down', 'disabled', 'unknown'];

/** A badge showing `state`; with `prefix` its text reads "prefix: state". */
export function statusBadge(state, prefix = '') {
  const label = h('span', { class: 'status-text' });
  const badge = h('span', { class: 'status' }, h('span', { class: 'dot', 'aria-hidden': 'true' }), label);
  badge.dataset.prefix = prefix;
  setStatus(badge, state);
  return badge;
}

/** Shows `state` on a badge made by statusBadge(). */
export function setStatus(badge, state) {
  const value = STATES.includes(state) ? state : 'unknown';
  badge.dataset.state = value;
  const prefix = badge.dataset.prefix;
  badge.querySelector('.status-text').textContent = prefix ? `${prefix}: ${value}` : value;
}
