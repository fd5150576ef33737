// A small line chart (a sparkline): one SVG, one polyline per series, no axes. Enough
// for "how did this move lately"; styles in kit.css (the lines take the text colour).

const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attrs) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  return node;
}

/**
 * The polyline `points` for `values` across a width × height box: x evenly spaced,
 * `min` at the bottom and `max` at the top (values outside are clamped). Entries that
 * are not finite numbers are left out. Fewer than two values give '' (nothing drawn).
 */
export function linePoints(values, { width, height, min, max }) {
  const numbers = values.filter((v) => typeof v === 'number' && Number.isFinite(v));
  if (numbers.length < 2) return '';
  const span = max - min || 1;
  const step = width / (numbers.length - 1);
  return numbers
    .map((v, i) => {
      const y = height - ((Math.min(max, Math.max(min, v)) - min) / span) * height;
      return `${(i * step).toFixed(1)},${y.toFixed(1)}`;
    })
    .join(' ');
}

/**
 * sparkline({label, lines, min, max, width, height}) → {element, update(series)}
 *
 * - `label`: what the chart shows, for screen readers (role="img"); say it in words
 *   beside the chart too.
 * - `lines`: one entry per series, `{name, dashed}`; the first is drawn bold. Default:
 *   one solid line.
 * - `min`, `max`: the vertical range; each one left out follows the data.
 * - `width`, `height`: the drawing's box (default 240 × 60); it scales to the tile's
 *   width.
 * - `update(series)`: `series[i]` is the array of numbers for `lines[i]`, oldest first.
 */
export function sparkline({ label, lines = [{}], min, max, width = 240, height = 60 } = {}) {
  const element = svg('svg', {
    class: 'kit-chart',
    viewBox: `0 0 ${width} ${height}`,
    width: '100%',
    height,
    preserveAspectRatio: 'none',
    role: 'img',
    'aria-label': label ?? 'Chart',
  });
  const polylines = lines.map((line, index) => {
    const node = svg('polyline', { class: index === 0 ? 'kit-line kit-line-main' : 'kit-line' });
    if (line.dashed) node.classList.add('kit-line-dashed');
    if (line.name) node.dataset.series = line.name;
    element.append(node);
    return node;
  });

  function update(series) {
    const all = series.flat().filter((v) => typeof v === 'number' && Number.isFinite(v));
    const low = min ?? (all.length ? Math.min(...all) : 0);
    const high = max ?? (all.length ? Math.max(...all) : 1);
    polylines.forEach((node, index) => {
      node.setAttribute('points', linePoints(series[index] ?? [], { width, height, min: low, max: high }));
    });
  }

  return { element, update };
}
