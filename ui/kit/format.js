// Numbers and times as short text for people.

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** 512 B, 1.5 KiB, 120 GiB; '?' for anything that is not a size. */
export function formatBytes(bytes) {
  if (typeof bytes !== 'number' || !Number.isFinite(bytes) || bytes < 0) return '?';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value >= 100 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${UNITS[unit]}`;
}

/** 4 s, 3 min 20 s, 2 h 5 min: how long, for people (rounded up to whole seconds). */
export function duration(seconds) {
  const s = Math.max(0, Math.ceil(Number(seconds) || 0));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  const hours = Math.floor(s / 3600);
  return `${hours} h ${Math.floor((s % 3600) / 60)} min`;
}

/** A unix time (seconds) or ISO string as the viewer's local day and time; '?' if invalid. */
export function when(value) {
  const date = typeof value === 'number' ? new Date(value * 1000) : new Date(value);
  if (Number.isNaN(date.getTime())) return '?';
  return date.toLocaleString(undefined, {
    weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit',
  });
}

/** "1 item", "3 items". */
export function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}
