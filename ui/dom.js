// The shell's own small helpers; DOM building and status badges are in the kit.

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
